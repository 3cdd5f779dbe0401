import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, findCounter, makeCase, pushCase } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const NOW = new Date('2026-03-02T02:00:00Z');

describe(`cases from business systems (${dbKind})`, () => {
  let t: TestApp;
  let counter: Counter;
  const sent: { phone: string; text: string }[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      demoScale: 0.05,
      now: () => NOW,
      sms: { send: async (phone, text) => void sent.push({ phone, text }) },
    });
    counter = await findCounter(t);
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

  it('invites the applicant by SMS when a case completes, with a link that rates it', async () => {
    const c = makeCase(counter, NOW);
    await pushCase(t, c);
    // Invitations go out after commit, so earlier tests' may still arrive: find this case's one.
    const tokenFor = async () => {
      for (const m of sent) {
        const token = /http:\/\/hcp\.test\/r\/(rt_[A-Za-z0-9_-]+)/.exec(m.text)?.[1];
        if (!token) continue;
        const info = await t.app.inject({ url: `/api/v1/rating-tokens/${token}` });
        if (info.json().caseNo === c.caseNo) return { token, info: info.json(), phone: m.phone };
      }
      return null;
    };
    await expect.poll(tokenFor).not.toBeNull();
    const found = (await tokenFor())!;
    expect(found.phone).toBe('13912345678');
    expect(found.info).toMatchObject({ caseNo: c.caseNo, round: 1 });
    expect(JSON.stringify(found.info)).not.toContain('王');
  });
});
