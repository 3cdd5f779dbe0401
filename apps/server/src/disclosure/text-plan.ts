/**
 * How to answer `q`: through the gram index, or by scanning along the id order. PostgreSQL
 * multiplies the frequencies of a query's grams as if they were independent, though in a phrase
 * they come together, so it takes a common phrase for a rare one and sorts tens of thousands of
 * matches; and it cannot know whether a phrase of common grams is itself common. The frequency of
 * the rarest gram, from the column statistics, is an upper bound of the phrase's: when even that
 * bound is a few thousand rows, the gram index is the way (fenced so the planner cannot AND it with
 * a large index); otherwise the phrase is common enough that the page is found within a short walk.
 */
import type { Executor } from '@hcp/db';
import { sql } from 'kysely';

/** Rows the gram index may hand over before walking in id order is the better plan. */
export const GRAM_INDEX_MAX_ROWS = 5000;
const STATS_TTL_MS = 10 * 60_000;

interface GramStats {
  /** Rows with a published comment. */
  rows: number;
  freq: Map<string, number>;
  /** Frequency below which grams are not listed: the bound for any gram that is not. */
  floor: number;
}

const cache = new WeakMap<object, { at: number; stats: GramStats | null }>();

async function loadGramStats(db: Executor): Promise<GramStats | null> {
  const result = await sql<{
    null_frac: number;
    elems: string[] | null;
    freqs: number[] | null;
    reltuples: number;
  }>`
    SELECT s.null_frac, s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs, c.reltuples
    FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = to_regnamespace(s.schemaname)
    WHERE s.schemaname = current_schema() AND s.tablename = 'evaluations' AND s.attname = 'comment_grams'`.execute(
    db,
  );
  const row = result.rows[0];
  if (!row?.elems || !row.freqs || !(row.reltuples > 0)) return null;
  // The element frequencies are followed by their minimum, maximum and (maybe) the null frequency.
  const freq = new Map(row.elems.map((e, i) => [e, Number(row.freqs![i])]));
  return {
    rows: Number(row.reltuples) * (1 - Number(row.null_frac)),
    freq,
    floor: Number(row.freqs[row.elems.length] ?? 0),
  };
}

/** Column statistics of the grams, read at most every ten minutes; null before the first ANALYZE. */
async function gramStats(db: Executor, now: number): Promise<GramStats | null> {
  const hit = cache.get(db);
  if (hit && now - hit.at < STATS_TTL_MS) return hit.stats;
  const stats = await loadGramStats(db).catch(() => null);
  cache.set(db, { at: now, stats });
  return stats;
}

/** Forgets the cached statistics (tests that ANALYZE and expect the new plan at once). */
export function forgetGramStats(db: Executor): void {
  cache.delete(db);
}

/**
 * 'index' when the gram index hands over at most GRAM_INDEX_MAX_ROWS rows for these grams (or
 * nothing is known yet), 'scan' when the rarest gram is common.
 */
export async function textPlan(
  db: Executor,
  grams: string[],
  o: { now?: number; maxRows?: number } = {},
): Promise<'index' | 'scan'> {
  if (grams.length === 0) return 'scan';
  const stats = await gramStats(db, o.now ?? Date.now());
  if (!stats) return 'index';
  const rarest = Math.min(...grams.map((g) => stats.freq.get(g) ?? stats.floor));
  return stats.rows * rarest <= (o.maxRows ?? GRAM_INDEX_MAX_ROWS) ? 'index' : 'scan';
}
