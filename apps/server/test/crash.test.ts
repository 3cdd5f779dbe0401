// SIGKILL durability of rating intake: the real server (from source, as a child process) is killed
// while ratings are in flight. After a restart on the same database, every request retried with its
// Idempotency-Key gets 201, the ones answered before the kill get the very same answer, and the
// database holds exactly one rating per case, including every rating that was answered 2xx.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '@hcp/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, findCounter, makeCase, rate } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { adminQuery } from './helpers/test-db';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = 'apps/server/src/main.ts';
const ADMIN_KEY = 'crash-test-admin-key-0123456789';
const SECRET = 'crash-test-secret-crash-test-secret-0123456789';
const CASE_COUNT = 300;
const IN_FLIGHT = 20;
/** The server is killed when this many ratings have been answered 201. */
const KILL_AFTER = 60;
const START_TIMEOUT_MS = 60_000;

const adminUrl = process.env.TEST_DATABASE_URL;
const dbKind = adminUrl ? 'postgres' : 'pglite';
const auth = { authorization: `Bearer ${ADMIN_KEY}` };

/** Where the server keeps its data: a scratch PostgreSQL database or a PGlite directory. */
interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

async function createTarget(): Promise<Target> {
  if (adminUrl) {
    const name = `hcp_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString(), HCP_SECRET: SECRET },
      open: () => openDatabase({ url: url.toString(), poolSize: 2 }),
      cleanup: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'hcp-crash-'));
  return {
    env: { DATA_DIR: dir },
    open: () => openDatabase({ dataDir: dir }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The environment of a child: ours without any server setting, plus the target's. */
function childEnv(target: Target): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(HCP_|DATABASE_URL$|TEST_DATABASE_URL$|DATA_DIR$|PORT$|HOST$|LOG_LEVEL$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...target.env, HOST: '127.0.0.1', PORT: '0', HCP_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'warn' };
}

const children = new Set<ChildProcess>();

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

/** Runs the CLI from source through tsx's loader. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, exited, output: () => output };
}

async function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const p = spawnCli(args, env);
  const code = await p.exited;
  if (code !== 0) throw new Error(`hcp ${args.join(' ')} exited ${code}:\n${p.output()}`);
}

/** Starts `hcp serve` on a free port (PORT=0) and resolves with its address once it listens. */
async function startServer(env: NodeJS.ProcessEnv): Promise<Running> {
  const p = spawnCli(['serve'], env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${p.output()}`)),
      START_TIMEOUT_MS,
    );
    const look = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(p.output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    p.child.stdout!.on('data', look);
    void p.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code} before listening:\n${p.output()}`));
    });
  });
  return { ...p, url };
}

async function stopGracefully(s: Running) {
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
  await s.exited;
  clearTimeout(timer);
}

interface Outcome {
  status?: number;
  body?: Record<string, unknown>;
  error?: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Sends requests `IN_FLIGHT` at a time; `stop()` true means start no more. */
async function fire(
  count: number,
  send: (i: number) => Promise<Outcome>,
  onAnswer: (i: number, o: Outcome) => void = () => {},
  stop: () => boolean = () => false,
) {
  const outcomes: (Outcome | undefined)[] = Array.from({ length: count }, () => undefined);
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) {
      const i = next++;
      try {
        outcomes[i] = await send(i);
      } catch (error) {
        outcomes[i] = { error: String((error as Error & { cause?: unknown }).cause ?? error) };
      }
      onAnswer(i, outcomes[i]!);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return outcomes;
}

describe(`ratings survive SIGKILL of the server (${dbKind})`, () => {
  let target: Target;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    target = await createTarget();
    env = childEnv(target);
    // `hcp serve` migrates but never seeds: load the small demo catalogue first.
    await runCli(['seed', '--demo', '--scale', '0.05'], env);
  }, 90_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    await target?.cleanup();
  }, 30_000);

  it('answers every retried rating 201 after a restart, the same answer for those answered before, one rating per case', async () => {
    // 1. Start the server and push completed cases.
    const first = await startServer(env);
    const items = (await (await fetch(`${first.url}/api/v1/items?limit=1`)).json()) as {
      items: { code: string }[];
    };
    const staff = (await (await fetch(`${first.url}/api/v1/staff?limit=1`, { headers: auth })).json()) as {
      items: { staffNo: string; unitCode: string; windowNo: string | null }[];
    };
    const catalog = (await (await fetch(`${first.url}/api/v1/rating-catalog`)).json()) as {
      reasons: { code: string }[];
    };
    const s = staff.items[0]!;
    const run = randomBytes(3).toString('hex');
    const now = Date.now();
    const cases = Array.from({ length: CASE_COUNT }, (_, i) => ({
      caseNo: `CR${run}${String(i).padStart(4, '0')}`,
      itemCode: items.items[0]!.code,
      unitCode: s.unitCode,
      ...(s.windowNo ? { windowNo: s.windowNo } : {}),
      staffNo: s.staffNo,
      applicant: {
        kind: 'person',
        certType: '111',
        certNo: `31010119900101${String(i).padStart(4, '0')}`,
        name: '张三',
      },
      acceptedAt: new Date(now - 7_200_000).toISOString(),
      completedAt: new Date(now - 3_600_000).toISOString(),
      status: 'completed',
      promiseType: 'immediate',
    }));
    const pushed = await post(`${first.url}/api/v1/cases/batch`, { cases });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const results = (pushed.body as { results: { outcome: string }[] }).results;
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(CASE_COUNT);

    const ratings = cases.map((c, i) => ({
      key: `crash-${run}-${i}`,
      body: {
        caseNo: c.caseNo,
        round: 1,
        channel: 'app',
        deviceId: `device-${i % 7}`,
        ...(i % 10 === 9 ? { level: 1, reasons: [catalog.reasons[0]!.code] } : { level: 5 }),
      },
    }));
    const send = (base: string) => (i: number) =>
      post(`${base}/api/v1/evaluations`, ratings[i]!.body, { 'idempotency-key': ratings[i]!.key });

    // 2. Rate 20 at a time; SIGKILL the server from inside the answer callback of the KILL_AFTER-th 201.
    let ok = 0;
    let killed = false;
    let inFlightAtKill = 0;
    let sent = 0;
    let answered = 0;
    const before = await fire(
      CASE_COUNT,
      (i) => {
        sent += 1;
        return send(first.url)(i);
      },
      (_i, o) => {
        answered += 1;
        if (o.status === 201) ok += 1;
        if (!killed && ok >= KILL_AFTER) {
          killed = true;
          inFlightAtKill = sent - answered;
          first.child.kill('SIGKILL');
        }
      },
      () => killed,
    );
    await first.exited;
    const killedAt = Date.now();
    expect(killed).toBe(true);
    expect(inFlightAtKill, 'requests in flight when the server was killed').toBeGreaterThan(0);
    const answeredBefore = before.filter((o) => o?.status !== undefined);
    for (const o of answeredBefore) expect(o!.status, JSON.stringify(o!.body)).toBe(201);
    const ok201Before = answeredBefore.length;
    const failedBefore = before.filter((o) => o?.error !== undefined).length;
    const unsent = before.filter((o) => o === undefined).length;

    // 3. Restart on the same database; retry every request with its key and body.
    const second = await startServer(env);
    const after = await fire(CASE_COUNT, send(second.url));
    after.forEach((o, i) => {
      expect(o?.status, `retry ${i}: ${JSON.stringify(o)}`).toBe(201);
      const b = before[i];
      if (b?.status === 201) expect(o!.body, `retry ${i} must repeat the first answer`).toEqual(b.body);
      expect(o!.body!.caseNo).toBe(ratings[i]!.body.caseNo);
    });
    // Ratings committed before the kill whose answer never arrived come back as replays.
    const committedUnanswered = after.filter(
      (o, i) => before[i]?.status !== 201 && Date.parse(String(o!.body!.createdAt)) < killedAt,
    ).length;
    await stopGracefully(second);

    // 4. The database: exactly one rating per case, and it is the one each answer named.
    const database = await target.open();
    try {
      const rows = await database.db
        .selectFrom('evaluations')
        .select(['id', 'case_no', 'round', 'level'])
        .where('case_no', 'like', `CR${run}%`)
        .execute();
      expect(rows).toHaveLength(CASE_COUNT);
      expect(new Set(rows.map((r) => `${r.case_no}:${r.round}`)).size).toBe(CASE_COUNT);
      const byId = new Map(rows.map((r) => [String(r.id), r]));
      after.forEach((o, i) => {
        const row = byId.get(String(o!.body!.id));
        expect(row, `rating ${i} (id ${String(o!.body!.id)}) is stored`).toBeDefined();
        expect(row!.case_no).toBe(ratings[i]!.body.caseNo);
        expect(row!.level).toBe(ratings[i]!.body.level);
      });
      for (const [i, o] of before.entries()) {
        if (o?.status === 201)
          expect(byId.has(String(o.body!.id)), `rating ${i} answered 201 before the kill`).toBe(true);
      }
      const keys = await database.db
        .selectFrom('idempotency_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('key', 'like', `crash-${run}-%`)
        .executeTakeFirstOrThrow();
      expect(Number(keys.n)).toBe(CASE_COUNT);
    } finally {
      await database.close();
    }

    console.log(
      `crash (${dbKind}): before SIGKILL ${ok201Before} × 201, ${inFlightAtKill} in flight at the kill, ${failedBefore} failed, ` +
        `${unsent} never sent; after restart ${after.filter((o) => o?.status === 201).length}/${CASE_COUNT} × 201 ` +
        `(${committedUnanswered} had committed without an answer), ${CASE_COUNT} ratings stored, no duplicates`,
    );
  }, 120_000);
});

// The same retry, but sent while the original is still being written (a client that timed out and
// retried at once). On PostgreSQL the writer runs several transactions at a time, so the retry can
// be decided in another transaction before the original commits.
describe(`a retry racing its original request (${dbKind})`, () => {
  const NOW = new Date('2026-03-02T02:00:00Z');
  let t: TestApp;
  let counter: Counter;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => NOW, sms: { send: async () => {} } });
    counter = await findCounter(t);
  });
  afterAll(() => t?.close());

  it('answers a retry sent while the original is in flight with the original 201, not 409 ALREADY_RATED', async () => {
    const cases = Array.from({ length: 40 }, () => {
      const c = makeCase(counter, new Date(NOW.getTime() - 3_600_000));
      return { ...c, applicant: { ...c.applicant, phone: undefined } };
    });
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases/batch',
      headers: asAdmin,
      payload: { cases },
    });
    expect(pushed.statusCode).toBe(200);
    const pairs = await Promise.all(
      cases.map(async (c, i) => {
        const body = { caseNo: c.caseNo, round: 1, level: 5, channel: 'app' };
        const key = `race-${c.caseNo}`;
        const original = rate(t, body, { key });
        await new Promise((r) => setTimeout(r, i % 4));
        const retry = rate(t, body, { key });
        return Promise.all([original, retry]);
      }),
    );
    // Whichever of the two commits second must answer with the first one's rating.
    const refused = pairs.flatMap(([o, r], i) =>
      o.statusCode === 201 && r.statusCode === 201
        ? []
        : [
            `pair ${i}: original ${o.statusCode}, retry ${r.statusCode} ${r.statusCode === 201 ? o.body : r.body}`,
          ],
    );
    expect(refused, `${refused.length} of ${pairs.length} pairs had a request refused`).toEqual([]);
    for (const [o, r] of pairs) expect(r.json()).toEqual(o.json());
  });
});
