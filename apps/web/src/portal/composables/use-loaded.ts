import { shallowRef, watch } from 'vue';

/**
 * One value loaded by key, again whenever `key()` changes. A load overtaken by a newer one is aborted
 * and its answer dropped, so quick navigation never shows the previous page's data.
 */
export function useLoaded<T>(key: () => string, load: (key: string, signal: AbortSignal) => Promise<T>) {
  const value = shallowRef<T | null>(null);
  const error = shallowRef<unknown>(null);
  const loading = shallowRef(false);
  let controller: AbortController | undefined;

  async function reload(): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    try {
      const found = await load(key(), mine.signal);
      if (controller === mine) value.value = found;
    } catch (e) {
      if (controller === mine) error.value = e;
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  watch(key, () => void reload(), { immediate: true });
  return { value, error, loading, reload };
}
