import type { Item, ItemQuery, Staff, Unit, UnitQuery, Window } from '@hcp/contracts';
import { useApi } from '../../api';
import { usePagedQuery } from '../../shared/use-paged-list';

/** Rows per page in the catalogue browser. */
export const PAGE_SIZE = 20;

/** Units matching a query (children of a unit, the city level, …), paged. */
export function useUnitList(query: () => Omit<UnitQuery, 'cursor'>) {
  return usePagedQuery<Unit, UnitQuery>(() => ({ limit: PAGE_SIZE, ...query() }), useApi().units.list);
}

/**
 * The top of the tree: city-level units without a parent (city departments are city-level too, but
 * hang under the city government, so they are reached by drilling down).
 */
export function useRootUnits() {
  const api = useApi();
  return usePagedQuery<Unit, UnitQuery>(
    () => ({ level: 'city', limit: 100 }),
    async (query, init) => {
      const page = await api.units.list(query, init);
      return { items: page.items.filter((u) => u.parentCode === null), nextCursor: page.nextCursor };
    },
  );
}

/** Service items matching a query, paged. */
export function useItemList(query: () => Omit<ItemQuery, 'cursor'>) {
  return usePagedQuery<Item, ItemQuery>(() => ({ limit: PAGE_SIZE, ...query() }), useApi().items.list);
}

/** Windows of one unit, paged. */
export function useUnitWindows(code: () => string) {
  return usePagedQuery<Window, { unit: string; limit: number }>(
    () => ({ unit: code(), limit: PAGE_SIZE }),
    useApi().windows.list,
  );
}

/** Staff of one unit (names masked by the server), paged. */
export function useUnitStaff(code: () => string) {
  return usePagedQuery<Staff, { unit: string; limit: number }>(
    () => ({ unit: code(), limit: PAGE_SIZE }),
    useApi().staff.list,
  );
}
