/** The demo activity's event queue: a binary min-heap by time; events at the same time keep their order. */
export class Timeline<E extends { at: number }> {
  private heap: { e: E; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(e: E): void {
    const h = this.heap;
    h.push({ e, seq: this.seq++ });
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  /** Removes and returns the earliest event; the queue must not be empty. */
  pop(): E {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top.e;
  }

  private before(a: { e: E; seq: number }, b: { e: E; seq: number }): boolean {
    return a.e.at < b.e.at || (a.e.at === b.e.at && a.seq < b.seq);
  }
}
