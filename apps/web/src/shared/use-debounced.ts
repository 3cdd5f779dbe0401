import { onScopeDispose, type Ref, ref, watch } from 'vue';

/** A ref that follows `source` once it has been still for `ms` milliseconds (for search-as-you-type). */
export function useDebounced<T>(source: Ref<T>, ms = 300): Ref<T> {
  const debounced = ref(source.value) as Ref<T>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(source, (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      debounced.value = value;
    }, ms);
  });
  onScopeDispose(() => clearTimeout(timer));
  return debounced;
}
