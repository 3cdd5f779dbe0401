// bench/ingest: ratings per second through POST /api/v1/evaluations on PostgreSQL, with a million
// completed cases in the table, and the ratio to a baseline in the same run: a bare Fastify app with
// the same body validation answering 201 without touching the database, run before and after it.
//   npx tsx bench/ingest.ts [--pg postgres://postgres@127.0.0.1:5432/postgres] [--cases 1000000]
//                           [--seconds 20] [--connections 50]
// A scratch database is created, migrated, seeded (demo catalogue at scale 0.05) and dropped again.
// Load generator and server share this process (autocannon in-process), for both measurements.
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EvaluationInputSchema, EvaluationSchema } from '@hcp/contracts';
import { type Database, migrate, openDatabase } from '@hcp/db';
import autocannon, { type Result } from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../apps/server/src/app';
import { validatorCompiler } from '../apps/server/src/http/validator';
import { ensureReferenceData } from '../apps/server/src/reference-data';
import { seedDemo } from '../apps/server/src/seed/seed-demo';
import { scratchDatabase } from './scratch-db';

const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    cases: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
  },
});
const CASES = Number(values.cases);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ADMIN_KEY = 'bench-admin-key-0123456789';
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const TARGET_RATIO = 0.4;
if (!(CASES >= 1 && SECONDS >= 1 && CONNECTIONS >= 1))
  throw new Error('--cases, --seconds and --connections must be positive');

const scratch = scratchDatabase(values.pg, 'hcp_bench');
const dbName = scratch.name;

const caseNoOf = (i: number) => `B${String((i % CASES) + 1).padStart(9, '0')}`;

/** Pre-loads completed cases with one INSERT … SELECT per chunk, copying valid catalogue codes. */
async function preloadCases(database: Database) {
  const chunk = 250_000;
  const started = performance.now();
  for (let from = 1; from <= CASES; from += chunk) {
    const to = Math.min(CASES, from + chunk - 1);
    await sql`
      WITH it AS (SELECT array_agg(code ORDER BY code) AS codes FROM items),
           counter AS (
             SELECT array_agg(s.staff_no ORDER BY s.staff_no) AS staff,
                    array_agg(s.window_no ORDER BY s.staff_no) AS windows,
                    array_agg(w.unit_code ORDER BY s.staff_no) AS units,
                    array_agg(u.path ORDER BY s.staff_no) AS paths
             FROM staff s JOIN windows w ON w.no = s.window_no JOIN units u ON u.code = w.unit_code)
      INSERT INTO cases (case_no, item_code, unit_code, unit_path, window_no, staff_no, applicant_kind,
        applicant_cert_type, applicant_cert_hash, applicant_name, applicant_name_enc, applicant_name_hash,
        promise_type, status, accepted_at, completed_at, source)
      SELECT 'B' || lpad(g::text, 9, '0'),
             it.codes[1 + g % cardinality(it.codes)],
             counter.units[1 + g % cardinality(counter.staff)],
             counter.paths[1 + g % cardinality(counter.staff)],
             counter.windows[1 + g % cardinality(counter.staff)],
             counter.staff[1 + g % cardinality(counter.staff)],
             'person', '111',
             encode(sha256(convert_to('cert:' || g, 'UTF8')), 'hex'),
             '张*',
             'v1.' || encode(sha256(convert_to('enc:' || g, 'UTF8')), 'base64'),
             encode(sha256(convert_to('name:' || g, 'UTF8')), 'hex'),
             'immediate', 'completed',
             now() - interval '2 hours' - (g % 3600) * interval '1 second',
             now() - interval '1 hour' - (g % 3600) * interval '1 second',
             'bench'
      FROM generate_series(${from}::int, ${to}::int) AS g, it, counter`.execute(database.db);
    process.stdout.write(`\r  cases ${to.toLocaleString('en')}/${CASES.toLocaleString('en')}`);
  }
  // As a live database would be: vacuumed and analysed, not mid-way through an autovacuum of the load.
  await sql`VACUUM ANALYZE cases`.execute(database.db);
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** The baseline: the same body schema and validator, a 201 with an evaluation-shaped body, no database. */
async function bareApp(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  let id = 0;
  app.post('/api/v1/evaluations', {
    schema: { body: EvaluationInputSchema, response: { 201: EvaluationSchema } },
    handler: async (req, reply) => {
      const b = req.body as {
        caseNo: string;
        round: number;
        level: number;
        channel: string;
        reasons?: string[];
      };
      id += 1;
      return reply.status(201).send({
        id: String(id),
        caseNo: b.caseNo,
        round: b.round,
        level: b.level,
        isDefault: false,
        channel: b.channel,
        catalogVersion: '2021.1',
        indicators: {},
        reasons: b.reasons ?? [],
        comment: null,
        itemCode: '11310000040450073X0000150010000',
        unitCode: 'SC310000',
        windowNo: 'SC310000-W01',
        staffNo: 'S0000001',
        flags: [],
        createdAt: new Date().toISOString(),
      });
    },
  });
  return app;
}

/** CPU seconds used so far by every PostgreSQL process on this machine (backends, WAL writer…), by pid. */
function postgresCpu(): Map<number, number> {
  const ticks = 100; // USER_HZ on Linux
  const out = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out; // not Linux: no figure
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const f = stat.slice(close + 2).split(' ');
      out.set(Number(pid), (Number(f[11]) + Number(f[12])) / ticks);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** PostgreSQL CPU seconds between two snapshots (processes started meanwhile count from zero). */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, s] of postgresCpu()) total += s - (before.get(pid) ?? 0);
  return total;
}

interface Load {
  result: Result;
  /** Completed requests per second, second by second. */
  perSecond: number[];
  peakRss: number;
  /** CPU seconds of this process (server and load generator) and of PostgreSQL during the load. */
  cpu: { node: number; postgres: number };
  /** Requests sent but not answered when autocannon stopped (it drops its sockets at the end). */
  cutOff: { key: string; body: string }[];
}

/** Runs autocannon against `base`; each request rates another case with its own Idempotency-Key. */
async function load(base: string, reasonCode: string, tag: string, offset: number): Promise<Load> {
  let next = offset;
  const pending = new Map<string, string>();
  const instance = autocannon({
    url: `${base}/api/v1/evaluations`,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 30,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    requests: [
      {
        setupRequest: (req, context) => {
          const i = next++;
          // Mostly top ratings; one in ten is a bad rating with a catalogue reason.
          const body = JSON.stringify(
            i % 10 === 9
              ? {
                  caseNo: caseNoOf(i),
                  round: 1,
                  level: 1,
                  reasons: [reasonCode],
                  channel: 'app',
                  account: `u${i % 5000}`,
                }
              : { caseNo: caseNoOf(i), round: 1, level: 5, channel: 'app', account: `u${i % 5000}` },
          );
          const key = `${tag}-${i}`;
          context.key = key;
          pending.set(key, body);
          return { ...req, headers: { ...req.headers, 'idempotency-key': key }, body };
        },
        onResponse: (_status, _body, context) => {
          pending.delete(context.key as string);
        },
      },
    ],
  });
  const perSecond: number[] = [];
  instance.on('tick', ({ counter }: { counter: number }) => perSecond.push(counter));
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpu();
  const result = await instance;
  const used = process.cpuUsage(cpu0);
  const cpu = { node: (used.user + used.system) / 1e6, postgres: postgresCpuSince(pg0) };
  clearInterval(sampler);
  // The tick at the stop carries no requests; it is not a second of load.
  while (perSecond.length > 0 && perSecond.at(-1) === 0) perSecond.pop();
  return { result, perSecond, peakRss, cpu, cutOff: [...pending].map(([key, body]) => ({ key, body })) };
}

/** Waits until the number of stored ratings stops changing (the server has finished its work). */
async function settled(database: Database) {
  let last = -1;
  for (;;) {
    const { n } = await database.db
      .selectFrom('evaluations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(n) === last) return;
    last = Number(n);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

async function main() {
  console.log(
    `ingest bench: ${fmt(CASES)} cases, ${CONNECTIONS} connections, ${SECONDS} s, PostgreSQL scratch database ${dbName}`,
  );
  await scratch.create();
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  try {
    database = await openDatabase({ url: scratch.url });
    await migrate(database);
    await ensureReferenceData(database.db);
    const seeded = await seedDemo(database.db, { scale: 0.05 });
    console.log(
      `  catalogue: ${seeded.units} units, ${seeded.windows} windows, ${seeded.staff} staff, ${seeded.items} items`,
    );
    await preloadCases(database);

    // The baseline runs before and after the real run, and the ratio is to their mean: this machine's
    // speed drifts by a fifth over a minute, which one baseline taken first would book to the server.
    const bare = await bareApp();
    const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
    const before = await load(bareBase, 'R01', 'bare', 0);

    app = await buildApp({
      config: { adminKey: ADMIN_KEY, logLevel: 'silent', ratingWindowDays: 7, publicUrl: 'http://127.0.0.1' },
      database,
      secret: SECRET,
      web: false,
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const catalog = (await (await fetch(`${base}/api/v1/rating-catalog`)).json()) as {
      reasons: { code: string }[];
    };
    const run = await load(base, catalog.reasons[0]!.code, 'rate', 0);

    // Requests autocannon cut off at the end may have committed: once the server has settled, retry
    // them with their keys, so every rating stored has had its 2xx answer, and compare. (A retry that
    // races its original still in flight is another matter, tested in apps/server/test/crash.test.ts.)
    await settled(database);
    let retried2xx = 0;
    const retryRefusals: string[] = [];
    for (const { key, body } of run.cutOff) {
      const res = await fetch(`${base}/api/v1/evaluations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${ADMIN_KEY}`,
          'idempotency-key': key,
        },
        body,
      });
      if (res.status >= 200 && res.status < 300) retried2xx += 1;
      else retryRefusals.push(`${key}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    }
    await app.close();
    app = undefined;
    const after = await load(bareBase, 'R01', 'bare', 0);
    await bare.close();
    const rows = await database.db
      .selectFrom('evaluations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    const r = run.result;
    const ratingsPerSecond = r['2xx'] / r.duration;
    const bareRates = [before, after].map((l) => l.result['2xx'] / l.result.duration);
    const barePerSecond = avg(bareRates);
    const ratio = ratingsPerSecond / barePerSecond;
    const head = run.perSecond.slice(0, 5);
    const tail = run.perSecond.slice(-5);
    console.log('');
    console.log(
      `ratings     ${fmt(ratingsPerSecond)}/s  (${fmt(r['2xx'])} × 2xx in ${r.duration} s)  latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms` +
        `  non-2xx ${r.non2xx}  errors ${r.errors}  timeouts ${r.timeouts}  peak RSS ${mb(run.peakRss)}`,
    );
    console.log(
      `            first 5 s ${fmt(avg(head))}/s, last 5 s ${fmt(avg(tail))}/s; each second: ${run.perSecond.join(' ')}`,
    );
    for (const [label, l] of [
      ['bare before', before],
      ['bare after ', after],
    ] as const) {
      const b = l.result;
      console.log(
        `${label} ${fmt(b['2xx'] / b.duration)}/s  latency p50 ${b.latency.p50} ms  p99 ${b.latency.p99} ms  non-2xx ${b.non2xx}  peak RSS ${mb(l.peakRss)}`,
      );
    }
    const perRating = (seconds: number, n: number) => `${Math.round((seconds / n) * 1e6)} µs`;
    const bareCpu = (before.cpu.node + after.cpu.node) / (before.result['2xx'] + after.result['2xx']);
    console.log(
      `cpu         per rating: this process ${perRating(run.cpu.node, r['2xx'])} (bare ${perRating(bareCpu, 1)}; both include the load generator), PostgreSQL ${perRating(run.cpu.postgres, r['2xx'])}`,
    );
    console.log(
      `ratio       ${ratio.toFixed(2)} to the mean of the bare runs (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
    const answered2xx = r['2xx'] + retried2xx;
    console.log(
      `rows        evaluations ${fmt(Number(rows.n))} vs 2xx ${fmt(answered2xx)} (${fmt(r['2xx'])} + ${retried2xx} retried of ${run.cutOff.length} cut off at the end): ` +
        (Number(rows.n) === answered2xx ? 'OK' : 'MISMATCH'),
    );
    for (const refusal of retryRefusals) console.log(`            retry refused: ${refusal}`);
    if (Number(rows.n) !== answered2xx || r.non2xx > 0) process.exitCode = 1;
  } finally {
    if (app) await app.close();
    if (database) await database.close();
    await scratch.drop();
    console.log(`dropped ${dbName}`);
  }
}

await main();
