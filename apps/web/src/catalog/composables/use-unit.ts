import type { UnitDetail } from '@hcp/contracts';
import { shallowRef, watch } from 'vue';
import { useApi } from '../../api';

/** Loads one unit with its ancestors and children count, again whenever `code()` changes. */
export function useUnit(code: () => string) {
  const api = useApi();
  const unit = shallowRef<UnitDetail | null>(null);
  const error = shallowRef<unknown>(null);
  const loading = shallowRef(false);
  let latest = 0;

  async function reload(): Promise<void> {
    const mine = ++latest;
    loading.value = true;
    error.value = null;
    try {
      const found = await api.units.get(code());
      if (mine === latest) unit.value = found;
    } catch (e) {
      if (mine === latest) error.value = e;
    } finally {
      if (mine === latest) loading.value = false;
    }
  }

  watch(code, () => void reload(), { immediate: true });
  return { unit, error, loading, reload };
}
