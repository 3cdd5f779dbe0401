/**
 * The rollup pass: folds new ratings and changed tickets into stats_months (0009_stats.sql), so a
 * scorecard reads a few rows whatever the number of ratings. Scorecards lag by one pass interval.
 *
 * Ratings are append-only and folded by a watermark on evaluations.id. A bare "id > watermark" loses
 * rows: ids are taken when a transaction inserts but become visible when it commits, so a pass can
 * see id 51 while 50 is still in flight and move past it for ever. Hence the horizon: the pass reads
 * max(id) and, in the same statement, the transactions that hold a write lock on evaluations (every
 * inserter takes ROW EXCLUSIVE before it draws an id and keeps it to its end). Once those have
 * ended, every id up to that max is final — committed or never to appear — and is folded once.
 * (This relies on the identity's default CACHE 1: ids are drawn from one sequence in order, never
 * from a block a session reserved earlier.)
 *
 * Tickets change as they progress (replied, rectified, revisited, appealed), so their figures are
 * not append-only. Triggers on tickets queue the ticket id in the changing transaction
 * (stats_ticket_changes); the pass takes the queued ids, reads each ticket's facts, and adds the
 * difference to what it counted before (stats_ticket_facts). A change in flight stays queued until
 * it commits, and reading a ticket twice adds nothing, so the pass is idempotent.
 *
 * Several instances may run the pass: the state row is locked FOR UPDATE SKIP LOCKED in each of its
 * transactions, so one instance folds and the others skip their turn.
 */
import type { DB } from '@hcp/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { foldRatings, foldTickets } from './fold';

export interface RollupOptions {
  /** Ratings folded per transaction (a first pass over millions is split into chunks). */
  chunk?: number;
  /** Ticket changes folded per transaction. */
  ticketChunk?: number;
  /** How long to wait for in-flight rating writers before leaving new ratings to the next pass. */
  settleMs?: number;
}

export interface RollupResult {
  /** Another instance held the pass. */
  skipped: boolean;
  /** The span of evaluation ids folded in (both rounds; gaps included). */
  ratingIds: number;
  /** Ticket changes taken from the queue. */
  tickets: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The highest evaluation id such that no id at or below it can still appear, or null if writers
 * that were in flight did not finish within `settleMs`.
 */
export async function ratingHorizon(db: Kysely<DB>, settleMs: number): Promise<number | null> {
  const { rows } = await sql<{ horizon: number | null; writers: string[] }>`
    SELECT (SELECT max(id) FROM evaluations) AS horizon,
           ARRAY(SELECT DISTINCT virtualtransaction FROM pg_locks
                 WHERE locktype = 'relation' AND relation = 'evaluations'::regclass
                   AND mode = 'RowExclusiveLock' AND granted) AS writers`.execute(db);
  const horizon = Number(rows[0]?.horizon ?? 0);
  let writers = rows[0]?.writers ?? [];
  const deadline = Date.now() + settleMs;
  while (writers.length > 0) {
    if (Date.now() > deadline) return null;
    await sleep(5);
    const still = await sql<{ vxid: string }>`
      SELECT DISTINCT virtualtransaction AS vxid FROM pg_locks
      WHERE locktype = 'relation' AND relation = 'evaluations'::regclass
        AND mode = 'RowExclusiveLock' AND virtualtransaction = ANY(${writers}::text[])`.execute(db);
    writers = still.rows.map((r) => r.vxid);
  }
  return horizon;
}

/**
 * Locks the state row for this transaction, or null when another instance holds it. Also gives the
 * transaction room to aggregate a large chunk in memory.
 */
async function lockState(trx: Transaction<DB>) {
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  return trx
    .selectFrom('stats_rollup_state')
    .select(['evaluation_watermark', 'as_of'])
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/**
 * One pass: folds every rating up to the horizon (in chunks of `chunk` ids, each its own
 * transaction), then every queued ticket change whose rating is folded, and sets `as_of` to `now`
 * when both are done. Safe to run from several instances at once and to repeat.
 */
export async function runRollup(db: Kysely<DB>, now: Date, opts: RollupOptions = {}): Promise<RollupResult> {
  const chunk = opts.chunk ?? 1_000_000;
  const ticketChunk = opts.ticketChunk ?? 20_000;
  const horizon = await ratingHorizon(db, opts.settleMs ?? 5_000);
  const result: RollupResult = { skipped: false, ratingIds: 0, tickets: 0 };

  // Ratings, chunk by chunk; each chunk moves the watermark in the transaction that folds it.
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const state = await lockState(trx);
      if (!state) return 'skipped' as const;
      const from = Number(state.evaluation_watermark);
      if (horizon === null || from >= horizon) return 'done' as const;
      const to = Math.min(horizon, from + chunk);
      await foldRatings(trx, from, to);
      await trx.updateTable('stats_rollup_state').set({ evaluation_watermark: to }).execute();
      result.ratingIds += to - from;
      return 'more' as const;
    });
    if (step === 'skipped') return { ...result, skipped: true };
    if (step === 'done') break;
  }

  // Ticket changes, then the time stamp (only when the ratings reached the horizon).
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const state = await lockState(trx);
      if (!state) return 'skipped' as const;
      const taken = await foldTickets(trx, Number(state.evaluation_watermark), ticketChunk);
      result.tickets += taken;
      if (taken === ticketChunk) return 'more' as const;
      // Never backwards, whichever instance's clock ran the last pass.
      if (horizon !== null)
        await trx
          .updateTable('stats_rollup_state')
          .set({ as_of: sql<Date>`greatest(as_of, ${now})` })
          .execute();
      return 'done' as const;
    });
    if (step === 'skipped') return { ...result, skipped: true };
    if (step === 'done') return result;
  }
}
