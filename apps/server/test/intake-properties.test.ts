// Property-based tests of the intake endpoints against malformed requests: whatever the body, the
// answer is a 4xx in the one error shape naming a field, and the database is left as it was.
// Runs are reproducible: the seed is fixed (override with FC_SEED=<n>) and fast-check reports the
// counterexample and its path on failure.
import { CASE_STATUSES, CHANNEL_IDS, PROMISE_TYPES } from '@hcp/domain';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, findCounter, makeCase, pushCase, rate } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const NOW = new Date('2026-03-02T02:00:00Z');
const SEED = Number(process.env.FC_SEED ?? 20260302);
const runs = (numRuns: number) => ({ numRuns, seed: SEED });

type Obj = Record<string, unknown>;
type Path = (string | number)[];
interface Reply {
  statusCode: number;
  body: string;
}
interface ErrorBody {
  code?: unknown;
  message?: unknown;
  details?: { field?: unknown; reason?: unknown; evaluationId?: unknown };
}

const CASES = '/api/v1/cases';
const BATCH = '/api/v1/cases/batch';
const EVALUATIONS = '/api/v1/evaluations';
const ENDPOINTS = [CASES, BATCH, EVALUATIONS] as const;
const RATING_CHANNELS = CHANNEL_IDS.filter((c) => c !== 'default');
const ONLINE_CHANNELS = ['pc', 'app', 'wechat', 'alipay'] as const;

// ---------------------------------------------------------------------------------------------
// Generators of bad values

const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
const repeat = (min: number, max: number, ch = 'x') => fc.integer({ min, max }).map((n) => ch.repeat(n));
/** A string outside [min, max] characters (empty, just too long, or far too long). */
const lengthOutside = (min: number, max: number) =>
  fc.oneof(
    ...(min > 0 ? [fc.constant('')] : []),
    fc.string({ minLength: max + 1, maxLength: max + 20 }),
    repeat(max + 1, max + 5000, '好'),
  );
/** Breaks a `^[…]{1,n}$` pattern: empty, too long, or one forbidden character inside. */
const badPattern = (max: number, forbidden: string[]) =>
  fc.oneof(
    fc.constant(''),
    repeat(max + 1, max + 5000, 'A'),
    fc.tuple(alnum(0, 10), fc.constantFrom(...forbidden), alnum(0, 10)).map(([a, c, b]) => `${a}${c}${b}`),
  );
const badCaseNo = badPattern(64, [' ', '/', '.', '中', '\n', '+', '%', '\u0000', '*']);
const badCode = badPattern(50, [' ', '/', '.', '中', '\n', '+', '\u0000', ':']);
const badItemCode = badPattern(36, [' ', '-', '_', '/', '中', '\n']);
const notIn = (allowed: readonly string[]) =>
  fc.string({ maxLength: 20 }).filter((s) => !allowed.includes(s));
const notDateTime = fc.oneof(
  fc.constantFrom(
    '',
    '2024-01-01',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T00:00:00',
    '2024-01-01T00:00:00+24:00',
    'yesterday',
    '1700000000',
  ),
  // A local time without offset is not RFC 3339.
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 19)),
  fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d\d-\d\d[Tt\s]\d\d:\d\d:\d\d/.test(s)),
);
const notPhone = fc.string({ maxLength: 30 }).filter((s) => !/^\+?[0-9-]{5,20}$/.test(s));
const smallDict = fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.string({ maxLength: 5 }), {
  maxKeys: 2,
});

type Kind = 'string' | 'integer' | 'object' | 'array';
/** A JSON value of a type other than `kind` (no coercion: "5" is not an integer). */
const wrongType = (kind: Kind): fc.Arbitrary<unknown> => {
  const common = [fc.boolean(), fc.constant(null)];
  switch (kind) {
    case 'string':
      return fc.oneof(
        ...common,
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
        smallDict,
      );
    case 'integer':
      return fc.oneof(
        ...common,
        fc.stringMatching(/^[0-9]{1,2}$/),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
        fc.array(fc.integer(), { maxLength: 2 }),
        smallDict,
      );
    case 'object':
      return fc.oneof(
        ...common,
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.array(fc.integer(), { maxLength: 2 }),
      );
    case 'array':
      return fc.oneof(...common, fc.string({ maxLength: 10 }), fc.integer(), smallDict);
  }
};

interface FieldSpec {
  path: Path;
  required: boolean;
  kind: Kind;
  bad: fc.Arbitrary<unknown>;
}

const CASE_FIELDS: FieldSpec[] = [
  { path: ['caseNo'], required: true, kind: 'string', bad: badCaseNo },
  { path: ['itemCode'], required: true, kind: 'string', bad: badItemCode },
  { path: ['unitCode'], required: true, kind: 'string', bad: badCode },
  { path: ['windowNo'], required: false, kind: 'string', bad: badCode },
  { path: ['staffNo'], required: false, kind: 'string', bad: badCode },
  { path: ['applicant'], required: true, kind: 'object', bad: fc.constant({}) },
  { path: ['applicant', 'kind'], required: true, kind: 'string', bad: notIn(['person', 'organization']) },
  { path: ['applicant', 'certType'], required: true, kind: 'string', bad: lengthOutside(1, 20) },
  { path: ['applicant', 'certNo'], required: true, kind: 'string', bad: lengthOutside(1, 64) },
  { path: ['applicant', 'name'], required: true, kind: 'string', bad: lengthOutside(1, 100) },
  { path: ['applicant', 'phone'], required: false, kind: 'string', bad: notPhone },
  { path: ['acceptedAt'], required: true, kind: 'string', bad: notDateTime },
  { path: ['completedAt'], required: false, kind: 'string', bad: notDateTime },
  { path: ['status'], required: true, kind: 'string', bad: notIn(CASE_STATUSES) },
  { path: ['promiseType'], required: true, kind: 'string', bad: notIn(PROMISE_TYPES) },
];
const CASE_OBJECTS = [
  { path: [] as Path, keys: CASE_FIELDS.filter((f) => f.path.length === 1).map((f) => String(f.path[0])) },
  { path: ['applicant'] as Path, keys: ['kind', 'certType', 'certNo', 'name', 'phone'] },
];

const badIndicatorLevel = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 6 }),
  fc.constantFrom(2.5, '3', null, true),
);
const EVALUATION_FIELDS: FieldSpec[] = [
  { path: ['caseNo'], required: true, kind: 'string', bad: badCaseNo },
  {
    path: ['round'],
    required: true,
    kind: 'integer',
    bad: fc.oneof(
      fc.integer().filter((n) => n !== 1 && n !== 2),
      fc.constantFrom(1.5, 0.5),
    ),
  },
  {
    path: ['level'],
    required: true,
    kind: 'integer',
    bad: fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: 6 }),
      fc.double({ min: 1, max: 5, noNaN: true }).filter((d) => !Number.isInteger(d)),
    ),
  },
  {
    path: ['indicators'],
    required: false,
    kind: 'object',
    bad: fc
      .tuple(
        fc.stringMatching(/^[a-z_]{1,40}$/).filter((k) => k !== '__proto__'),
        badIndicatorLevel,
      )
      .map(([k, v]) => ({ [k]: v })),
  },
  {
    path: ['reasons'],
    required: false,
    kind: 'array',
    bad: fc.oneof(
      fc.array(fc.constant('r'), { minLength: 21, maxLength: 40 }),
      repeat(61, 5000).map((s) => [s]),
      fc.constantFrom([5], [null], [{}], [['a']]),
    ),
  },
  { path: ['comment'], required: false, kind: 'string', bad: repeat(2001, 300_000, '好') },
  { path: ['channel'], required: true, kind: 'string', bad: notIn(RATING_CHANNELS) },
  { path: ['deviceId'], required: false, kind: 'string', bad: lengthOutside(1, 100) },
  { path: ['account'], required: false, kind: 'string', bad: lengthOutside(1, 100) },
];
const EVALUATION_OBJECTS = [{ path: [] as Path, keys: EVALUATION_FIELDS.map((f) => String(f.path[0])) }];

interface Mutation {
  why: string;
  path: Path;
  remove?: true;
  value?: unknown;
}

const extraKey = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,19}$/)
  .filter((k) => k !== '__proto__' && k !== 'constructor');
const extraValue = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));

/** One field removed, given a wrong type or an out-of-range value, or an unknown property added. */
function mutationOf(fields: FieldSpec[], objects: { path: Path; keys: string[] }[]): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc
      .constantFrom(...fields.filter((f) => f.required))
      .map((f): Mutation => ({ why: 'missing', path: f.path, remove: true })),
    fc
      .constantFrom(...fields)
      .chain((f) => wrongType(f.kind).map((value): Mutation => ({ why: 'wrong type', path: f.path, value }))),
    fc
      .constantFrom(...fields)
      .chain((f) => f.bad.map((value): Mutation => ({ why: 'out of range', path: f.path, value }))),
    fc
      .tuple(fc.constantFrom(...objects), extraKey, extraValue)
      .filter(([o, k]) => !o.keys.includes(k))
      .map(([o, k, value]): Mutation => ({ why: 'unknown property', path: [...o.path, k], value })),
  );
}

function applyMutation(body: Obj, m: Mutation, prefix: Path = []): Obj {
  const copy = structuredClone(body);
  const path = [...prefix, ...m.path];
  let o = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (m.remove) delete o[last];
  else o[last] = m.value;
  return copy;
}

/** The field a schema error about path `path` may name: the path itself or something inside it. */
const schemaField = (path: Path) => {
  const expected = ['body', ...path].join('.');
  return (field: string) => field === expected || field.startsWith(`${expected}.`);
};

// ---------------------------------------------------------------------------------------------

describe(`malformed intake requests are refused without side effects (${dbKind})`, () => {
  let t: TestApp;
  let counter: Counter;
  let reasonCodes: string[];
  /** A completed case inside its rating window, never rated: every rating attempt on it must fail. */
  let open: string;
  /** A completed case whose window has closed. */
  let closed: string;
  /** A completed case (status cannot go back). */
  let done: Obj;
  /** A case already rated with the key below and the body below. */
  let rated: string;
  const usedKey = 'props-used-key-1';
  let ratedBody: Obj;

  const inject = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...asAdmin, ...headers }, payload: payload as object });
  const raw = (url: string, payload: string | Buffer, contentType: string | null) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...asAdmin, ...(contentType === null ? {} : { 'content-type': contentType }) },
      payload,
    });

  /** Row count and a digest of every row of the intake tables. */
  async function snapshot() {
    const digest = (table: string) =>
      sql<string>`(select count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') from ${sql.table(table)} x)`;
    const { rows } = await sql<Record<string, string>>`select
      ${digest('cases')} as cases,
      ${digest('evaluations')} as evaluations,
      ${digest('idempotency_keys')} as idempotency_keys,
      ${digest('rating_tokens')} as rating_tokens`.execute(t.database.db);
    return rows[0]!;
  }

  /** Sends, then checks: a 4xx in the error shape naming a field that `field` accepts; nothing stored. */
  async function expectRefused(send: () => Promise<Reply>, field: (f: string) => boolean, what: string) {
    const before = await snapshot();
    const res = await send();
    const context = `${what}: ${res.statusCode} ${res.body.slice(0, 500)}`;
    expect(res.statusCode, context).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, context).toBeLessThan(500);
    const body = JSON.parse(res.body) as ErrorBody;
    expect(typeof body.code, context).toBe('string');
    expect(typeof body.message, context).toBe('string');
    expect(typeof body.details?.field, context).toBe('string');
    expect(field(body.details!.field as string), `unexpected details.field in ${context}`).toBe(true);
    expect(await snapshot(), `database changed after ${context}`).toEqual(before);
    return { status: res.statusCode, body };
  }

  // Valid bodies, to be broken one field at a time.
  const validCase = (): fc.Arbitrary<Obj> =>
    fc
      .record({
        caseNo: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        kind: fc.constantFrom('person', 'organization'),
        certType: fc.constantFrom('111', '001', '414'),
        certNo: fc.constantFrom('11010519491231002X', '91310000MA1FL0XXXX', 'E12345678'),
        name: fc.constantFrom('王小明', '李四', 'Zhang San', '上海某某有限公司'),
        phone: fc.option(fc.stringMatching(/^\+?[0-9]{5,15}$/), { nil: undefined }),
        promiseType: fc.constantFrom(...PROMISE_TYPES),
        withWindow: fc.boolean(),
      })
      .map((r) => ({
        caseNo: r.caseNo,
        itemCode: counter.itemCode,
        unitCode: counter.unitCode,
        ...(r.withWindow ? { windowNo: counter.windowNo, staffNo: counter.staffNo } : {}),
        applicant: {
          kind: r.kind,
          certType: r.certType,
          certNo: r.certNo,
          name: r.name,
          ...(r.phone ? { phone: r.phone } : {}),
        },
        acceptedAt: new Date(NOW.getTime() - 7_200_000).toISOString(),
        completedAt: new Date(NOW.getTime() - 3_600_000).toISOString(),
        status: 'completed',
        promiseType: r.promiseType,
      }));
  const validRating = (): fc.Arbitrary<Obj> =>
    fc
      .record({
        level: fc.integer({ min: 1, max: 5 }),
        channel: fc.constantFrom(...ONLINE_CHANNELS),
        comment: fc.option(fc.constantFrom('很好', 'slow service', '窗口人员态度好'), { nil: undefined }),
        deviceId: fc.option(fc.constantFrom('pad-1', 'kiosk-7'), { nil: undefined }),
        account: fc.option(fc.constantFrom('u1001', 'u2002'), { nil: undefined }),
      })
      .map((r) => ({
        caseNo: open,
        round: 1,
        level: r.level,
        channel: r.channel,
        ...(r.level <= 2 ? { reasons: [reasonCodes[0]!] } : {}),
        ...(r.comment ? { comment: r.comment } : {}),
        ...(r.deviceId ? { deviceId: r.deviceId } : {}),
        ...(r.account ? { account: r.account } : {}),
      }));
  const noPhone = (c: ReturnType<typeof makeCase>) => ({
    ...c,
    applicant: { ...c.applicant, phone: undefined },
  });

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => NOW, sms: { send: async () => {} } });
    counter = await findCounter(t);
    const catalog = await t.app.inject({ url: '/api/v1/rating-catalog' });
    reasonCodes = (catalog.json() as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(reasonCodes.length).toBeGreaterThan(1);
    // Fixture cases carry no phone, so no invitation (rating token) is minted behind our back.
    const openCase = noPhone(makeCase(counter, new Date(NOW.getTime() - 3_600_000)));
    const closedCase = noPhone(makeCase(counter, new Date(NOW.getTime() - 30 * 86_400_000)));
    const doneCase = noPhone(makeCase(counter, new Date(NOW.getTime() - 3_600_000)));
    const ratedCase = noPhone(makeCase(counter, new Date(NOW.getTime() - 3_600_000)));
    for (const c of [openCase, closedCase, doneCase, ratedCase])
      expect((await pushCase(t, c)).statusCode).toBe(201);
    open = openCase.caseNo;
    closed = closedCase.caseNo;
    done = JSON.parse(JSON.stringify(doneCase)) as Obj;
    rated = ratedCase.caseNo;
    ratedBody = { caseNo: rated, round: 1, level: 5, channel: 'pc' };
    expect((await rate(t, ratedBody, { key: usedKey })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  it('refuses arbitrary JSON values and garbage text on every endpoint (400, field body…)', async () => {
    const payload = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
      fc.jsonValue().map((v) => (JSON.stringify(v) ?? 'null').slice(0, -1)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), payload, async (url, body) => {
        await expectRefused(
          () => raw(url, body, 'application/json'),
          (f) => f.startsWith('body'),
          `${url} ${String(body).slice(0, 80)}`,
        );
      }),
      runs(150),
    );
  }, 60_000);

  it('refuses JSON that tries prototype pollution (400, field body)', async () => {
    for (const url of ENDPOINTS) {
      for (const payload of [
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
      ]) {
        await expectRefused(
          () => raw(url, payload, 'application/json'),
          (f) => f === 'body',
          `${url} ${payload}`,
        );
      }
    }
  });

  it('refuses a case with one field missing, mistyped, out of range or unknown (400 naming it)', async () => {
    await fc.assert(
      fc.asyncProperty(validCase(), mutationOf(CASE_FIELDS, CASE_OBJECTS), async (c, m) => {
        await expectRefused(
          () => inject(CASES, applyMutation(c, m)),
          schemaField(m.path),
          `${m.why} ${m.path.join('.')}`,
        );
      }),
      runs(150),
    );
  }, 60_000);

  it('refuses a whole batch when one record is malformed, storing none of it (400 naming the record field)', async () => {
    const batch = fc
      .array(validCase(), { minLength: 1, maxLength: 3 })
      .chain((cases) => fc.tuple(fc.constant(cases), fc.nat({ max: cases.length - 1 })));
    await fc.assert(
      fc.asyncProperty(batch, mutationOf(CASE_FIELDS, CASE_OBJECTS), async ([cases, i], m) => {
        const body = applyMutation({ cases }, m, ['cases', i]);
        await expectRefused(
          () => inject(BATCH, body),
          schemaField(['cases', i, ...m.path]),
          `record ${i}: ${m.why} ${m.path.join('.')}`,
        );
      }),
      runs(100),
    );
  }, 60_000);

  it('refuses a malformed batch envelope (400, field body…)', async () => {
    const envelope = fc.oneof(
      fc.constantFrom<unknown>(
        {},
        { cases: [] },
        { cases: {} },
        { cases: null },
        { cases: 'all' },
        { cases: [null] },
        { cases: [1, 2] },
      ),
      validCase().map((c) => [c]),
      validCase().map((c) => ({ case: c })),
      fc
        .tuple(
          validCase(),
          extraKey.filter((k) => k !== 'cases'),
          extraValue,
        )
        .map(([c, k, v]) => ({ cases: [c], [k]: v })),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (body) => {
        await expectRefused(
          () => inject(BATCH, body),
          (f) => f.startsWith('body'),
          JSON.stringify(body).slice(0, 100),
        );
      }),
      runs(60),
    );
    // More than 1,000 records.
    const many = Array.from({ length: 1001 }, () => noPhone(makeCase(counter, NOW)));
    await expectRefused(
      () => inject(BATCH, { cases: many }),
      (f) => f === 'body.cases',
      '1001 records',
    );
  }, 60_000);

  it('refuses a rating with one field missing, mistyped, out of range or unknown (400 naming it)', async () => {
    await fc.assert(
      fc.asyncProperty(
        validRating(),
        mutationOf(EVALUATION_FIELDS, EVALUATION_OBJECTS),
        fc.option(fc.uuid(), { nil: undefined }),
        async (r, m, key) => {
          await expectRefused(
            () => inject(EVALUATIONS, applyMutation(r, m), key ? { 'idempotency-key': key } : {}),
            schemaField(m.path),
            `${m.why} ${m.path.join('.')}`,
          );
        },
      ),
      runs(150),
    );
  }, 60_000);

  it('refuses a schema-valid case that breaks a rule (4xx naming the field), storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(validCase(), caseRuleBreak(), async (c, b) => {
        const body = b.body(c);
        const { status } = await expectRefused(
          () => inject(CASES, body),
          (f) => f === b.field,
          b.why,
        );
        expect(status).toBe(b.status);
      }),
      runs(100),
    );
  }, 60_000);

  it('answers a batch whose every record breaks a rule with each record rejected, storing nothing', async () => {
    const records = fc.array(fc.tuple(validCase(), caseRuleBreak()), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(records, async (rs) => {
        const cases = rs.map(([c, b]) => b.body(c));
        const before = await snapshot();
        const res = await inject(BATCH, { cases });
        expect(res.statusCode, res.body).toBe(200);
        const results = (res.json() as { results: { caseNo: string; outcome: string; error?: ErrorBody }[] })
          .results;
        expect(results).toHaveLength(cases.length);
        const seen = new Set<string>();
        results.forEach((r, i) => {
          const caseNo = String(cases[i]!.caseNo);
          const field = seen.has(caseNo) ? 'caseNo' : rs[i]![1].field;
          seen.add(caseNo);
          expect(r.outcome, JSON.stringify(r)).toBe('rejected');
          expect(typeof r.error?.code).toBe('string');
          expect(typeof r.error?.message).toBe('string');
          expect(r.error?.details?.field, JSON.stringify(r)).toBe(field);
        });
        expect(await snapshot()).toEqual(before);
      }),
      runs(40),
    );
  }, 60_000);

  it('refuses a schema-valid rating that breaks a rule (4xx naming the field), storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        validRating(),
        ratingRuleBreak(),
        fc.option(fc.uuid(), { nil: undefined }),
        async (r, b, key) => {
          const useKey = b.key ?? key;
          const { status } = await expectRefused(
            () => inject(EVALUATIONS, b.body(r), useKey ? { 'idempotency-key': useKey } : {}),
            (f) => f === b.field,
            b.why,
          );
          expect(status).toBe(b.status);
        },
      ),
      runs(120),
    );
  }, 60_000);

  it('refuses a second rating of a rated case (409 ALREADY_RATED), storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(validRating(), fc.option(fc.uuid(), { nil: undefined }), async (r, key) => {
        const before = await snapshot();
        const res = await inject(EVALUATIONS, { ...r, caseNo: rated }, key ? { 'idempotency-key': key } : {});
        expect(res.statusCode, res.body).toBe(409);
        const body = res.json() as ErrorBody;
        expect(body.code).toBe('CONFLICT');
        expect(body.details?.reason).toBe('ALREADY_RATED');
        expect(typeof body.details?.evaluationId).toBe('string');
        expect(await snapshot()).toEqual(before);
      }),
      runs(30),
    );
  }, 60_000);

  it('refuses wrong content types (400 or 415, field body)', async () => {
    const contentType = fc.constantFrom<string | null>(
      null,
      'text/plain',
      'text/html',
      'text/json',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/jsonx',
      'application/vnd.api+json',
      'image/png',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        contentType,
        fc.boolean(),
        validCase(),
        validRating(),
        async (url, type, asJson, c, r) => {
          const valid = url === CASES ? c : url === BATCH ? { cases: [c] } : r;
          const payload = asJson ? JSON.stringify(valid) : 'caseNo=1&level=5';
          const { status } = await expectRefused(
            () => raw(url, payload, type),
            (f) => f === 'body',
            `${url} ${type}`,
          );
          expect([400, 415]).toContain(status);
        },
      ),
      runs(60),
    );
  }, 60_000);

  it('refuses huge strings in any text field (400 naming it, or 413 when over the body limit)', async () => {
    const caseText = CASE_FIELDS.filter((f) => f.kind === 'string').map((f) => f.path);
    const ratingText = EVALUATION_FIELDS.filter((f) => f.kind === 'string').map((f) => f.path);
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...ENDPOINTS)
          .chain((url) =>
            fc.tuple(fc.constant(url), fc.constantFrom(...(url === EVALUATIONS ? ratingText : caseText))),
          ),
        fc.integer({ min: 100_000, max: 1_300_000 }),
        fc.constantFrom('x', '好', '9'),
        validCase(),
        validRating(),
        async ([url, path], n, ch, c, r) => {
          const huge = ch.repeat(n);
          const body =
            url === CASES
              ? applyMutation(c, { why: 'huge', path, value: huge })
              : url === BATCH
                ? applyMutation({ cases: [c] }, { why: 'huge', path, value: huge }, ['cases', 0])
                : applyMutation(r, { why: 'huge', path, value: huge });
          const size = Buffer.byteLength(JSON.stringify(body));
          const limit = url === BATCH ? 4 * 1024 * 1024 : 1024 * 1024;
          const prefix = url === BATCH ? ['cases', 0, ...path] : path;
          const { status } = await expectRefused(
            () => inject(url, body),
            size > limit ? (f) => f === 'body' : schemaField(prefix),
            `${url} ${path.join('.')} ${n}×${ch} (${size} bytes)`,
          );
          expect(status).toBe(size > limit ? 413 : 400);
        },
      ),
      runs(30),
    );
    // A batch body over its 4 MiB limit.
    const huge = {
      cases: [noPhone(makeCase(counter, NOW, { caseNo: 'HUGE1' })), { junk: 'x'.repeat(4.5 * 1024 * 1024) }],
    };
    const { status } = await expectRefused(
      () => inject(BATCH, huge),
      (f) => f === 'body',
      'batch over 4 MiB',
    );
    expect(status).toBe(413);
  }, 60_000);

  it('refuses an Idempotency-Key that is empty or too long (400, field headers.idempotency-key)', async () => {
    await fc.assert(
      fc.asyncProperty(validRating(), fc.oneof(fc.constant(''), repeat(101, 2000, 'k')), async (r, key) => {
        await expectRefused(
          () => inject(EVALUATIONS, r, { 'idempotency-key': key }),
          (f) => f === 'headers.idempotency-key',
          `key of ${key.length} characters`,
        );
      }),
      runs(20),
    );
  });

  // Values that pass the schema but that PostgreSQL cannot store must still get a 4xx, not a 500.
  describe('values the database cannot store', () => {
    const withNul = (max: number) =>
      fc
        .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
        .map(([a, b]) => `${a}\u0000${b}`)
        .filter((s) => s.length <= max);
    const day = fc.date({ min: new Date('2020-01-01'), max: new Date('2026-02-28'), noInvalidDate: true });
    const unstorableDateTime = fc.oneof(
      // Year 0000 is RFC 3339, but PostgreSQL has no year 0.
      day.map((d) => `0000${d.toISOString().slice(4)}`),
      // Offsets up to ±23:59 are RFC 3339; PostgreSQL takes at most ±15:59.
      fc
        .tuple(
          day,
          fc.constantFrom('+', '-'),
          fc.integer({ min: 16, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map(
          ([d, s, h, m]) =>
            `${d.toISOString().slice(0, 19)}${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`,
        ),
    );
    const either = (path: Path) => {
      const inBody = schemaField(path);
      return (f: string) => inBody(f) || f === path.join('.');
    };

    /** Sends the case alone and in a batch of one: 4xx (or the record rejected), never 500; nothing stored. */
    async function expectCaseRefused(c: Obj, path: Path, value: unknown, batched: boolean) {
      const body = applyMutation(c, { why: 'unstorable', path, value });
      const what = `${path.join('.')}=${JSON.stringify(value)}`;
      if (!batched) {
        await expectRefused(() => inject(CASES, body), either(path), what);
        return;
      }
      // In a batch: either the whole batch is refused, or the record is, and nothing is stored.
      const before = await snapshot();
      const res = await inject(BATCH, { cases: [body] });
      expect(res.statusCode, `${what} in a batch: ${res.body}`).toBeLessThan(500);
      if (res.statusCode === 200) {
        const [r] = (res.json() as { results: { outcome: string; error?: ErrorBody }[] }).results;
        expect(r?.outcome).toBe('rejected');
        expect(r?.error?.details?.field).toBe(path.join('.'));
      } else {
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect((res.json() as ErrorBody).details?.field).toSatisfy((f: string) =>
          schemaField(['cases', 0, ...path])(f),
        );
      }
      expect(await snapshot()).toEqual(before);
    }
    const sampleCase = (kind: 'person' | 'organization') => {
      const [sample] = fc.sample(validCase(), { numRuns: 1, seed: SEED });
      return { ...sample!, applicant: { ...(sample!.applicant as Obj), kind } };
    };

    it('refuses a case with a NUL character in the applicant name or certificate type (4xx, not 500 or 201)', async () => {
      const bad = fc.oneof(
        fc.tuple(fc.constantFrom<Path>(['applicant', 'name']), withNul(100)),
        fc.tuple(fc.constantFrom<Path>(['applicant', 'certType']), withNul(20)),
      );
      await fc.assert(
        fc.asyncProperty(validCase(), bad, fc.boolean(), (c, [path, value], batched) =>
          expectCaseRefused(c, path, value, batched),
        ),
        {
          ...runs(60),
          examples: [
            [sampleCase('organization'), [['applicant', 'name'], '某某\u0000公司'], false],
            [sampleCase('person'), [['applicant', 'name'], '王\u0000明'], false],
          ],
        },
      );
    }, 60_000);

    it('refuses a case with a date-time PostgreSQL cannot hold: year 0000, offset beyond ±15:59 (4xx, not 500)', async () => {
      const bad = fc.tuple(fc.constantFrom<Path>(['acceptedAt']), unstorableDateTime);
      await fc.assert(
        fc.asyncProperty(validCase(), bad, fc.boolean(), (c, [path, value], batched) =>
          expectCaseRefused(c, path, value, batched),
        ),
        {
          ...runs(60),
          examples: [
            [sampleCase('person'), [['acceptedAt'], '0000-01-01T00:00:00Z'], false],
            [sampleCase('person'), [['acceptedAt'], '2026-03-01T00:00:00+20:00'], true],
          ],
        },
      );
    }, 60_000);

    it('refuses a case whose leap-second acceptedAt makes it end before it began (4xx, not 500)', async () => {
      const c = noPhone(
        makeCase(counter, NOW, {
          acceptedAt: '2026-02-28T23:59:60.5Z',
          completedAt: '2026-03-01T00:00:00.1Z',
        }),
      );
      await expectRefused(
        () => inject(CASES, c),
        (f) => either(['acceptedAt'])(f) || either(['completedAt'])(f),
        'leap second',
      );
    });

    it('refuses a rating with a NUL character in comment, deviceId or account', async () => {
      const bad = fc.tuple(fc.constantFrom<Path>(['comment'], ['deviceId'], ['account']), withNul(100));
      await fc.assert(
        fc.asyncProperty(validRating(), bad, async (r, [path, value]) => {
          const body = applyMutation(r, { why: 'unstorable', path, value });
          await expectRefused(
            () => inject(EVALUATIONS, body),
            either(path),
            `${path.join('.')}=${JSON.stringify(value)}`,
          );
        }),
        {
          ...runs(60),
          examples: [[{ caseNo: open, round: 1, level: 5, channel: 'pc' }, [['comment'], 'good\u0000']]],
        },
      );
    }, 60_000);
  });

  // ---------------------------------------------------------------------------------------------
  // Rule breaks: schema-valid bodies that a rule refuses. Each changes one thing of a valid body.

  interface RuleBreak {
    why: string;
    body: (valid: Obj) => Obj;
    field: string;
    status: number;
    key?: string;
  }

  function caseRuleBreak(): fc.Arbitrary<RuleBreak> {
    const zz = alnum(1, 20).map((s) => `ZZ${s}`);
    const unknownRef = (field: string) =>
      zz.map(
        (v): RuleBreak => ({
          why: `unknown ${field}`,
          body: (c) => ({ ...c, [field]: v }),
          field,
          status: 422,
        }),
      );
    return fc.oneof(
      unknownRef('itemCode'),
      unknownRef('unitCode'),
      unknownRef('windowNo'),
      unknownRef('staffNo'),
      fc.constant<RuleBreak>({
        why: 'completed without completedAt',
        body: (c) => ({ ...c, completedAt: undefined }),
        field: 'completedAt',
        status: 422,
      }),
      fc.constantFrom('pending', 'in_progress').map(
        (status): RuleBreak => ({
          why: `${status} with completedAt`,
          body: (c) => ({ ...c, status }),
          field: 'completedAt',
          status: 422,
        }),
      ),
      fc.integer({ min: 1, max: 1_000_000_000 }).map(
        (ms): RuleBreak => ({
          why: `completed ${ms} ms before accepted`,
          body: (c) => ({ ...c, completedAt: new Date(Date.parse(String(c.acceptedAt)) - ms).toISOString() }),
          field: 'completedAt',
          status: 422,
        }),
      ),
      fc.constantFrom('pending', 'in_progress').map(
        (status): RuleBreak => ({
          why: `completed case back to ${status}`,
          body: () => ({ ...done, status, completedAt: undefined }),
          field: 'status',
          status: 409,
        }),
      ),
    );
  }

  function ratingRuleBreak(): fc.Arbitrary<RuleBreak> {
    const suffix = fc.stringMatching(/^[a-z_]{0,20}$/);
    return fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/).map(
        (s): RuleBreak => ({
          why: 'unknown case',
          body: (r) => ({ ...r, caseNo: `NX${s}` }),
          field: 'caseNo',
          status: 422,
        }),
      ),
      fc.constant<RuleBreak>({
        why: 'window closed',
        body: (r) => ({ ...r, caseNo: closed }),
        field: 'caseNo',
        status: 422,
      }),
      fc.constant<RuleBreak>({
        why: 'round 2 without a bad round 1',
        body: (r) => ({ ...r, round: 2 }),
        field: 'round',
        status: 422,
      }),
      fc.tuple(fc.constantFrom(1, 2), fc.constantFrom(undefined, '', '   ', '\n\t')).map(
        ([level, comment]): RuleBreak => ({
          why: 'bad rating without a reason',
          body: (r) => ({ ...r, level, reasons: undefined, comment }),
          field: 'reasons',
          status: 422,
        }),
      ),
      fc.tuple(fc.boolean(), fc.stringMatching(/^[a-z0-9_]{0,20}$/)).map(
        ([withKnown, s]): RuleBreak => ({
          why: 'unknown reason',
          body: (r) => ({ ...r, level: 1, reasons: [...(withKnown ? [reasonCodes[0]!] : []), `zz_${s}`] }),
          field: withKnown ? 'reasons.1' : 'reasons.0',
          status: 422,
        }),
      ),
      fc.constant<RuleBreak>({
        why: 'reason given twice',
        body: (r) => ({ ...r, level: 2, reasons: [reasonCodes[1]!, reasonCodes[1]!] }),
        field: 'reasons.1',
        status: 422,
      }),
      fc
        .oneof(
          suffix.map((s) => `zz_${s}`),
          fc.constantFrom('BAD', 'x-y', 'a b', '中文', '1'),
        )
        .map(
          (key): RuleBreak => ({
            why: `unknown indicator ${key}`,
            body: (r) => ({ ...r, indicators: { [key]: 3 } }),
            field: `indicators.${key}`,
            status: 422,
          }),
        ),
      fc.constant<RuleBreak>({
        why: 'hotline ratings on the channel endpoint',
        body: (r) => ({ ...r, channel: 'hotline' }),
        field: 'channel',
        status: 422,
      }),
      fc.constant<RuleBreak>({
        why: 'Idempotency-Key reused for another request',
        body: (r) => ({ ...r, caseNo: rated, level: r.level === 5 ? 4 : r.level }),
        key: usedKey,
        field: 'headers.idempotency-key',
        status: 422,
      }),
    );
  }
});
