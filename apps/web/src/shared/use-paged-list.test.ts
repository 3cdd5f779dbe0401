import type { PageOf } from '@hcp/contracts';
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { usePagedList, usePagedQuery } from './use-paged-list';

/** A loader whose answers the test releases by hand, recording every call. */
function controlledLoader<T>() {
  const calls: {
    cursor: string | undefined;
    signal: AbortSignal;
    resolve(p: PageOf<T>): void;
    reject(e: unknown): void;
  }[] = [];
  const load = (cursor: string | undefined, signal: AbortSignal) =>
    new Promise<PageOf<T>>((resolve, reject) => {
      calls.push({ cursor, signal, resolve, reject });
    });
  return { load, calls };
}

describe('usePagedList', () => {
  it('accumulates pages by cursor until nextCursor is null', async () => {
    const { load, calls } = controlledLoader<number>();
    const list = usePagedList(load);
    const first = list.reload();
    expect(list.loading).toBe(true);
    expect(list.loaded).toBe(false);
    calls[0]?.resolve({ items: [1, 2], nextCursor: 'c2' });
    await first;
    expect(list.items).toEqual([1, 2]);
    expect(list.hasMore).toBe(true);
    expect(list.loaded).toBe(true);
    expect(list.loading).toBe(false);

    const second = list.loadMore();
    expect(calls[1]?.cursor).toBe('c2');
    calls[1]?.resolve({ items: [3], nextCursor: null });
    await second;
    expect(list.items).toEqual([1, 2, 3]);
    expect(list.hasMore).toBe(false);

    await list.loadMore();
    expect(calls).toHaveLength(2);
  });

  it('ignores loadMore while a page is in flight', async () => {
    const { load, calls } = controlledLoader<number>();
    const list = usePagedList(load);
    const first = list.reload();
    calls[0]?.resolve({ items: [1], nextCursor: 'c2' });
    await first;
    void list.loadMore();
    void list.loadMore();
    expect(calls).toHaveLength(2);
  });

  it('drops a stale answer when a reload overtakes it and aborts its request', async () => {
    const { load, calls } = controlledLoader<string>();
    const list = usePagedList(load);
    const old = list.reload();
    const fresh = list.reload();
    expect(calls[0]?.signal.aborted).toBe(true);
    calls[1]?.resolve({ items: ['new'], nextCursor: null });
    await fresh;
    calls[0]?.resolve({ items: ['old'], nextCursor: 'x' });
    await old;
    expect(list.items).toEqual(['new']);
    expect(list.hasMore).toBe(false);
    expect(list.loading).toBe(false);
  });

  it('keeps loaded rows when the next page fails, and retry fetches that page again', async () => {
    const { load, calls } = controlledLoader<number>();
    const list = usePagedList(load);
    const first = list.reload();
    calls[0]?.resolve({ items: [1], nextCursor: 'c2' });
    await first;
    const failing = list.loadMore();
    const boom = new Error('boom');
    calls[1]?.reject(boom);
    await failing;
    expect(list.error).toBe(boom);
    expect(list.items).toEqual([1]);

    const again = list.retry();
    expect(list.error).toBeNull();
    expect(calls[2]?.cursor).toBe('c2');
    calls[2]?.resolve({ items: [2], nextCursor: null });
    await again;
    expect(list.items).toEqual([1, 2]);
  });

  it('retries the first page when it failed', async () => {
    const { load, calls } = controlledLoader<number>();
    const list = usePagedList(load);
    const first = list.reload();
    calls[0]?.reject(new Error('down'));
    await first;
    expect(list.loaded).toBe(false);
    const again = list.retry();
    expect(calls[1]?.cursor).toBeUndefined();
    calls[1]?.resolve({ items: [], nextCursor: null });
    await again;
    expect(list.loaded).toBe(true);
    expect(list.items).toEqual([]);
  });
});

describe('usePagedQuery', () => {
  it('loads at once and starts over when the query value changes', async () => {
    const seen: { q: string | undefined; cursor: string | undefined }[] = [];
    const q = ref<string | undefined>(undefined);
    const list = usePagedQuery(
      () => ({ q: q.value, limit: 2 }),
      async (query: { q?: string; limit: number; cursor?: string }) => {
        seen.push({ q: query.q, cursor: query.cursor });
        return { items: [query.q ?? 'all'], nextCursor: 'next' };
      },
    );
    await flushPromises();
    expect(list.items).toEqual(['all']);
    await list.loadMore();
    expect(list.items).toEqual(['all', 'all']);

    q.value = 'x';
    await nextTick();
    await flushPromises();
    expect(list.items).toEqual(['x']);
    expect(seen).toEqual([
      { q: undefined, cursor: undefined },
      { q: undefined, cursor: 'next' },
      { q: 'x', cursor: undefined },
    ]);
  });
});

/** Lets pending promise callbacks run. */
function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
