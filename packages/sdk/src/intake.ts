import type { Evaluation, EvaluationInput, RatingTokenInfo } from '@hcp/contracts';
import type { CredentialOptions, Http, RequestOptions } from './http';
import { connectEventStream, type EventStreamHandle, type StreamStatus } from './sse';

const API = '/api/v1';

// Pad (评价器) shapes as the server answers them; they move to @hcp/contracts once the pad API lands there.

/** Answer of `POST /pads/pair`: the pad's long-lived credential and where it stands. */
export interface PadPairing {
  padId: string;
  /** `pk_…`, sent as the bearer credential of every later pad call. */
  padToken: string;
  windowNo: string;
  windowName: string;
  unitName: string;
}

/** Answer of `GET /pads/me`. */
export type PadInfo = Omit<PadPairing, 'padToken'>;

/** A `rating-request` event on the pad stream: the window business system finished a case. */
export interface PadRatingRequest {
  requestId: string;
  caseNo: string;
  round: 1 | 2;
  itemName: string;
  staffNo: string | null;
  unitName: string;
  windowNo: string;
}

/** Options of evaluations.create. */
export interface CreateEvaluationOptions extends CredentialOptions {
  /** Retry-safe key: the same key again returns the first result instead of 409 (use one per rating). */
  idempotencyKey?: string;
}

/** Options of pads.stream. */
export interface PadStreamOptions {
  /** The pad token (`pk_…`). */
  credential: string;
  /** Receives each rating request pushed to this pad. */
  onRatingRequest: (request: PadRatingRequest) => void;
  /** Connection state, for the status line of the pad screen. */
  onStatus?: (status: StreamStatus, detail?: { error: unknown; delayMs: number }) => void;
  /** The server refused the pad (e.g. 401 after it was revoked); the stream has stopped. */
  onFatal?: (error: unknown) => void;
  /** Backoff and idle-timeout settings, see connectEventStream (tests shorten them). */
  minDelayMs?: number;
  maxDelayMs?: number;
  idleTimeoutMs?: number;
}

/** Whether a parsed event payload looks like a rating request (the stream is trusted, but not blindly). */
function isRatingRequest(value: unknown): value is PadRatingRequest {
  const v = value as Partial<PadRatingRequest> | null;
  return typeof v?.caseNo === 'string' && typeof v.requestId === 'string' && typeof v.itemName === 'string';
}

/** Rating-side calls: token look-up, submitting ratings, and the window pad (评价器). */
export function intakeApi(http: Http) {
  return {
    ratingTokens: {
      /** What the rating page shows for a token; 404 unknown, 410 used or expired. */
      get: (token: string, init?: RequestOptions) =>
        http.request<RatingTokenInfo>('GET', `${API}/rating-tokens/${encodeURIComponent(token)}`, init),
    },
    evaluations: {
      /** Submits a rating; `credential` is a rating token or pad token when not the client's own. */
      create: (input: EvaluationInput, init: CreateEvaluationOptions = {}) => {
        const { idempotencyKey, ...rest } = init;
        const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined;
        return http.request<Evaluation>('POST', `${API}/evaluations`, { ...rest, headers, body: input });
      },
    },
    pads: {
      /** Pairs this device with a window using the 6-digit code shown to the administrator. */
      pair: (input: { pairingCode: string }, init?: RequestOptions) =>
        http.request<PadPairing>('POST', `${API}/pads/pair`, { ...init, body: input }),
      /** The pad's own record; 401 once the pad token is revoked. */
      me: (init: CredentialOptions) => http.request<PadInfo>('GET', `${API}/pads/me`, init),
      /** Listens for rating requests, reconnecting with backoff until closed or refused. */
      stream: (opts: PadStreamOptions): EventStreamHandle =>
        connectEventStream({
          open: ({ signal, lastEventId }) =>
            http.open('GET', `${API}/pads/me/stream`, {
              signal,
              credential: opts.credential,
              headers: {
                Accept: 'text/event-stream',
                ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }),
              },
            }),
          onEvent: (event) => {
            if (event.type !== 'rating-request') return;
            let payload: unknown;
            try {
              payload = JSON.parse(event.data);
            } catch {
              return;
            }
            if (isRatingRequest(payload)) opts.onRatingRequest(payload);
          },
          onStatus: opts.onStatus,
          onFatal: opts.onFatal,
          minDelayMs: opts.minDelayMs,
          maxDelayMs: opts.maxDelayMs,
          idleTimeoutMs: opts.idleTimeoutMs,
        }),
    },
  };
}
