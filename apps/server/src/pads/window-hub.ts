import { randomUUID } from 'node:crypto';

/** One open server-sent-events stream. */
export interface Stream {
  send(event: string, data: unknown): void;
  end(): void;
}

/**
 * In-process fan-out of window events: rating requests to the pads paired with a window, and new
 * ratings to the consoles watching it. Single-instance: with several server instances behind a
 * load balancer, a pad must reach the instance the business system calls (sticky routing), until
 * this moves to PostgreSQL LISTEN/NOTIFY.
 */
export class WindowHub {
  private pads = new Map<string, Set<Stream>>();
  private feeds = new Map<string, Set<Stream>>();

  private static add(map: Map<string, Set<Stream>>, windowNo: string, s: Stream): () => void {
    let set = map.get(windowNo);
    if (!set) {
      set = new Set();
      map.set(windowNo, set);
    }
    set.add(s);
    return () => {
      set.delete(s);
      if (set.size === 0) map.delete(windowNo);
    };
  }

  /** A pad listens for rating requests of its window; returns the unsubscribe. */
  subscribePad(windowNo: string, s: Stream): () => void {
    return WindowHub.add(this.pads, windowNo, s);
  }

  /** A console listens for ratings at a window; returns the unsubscribe. */
  subscribeFeed(windowNo: string, s: Stream): () => void {
    return WindowHub.add(this.feeds, windowNo, s);
  }

  /** Pushes a rating request to every pad of the window; returns how many received it. */
  requestRating(
    windowNo: string,
    payload: Record<string, unknown>,
  ): { requestId: string; delivered: number } {
    const requestId = randomUUID();
    const pads = this.pads.get(windowNo) ?? new Set();
    for (const s of pads) s.send('rating-request', { requestId, ...payload });
    return { requestId, delivered: pads.size };
  }

  /** Tells the consoles of a window about a stored rating. */
  published(windowNo: string, evaluation: unknown) {
    for (const s of this.feeds.get(windowNo) ?? []) s.send('evaluation', evaluation);
  }

  /** Ends every stream (shutdown). */
  closeAll() {
    for (const map of [this.pads, this.feeds]) for (const set of map.values()) for (const s of set) s.end();
    this.pads.clear();
    this.feeds.clear();
  }
}
