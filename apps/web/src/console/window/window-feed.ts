import { HcpApiError, isTransientError } from '@hcp/sdk';
import { shallowRef } from 'vue';
import type { Evaluation } from './window-api';

/** Connection state of the feed, as the page shows it (`window.state.<state>`). */
export type FeedState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** The part of EventSource the feed uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: never, ev: Event) => unknown) | null;
  onerror: ((this: never, ev: Event) => unknown) | null;
  addEventListener(type: 'evaluation', listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

/** EventSource.CLOSED: the browser gave up on the stream (a non-200 answer) and will not retry. */
const CLOSED = 2;

/** What the feed needs from outside: the latest ratings, and a way to open the event stream. */
export interface WindowFeedDeps {
  latest(windowNo: string, init: { signal: AbortSignal }): Promise<Evaluation[]>;
  openEvents(windowNo: string): EventSourceLike;
  /** Waits before re-opening a stream the browser closed: 1 s, doubling, at most this (default 30 s). */
  maxDelayMs?: number;
  minDelayMs?: number;
}

/** How many ratings the page keeps; older ones drop off the bottom. */
export const MAX_SHOWN = 100;

/** Evaluation ids are decimal strings of a bigint sequence: longer is newer, then by digits. */
export function newerFirst(a: Pick<Evaluation, 'id'>, b: Pick<Evaluation, 'id'>): number {
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The ratings of both lists, each once (the later copy wins), newest first, at most `max`. */
export function mergeRatings(current: Evaluation[], incoming: Evaluation[], max = MAX_SHOWN): Evaluation[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort(newerFirst).slice(0, max);
}

/** Whether an event's payload has the shape of an Evaluation (the stream is ours, but not trusted blindly). */
export function isEvaluation(value: unknown): value is Evaluation {
  const v = value as Partial<Evaluation> | null;
  return (
    typeof v?.id === 'string' &&
    /^\d+$/.test(v.id) &&
    typeof v.caseNo === 'string' &&
    typeof v.level === 'number' &&
    typeof v.channel === 'string' &&
    typeof v.createdAt === 'string' &&
    Array.isArray(v.reasons) &&
    Array.isArray(v.flags)
  );
}

/** An answer that asking again will not change (401 signed out, 403, 404 not this caller's window). */
function isFatal(error: unknown): boolean {
  return error instanceof HcpApiError && !isTransientError(error);
}

interface Session {
  windowNo: string;
  closed: boolean;
  source: EventSourceLike | null;
  controller: AbortController | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  attempt: number;
  /** The stream dropped since it last opened: the next open fetches what was missed. */
  dropped: boolean;
}

/**
 * The live rating feed of one window (窗口实时评价): the latest ratings from the list endpoint, then
 * each new one from the window's server-sent events, newest on top, each rating once.
 *
 * The stream is opened before the list is asked for, so a rating stored between the two is not
 * lost. The server's events carry no ids, so after a drop the list is asked again and merged. The
 * browser re-opens a dropped EventSource by itself; one it closed (a non-200 answer) is re-opened
 * here with backoff, after the list call has shown whether access itself is gone (401 sends the
 * console to the login page, 404 stops the feed with the server's message).
 */
export function useWindowFeed(deps: WindowFeedDeps) {
  const minDelay = deps.minDelayMs ?? 1000;
  const maxDelay = deps.maxDelayMs ?? 30_000;
  const ratings = shallowRef<Evaluation[]>([]);
  const state = shallowRef<FeedState>('idle');
  /** The last failure of the list call (shown with a retry), or null. */
  const error = shallowRef<unknown>(null);
  /** True once the first list answer is in (before that, "loading" rather than "no ratings"). */
  const loaded = shallowRef(false);
  /** Ids of the ratings that arrived while the page was open (marked as new). */
  const arrived = shallowRef<ReadonlySet<string>>(new Set());
  /** The rating that arrived last, for the screen-reader announcement. */
  const lastArrival = shallowRef<Evaluation | null>(null);
  let session: Session | null = null;

  function closeStream(s: Session): void {
    s.source?.close();
    s.source = null;
    clearTimeout(s.timer);
    s.timer = undefined;
  }

  /** Stops the feed (leaving the page, or another window chosen). */
  function stop(): void {
    if (!session) return;
    session.closed = true;
    closeStream(session);
    session.controller?.abort();
    session = null;
    state.value = 'idle';
  }

  async function refill(s: Session): Promise<void> {
    s.controller?.abort();
    const controller = new AbortController();
    s.controller = controller;
    try {
      const rows = await deps.latest(s.windowNo, { signal: controller.signal });
      if (s.closed || s.controller !== controller) return;
      ratings.value = mergeRatings(ratings.value, rows);
      loaded.value = true;
      error.value = null;
    } catch (e) {
      if (s.closed || s.controller !== controller) return;
      error.value = e;
      if (isFatal(e)) {
        closeStream(s);
        state.value = 'stopped';
      }
    }
  }

  function received(s: Session, ev: MessageEvent<string>): void {
    let payload: unknown;
    try {
      payload = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (s.closed || !isEvaluation(payload) || payload.windowNo !== s.windowNo) return;
    const isNew = !ratings.value.some((e) => e.id === payload.id);
    ratings.value = mergeRatings(ratings.value, [payload]);
    if (isNew) {
      arrived.value = new Set(arrived.value).add(payload.id);
      lastArrival.value = payload;
    }
  }

  function connect(s: Session): void {
    if (s.closed) return;
    const source = deps.openEvents(s.windowNo);
    s.source = source;
    source.addEventListener('evaluation', (ev) => received(s, ev));
    source.onopen = () => {
      if (s.closed || s.source !== source) return;
      state.value = 'live';
      s.attempt = 0;
      if (s.dropped) {
        s.dropped = false;
        void refill(s);
      }
    };
    source.onerror = () => {
      if (s.closed || s.source !== source || state.value === 'stopped') return;
      s.dropped = true;
      state.value = 'reconnecting';
      if (source.readyState !== CLOSED) return; // the browser retries by itself
      closeStream(s);
      const delay = Math.min(maxDelay, minDelay * 2 ** s.attempt);
      s.attempt++;
      s.timer = setTimeout(() => {
        s.timer = undefined;
        if (s.closed || state.value === 'stopped') return;
        connect(s);
        void refill(s);
      }, delay);
    };
  }

  /** Shows a window's feed: its latest ratings, then live ones. Starting again restarts from scratch. */
  function start(windowNo: string): void {
    stop();
    ratings.value = [];
    loaded.value = false;
    error.value = null;
    arrived.value = new Set();
    lastArrival.value = null;
    const s: Session = {
      windowNo,
      closed: false,
      source: null,
      controller: null,
      timer: undefined,
      attempt: 0,
      dropped: false,
    };
    session = s;
    state.value = 'connecting';
    connect(s);
    void refill(s);
  }

  return { ratings, state, error, loaded, arrived, lastArrival, start, stop };
}
