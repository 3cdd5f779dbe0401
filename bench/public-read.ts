// bench/public-read: the public read API on PostgreSQL with 10 million ratings, and the ratio to a
// baseline measured in the same run: a bare Fastify app with the same response schemas answering a
// canned body (a real answer captured first), without touching the database.
//   npx tsx bench/public-read.ts [--ratings 10000000] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//                                [--seconds 10] [--connections 10] [--scale 1]
// Measured: (a) GET /api/v1/public/evaluations?unit=<district>&class=bad, (b) GET
// /api/v1/public/units/<district>/scorecard, (c) the bare routes. Districts rotate per request.
// A scratch database is created, migrated, seeded (demo catalogue), loaded with generated history by
// INSERT … SELECT in SQL, rolled up, measured, and dropped. Autocannon runs in this process.
import { parseArgs } from 'node:util';
import { PublicEvaluationPageSchema, ScorecardSchema } from '@hcp/contracts';
import { type Database, migrate, openDatabase } from '@hcp/db';
import autocannon, { type Result } from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../apps/server/src/app';
import { ensureReferenceData } from '../apps/server/src/reference-data';
import { seedDemo } from '../apps/server/src/seed/seed-demo';
import { runRollup } from '../apps/server/src/stats/rollup';
import { loadHistory, loadMore } from './public-read-data';
import { scratchDatabase } from './scratch-db';

const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    ratings: { type: 'string', default: '10000000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    scale: { type: 'string', default: '1' },
  },
});
const RATINGS = Number(values.ratings);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const SCALE = Number(values.scale);
const TARGET_MS = 50;
const LIST_TARGET_MS = 20;
if (!(RATINGS >= 1000 && SECONDS >= 1 && CONNECTIONS >= 1 && SCALE > 0))
  throw new Error('--ratings (≥ 1000), --seconds, --connections and --scale must be positive');

const scratch = scratchDatabase(values.pg, 'hcp_bench');
const dbName = scratch.name;

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await work();
  console.log(`  ${label}: ${secs(performance.now() - t)}`);
  return out;
}

/** Drives `paths` round-robin against `base` for SECONDS; every answer must be 200. */
async function load(base: string, paths: string[]): Promise<Result> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 30,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
  return result;
}

/** The baseline: the same response schemas (so the same serializer work) and a canned body. */
async function bareApp(list: unknown, card: unknown): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/list', { schema: { response: { 200: PublicEvaluationPageSchema } }, handler: async () => list });
  app.get('/scorecard', { schema: { response: { 200: ScorecardSchema } }, handler: async () => card });
  return app;
}

/** The rolled-up totals of everything must equal a direct count over the raw rows. */
async function checkTotals(database: Database) {
  const { rows } = await sql<Record<string, number>>`
    WITH rolled AS (
      SELECT sum(ratings) AS ratings, sum(defaults) AS defaults, sum(active) AS active, sum(bad) AS bad,
             sum(bad_tickets) AS tickets, sum(replied) AS replied, sum(appeals_upheld) AS upheld
      FROM stats_months WHERE scope = 'all'),
    raw AS (
      SELECT count(*) AS ratings, count(*) FILTER (WHERE e.is_default) AS defaults,
             count(*) FILTER (WHERE NOT e.is_default AND t.appeal_outcome IS DISTINCT FROM 'upheld') AS active,
             count(*) FILTER (WHERE e.level <= 2 AND NOT e.is_default
                                AND t.appeal_outcome IS DISTINCT FROM 'upheld') AS bad,
             count(t.id) AS tickets, count(t.replied_at) AS replied,
             count(*) FILTER (WHERE t.appeal_outcome = 'upheld') AS upheld
      FROM evaluations e LEFT JOIN tickets t ON t.evaluation_id = e.id WHERE e.round = 1)
    SELECT rolled.*, to_json(raw) AS raw FROM rolled, raw`.execute(database.db);
  const { raw, ...rolled } = rows[0] as Record<string, unknown> & { raw: Record<string, number> };
  const same = Object.entries(raw).every(([k, v]) => Number(rolled[k]) === Number(v));
  console.log(
    `  totals of 'all' against a direct count: ${same ? 'equal' : 'DIFFERENT'} ${JSON.stringify(raw)}`,
  );
  if (!same) {
    console.log(`  rolled up: ${JSON.stringify(rolled)}`);
    process.exitCode = 1;
  }
}

const line = (name: string, r: Result) =>
  `${name.padEnd(34)} ${fmt(r.requests.average).padStart(7)}/s  p50 ${String(r.latency.p50).padStart(4)} ms  ` +
  `p99 ${String(r.latency.p99).padStart(4)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;

async function main() {
  console.log(
    `public-read bench: ${fmt(RATINGS)} ratings, ${CONNECTIONS} connections, ${SECONDS} s per target, scratch database ${dbName}`,
  );
  await scratch.create();
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  try {
    database = await openDatabase({ url: scratch.url, poolSize: 10 });
    await migrate(database);
    await ensureReferenceData(database.db);
    const seeded = await seedDemo(database.db, { scale: SCALE });
    console.log(
      `  catalogue: ${seeded.units} units, ${seeded.windows} windows, ${seeded.staff} staff, ${seeded.items} items`,
    );
    const now = new Date();
    const loaded = await loadHistory(scratch.url, RATINGS);
    console.log(
      `  loaded ${fmt(loaded.ratings)} ratings (${fmt(loaded.bad)} bad, ${fmt(loaded.defaults)} default, ` +
        `${fmt(loaded.comments)} with a published comment), ${fmt(loaded.tickets)} tickets in ${secs(loaded.ms)}`,
    );

    const first = await timed('first rollup pass (everything)', () => runRollup(database!.db, now));
    const { rows: size } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stats_months`.execute(
      database.db,
    );
    console.log(`  stats_months rows: ${fmt(size[0]!.n)}; ticket changes folded: ${fmt(first.tickets)}`);
    const more = await loadMore(scratch.url, RATINGS, 10_000);
    const steady = await timed(
      `steady pass (${fmt(more.ratings)} new ratings, ${fmt(more.tickets)} ticket changes)`,
      () => runRollup(database!.db, new Date()),
    );
    if (steady.ratingIds < more.ratings) throw new Error(`steady pass folded ${steady.ratingIds} ids`);
    await timed('idle pass (nothing new)', () => runRollup(database!.db, new Date()));
    await checkTotals(database);

    app = await buildApp({
      config: {
        adminKey: 'bench-admin-key-0123456789',
        logLevel: 'silent',
        ratingWindowDays: 7,
        publicUrl: 'http://127.0.0.1',
      },
      database,
      secret: 'bench-secret-bench-secret-bench-secret-0123',
      web: false,
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const districts = (
      await database.db
        .selectFrom('units')
        .select('code')
        .where('level', '=', 'district')
        .orderBy('code')
        .execute()
    ).map((u) => u.code);
    const listPaths = districts.map((d) => `/api/v1/public/evaluations?unit=${d}&class=bad`);
    const cardPaths = districts.map((d) => `/api/v1/public/units/${d}/scorecard`);

    // Capture real answers for the baseline's canned bodies (and check both routes exist).
    const listProbe = await fetch(`${base}${listPaths[0]}`);
    const cardProbe = await fetch(`${base}${cardPaths[0]}`);
    if (cardProbe.status !== 200) throw new Error(`scorecard answered ${cardProbe.status}`);
    const card = await cardProbe.json();
    const hasList = listProbe.status === 200;
    const list = hasList ? await listProbe.json() : { items: [], nextCursor: null };
    if (!hasList) console.log(`  the list route answered ${listProbe.status}: (a) is not measured`);
    else
      console.log(
        `  a district's first page of bad ratings: ${(list as { items: unknown[] }).items.length} items`,
      );

    const bare = await bareApp(list, card);
    const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
    const cList = hasList ? await load(bareBase, ['/list']) : null;
    const cCard = await load(bareBase, ['/scorecard']);
    await bare.close();
    const a = hasList ? await load(base, listPaths) : null;
    const b = await load(base, cardPaths);

    console.log('');
    if (a && cList) console.log(line('(a) list ?unit=<district>&class=bad', a));
    console.log(line('(b) unit scorecard', b));
    if (cList) console.log(line('(c) bare, list schema + canned body', cList));
    console.log(line('(c) bare, scorecard schema + canned', cCard));
    if (a && cList) console.log(`ratio (a)/(c) ${(a.requests.average / cList.requests.average).toFixed(2)}`);
    console.log(`ratio (b)/(c) ${(b.requests.average / cCard.requests.average).toFixed(2)}`);
    if (a)
      console.log(
        `list p99 ${a.latency.p99} ms at ${fmt(a.requests.average)}/s (target < ${LIST_TARGET_MS} ms: ${a.latency.p99 < LIST_TARGET_MS ? 'met' : 'NOT met'})`,
      );
    console.log(
      `scorecard p99 ${b.latency.p99} ms under load (target < ${TARGET_MS} ms: ${b.latency.p99 < TARGET_MS ? 'met' : 'NOT met'})`,
    );
  } finally {
    if (app) await app.close();
    if (database) await database.close();
    await scratch.drop();
    console.log(`dropped ${dbName}`);
  }
}

await main();
