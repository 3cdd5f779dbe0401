import type { PageOf } from '@hcp/contracts';
import { buildQuery, type RequestOptions } from '@hcp/sdk';
import { useApi } from '../api';
import type { PublicEvaluation, PublicEvaluationDetail, PublicEvaluationQuery, Scorecard } from './types';

const PUBLIC = '/api/v1/public';
const seg = encodeURIComponent;

/**
 * The public disclosure endpoints, through the app's one API client (its low-level transport, until
 * the SDK grows a `public` resource). No credentials: everything here is what anyone may read.
 */
export function usePortalApi() {
  const { http } = useApi();
  return {
    /** One page of published ratings, newest first. */
    evaluations: (query: PublicEvaluationQuery, init?: RequestOptions) =>
      http.request<PageOf<PublicEvaluation>>('GET', `${PUBLIC}/evaluations`, { ...init, query }),
    /** One rating with its timeline. */
    evaluation: (id: string, init?: RequestOptions) =>
      http.request<PublicEvaluationDetail>('GET', `${PUBLIC}/evaluations/${seg(id)}`, init),
    /** Figures for everything. */
    summary: (init?: RequestOptions) => http.request<Scorecard>('GET', `${PUBLIC}/summary`, init),
    /** Figures for a unit's subtree. */
    unitScorecard: (code: string, init?: RequestOptions) =>
      http.request<Scorecard>('GET', `${PUBLIC}/units/${seg(code)}/scorecard`, init),
    /** Figures for an item. */
    itemScorecard: (code: string, init?: RequestOptions) =>
      http.request<Scorecard>('GET', `${PUBLIC}/items/${seg(code)}/scorecard`, init),
  };
}

/** The portal's API calls. */
export type PortalApi = ReturnType<typeof usePortalApi>;

/** Link to the CSV export of the ratings matching these filters (paging fields are dropped). */
export function csvExportUrl(query: PublicEvaluationQuery): string {
  const { limit: _limit, cursor: _cursor, ...filters } = query;
  return `${PUBLIC}/evaluations.csv${buildQuery(filters)}`;
}

/** Link to the Atom feed of a unit's subtree (the latest 50 ratings). */
export function atomFeedUrl(unitCode: string): string {
  return `${PUBLIC}/units/${seg(unitCode)}/feed.atom`;
}
