import { currentRatingCatalog, type Executor, inTransaction } from '@hcp/db';
import { sql } from 'kysely';

export interface SweepOptions {
  now: Date;
  windowDays: number;
  /** Calendar day in Asia/Shanghai, for the catalogue version the default ratings are recorded under. */
  today: string;
  batchSize?: number;
}

/**
 * Settles every completed case whose rating window has closed (DOMAIN.md §5): one without a round-1
 * rating gets the default rating (基本满意, 3 stars, channel `default`), and every one is marked
 * settled so it leaves the sweep's index. Ratings themselves never write to their case (that kept
 * the rating path to one insert per table), so this is where each case is touched once, in bulk.
 * Works in bounded batches; each batch claims its cases with FOR UPDATE SKIP LOCKED, so several
 * instances can sweep at once without doubling anything, and UNIQUE (case_no, round) makes a
 * repeated run a no-op.
 * @returns how many default ratings were recorded.
 */
export async function sweepDefaultRatings(db: Executor, o: SweepOptions): Promise<number> {
  const batchSize = o.batchSize ?? 1000;
  const catalog = await currentRatingCatalog(db, o.today);
  if (!catalog) return 0;
  const cutoff = new Date(o.now.getTime() - o.windowDays * 86_400_000);
  let total = 0;
  for (;;) {
    const { rated, claimed } = await inTransaction(db, async (trx) => {
      const r = await sql<{ rated: number; claimed: number }>`
        WITH due AS (
          SELECT case_no FROM cases
          WHERE status = 'completed' AND window_settled_at IS NULL AND completed_at < ${cutoff}
          ORDER BY completed_at
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        ), inserted AS (
          INSERT INTO evaluations (case_no, round, level, is_default, channel, catalog_version, applicant_hash,
            item_code, unit_code, unit_path, window_no, staff_no, actor_kind, actor_id)
          SELECT c.case_no, 1, 3, true, 'default', ${catalog.version}, c.applicant_cert_hash,
            c.item_code, c.unit_code, c.unit_path, c.window_no, c.staff_no, 'sweep', 'default-rating'
          FROM cases c JOIN due USING (case_no)
          WHERE NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.case_no = c.case_no AND e.round = 1)
          ON CONFLICT (case_no, round) DO NOTHING
          RETURNING case_no
        ), marked AS (
          UPDATE cases SET window_settled_at = ${o.now} FROM due WHERE cases.case_no = due.case_no
          RETURNING cases.case_no
        )
        SELECT (SELECT count(*) FROM inserted)::int AS rated, (SELECT count(*) FROM marked)::int AS claimed`.execute(
        trx,
      );
      return r.rows[0]!;
    });
    total += Number(rated);
    if (Number(claimed) < batchSize) return total;
  }
}
