import type { Scorecard, ScorecardMonth } from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import { notFound, shanghaiDay } from '@hcp/domain';
import { sql } from 'kysely';
import { COUNTERS, type Counter } from './fold';

export type ScorecardScope = { kind: 'all' } | { kind: 'unit' | 'item'; code: string };

type Totals = Record<Counter, number>;
type MonthRow = Totals & { month: string };

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
/** Mean stars / 5 × 100, one decimal. */
const satisfaction = (levelSum: number, active: number) =>
  active > 0 ? Math.round((levelSum * 200) / active) / 10 : null;

/** The 12 calendar months (YYYY-MM, Asia/Shanghai) ending with the month of `now`, oldest first. */
export function lastTwelveMonths(now: Date): string[] {
  const [y, m] = shanghaiDay(now).split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const k = y * 12 + (m - 1) - (11 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

/**
 * A scope's scorecard from its monthly rollup rows (one row per month with ratings): totals over all
 * months, the last 12 months, and the time the rollup last caught up. An unknown unit or item is a
 * 404. Reads a few dozen rows by primary key, whatever the number of ratings.
 */
export async function readScorecard(db: Executor, scope: ScorecardScope, now: Date): Promise<Scorecard> {
  const code = scope.kind === 'all' ? '' : scope.code;
  const name =
    scope.kind === 'unit'
      ? sql<string | null>`(SELECT name FROM units WHERE code = ${code})`
      : scope.kind === 'item'
        ? sql<string | null>`(SELECT name FROM items WHERE code = ${code})`
        : sql<null>`NULL::text`;
  // One round trip: the name (null: no such unit or item), the time stamp and the month rows.
  const { rows } = await sql<{ name: string | null; as_of: Date; months: MonthRow[] | null }>`
    SELECT ${name} AS name, s.as_of,
           (SELECT json_agg(m ORDER BY m.month) FROM (
              SELECT month, ${sql.join(COUNTERS.map((c) => sql.ref(c)))} FROM stats_months
              WHERE scope = ${scope.kind} AND code = ${code}) AS m) AS months
    FROM stats_rollup_state s`.execute(db);
  const found = rows[0];
  if (!found) throw new Error('stats_rollup_state has no row (migration 0009 not applied?)');
  if (scope.kind !== 'all' && found.name === null) throw notFound(scope.kind, code);

  const totals = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Totals;
  const byMonth = new Map<string, Totals>();
  for (const row of found.months ?? []) {
    for (const c of COUNTERS) totals[c] += Number(row[c]);
    byMonth.set(row.month.slice(0, 7), row);
  }
  const months: ScorecardMonth[] = lastTwelveMonths(now).map((month) => {
    const r = byMonth.get(month);
    const n = (c: Counter) => Number(r?.[c] ?? 0);
    return {
      month,
      ratings: n('ratings'),
      active: n('active'),
      good: n('good'),
      bad: n('bad'),
      goodRate: ratio(n('good'), n('active')),
      satisfaction: satisfaction(n('level_sum'), n('active')),
    };
  });

  const t = totals;
  return {
    scope: { kind: scope.kind, code: scope.kind === 'all' ? null : code, name: found.name },
    ratings: t.ratings,
    active: t.active,
    defaults: t.defaults,
    good: t.good,
    bad: t.bad,
    goodRate: ratio(t.good, t.active),
    satisfaction: satisfaction(t.level_sum, t.active),
    badTickets: t.bad_tickets,
    replied: t.replied,
    replyRate: ratio(t.replied, t.bad_tickets),
    repliedOnTime: t.replied_on_time,
    onTimeReplyRate: ratio(t.replied_on_time, t.bad_tickets),
    rectified: t.rectified,
    rectificationRate: ratio(t.rectified, t.bad_tickets),
    revisited: t.revisited,
    revisitSatisfied: t.revisit_satisfied,
    revisitSatisfactionRate: ratio(t.revisit_satisfied, t.revisited),
    appeals: t.appeals,
    appealsUpheld: t.appeals_upheld,
    months,
    asOf: new Date(found.as_of).toISOString(),
  };
}
