import { HcpApiError, isTransientError } from './http';

/** One server-sent event: its type (`message` when the stream names none), data and last event id. */
export interface SseEvent {
  type: string;
  data: string;
  id: string | undefined;
}

/**
 * Incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6): feed it decoded text in
 * chunks of any size and it returns the events completed by each chunk. Comment lines (`: ping`) are
 * skipped; CRLF, LF and CR line ends are all accepted, also when a CRLF is split across two chunks.
 */
export class SseParser {
  /** The last `id:` seen, to send back as Last-Event-ID when reconnecting. */
  lastEventId: string | undefined;
  /** The last valid `retry:` value in milliseconds, if the server sent one. */
  retryMs: number | undefined;
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private started = false;
  private pendingCr = false;

  /** Parses the next chunk of text and returns the events it completes, in order. */
  feed(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR ending the previous chunk already ended its line; a LF right after it is the same line end.
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      const event = this.line(this.buffer.slice(start, i));
      if (event) events.push(event);
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Applies one complete line; returns an event when the line is the blank line that ends one. */
  private line(line: string): SseEvent | undefined {
    if (line === '') {
      const type = this.type || 'message';
      const data = this.data;
      this.type = '';
      this.data = [];
      return data.length ? { type, data: data.join('\n'), id: this.lastEventId } : undefined;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}

/** Connection state reported by connectEventStream. */
export type StreamStatus = 'connecting' | 'open' | 'retrying' | 'closed';

/** How connectEventStream opens, reads and re-opens one stream. */
export interface EventStreamOptions {
  /** Opens the stream (a 2xx `text/event-stream` response); throws HcpApiError otherwise. */
  open: (init: { signal: AbortSignal; lastEventId: string | undefined }) => Promise<Response>;
  /** Receives each event. */
  onEvent: (event: SseEvent) => void;
  /** Connection state changes; `retrying` comes with the error and the wait before the next attempt. */
  onStatus?: (status: StreamStatus, detail?: { error: unknown; delayMs: number }) => void;
  /** An answer that retrying cannot fix (4xx other than 408/429, e.g. a revoked credential): the stream stops. */
  onFatal?: (error: unknown) => void;
  /** First wait before reconnecting (ms, default 1,000); it doubles per failed attempt. */
  minDelayMs?: number;
  /** Longest wait before reconnecting (ms, default 30,000). */
  maxDelayMs?: number;
  /** Reconnect when nothing (not even a `: ping`) arrived for this long (ms, default 45,000; 0 = never). */
  idleTimeoutMs?: number;
  /** Random source for the jitter; tests pin it. */
  random?: () => number;
}

/** A live stream; close() stops it for good. */
export interface EventStreamHandle {
  close(): void;
  /** Settles once the stream has stopped (closed or fatal). */
  readonly done: Promise<void>;
}

/**
 * Keeps a server-sent-event stream open over fetch (EventSource cannot send an Authorization
 * header): reads and parses it, and reconnects after a drop, a network failure, a 5xx or a silent
 * connection, with exponential backoff and jitter, sending Last-Event-ID.
 */
export function connectEventStream(opts: EventStreamOptions): EventStreamHandle {
  const minDelay = opts.minDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const idleTimeout = opts.idleTimeoutMs ?? 45_000;
  const random = opts.random ?? Math.random;
  const parser = new SseParser();
  let closed = false;
  let attempt = 0;
  let current: AbortController | undefined;
  let wake: (() => void) | undefined;

  async function readOnce(): Promise<void> {
    const ctrl = new AbortController();
    current = ctrl;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      if (!idleTimeout) return;
      clearTimeout(idle);
      idle = setTimeout(() => ctrl.abort(), idleTimeout);
    };
    try {
      touch();
      const res = await opts.open({ signal: ctrl.signal, lastEventId: parser.lastEventId });
      if (!res.body) throw new Error('event stream without a body');
      const reader = res.body.getReader();
      // Not every fetch ends a body read when its request is aborted; cancelling the reader always does.
      const cancel = () => void reader.cancel().catch(() => {});
      if (ctrl.signal.aborted) return cancel();
      ctrl.signal.addEventListener('abort', cancel, { once: true });
      opts.onStatus?.('open');
      attempt = 0;
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || ctrl.signal.aborted) break;
        touch();
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          if (closed) return;
          opts.onEvent(event);
        }
      }
    } finally {
      clearTimeout(idle);
      ctrl.abort();
    }
  }

  const done = (async () => {
    while (!closed) {
      opts.onStatus?.('connecting');
      let error: unknown = new Error('event stream ended');
      try {
        await readOnce();
      } catch (e) {
        error = e;
      }
      if (closed) break;
      // Aborts (idle timeout), drops and plain errors are retried; so are network failures and 5xx.
      if (error instanceof HcpApiError && !isTransientError(error)) {
        closed = true;
        opts.onFatal?.(error);
        break;
      }
      const base = Math.min(maxDelay, Math.max(minDelay, parser.retryMs ?? 0) * 2 ** attempt);
      const delayMs = Math.round(base * (0.5 + random() * 0.5));
      attempt++;
      const wait = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      opts.onStatus?.('retrying', { error, delayMs });
      if (!closed) await wait;
      wake?.();
      wake = undefined;
    }
    opts.onStatus?.('closed');
  })();

  return {
    close() {
      closed = true;
      current?.abort();
      wake?.();
    },
    done,
  };
}
