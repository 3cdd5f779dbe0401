import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { PublicEvaluationQuery, RatingClass, TicketState } from './types';
import { type ChannelId, isChannel, isTicketState } from './vocab';

/** What a visitor can filter ratings by; kept in the URL so a view can be bookmarked and shared. */
export interface RatingFilters {
  q: string;
  class: RatingClass | '';
  channel: ChannelId | '';
  replied: '' | 'true' | 'false';
  ticketState: TicketState | 'open' | '';
  /** YYYY-MM-DD, Shanghai days. */
  from: string;
  to: string;
}

/** No filter at all. */
export const NO_FILTERS: Readonly<RatingFilters> = {
  q: '',
  class: '',
  channel: '',
  replied: '',
  ticketState: '',
  from: '',
  to: '',
};

/** The search text must be 2..50 characters before it is sent (the API's limits). */
export const Q_MIN = 2;
export const Q_MAX = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const first = (v: LocationQuery[string] | undefined): string => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
};

/** Reads filters from a route query, dropping anything malformed (a hand-edited URL never fails). */
export function parseFilters(query: LocationQuery): RatingFilters {
  const cls = first(query.class);
  const channel = first(query.channel);
  const replied = first(query.replied);
  const state = first(query.ticketState);
  const from = first(query.from);
  const to = first(query.to);
  return {
    q: first(query.q).slice(0, Q_MAX),
    class: cls === 'good' || cls === 'bad' ? cls : '',
    channel: isChannel(channel) ? channel : '',
    replied: replied === 'true' || replied === 'false' ? replied : '',
    ticketState: state === 'open' || isTicketState(state) ? state : '',
    from: DAY.test(from) ? from : '',
    to: DAY.test(to) ? to : '',
  };
}

/** The route query for these filters: empty ones are left out. */
export function filtersToQuery(f: RatingFilters): LocationQueryRaw {
  const out: LocationQueryRaw = {};
  for (const [key, value] of Object.entries(f)) {
    const v = key === 'q' ? value.trim() : value;
    if (v) out[key] = v;
  }
  return out;
}

/** Whether any filter is set. */
export function hasFilters(f: RatingFilters): boolean {
  return Object.keys(filtersToQuery(f)).length > 0;
}

/**
 * The API query for these filters within a scope (a unit's subtree or an item). A search text too
 * short to send is left out rather than sent to be refused.
 */
export function filtersToApi(f: RatingFilters, scope: PublicEvaluationQuery = {}): PublicEvaluationQuery {
  const q = f.q.trim();
  return {
    ...scope,
    q: q.length >= Q_MIN ? q : undefined,
    class: f.class || undefined,
    channel: f.channel || undefined,
    replied: f.replied === '' ? undefined : f.replied === 'true',
    ticketState: f.ticketState || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
  };
}
