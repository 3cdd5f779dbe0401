import type { PageOf } from '@hcp/contracts';
import { computed, reactive, shallowRef, watch } from 'vue';

/** Fetches one page; `cursor` is undefined for the first page. */
export type PageLoader<T> = (cursor: string | undefined, signal: AbortSignal) => Promise<PageOf<T>>;

/** Reactive state of a keyset-paged list (read it in templates; call the methods to move). */
export interface PagedList<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  readonly hasMore: boolean;
  readonly loading: boolean;
  /** True once the first page has arrived (distinguishes "empty" from "not loaded yet"). */
  readonly loaded: boolean;
  readonly error: unknown;
  /** Drops what was loaded and fetches the first page again (e.g. after a filter change). */
  reload(): Promise<void>;
  /** Appends the next page, if there is one and nothing is in flight. */
  loadMore(): Promise<void>;
  /** Repeats whatever failed last: the first page or the next one. */
  retry(): Promise<void>;
}

/**
 * Accumulates keyset pages from `load`. A reload aborts the request in flight, and an answer that
 * arrives after a newer request started is dropped, so fast typing never shows stale rows.
 */
export function usePagedList<T>(load: PageLoader<T>): PagedList<T> {
  const items = shallowRef<T[]>([]);
  const nextCursor = shallowRef<string | null>(null);
  const loading = shallowRef(false);
  const loaded = shallowRef(false);
  const error = shallowRef<unknown>(null);
  let controller: AbortController | undefined;

  async function fetchPage(cursor: string | undefined): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    try {
      const page = await load(cursor, mine.signal);
      if (controller !== mine) return;
      items.value = cursor === undefined ? page.items : [...items.value, ...page.items];
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (e) {
      if (controller !== mine) return;
      error.value = e;
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  function reload(): Promise<void> {
    items.value = [];
    nextCursor.value = null;
    loaded.value = false;
    return fetchPage(undefined);
  }

  function loadMore(): Promise<void> {
    if (loading.value || nextCursor.value === null) return Promise.resolve();
    return fetchPage(nextCursor.value);
  }

  function retry(): Promise<void> {
    return loaded.value ? fetchPage(nextCursor.value ?? undefined) : reload();
  }

  return reactive({
    items,
    nextCursor,
    hasMore: computed(() => nextCursor.value !== null),
    loading,
    loaded,
    error,
    reload,
    loadMore,
    retry,
  }) as PagedList<T>;
}

/** An SDK list method: `(query with cursor, { signal }) => page`. */
export type ListCall<T, Q> = (
  query: Q & { cursor?: string },
  init: { signal: AbortSignal },
) => Promise<PageOf<T>>;

/**
 * A paged list of `list(query())` that starts at once and starts over whenever the query changes
 * (compared by value, so a getter returning a fresh object each time is fine).
 */
export function usePagedQuery<T, Q extends object>(query: () => Q, list: ListCall<T, Q>): PagedList<T> {
  const paged = usePagedList<T>((cursor, signal) => list({ ...query(), cursor }, { signal }));
  watch(
    () => JSON.stringify(query()),
    () => void paged.reload(),
    { immediate: true },
  );
  return paged;
}
