import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { filtersToQuery, NO_FILTERS, parseFilters, type RatingFilters } from '../filters';

/** Query keys the rating filters own; anything else in the URL is left alone. */
const FILTER_KEYS = Object.keys(NO_FILTERS);

/** The rating filters of the current URL, and a way to change them (replacing the history entry). */
export function useRouteFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => parseFilters(route.query));

  /** Puts these filters in the URL, keeping unrelated query keys. */
  function update(next: RatingFilters): void {
    const others = Object.fromEntries(Object.entries(route.query).filter(([k]) => !FILTER_KEYS.includes(k)));
    void router.replace({ query: { ...others, ...filtersToQuery(next) } });
  }

  return { filters, update };
}
