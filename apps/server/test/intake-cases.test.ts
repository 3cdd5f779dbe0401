import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDispatcher } from '../src/notify/dispatcher';
import { createProtector } from '../src/security/protector';
import { type Counter, findCounter, makeCase, pushCase } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, TEST_SECRET, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const NOW = new Date('2026-03-02T02:00:00Z');

describe(`cases from business systems (${dbKind})`, () => {
  let t: TestApp;
  let counter: Counter;
  const sent: { phone: string; text: string }[] = [];
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => NOW });
    counter = await findCounter(t);
  });
  /** One pass of the outbox dispatcher (the server runs it every second), sending SMS into `sent`. */
  const dispatch = () =>
    runDispatcher({
      db: t.database.db,
      now: () => NOW,
      protector: createProtector(TEST_SECRET),
      sms: { send: async (phone, text) => void sent.push({ phone, text }) },
      email: { send: async () => {} },
    });
  afterAll(() => t.close());

  it('stores a case without its certificate number or phone in clear, and shows the name masked', async () => {
    const c = makeCase(counter, NOW);
    const res = await pushCase(t, c);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      caseNo: c.caseNo,
      status: 'completed',
      applicant: { kind: 'person', name: '王**' },
    });
    expect(JSON.stringify(res.json())).not.toContain(c.applicant.certNo);
    const row = await t.database.db
      .selectFrom('cases')
      .selectAll()
      .where('case_no', '=', c.caseNo)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const secret of [c.applicant.certNo, c.applicant.phone!, c.applicant.name])
      expect(stored).not.toContain(secret);
    expect(row.unit_path.endsWith(`${counter.unitCode}/`)).toBe(true);
  });

  it('is idempotent by case number: an identical push changes nothing', async () => {
    const c = makeCase(counter, NOW);
    expect((await pushCase(t, c)).statusCode).toBe(201);
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases/batch',
      headers: asAdmin,
      payload: { cases: [c] },
    });
    expect(batch.json().results).toEqual([{ caseNo: c.caseNo, outcome: 'unchanged' }]);
  });

  it('moves status only forward', async () => {
    const c = makeCase(counter, NOW, { status: 'in_progress', completedAt: undefined });
    expect((await pushCase(t, c)).statusCode).toBe(201);
    const done = await pushCase(t, { ...c, status: 'completed', completedAt: NOW.toISOString() });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('completed');
    const back = await pushCase(t, { ...c, status: 'pending', completedAt: undefined });
    expect(back.statusCode).toBe(409);
    expect(back.json().details.field).toBe('status');
  });

  it.each([
    ['itemCode', { itemCode: 'NOSUCHITEM' }],
    ['unitCode', { unitCode: 'NOSUCHUNIT' }],
    ['windowNo', { windowNo: 'NOSUCHWINDOW' }],
    ['staffNo', { staffNo: 'NOSUCHSTAFF' }],
    ['completedAt', { completedAt: undefined }],
  ])('refuses a case with a bad %s (422), storing nothing', async (field, over) => {
    const c = makeCase(counter, NOW, over);
    const res = await pushCase(t, c);
    expect(res.statusCode).toBe(422);
    expect(res.json().details.field).toBe(field);
    expect(
      await t.database.db
        .selectFrom('cases')
        .select('case_no')
        .where('case_no', '=', c.caseNo)
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('answers a batch record by record', async () => {
    const good = makeCase(counter, NOW);
    const bad = makeCase(counter, NOW, { itemCode: 'NOSUCHITEM' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases/batch',
      headers: asAdmin,
      payload: { cases: [good, bad, good] },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json().results;
    expect(r.map((x: { outcome: string }) => x.outcome)).toEqual(['created', 'rejected', 'rejected']);
    expect(r[1].error.details.field).toBe('itemCode');
    expect(r[2].error.details.field).toBe('caseNo');
  });

  it('invites the applicant by SMS when a case completes, through the outbox, with a link that rates it', async () => {
    const c = makeCase(counter, NOW);
    await pushCase(t, c);
    // The invitation committed with the case, in the outbox, without the phone number.
    const queued = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'sms.invite')
      .execute();
    const mine = queued.find((q) => q.payload.caseNo === c.caseNo);
    expect(mine).toBeDefined();
    expect(JSON.stringify(mine)).not.toContain('13912345678');
    expect(sent).toEqual([]);
    await dispatch();
    const tokens = sent.flatMap((m) => {
      const token = /http:\/\/hcp\.test\/r\/(rt_[A-Za-z0-9_-]+)/.exec(m.text)?.[1];
      return token ? [{ token, phone: m.phone }] : [];
    });
    const found = [];
    for (const x of tokens) {
      const info = await t.app.inject({ url: `/api/v1/rating-tokens/${x.token}` });
      if (info.json().caseNo === c.caseNo) found.push({ ...x, info: info.json() });
    }
    expect(found).toHaveLength(1);
    expect(found[0]!.phone).toBe('13912345678');
    expect(found[0]!.info).toMatchObject({ caseNo: c.caseNo, round: 1 });
    expect(JSON.stringify(found[0]!.info)).not.toContain('王');
    // Pushing the same completed case again invites nobody twice.
    await pushCase(t, c);
    const again = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'sms.invite')
      .execute();
    expect(again.filter((q) => q.payload.caseNo === c.caseNo)).toHaveLength(1);
  });
});
