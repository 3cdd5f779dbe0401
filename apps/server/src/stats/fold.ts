import type { Executor } from '@hcp/db';
import { type RawBuilder, sql } from 'kysely';

/** The additive counters of stats_months, in column order. */
export const COUNTERS = [
  'ratings',
  'defaults',
  'active',
  'good',
  'bad',
  'level_sum',
  'bad_tickets',
  'replied',
  'replied_on_time',
  'rectified',
  'revisited',
  'revisit_satisfied',
  'appeals',
  'appeals_upheld',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** The Shanghai calendar month of a timestamp, as the first day of that month. */
export const monthOf = (column: string) =>
  sql<string>`date_trunc('month', ${sql.ref(column)} AT TIME ZONE 'Asia/Shanghai')::date`;

const list = (f: (c: Counter) => RawBuilder<unknown>) => sql.join(COUNTERS.map(f));

/**
 * Adds delta rows to stats_months in one statement. `deltas` is a query yielding (unit_path,
 * item_code, month, and every counter); each row counts for its unit and every ancestor on the
 * path, for its item, and for 'all'. `ctes` are more `name AS (…)` entries of the same WITH (so they
 * share its snapshot). Groups whose deltas are all zero are not written: folding nothing changes nothing.
 */
export async function foldDeltas(
  trx: Executor,
  deltas: RawBuilder<unknown>,
  ctes: RawBuilder<unknown>[] = [],
): Promise<void> {
  // sum(int) is bigint but sum(bigint) is numeric, which is slow: the per-group sums are cast back
  // to int (a chunk of up to 400 million ratings cannot overflow them) before the second sum.
  const sums = list((c) => sql`sum(${sql.ref(c)}) AS ${sql.ref(c)}`);
  const cols = list((c) => sql.ref(c));
  const gCols = list((c) => sql`${sql.ref(`g.${c}`)}::int AS ${sql.ref(c)}`);
  const nonZero = sql.join(
    COUNTERS.map((c) => sql`sum(${sql.ref(c)}) <> 0`),
    sql` OR `,
  );
  const add = list((c) => sql`${sql.ref(c)} = stats_months.${sql.ref(c)} + excluded.${sql.ref(c)}`);
  await sql`
    WITH ${sql.join([...ctes, sql`d AS (${deltas})`])},
    g AS (
      SELECT unit_path, item_code, month, ${sums}, GROUPING(unit_path, item_code) AS gs
      FROM d GROUP BY GROUPING SETS ((unit_path, month), (item_code, month), (month))
    ),
    scoped AS (
      SELECT 'unit' AS scope, u.code, g.month, ${gCols}
      FROM g CROSS JOIN LATERAL unnest(string_to_array(rtrim(g.unit_path, '/'), '/')) AS u(code)
      WHERE g.gs = 1
      UNION ALL SELECT 'item', g.item_code, g.month, ${gCols} FROM g WHERE g.gs = 2
      UNION ALL SELECT 'all', '', g.month, ${gCols} FROM g WHERE g.gs = 3
    )
    INSERT INTO stats_months (scope, code, month, ${cols})
    SELECT scope, code, month, ${sums} FROM scoped
    GROUP BY scope, code, month
    HAVING ${nonZero}
    ON CONFLICT (scope, code, month) DO UPDATE SET ${add}`.execute(trx);
}

/** Folds in the round-1 ratings with `from < id <= to`; round-2 ratings queue their case's ticket. */
export async function foldRatings(trx: Executor, from: number, to: number): Promise<void> {
  await foldDeltas(
    trx,
    sql`
      SELECT unit_path, item_code, ${monthOf('created_at')} AS month,
             1 AS ratings,
             is_default::int AS defaults,
             (NOT is_default)::int AS active,
             (NOT is_default AND level >= 3)::int AS good,
             (NOT is_default AND level <= 2)::int AS bad,
             CASE WHEN is_default THEN 0 ELSE level END AS level_sum,
             0 AS bad_tickets, 0 AS replied, 0 AS replied_on_time, 0 AS rectified, 0 AS revisited,
             0 AS revisit_satisfied, 0 AS appeals, 0 AS appeals_upheld
      FROM evaluations
      WHERE id > ${from} AND id <= ${to} AND round = 1`,
  );
  // A re-rating (round 2) is the ticket's revisit: its ticket's facts are read again.
  await sql`
    INSERT INTO stats_ticket_changes (ticket_id)
    SELECT t.id FROM evaluations e JOIN tickets t ON t.case_no = e.case_no
    WHERE e.id > ${from} AND e.id <= ${to} AND e.round = 2`.execute(trx);
}

/**
 * Takes up to `limit` queued ticket changes whose rating is already folded in (`evaluation_id <=
 * watermark`; the others wait for it), and folds each ticket in as its current facts minus the
 * facts last counted for it. Returns how many queue entries were taken.
 */
export async function foldTickets(trx: Executor, watermark: number, limit: number): Promise<number> {
  const taken = await sql<{ ticket_id: string }>`
    DELETE FROM stats_ticket_changes WHERE id IN (
      SELECT c.id FROM stats_ticket_changes c JOIN tickets t ON t.id = c.ticket_id
      WHERE t.evaluation_id <= ${watermark} ORDER BY c.id LIMIT ${limit})
    RETURNING ticket_id`.execute(trx);
  if (taken.rows.length === 0) return 0;
  const ids = [...new Set(taken.rows.map((r) => String(r.ticket_id)))];
  const current = sql`
    SELECT t.id AS ticket_id, e.unit_path, e.item_code, ${monthOf('e.created_at')} AS month, e.level,
           (t.appeal_outcome IS NOT DISTINCT FROM 'upheld')::int AS upheld,
           (t.replied_at IS NOT NULL)::int AS replied,
           (t.replied_at IS NOT NULL AND t.replied_at <= t.reply_due)::int AS replied_on_time,
           (t.rectified_at IS NOT NULL)::int AS rectified,
           (coalesce(t.revisit_level, r2.level) IS NOT NULL)::int AS revisited,
           coalesce(coalesce(t.revisit_level, r2.level) >= 3, false)::int AS revisit_satisfied,
           (t.appeal_reason IS NOT NULL OR t.appeal_outcome IS NOT NULL)::int AS appealed
    FROM tickets t
    JOIN evaluations e ON e.id = t.evaluation_id
    LEFT JOIN evaluations r2 ON r2.case_no = t.case_no AND r2.round = 2
    WHERE t.id = ANY(${ids}::bigint[])`;
  // One statement, so the facts stored and the deltas folded come from the same reading of the
  // tickets. Each ticket gives +1 × its current facts and −1 × the facts counted before. An upheld
  // appeal takes its rating out of active, bad and the stars (it stays in ratings, DOMAIN.md §6).
  await foldDeltas(
    trx,
    sql`
      SELECT unit_path, item_code, month,
             0 AS ratings, 0 AS defaults,
             -sign * upheld AS active, 0 AS good, -sign * upheld AS bad,
             -sign * upheld * level AS level_sum,
             sign AS bad_tickets,
             sign * replied AS replied, sign * replied_on_time AS replied_on_time,
             sign * rectified AS rectified, sign * revisited AS revisited,
             sign * revisit_satisfied AS revisit_satisfied,
             sign * appealed AS appeals, sign * upheld AS appeals_upheld
      FROM (SELECT 1 AS sign, * FROM cur UNION ALL SELECT -1 AS sign, * FROM old) AS facts`,
    [
      sql`cur AS (${current})`,
      sql`old AS (
        SELECT ticket_id, unit_path, item_code, month, level, upheld, replied, replied_on_time,
               rectified, revisited, revisit_satisfied, appealed
        FROM stats_ticket_facts WHERE ticket_id = ANY(${ids}::bigint[]))`,
      sql`stored AS (
        INSERT INTO stats_ticket_facts (ticket_id, unit_path, item_code, month, level, upheld, replied,
          replied_on_time, rectified, revisited, revisit_satisfied, appealed)
        SELECT * FROM cur
        ON CONFLICT (ticket_id) DO UPDATE SET
          unit_path = excluded.unit_path, item_code = excluded.item_code, month = excluded.month,
          level = excluded.level, upheld = excluded.upheld, replied = excluded.replied,
          replied_on_time = excluded.replied_on_time, rectified = excluded.rectified,
          revisited = excluded.revisited, revisit_satisfied = excluded.revisit_satisfied,
          appealed = excluded.appealed)`,
    ],
  );
  return taken.rows.length;
}
