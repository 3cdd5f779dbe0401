import type { RatingCatalog } from '@hcp/contracts';
import { computed, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useApi } from '../api';

/** A bad-rating reason as shown: its code and its name in the current UI language. */
export interface ReasonOption {
  code: string;
  name: string;
}

/** Reasons grouped as the catalogue groups them: about the staff, about the item. */
export interface ReasonGroups {
  staff: ReasonOption[];
  item: ReasonOption[];
}

/** Groups the catalogue's reasons and names them in the given language. */
export function reasonGroups(catalog: RatingCatalog | null, locale: string): ReasonGroups {
  const groups: ReasonGroups = { staff: [], item: [] };
  for (const r of catalog?.reasons ?? []) {
    groups[r.category].push({ code: r.code, name: locale === 'en' ? r.nameEn : r.nameZh });
  }
  return groups;
}

/**
 * The bad-rating reasons of the catalogue in force (data, never hard-coded: DOMAIN.md §2), named in
 * the current language. Call `load()` when a screen needs them; a failed load can simply be retried.
 */
export function useRatingReasons() {
  const api = useApi();
  const { locale } = useI18n();
  const catalog = shallowRef<RatingCatalog | null>(null);
  const error = shallowRef<unknown>(null);
  const loading = shallowRef(false);

  /** Loads the catalogue unless it is already here or on its way. */
  async function load(): Promise<void> {
    if (catalog.value || loading.value) return;
    loading.value = true;
    error.value = null;
    try {
      catalog.value = await api.ratingCatalog.current();
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  const groups = computed(() => reasonGroups(catalog.value, locale.value));
  return { catalog, groups, error, loading, load };
}
