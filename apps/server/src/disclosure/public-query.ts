/**
 * The public rating filters as SQL that walks one index in id order (ORDER BY id DESC LIMIT n):
 * every filter is an equality or range that some `(filter, id)` index of 0010_public_read.sql
 * serves, and the planner picks the most selective one. See that migration for the why.
 */
import type { PublicExportQuery } from '@hcp/contracts';
import { type Executor, escapeLike } from '@hcp/db';
import { DomainError, endOfShanghaiDay, notFound, tryDayNumber } from '@hcp/domain';
import { sql } from 'kysely';
import { textGrams } from './grams';
import { handleCache } from './handle-cache';
import { textPlan } from './text-plan';

/**
 * How far a rating's `created_at` (its transaction's start) may lag behind the order of ids. Ids
 * come from a sequence at insert, so a rating can carry an earlier time than a lower id only when
 * its transaction ran that long; rating writes take milliseconds. The id bounds of a time range are
 * widened by this much and the exact time test stays, so the result is exact for any transaction
 * shorter than this. (A bulk load must insert ratings in time order.)
 */
export const ID_TIME_SLACK_MS = 15 * 60_000;

/** Filters checked against the catalogue and turned into what the query needs. */
export interface ResolvedFilters {
  unit?: ResolvedUnit;
  item?: string;
  window?: string;
  staffNo?: string;
  channel?: string;
  level?: number;
  class?: 'good' | 'bad';
  from?: Date;
  to?: Date;
  /** Id bounds derived from from/to: minId inclusive, beforeId exclusive. */
  minId?: string;
  beforeId?: string;
  replied?: boolean;
  ticketState?: string;
  q?: string;
  /** How `q` is answered (text-plan.ts). */
  textPlan?: 'index' | 'scan';
}

const badQuery = (field: string, en: string, zh: string) =>
  new DomainError('VALIDATION_FAILED', { en: `${field} ${en}`, zh: `${field}：${zh}` }, { field });

const TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+ -]\d{2}:?\d{2})?)?$/;

/**
 * A `from`/`to` value as an instant: a day is its start (from) or its end (to) in Shanghai; a
 * date-time without offset is Shanghai time (a '+' sent unencoded arrives as a space).
 */
export function parseInstant(text: string, edge: 'start' | 'end', field: string): Date {
  const m = TIME.exec(text);
  const day = m ? tryDayNumber(m[1]!) : undefined;
  const invalid = () => badQuery(field, 'is not a valid date or date-time', '日期或时间无效');
  if (!m || day === undefined) throw invalid();
  // A day's start is one millisecond after the end of the day before.
  if (m[2] === undefined)
    return edge === 'start' ? new Date(endOfShanghaiDay(day - 1).getTime() + 1) : endOfShanghaiDay(day);
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || s > 59) throw invalid();
  const zone = m[6] ?? '+08:00';
  const offset = /^[zZ]$/.test(zone)
    ? 'Z'
    : `${zone[0] === '-' ? '-' : '+'}${zone.slice(1, 3)}:${zone.slice(-2)}`;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(4)) > 59)) throw invalid();
  const fraction = (m[5] ?? '.000').slice(0, 4).padEnd(4, '0');
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${String(s).padStart(2, '0')}${fraction}${offset}`);
  if (Number.isNaN(at)) throw invalid();
  return new Date(at);
}

/**
 * The first id whose created_at is at or after `at` (`'at_or_after'`) or after it (`'after'`), by
 * binary search over the primary key: about 24 index probes in one statement at 10 million rows,
 * and no created_at index for the planner to AND with a subtree's. Exact when ids follow time
 * (see ID_TIME_SLACK_MS); `null` when no rating qualifies.
 */
async function firstIdFrom(db: Executor, at: Date, edge: 'at_or_after' | 'after'): Promise<string | null> {
  const reached = edge === 'after' ? sql`p.created_at > ${at}` : sql`p.created_at >= ${at}`;
  const result = await sql<{ id: string | null }>`
    WITH RECURSIVE search(lo, hi, best) AS (
      SELECT min(id), max(id) + 1, NULL::bigint FROM evaluations
      UNION ALL
      SELECT CASE WHEN ${reached} THEN s.lo ELSE p.id + 1 END,
             CASE WHEN ${reached} THEN (s.lo + s.hi) / 2 ELSE s.hi END,
             CASE WHEN ${reached} THEN p.id ELSE s.best END
      FROM search s
      CROSS JOIN LATERAL (
        SELECT id, created_at FROM evaluations WHERE id >= (s.lo + s.hi) / 2 ORDER BY id LIMIT 1
      ) p
      WHERE s.lo < s.hi
    )
    SELECT min(best)::text AS id FROM search`.execute(db);
  return result.rows[0]?.id ?? null;
}

/**
 * Id bounds of a time range, widened by the slack so that they never cut off a rating in range:
 * `minId` inclusive, `beforeId` exclusive. A range after the last rating gets an empty id range.
 */
async function idBounds(db: Executor, from: Date | undefined, to: Date | undefined) {
  const bounds: { minId?: string; beforeId?: string } = {};
  if (from) {
    const id = await firstIdFrom(db, new Date(from.getTime() - ID_TIME_SLACK_MS), 'at_or_after');
    bounds.minId = id ?? EMPTY_ID;
  }
  if (to) {
    const id = await firstIdFrom(db, new Date(to.getTime() + ID_TIME_SLACK_MS), 'after');
    if (id !== null) bounds.beforeId = id;
  }
  return bounds;
}

/** An id above any real one: `id >= EMPTY_ID` selects nothing, at once. */
const EMPTY_ID = '9223372036854775807';

export interface ResolvedUnit {
  code: string;
  name: string;
  path: string;
  depth: number;
  leaf: boolean;
}

/**
 * Units found recently, per database handle: every public list and scorecard names a unit, and the
 * lookup was one of a list's two round trips. Kept 30 s, so a renamed, moved or newly parented unit
 * shows in public filters within that time; a unit not found is never kept.
 */
const units = handleCache<ResolvedUnit>(30_000, 10_000);

/** A unit by code with its path, depth (codes in the path) and whether it has children; 404 if unknown. */
export async function resolveUnit(db: Executor, code: string): Promise<ResolvedUnit> {
  const cached = units.get(db, code);
  if (cached) return cached;
  const unit = await lookUpUnit(db, code);
  units.set(db, code, unit);
  return unit;
}

async function lookUpUnit(db: Executor, code: string): Promise<ResolvedUnit> {
  const row = await db
    .selectFrom('units as u')
    .select([
      'u.name',
      'u.path',
      (eb) =>
        eb
          .not(
            eb.exists(eb.selectFrom('units as c').select('c.code').whereRef('c.parent_code', '=', 'u.code')),
          )
          .as('leaf'),
    ])
    .where('u.code', '=', code)
    .executeTakeFirst();
  if (!row) throw notFound('unit', code);
  return {
    code,
    name: row.name,
    path: row.path,
    depth: row.path.split('/').length - 1,
    leaf: Boolean(row.leaf),
  };
}

/** Checks that a catalogue key exists (an unknown one is a 404, as for any missing resource). */
async function assertExists(db: Executor, what: 'item' | 'window' | 'staff', key: string) {
  const found =
    what === 'item'
      ? await db.selectFrom('items').select('code').where('code', '=', key).executeTakeFirst()
      : what === 'window'
        ? await db.selectFrom('windows').select('no').where('no', '=', key).executeTakeFirst()
        : await db.selectFrom('staff').select('staff_no').where('staff_no', '=', key).executeTakeFirst();
  if (!found) throw notFound(what, key);
}

/** Validates the filters beyond their schema, looks up what they name, and bounds the time range by id. */
export async function resolveFilters(db: Executor, q: PublicExportQuery): Promise<ResolvedFilters> {
  const f: ResolvedFilters = {};
  if (q.from) f.from = parseInstant(q.from, 'start', 'querystring.from');
  if (q.to) f.to = parseInstant(q.to, 'end', 'querystring.to');
  if (f.from && f.to && f.to < f.from)
    throw badQuery('querystring.to', 'is before from', '结束时间早于开始时间');
  if (q.unit) f.unit = await resolveUnit(db, q.unit);
  if (q.item) await assertExists(db, 'item', q.item);
  if (q.window) await assertExists(db, 'window', q.window);
  if (q.staffNo) await assertExists(db, 'staff', q.staffNo);
  if (q.item) f.item = q.item;
  if (q.window) f.window = q.window;
  if (q.staffNo) f.staffNo = q.staffNo;
  if (f.from || f.to) Object.assign(f, await idBounds(db, f.from, f.to));
  if (q.channel) f.channel = q.channel;
  if (q.level !== undefined) f.level = q.level;
  if (q.class) f.class = q.class;
  if (q.replied !== undefined) f.replied = q.replied;
  if (q.ticketState) f.ticketState = q.ticketState;
  if (q.q !== undefined) {
    if (!q.q.trim()) throw badQuery('querystring.q', 'is blank', '不能为空');
    f.q = q.q;
    f.textPlan = await textPlan(db, textGrams(q.q));
  }
  return f;
}

/**
 * The ids of the matching public ratings, newest first, after `beforeId` (the cursor), `limit` of
 * them. Literal values where a partial index must be proven usable (levels, ticket states).
 */
export function matchingIds(db: Executor, f: ResolvedFilters, limit: number, cursorId?: string) {
  const ticketJoin = f.replied !== undefined || f.ticketState !== undefined;
  // The limit is a literal: the list runs as a prepared statement, and a generic plan with a
  // parameter for LIMIT would assume a tenth of the table and walk the wrong index.
  let query = db
    .selectFrom('evaluations as e')
    .select('e.id')
    .orderBy('e.id', 'desc')
    .limit(sql.lit(Math.trunc(limit)));
  if (ticketJoin) {
    // Typed as the evaluation-only query: the ticket conditions below are plain SQL.
    query = query.innerJoin('tickets as t', 't.evaluation_id', 'e.id') as unknown as typeof query;
    if (f.ticketState === 'open') query = query.where(sql<boolean>`t.state <> 'closed'`);
    else if (f.ticketState) query = query.where(sql<boolean>`t.state = ${f.ticketState}`);
    if (f.replied === true) query = query.where(sql<boolean>`t.replied_at IS NOT NULL`);
    if (f.replied === false) query = query.where(sql<boolean>`t.replied_at IS NULL`);
    // Only bad ratings have tickets: saying so lets the planner walk the small bad-rating indexes.
    if (f.class !== 'bad' && f.level === undefined) query = query.where(sql<boolean>`e.level <= 2`);
  }
  // Id bounds go on both sides of the ticket join: the planner may walk either table's index.
  const below = [cursorId, f.beforeId].filter((v): v is string => v !== undefined);
  for (const id of below) {
    query = query.where('e.id', '<', id);
    if (ticketJoin) query = query.where(sql<boolean>`t.evaluation_id < ${id}`);
  }
  if (f.minId !== undefined) {
    query = query.where('e.id', '>=', f.minId);
    if (ticketJoin) query = query.where(sql<boolean>`t.evaluation_id >= ${f.minId}`);
  }
  if (f.from) query = query.where('e.created_at', '>=', f.from);
  if (f.to) query = query.where('e.created_at', '<=', f.to);
  if (f.unit) {
    const { depth, path, code, leaf } = f.unit;
    if (depth === 2 || depth === 3) {
      // The expression must read exactly as in evaluations_path{2,3}_idx.
      query = query.where(sql<boolean>`split_part(e.unit_path, '/', ${sql.raw(String(depth))}) = ${code}`);
    } else if (leaf) query = query.where('e.unit_path', '=', path);
    else query = query.where('e.unit_path', 'like', `${escapeLike(path)}%`);
  }
  if (f.item) query = query.where('e.item_code', '=', f.item);
  if (f.window) query = query.where('e.window_no', '=', f.window);
  if (f.staffNo) query = query.where('e.staff_no', '=', f.staffNo);
  if (f.channel) query = query.where('e.channel', '=', f.channel as never);
  if (f.level !== undefined) query = query.where(sql<boolean>`e.level = ${sql.lit(f.level)}`);
  if (f.class === 'bad') query = query.where(sql<boolean>`e.level <= 2`);
  if (f.class === 'good') query = query.where(sql<boolean>`e.level >= 3`);
  if (f.q !== undefined) {
    const pattern = `%${escapeLike(f.q)}%`;
    if (f.textPlan === 'index') {
      // Fenced (OFFSET 0): the planner takes the few rows the gram index gives and filters and sorts
      // them, rather than ANDing the gram bitmap with a large subtree's.
      const hits = db
        .selectFrom('evaluations as h')
        .select('h.id')
        .where(sql<boolean>`h.comment_grams @> ${textGrams(f.q)}::text[]`)
        .where(sql<boolean>`h.comment_public ILIKE ${pattern}`)
        .offset(0)
        .as('hits');
      query = query.innerJoin(hits, 'hits.id', 'e.id') as unknown as typeof query;
    } else {
      query = query.where(sql<boolean>`e.comment_public ILIKE ${pattern}`);
    }
  }
  return query;
}
