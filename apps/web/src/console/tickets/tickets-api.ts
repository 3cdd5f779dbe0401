import type {
  Attachment,
  PageOf,
  Ticket,
  TicketActionBodies,
  TicketActionRoute,
  TicketListQuery,
  TicketSummary,
} from '@hcp/contracts';
import { HcpApiError, type RequestOptions } from '@hcp/sdk';
import type { Static } from 'typebox';
import { i18n } from '../../i18n';
import { consoleClient, identityApi } from '../console-api';

export type { Attachment, Ticket, TicketActionRoute, TicketListQuery, TicketSummary };

/** The body of one ticket action route (`POST /tickets/{id}/<route>`), as the contract declares it. */
export type TicketActionBody<R extends TicketActionRoute> = Static<(typeof TicketActionBodies)[R]>;

const API = '/api/v1/tickets';
const http = consoleClient.http;

/** File types the server keeps as rectification attachments, and the size it accepts. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const path = (id: string, rest = '') => `${API}/${encodeURIComponent(id)}${rest}`;

/** The ticket endpoints the console uses, through the console's SDK client (session cookie + CSRF). */
export const ticketsApi = {
  /** The queue and the supervisor board: tickets in the caller's subtree. */
  list: (query: TicketListQuery, init?: RequestOptions) =>
    http.request<PageOf<TicketSummary>>('GET', API, { ...init, query }),

  /** One ticket with its rating, deadlines, texts, attachments, history and the caller's actions. */
  get: (id: string, init?: RequestOptions) => http.request<Ticket>('GET', path(id), init),

  /**
   * Takes an action on the ticket as last seen: `version` goes as `If-Match`, so a ticket someone
   * changed meanwhile answers 409 (reason TICKET_CHANGED) instead of taking the action blind.
   */
  act: <R extends TicketActionRoute>(id: string, route: R, body: TicketActionBody<R>, version: number) =>
    http.request<Ticket>('POST', path(id, `/${route}`), {
      body,
      headers: { 'If-Match': String(version) },
    }),

  /**
   * Uploads a file for the rectification record; the rectification then names it by id. The body is
   * the raw file, which the SDK's JSON transport cannot send, so this one call uses fetch directly,
   * with the session's CSRF token read from `GET /auth/me`.
   */
  async upload(id: string, file: Blob & { name: string }): Promise<Attachment> {
    const { csrfToken } = await identityApi.me();
    let res: Response;
    try {
      res = await globalThis.fetch(`${path(id, '/attachments')}?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Accept-Language': i18n.global.locale.value,
          'Content-Type': file.type,
          'X-CSRF-Token': csrfToken,
        },
        body: file,
      });
    } catch (cause) {
      throw new HcpApiError(0, { code: 'NETWORK_ERROR', message: String(cause) }, { cause });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.ok && body) return body as Attachment;
    const requestId = res.headers.get('x-request-id') ?? undefined;
    const err = body as { code?: unknown; message?: unknown } | undefined;
    if (typeof err?.code === 'string' && typeof err.message === 'string') {
      throw new HcpApiError(res.status, { ...(body as { code: string; message: string }), requestId });
    }
    throw new HcpApiError(res.status, { code: 'HTTP_ERROR', message: `HTTP ${res.status}`, requestId });
  },

  /** Where an attachment downloads from (a plain link: the session cookie goes along). */
  attachmentUrl: (id: string, attachmentId: string) =>
    path(id, `/attachments/${encodeURIComponent(attachmentId)}`),
};

/**
 * Whether a failed action means the ticket moved on since it was shown (409: changed meanwhile, or
 * no longer in a state that allows the action), so the page should reload it.
 */
export function isStaleTicket(error: unknown): boolean {
  return error instanceof HcpApiError && error.status === 409;
}
