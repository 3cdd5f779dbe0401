import { CHANNEL_IDS } from '@hcp/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDefaultRatings } from '../src/intake/sweep-default-ratings';
import { type Counter, findCounter, makeCase, pushCase, rate } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const T0 = new Date('2026-03-02T02:00:00Z');
const DAY = 86_400_000;

describe(`ratings on every channel (${dbKind})`, () => {
  let t: TestApp;
  let counter: Counter;
  let clock = T0;
  let staffReason: string;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock, sms: { send: async () => {} } });
    counter = await findCounter(t);
    staffReason = (await t.app.inject({ url: '/api/v1/rating-catalog' })).json().reasons[0].code;
  });
  afterAll(() => t.close());

  const newCase = async (over = {}) => {
    const c = makeCase(counter, clock, over);
    expect((await pushCase(t, c)).statusCode).toBe(201);
    return c;
  };
  const mintToken = async (caseNo: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseNo}/rating-tokens`,
      headers: asAdmin,
      payload: {},
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ token: string; qrSvg: string }>();
  };
  const stored = (caseNo: string) =>
    t.database.db.selectFrom('evaluations').selectAll().where('case_no', '=', caseNo).execute();

  it('walks each channel from case push to stored rating, with the three correspondences', async () => {
    for (const channel of CHANNEL_IDS) {
      const c = await newCase();
      let res: Awaited<ReturnType<typeof rate>> | null = null;
      if (channel === 'hotline') {
        res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/hotline/evaluations',
          headers: asAdmin,
          payload: { caseNo: c.caseNo, round: 1, level: 4, operatorId: 'OP-007' },
        });
      } else if (channel === 'qrcode' || channel === 'sms') {
        const { token } = await mintToken(c.caseNo);
        res = await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel }, { auth: `Bearer ${token}` });
      } else if (channel === 'default') {
        clock = new Date(T0.getTime() + 8 * DAY);
        const n = await sweepDefaultRatings(t.database.db, {
          now: clock,
          windowDays: 7,
          today: '2026-03-10',
        });
        clock = T0;
        expect(n).toBeGreaterThanOrEqual(1);
      } else {
        const deviceId = channel === 'window_pad' || channel === 'kiosk' ? `${channel}-01` : undefined;
        res = await rate(t, {
          caseNo: c.caseNo,
          round: 1,
          level: 5,
          channel,
          ...(deviceId ? { deviceId } : {}),
        });
      }
      if (res) expect(res.statusCode, `${channel}: ${res.body}`).toBe(201);
      const rows = await stored(c.caseNo);
      expect(rows, channel).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        channel,
        round: 1,
        is_default: channel === 'default',
        item_code: counter.itemCode,
        unit_code: counter.unitCode,
        window_no: counter.windowNo,
        staff_no: counter.staffNo,
      });
      expect(rows[0]!.applicant_hash).toMatch(/^[0-9a-f]{64}$/);
      // The case shows when it was rated: its round-1 rating's time.
      const shown = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${c.caseNo}`, headers: asAdmin });
      expect(shown.json().ratedAt).toBe(rows[0]!.created_at.toISOString());
    }
  });

  it('accepts one rating per case and round; a different second attempt is 409 naming the first', async () => {
    const c = await newCase();
    const first = await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'app' });
    expect(first.statusCode).toBe(201);
    const second = await rate(t, { caseNo: c.caseNo, round: 1, level: 1, channel: 'pc', comment: '态度差' });
    expect(second.statusCode).toBe(409);
    expect(second.json().details).toMatchObject({ reason: 'ALREADY_RATED', evaluationId: first.json().id });
  });

  it('answers a retry with the same Idempotency-Key with the first answer; a changed body is 422', async () => {
    const c = await newCase();
    const body = { caseNo: c.caseNo, round: 1, level: 4, channel: 'wechat' };
    const a = await rate(t, body, { key: 'k-1' });
    const b = await rate(t, body, { key: 'k-1' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toEqual(a.json());
    const reordered = await rate(
      t,
      { channel: 'wechat', level: 4, round: 1, caseNo: c.caseNo },
      { key: 'k-1' },
    );
    expect(reordered.json()).toEqual(a.json());
    const c2 = await rate(t, { ...body, level: 3 }, { key: 'k-1' });
    expect(c2.statusCode).toBe(422);
    expect(c2.json().details.reason).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stored(c.caseNo)).toHaveLength(1);
  });

  it.each([
    ['reasons', { level: 2 }],
    ['reasons.0', { level: 1, reasons: ['bribery'] }],
    ['indicators.usability', { level: 4, indicators: { usability: 4 } }],
    ['caseNo', { caseNo: 'NO-SUCH-CASE' }],
  ])('refuses a rating breaking a rule (%s) with 422, storing nothing', async (field, over) => {
    const c = await newCase();
    const res = await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'window_pad', ...over });
    expect(res.statusCode).toBe(422);
    expect(res.json().details.field).toBe(field);
    expect(await stored(c.caseNo)).toHaveLength(0);
  });

  it('takes a bad rating with a reason or a comment', async () => {
    const a = await newCase();
    expect(
      (await rate(t, { caseNo: a.caseNo, round: 1, level: 1, channel: 'pc', reasons: [staffReason] }))
        .statusCode,
    ).toBe(201);
    const b = await newCase();
    expect(
      (
        await rate(t, {
          caseNo: b.caseNo,
          round: 1,
          level: 2,
          channel: 'pc',
          comment: '材料要求与指南不一致',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('closes the window 7 days after completion and allows round 2 only after a bad round 1 whose ticket awaits it', async () => {
    const c = await newCase();
    clock = new Date(T0.getTime() + 7 * DAY + 1000);
    const late = await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'pc' });
    clock = T0;
    expect(late.statusCode).toBe(422);
    expect(late.json().details.reason).toBe('RATING_WINDOW_CLOSED');

    const good = await newCase();
    await rate(t, { caseNo: good.caseNo, round: 1, level: 5, channel: 'pc' });
    expect(
      (await rate(t, { caseNo: good.caseNo, round: 2, level: 5, channel: 'pc' })).json().details.reason,
    ).toBe('ROUND_NOT_OPEN');
    const bad = await newCase();
    await rate(t, { caseNo: bad.caseNo, round: 1, level: 1, channel: 'pc', comment: '来回跑了三次' });
    // Even after a bad round 1, round 2 waits until the ticket offers the fix (tickets.test.ts).
    const early = await rate(t, { caseNo: bad.caseNo, round: 2, level: 4, channel: 'pc' });
    expect(early.json().details.reason).toBe('ROUND_NOT_OPEN');
  });

  it('uses a rating token once, for its own case only', async () => {
    const c = await newCase();
    const other = await newCase();
    const { token, qrSvg } = await mintToken(c.caseNo);
    const auth = `Bearer ${token}`;
    const wrong = await rate(t, { caseNo: other.caseNo, round: 1, level: 5, channel: 'qrcode' }, { auth });
    expect(wrong.statusCode).toBe(403);
    const svg = await t.app.inject({ url: qrSvg });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const png = await t.app.inject({ url: qrSvg.replace('.svg', '.png') });
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(
      (await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'qrcode' }, { auth })).statusCode,
    ).toBe(201);
    const again = await rate(t, { caseNo: c.caseNo, round: 1, level: 4, channel: 'qrcode' }, { auth });
    expect(again.statusCode).toBe(409);
    expect((await t.app.inject({ url: `/api/v1/rating-tokens/${token}` })).statusCode).toBe(410);
  });

  it('refuses anonymous ratings and the hotline channel on the channel endpoint', async () => {
    const c = await newCase();
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      payload: { caseNo: c.caseNo, round: 1, level: 5, channel: 'pc' },
    });
    expect(anon.statusCode).toBe(401);
    expect(
      (await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'hotline' })).json().details.field,
    ).toBe('channel');
    expect(
      (await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'default' })).json().details.field,
    ).toBe('body.channel');
  });

  it('flags bursts of top ratings from one pad and ratings from the handling staff, storing them', async () => {
    const results = [];
    for (let i = 0; i < 12; i += 1) {
      const c = await newCase();
      results.push(
        await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'window_pad', deviceId: 'pad-burst' }),
      );
    }
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    expect(results.slice(0, 10).every((r) => r.json().flags.length === 0)).toBe(true);
    expect(results[10]!.json().flags).toEqual(['burst_device']);
    const own = await newCase();
    const self = await rate(t, {
      caseNo: own.caseNo,
      round: 1,
      level: 5,
      channel: 'app',
      account: counter.staffNo,
    });
    expect(self.json().flags).toContain('staff_self');
  });

  it('groups concurrent ratings into fewer transactions, each caller getting its own answer', async () => {
    const cases = [];
    for (let i = 0; i < 40; i += 1) cases.push(await newCase());
    const dup = cases[0]!;
    const answers = await Promise.all([
      ...cases.map((c) => rate(t, { caseNo: c.caseNo, round: 1, level: 4, channel: 'kiosk' })),
      rate(t, { caseNo: dup.caseNo, round: 1, level: 2, channel: 'kiosk', comment: '重复提交' }),
    ]);
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((s) => s === 201)).toHaveLength(40);
    expect(codes.filter((s) => s === 409)).toHaveLength(1);
    const txns = await t.database.db
      .selectFrom('evaluations')
      .select(sql<number>`count(DISTINCT xmin::text)`.as('n'))
      .where(
        'case_no',
        'in',
        cases.map((c) => c.caseNo),
      )
      .executeTakeFirstOrThrow();
    expect(Number(txns.n)).toBeLessThan(40);
  });

  it('records no default rating for a rated case and none twice', async () => {
    const c = await newCase();
    await rate(t, { caseNo: c.caseNo, round: 1, level: 5, channel: 'pc' });
    const later = new Date(T0.getTime() + 30 * DAY);
    await sweepDefaultRatings(t.database.db, { now: later, windowDays: 7, today: '2026-04-01' });
    expect(await sweepDefaultRatings(t.database.db, { now: later, windowDays: 7, today: '2026-04-01' })).toBe(
      0,
    );
    expect(await stored(c.caseNo)).toHaveLength(1);
    // The rated case is settled too, so later sweeps no longer read it.
    const settled = await t.database.db
      .selectFrom('cases')
      .select('window_settled_at')
      .where('case_no', '=', c.caseNo)
      .executeTakeFirstOrThrow();
    expect(settled.window_settled_at).toEqual(later);
  });
});
