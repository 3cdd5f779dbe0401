import type { ApiError } from '@hcp/contracts';

/** A query value the builder understands; undefined, null and '' are left out. */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number | boolean)[];

/** Options shared by every call of the client. */
export interface HcpClientOptions {
  /** Origin (and optional prefix) of the API; '' means the page's own origin. */
  baseUrl?: string;
  /** fetch implementation; defaults to the global one. */
  fetch?: typeof fetch;
  /** Bearer key for writes; a function is read on every request (e.g. from a session store). */
  token?: string | (() => string | undefined);
  /** Current UI locale, sent as Accept-Language so the server words its errors to match. */
  locale?: () => string;
}

/** Per-call options. */
export interface RequestOptions {
  /** Cancels the request, e.g. when a newer search supersedes it. */
  signal?: AbortSignal;
}

/** Per-call options of a call made with a credential other than the client's token. */
export interface CredentialOptions extends RequestOptions {
  /** Bearer credential for this call only (a rating token `rt_…`, a pad token `pk_…`); wins over `token`. */
  credential?: string;
}

/** Options of one low-level call: query string, JSON body, extra headers and the per-call options. */
export interface CallOptions extends CredentialOptions {
  query?: object;
  body?: unknown;
  /** Extra request headers (e.g. Idempotency-Key); they win over the defaults. */
  headers?: Record<string, string>;
}

/** Thrown for every non-2xx answer, for network failures (status 0) and for unreadable bodies. */
export class HcpApiError extends Error {
  override readonly name = 'HcpApiError';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;

  constructor(status: number, body: ApiError, options?: { cause?: unknown }) {
    super(body.message, options);
    this.status = status;
    this.code = body.code;
    this.details = body.details;
    this.requestId = body.requestId;
  }
}

/** Builds `?a=1&b=x` from an object, skipping undefined, null and empty strings; arrays repeat the key. */
export function buildQuery(query?: object): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [string, QueryValue][]) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Whether an unknown JSON value has the shape of the API's error body. */
function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

/** Turns a non-2xx response into an HcpApiError, whatever its body looks like. */
async function toApiError(res: Response): Promise<HcpApiError> {
  const headerId = res.headers.get('x-request-id') ?? undefined;
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isApiError(body))
    return new HcpApiError(res.status, { ...body, requestId: body.requestId ?? headerId });
  const message = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  return new HcpApiError(res.status, { code: 'HTTP_ERROR', message, requestId: headerId });
}

/** The low-level transport: JSON in, JSON out, errors mapped to HcpApiError. */
export interface Http {
  /** Sends one request under the client's base URL and returns the parsed body (undefined when empty). */
  request<T>(method: string, path: string, init?: CallOptions): Promise<T>;
  /** Sends one request and returns the raw 2xx response (for streamed bodies); errors as `request`. */
  open(method: string, path: string, init?: CallOptions): Promise<Response>;
}

/** Creates the transport shared by all resources of one client. */
export function createHttp(opts: HcpClientOptions = {}): Http {
  const baseUrl = (opts.baseUrl ?? '').replace(/\/+$/, '');
  // Calling the global fetch unbound throws "Illegal invocation" in browsers.
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));

  /** Sends the request; non-2xx answers and network failures become HcpApiError, aborts pass through. */
  async function open(method: string, path: string, init: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const locale = opts.locale?.();
    if (locale) headers['Accept-Language'] = locale;
    const token = init.credential ?? (typeof opts.token === 'function' ? opts.token() : opts.token);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    Object.assign(headers, init.headers);

    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}${buildQuery(init.query)}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (cause) {
      if ((cause as { name?: unknown } | null)?.name === 'AbortError') throw cause;
      throw new HcpApiError(0, { code: 'NETWORK_ERROR', message: String(cause) }, { cause });
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  return {
    open,
    async request<T>(method: string, path: string, init: CallOptions = {}) {
      const res = await open(method, path, init);
      if (res.status === 204) return undefined as T;
      let text: string;
      try {
        text = await res.text();
      } catch (cause) {
        if ((cause as { name?: unknown } | null)?.name === 'AbortError') throw cause;
        throw new HcpApiError(0, { code: 'NETWORK_ERROR', message: String(cause) }, { cause });
      }
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        const requestId = res.headers.get('x-request-id') ?? undefined;
        const message = 'Response body is not JSON';
        throw new HcpApiError(res.status, { code: 'INVALID_RESPONSE', message, requestId }, { cause });
      }
    },
  };
}

/**
 * Whether a failure may go away by itself, so the same request is worth retrying later: no answer
 * at all (status 0), 408, 429 and 5xx. Other 4xx answers will not change on a retry.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof HcpApiError)) return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}
