import type { UnitDetail } from '@hcp/contracts';
import { useApi } from '../../api';
import { usePagedQuery } from '../../shared/use-paged-list';
import { usePortalApi } from '../portal-api';
import type { PublicEvaluation, PublicEvaluationQuery, Scorecard } from '../types';
import { useLoaded } from './use-loaded';

/** Ratings per page in the portal's lists. */
export const RATINGS_PAGE = 10;

/** Which figures a scorecard shows: everything, a unit's subtree or an item. */
export type ScorecardScope = { kind: 'all' } | { kind: 'unit' | 'item'; code: string };

/** The scorecard of a scope, reloaded when the scope changes. */
export function useScorecard(scope: () => ScorecardScope) {
  const api = usePortalApi();
  return useLoaded<Scorecard>(
    () => {
      const s = scope();
      return s.kind === 'all' ? 'all' : `${s.kind}:${s.code}`;
    },
    (_key, signal) => {
      const s = scope();
      if (s.kind === 'unit') return api.unitScorecard(s.code, { signal });
      if (s.kind === 'item') return api.itemScorecard(s.code, { signal });
      return api.summary({ signal });
    },
  );
}

/** Published ratings matching a query, newest first, paged by cursor ("load more"). */
export function useRatingList(query: () => Omit<PublicEvaluationQuery, 'cursor'>, limit = RATINGS_PAGE) {
  const api = usePortalApi();
  return usePagedQuery<PublicEvaluation, PublicEvaluationQuery>(
    () => ({ limit, ...query() }),
    (q, init) => api.evaluations(q, init),
  );
}

/** One unit with its ancestors (for the breadcrumb) and children count. */
export function useUnitDetail(code: () => string) {
  const api = useApi();
  return useLoaded<UnitDetail>(code, (c, signal) => api.units.get(c, { signal }));
}
