// bench/sweep: how many due tickets the overdue sweep (督办) processes per second with a million open
// tickets on PostgreSQL, and the ratio to a baseline in the same run: bare batched UPDATEs touching
// the same rows (no event, no outbox, no lock), the floor of any set-based sweep on this database.
//   npx tsx bench/sweep.ts [--pg postgres://postgres@127.0.0.1:5432/postgres] [--tickets 1000000] [--batch 5000]
// A scratch database is created, migrated, filled with INSERT … SELECT and dropped again.
import { parseArgs } from 'node:util';
import { type Database, migrate, openDatabase } from '@hcp/db';
import { sql } from 'kysely';
import { ensureReferenceData } from '../apps/server/src/reference-data';
import { seedDemo } from '../apps/server/src/seed/seed-demo';
import { sweepTickets } from '../apps/server/src/tickets/sweep-tickets';
import { scratchDatabase } from './scratch-db';

const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    tickets: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '5000' },
  },
});
const TICKETS = Number(values.tickets);
const BATCH = Number(values.batch);
const TARGET_PER_SECOND = 20_000;
if (!(TICKETS >= 1 && BATCH >= 1)) throw new Error('--tickets and --batch must be positive');

const scratch = scratchDatabase(values.pg, 'hcp_bench_sweep');
const dbName = scratch.name;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Cases, their bad ratings and open tickets whose contact deadline has passed, in chunks. */
async function preload(database: Database) {
  const chunk = 200_000;
  const started = performance.now();
  for (let from = 1; from <= TICKETS; from += chunk) {
    const to = Math.min(TICKETS, from + chunk - 1);
    await sql`
      WITH it AS (SELECT array_agg(code ORDER BY code) AS codes FROM items),
           w AS (SELECT array_agg(w.unit_code ORDER BY w.no) AS units, array_agg(u.path ORDER BY w.no) AS paths
                 FROM windows w JOIN units u ON u.code = w.unit_code)
      INSERT INTO cases (case_no, item_code, unit_code, unit_path, applicant_kind, applicant_cert_type,
        applicant_cert_hash, applicant_name, applicant_name_enc, applicant_name_hash, promise_type, status,
        accepted_at, completed_at, window_settled_at, source)
      SELECT 'S' || lpad(g::text, 9, '0'), it.codes[1 + g % cardinality(it.codes)],
             w.units[1 + g % cardinality(w.units)], w.paths[1 + g % cardinality(w.units)],
             'person', '111', md5('c' || g), '张*', 'x', md5('n' || g), 'immediate', 'completed',
             now() - interval '3 days', now() - interval '3 days', now() - interval '3 days', 'bench'
      FROM generate_series(${from}::int, ${to}::int) g, it, w`.execute(database.db);
    await sql`
      INSERT INTO evaluations (case_no, round, level, channel, catalog_version, comment, applicant_hash,
        item_code, unit_code, unit_path, actor_kind, actor_id, created_at)
      SELECT c.case_no, 1, 1, 'app', (SELECT max(version) FROM rating_catalog_versions), '等待时间过长',
             c.applicant_cert_hash, c.item_code, c.unit_code, c.unit_path, 'system', 'bench', c.completed_at
      FROM cases c WHERE c.case_no BETWEEN ${`S${String(from).padStart(9, '0')}`} AND ${`S${String(to).padStart(9, '0')}`}`.execute(
      database.db,
    );
    await sql`
      INSERT INTO tickets (evaluation_id, case_no, unit_code, unit_path, item_code, state, opened_at,
        contact_due, reply_due, rectify_due, appeal_due, due_at)
      SELECT e.id, e.case_no, e.unit_code, e.unit_path, e.item_code, 'pending_contact', e.created_at,
             e.created_at + interval '1 day', e.created_at + interval '7 days', e.created_at + interval '21 days',
             e.created_at + interval '5 days', e.created_at + interval '1 day'
      FROM evaluations e WHERE e.case_no BETWEEN ${`S${String(from).padStart(9, '0')}`} AND ${`S${String(to).padStart(9, '0')}`}`.execute(
      database.db,
    );
    process.stdout.write(`\r  open tickets ${fmt(to)}/${fmt(TICKETS)}`);
  }
  await sql`VACUUM ANALYZE tickets`.execute(database.db);
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** The floor: the same rows, the same batch size, one bare UPDATE per batch by id range. */
async function baseline(database: Database): Promise<number> {
  const { min, max } = (
    await sql<{ min: string; max: string }>`SELECT min(id) AS min, max(id) AS max FROM tickets`.execute(
      database.db,
    )
  ).rows[0]!;
  const t = performance.now();
  for (let lo = Number(min); lo <= Number(max); lo += BATCH) {
    await sql`UPDATE tickets SET updated_at = now() WHERE id >= ${lo} AND id < ${lo + BATCH}`.execute(
      database.db,
    );
  }
  return performance.now() - t;
}

async function main() {
  console.log(
    `sweep bench: ${fmt(TICKETS)} open overdue tickets, batch ${fmt(BATCH)}, PostgreSQL scratch database ${dbName}`,
  );
  await scratch.create();
  let database: Database | undefined;
  try {
    database = await openDatabase({ url: scratch.url });
    await migrate(database);
    await ensureReferenceData(database.db);
    await seedDemo(database.db, { scale: 0.05 });
    await preload(database);

    const base = await baseline(database);
    await sql`VACUUM ANALYZE tickets`.execute(database.db);
    const t = performance.now();
    const counts = await sweepTickets(database.db, { now: new Date(), remindHours: 24, batch: BATCH });
    const ms = performance.now() - t;
    const again = await sweepTickets(database.db, { now: new Date(), remindHours: 24, batch: BATCH });
    const events = Number(
      (
        await sql<{ n: string }>`SELECT count(*) AS n FROM ticket_events WHERE action = 'escalate'`.execute(
          database.db,
        )
      ).rows[0]!.n,
    );
    const perSecond = counts.escalated / (ms / 1000);
    const basePerSecond = TICKETS / (base / 1000);
    console.log(
      `  baseline bare UPDATEs: ${fmt(TICKETS)} rows in ${(base / 1000).toFixed(1)} s = ${fmt(basePerSecond)} rows/s`,
    );
    console.log(
      `  overdue sweep: ${fmt(counts.escalated)} tickets escalated in ${(ms / 1000).toFixed(1)} s = ${fmt(perSecond)} tickets/s` +
        ` (events ${fmt(events)}, outbox rows with them; second pass escalated ${again.escalated})`,
    );
    console.log(
      `  ratio sweep/baseline ${(perSecond / basePerSecond).toFixed(2)}; target ${fmt(TARGET_PER_SECOND)} tickets/s: ` +
        `${perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'}`,
    );
    if (counts.escalated !== TICKETS || again.escalated !== 0 || events !== TICKETS) {
      throw new Error('the sweep did not escalate every due ticket exactly once');
    }
  } finally {
    await database?.close();
    await scratch.drop();
  }
}

await main();
