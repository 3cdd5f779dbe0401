import { HcpApiError } from '@hcp/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../console-api';
import { isStaleTicket, ticketsApi } from './tickets-api';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** Replaces fetch with one answering from `answer(url)`, recording each request. */
function fakeFetch(answer: (url: string) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body });
    const { status, body } = answer(url);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
    });
  });
  return calls;
}

describe('the ticket API of the console', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(undefined);
  });

  it('lists with repeated state parameters and leaves unset filters out', async () => {
    const calls = fakeFetch(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    await ticketsApi.list({ state: ['open'], overdue: true, sort: 'due', limit: 50, cursor: undefined });
    await ticketsApi.list({ state: ['appealing', 'pending_signoff'], sort: 'newest' });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/tickets?state=open&overdue=true&sort=due&limit=50',
      '/api/v1/tickets?state=appealing&state=pending_signoff&sort=newest',
    ]);
  });

  it('sends an action with the version seen as If-Match, and the session CSRF token', async () => {
    const calls = fakeFetch(() => ({ status: 200, body: { id: '7', version: 4 } }));
    setCsrfToken('csrf-abc');
    const after = await ticketsApi.act('7', 'contact', { handlingPath: 'fix_now', note: '已联系' }, 3);
    expect(after).toMatchObject({ version: 4 });
    const [c] = calls;
    expect(c).toMatchObject({ url: '/api/v1/tickets/7/contact', method: 'POST' });
    expect(c!.headers.get('if-match')).toBe('3');
    expect(c!.headers.get('x-csrf-token')).toBe('csrf-abc');
    expect(JSON.parse(String(c!.body))).toEqual({ handlingPath: 'fix_now', note: '已联系' });
  });

  it('treats a 409 as a ticket that moved on, and nothing else', async () => {
    fakeFetch(() => ({
      status: 409,
      body: { code: 'CONFLICT', message: '工单已被他人更新', details: { reason: 'TICKET_CHANGED' } },
    }));
    const stale = await ticketsApi.act('7', 'reply', { text: '回复' }, 1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(HcpApiError);
    expect(isStaleTicket(stale)).toBe(true);
    expect(isStaleTicket(new HcpApiError(403, { code: 'FORBIDDEN', message: 'no' }))).toBe(false);
    expect(isStaleTicket(new Error('x'))).toBe(false);
  });

  it('uploads the raw file with its type, name and the CSRF token of the session', async () => {
    const calls = fakeFetch((url) =>
      url.endsWith('/auth/me')
        ? { status: 200, body: { account: {}, csrfToken: 'csrf-from-me' } }
        : { status: 201, body: { id: '11', name: '整改照片.png', size: 4 } },
    );
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], '整改照片.png', { type: 'image/png' });
    const a = await ticketsApi.upload('7', file);
    expect(a.id).toBe('11');
    const post = calls[1]!;
    expect(post.url).toBe(`/api/v1/tickets/7/attachments?name=${encodeURIComponent('整改照片.png')}`);
    expect(post.method).toBe('POST');
    expect(post.headers.get('content-type')).toBe('image/png');
    expect(post.headers.get('x-csrf-token')).toBe('csrf-from-me');
    expect(post.body).toBe(file);
  });

  it('turns a refused upload into the server’s error', async () => {
    fakeFetch((url) =>
      url.endsWith('/auth/me')
        ? { status: 200, body: { account: {}, csrfToken: 'c' } }
        : { status: 403, body: { code: 'FORBIDDEN', message: '仅承办单位可上传附件' } },
    );
    const file = new File(['%PDF'], 'a.pdf', { type: 'application/pdf' });
    const e = (await ticketsApi.upload('7', file).catch((x: unknown) => x)) as HcpApiError;
    expect(e).toBeInstanceOf(HcpApiError);
    expect(e).toMatchObject({ status: 403, code: 'FORBIDDEN', requestId: 'req-1' });
    expect(e.message).toBe('仅承办单位可上传附件');
  });

  it('links attachments under their ticket', () => {
    expect(ticketsApi.attachmentUrl('7', '11')).toBe('/api/v1/tickets/7/attachments/11');
  });
});
