import type { EvaluationInput } from '@hcp/contracts';
import { isTransientError } from '@hcp/sdk';
import type { PadStorage } from './pad-storage';

/** Where ratings that could not be sent wait, in order, across restarts. */
export const QUEUE_STORAGE_KEY = 'hcp.pad.queue';

/** One rating waiting to be sent, with the Idempotency-Key of its first attempt (kept for every retry). */
export interface QueuedRating {
  body: EvaluationInput;
  key: string;
}

/** Outcome of one pass over the queue. */
export interface FlushResult {
  sent: number;
  /** Refused for good (4xx, e.g. 409 already rated): removed, since retrying cannot change the answer. */
  dropped: number;
  remaining: number;
}

/** Ratings kept on the device while the server cannot be reached, sent again later with the same keys. */
export interface RatingQueue {
  /** The waiting ratings, oldest first. */
  items(): readonly QueuedRating[];
  /**
   * Sends a rating now. Resolves 'sent' when stored, 'queued' when it was kept for later (no answer or
   * a 408/429/5xx); rejects with the API error for any other refusal, which the screen must show.
   */
  submit(body: EvaluationInput, key: string): Promise<'sent' | 'queued'>;
  /** Sends the waiting ratings in order and stops at the first one that still cannot get through. */
  flush(): Promise<FlushResult>;
  /** Calls `listener` with the queue length after every change; returns the unsubscribe function. */
  subscribe(listener: (size: number) => void): () => void;
}

/** Options of createRatingQueue. */
export interface RatingQueueOptions {
  storage: PadStorage;
  /** Posts one rating with its Idempotency-Key; rejects with HcpApiError. */
  send: (item: QueuedRating) => Promise<unknown>;
  /** Told about a queued rating the server refused for good (for the log). */
  onDrop?: (item: QueuedRating, error: unknown) => void;
}

function isQueuedRating(v: unknown): v is QueuedRating {
  const q = v as Partial<QueuedRating> | null;
  return typeof q?.key === 'string' && typeof q.body === 'object' && q.body !== null;
}

/** Creates the queue over `storage`, picking up whatever an earlier run left there. */
export function createRatingQueue(opts: RatingQueueOptions): RatingQueue {
  let items: QueuedRating[] = read();
  const listeners = new Set<(size: number) => void>();
  let flushing: Promise<FlushResult> | undefined;

  function read(): QueuedRating[] {
    try {
      const v: unknown = JSON.parse(opts.storage.getItem(QUEUE_STORAGE_KEY) ?? '[]');
      return Array.isArray(v) ? v.filter(isQueuedRating) : [];
    } catch {
      return [];
    }
  }

  function write(next: QueuedRating[]): void {
    items = next;
    try {
      if (next.length) opts.storage.setItem(QUEUE_STORAGE_KEY, JSON.stringify(next));
      else opts.storage.removeItem(QUEUE_STORAGE_KEY);
    } catch {
      // Storage full or disabled: the queue still lives in memory until the page closes.
    }
    for (const l of listeners) l(next.length);
  }

  async function flushOnce(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, dropped: 0, remaining: items.length };
    for (;;) {
      const head = items[0];
      if (!head) break;
      try {
        await opts.send(head);
        result.sent++;
      } catch (error) {
        if (isTransientError(error)) break;
        result.dropped++;
        opts.onDrop?.(head, error);
      }
      write(items.filter((i) => i !== head));
    }
    result.remaining = items.length;
    return result;
  }

  return {
    items: () => items,
    async submit(body, key) {
      try {
        await opts.send({ body, key });
        return 'sent';
      } catch (error) {
        if (!isTransientError(error)) throw error;
        write([...items, { body, key }]);
        return 'queued';
      }
    },
    flush() {
      flushing ??= flushOnce().finally(() => {
        flushing = undefined;
      });
      return flushing;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Options of startRetryLoop. */
export interface RetryLoopOptions {
  /** How often to try while ratings wait (ms; 10 s on the pad). */
  intervalMs: number;
  /** Fires `online` when the network comes back (the window in the browser). */
  onlineTarget?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Whether sending makes sense now (e.g. the pad is still paired). */
  canFlush?: () => boolean;
}

/** Retries the queue every `intervalMs` and on the `online` event; returns the function that stops it. */
export function startRetryLoop(queue: RatingQueue, opts: RetryLoopOptions): () => void {
  const tick = () => {
    if (queue.items().length && (opts.canFlush?.() ?? true)) void queue.flush();
  };
  const timer = setInterval(tick, opts.intervalMs);
  opts.onlineTarget?.addEventListener('online', tick);
  return () => {
    clearInterval(timer);
    opts.onlineTarget?.removeEventListener('online', tick);
  };
}
