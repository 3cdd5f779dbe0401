import type { Scorecard } from '@hcp/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDefaultRatings } from '../src/intake/sweep-default-ratings';
import { lastTwelveMonths } from '../src/stats/read-scorecard';
import { runRollup } from '../src/stats/rollup';
import { type Counter, makeCase, pushCase, rate } from './helpers/intake-fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

let clock = new Date('2026-03-16T04:00:00Z');
const DAY = 86_400_000;

type Scope = { kind: 'all' } | { kind: 'unit' | 'item'; code: string };
interface Raw {
  ratings: number;
  defaults: number;
  active: number;
  good: number;
  bad: number;
  level_sum: number;
  bad_tickets: number;
  replied: number;
  on_time: number;
  rectified: number;
  revisited: number;
  revisit_satisfied: number;
  appeals: number;
  upheld: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const score = (sum: number, n: number) => (n > 0 ? Math.round((sum / n / 5) * 100 * 10) / 10 : null);

describe(`statistics: rollups and scorecards (${dbKind})`, () => {
  let t: TestApp;
  let a: Counter; // a window deep in district 310101
  let b: Counter; // a window in district 310104, another item
  let reason: string;

  async function counterIn(district: string, itemOffset: number): Promise<Counter & { path: string }> {
    const row = await t.database.db
      .selectFrom('staff')
      .innerJoin('windows', 'windows.no', 'staff.window_no')
      .innerJoin('units', 'units.code', 'windows.unit_code')
      .select(['staff.staff_no', 'windows.no', 'windows.unit_code', 'units.path'])
      .where('units.path', 'like', `310000/${district}/%`)
      .orderBy(sql`length(units.path)`, 'desc')
      .orderBy('staff.staff_no')
      .limit(1)
      .executeTakeFirstOrThrow();
    const item = await t.database.db
      .selectFrom('items')
      .select('code')
      .orderBy('code')
      .offset(itemOffset)
      .limit(1)
      .executeTakeFirstOrThrow();
    return {
      unitCode: row.unit_code,
      windowNo: row.no,
      staffNo: row.staff_no,
      itemCode: item.code,
      path: row.path,
    };
  }

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock, sms: { send: async () => {} } });
    a = await counterIn('310101', 0);
    b = await counterIn('310104', 1);
    reason = (await t.app.inject({ url: '/api/v1/rating-catalog' })).json().reasons[0].code;
  });
  afterAll(() => t.close());

  /** Pushes a case at the counter and rates it; `at` back-dates the stored rating (history). */
  async function rated(counter: Counter, level: number, at?: Date) {
    const c = makeCase(counter, clock);
    expect((await pushCase(t, c)).statusCode).toBe(201);
    const res = await rate(t, {
      caseNo: c.caseNo,
      round: 1,
      level,
      channel: 'app',
      ...(level <= 2 ? { reasons: [reason] } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = String(res.json().id);
    if (at) await sql`UPDATE evaluations SET created_at = ${at} WHERE id = ${id}`.execute(t.database.db);
    return { id, caseNo: c.caseNo };
  }

  /** The ticket of a bad rating: the one intake opened, or one inserted here as the closed loop would. */
  async function ticketOf(evaluationId: string): Promise<string> {
    const found = await t.database.db
      .selectFrom('tickets')
      .select('id')
      .where('evaluation_id', '=', evaluationId)
      .executeTakeFirst();
    if (found) return String(found.id);
    const e = await t.database.db
      .selectFrom('evaluations')
      .selectAll()
      .where('id', '=', evaluationId)
      .executeTakeFirstOrThrow();
    const inserted = await t.database.db
      .insertInto('tickets')
      .values({
        evaluation_id: evaluationId,
        case_no: e.case_no,
        unit_code: e.unit_code,
        unit_path: e.unit_path,
        item_code: e.item_code,
        window_no: e.window_no,
        staff_no: e.staff_no,
        state: 'pending_contact',
        opened_at: clock,
        contact_due: new Date(clock.getTime() + DAY),
        reply_due: new Date(clock.getTime() + 5 * DAY),
        rectify_due: new Date(clock.getTime() + 15 * DAY),
        appeal_due: new Date(clock.getTime() + 3 * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(inserted.id);
  }

  const setTicket = (id: string, set: Record<string, unknown>) =>
    t.database.db.updateTable('tickets').set(set).where('id', '=', id).execute();

  /** Stores the applicant's re-rating (round 2) of a case as intake would. */
  async function reRate(caseNo: string, level: number) {
    await sql`
      INSERT INTO evaluations (case_no, round, level, channel, catalog_version, applicant_hash, item_code,
        unit_code, unit_path, window_no, staff_no, actor_kind, actor_id)
      SELECT case_no, 2, ${level}, 'sms', catalog_version, applicant_hash, item_code, unit_code, unit_path,
        window_no, staff_no, 'token', 'test'
      FROM evaluations WHERE case_no = ${caseNo} AND round = 1`.execute(t.database.db);
  }

  /** Every figure computed straight from evaluations and tickets, for one scope and optionally one month. */
  async function direct(scope: Scope, month?: string): Promise<Raw> {
    const path = scope.kind === 'unit' ? await unitPath(scope.code) : '';
    const where =
      scope.kind === 'unit'
        ? sql`e.unit_path LIKE ${`${path}%`}`
        : scope.kind === 'item'
          ? sql`e.item_code = ${scope.code}`
          : sql`true`;
    const inMonth = month
      ? sql`to_char(e.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${month}`
      : sql`true`;
    const { rows } = await sql<Raw>`
      WITH r AS (
        SELECT e.is_default, e.level, t.id AS ticket, t.replied_at, t.reply_due, t.rectified_at,
               t.appeal_reason, t.appeal_outcome, coalesce(t.revisit_level, r2.level) AS revisit,
               NOT e.is_default AND t.appeal_outcome IS DISTINCT FROM 'upheld' AS act
        FROM evaluations e
        LEFT JOIN tickets t ON t.evaluation_id = e.id
        LEFT JOIN evaluations r2 ON r2.case_no = e.case_no AND r2.round = 2
        WHERE e.round = 1 AND ${where} AND ${inMonth})
      SELECT count(*)::int AS ratings,
             count(*) FILTER (WHERE is_default)::int AS defaults,
             count(*) FILTER (WHERE act)::int AS active,
             count(*) FILTER (WHERE act AND level >= 3)::int AS good,
             count(*) FILTER (WHERE act AND level <= 2)::int AS bad,
             coalesce(sum(level) FILTER (WHERE act), 0)::int AS level_sum,
             count(ticket)::int AS bad_tickets,
             count(replied_at)::int AS replied,
             count(*) FILTER (WHERE replied_at <= reply_due)::int AS on_time,
             count(rectified_at)::int AS rectified,
             count(revisit)::int AS revisited,
             count(*) FILTER (WHERE revisit >= 3)::int AS revisit_satisfied,
             count(*) FILTER (WHERE appeal_reason IS NOT NULL OR appeal_outcome IS NOT NULL)::int AS appeals,
             count(*) FILTER (WHERE appeal_outcome = 'upheld')::int AS upheld
      FROM r`.execute(t.database.db);
    return rows[0]!;
  }

  const unitPath = async (code: string) =>
    (
      await t.database.db
        .selectFrom('units')
        .select('path')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).path;

  const urlOf = (s: Scope) =>
    s.kind === 'all'
      ? '/api/v1/public/summary'
      : `/api/v1/public/${s.kind === 'unit' ? 'units' : 'items'}/${s.code}/scorecard`;

  async function card(s: Scope): Promise<Scorecard> {
    const res = await t.app.inject({ url: urlOf(s) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    return res.json<Scorecard>();
  }

  /** The scorecard must equal the direct computation, figure by figure and month by month. */
  async function expectMatches(s: Scope) {
    const got = await card(s);
    const d = await direct(s);
    const { scope: _s, asOf: _a, months, ...figures } = got;
    expect(figures, JSON.stringify(s)).toEqual({
      ratings: d.ratings,
      active: d.active,
      defaults: d.defaults,
      good: d.good,
      bad: d.bad,
      goodRate: ratio(d.good, d.active),
      satisfaction: score(d.level_sum, d.active),
      badTickets: d.bad_tickets,
      replied: d.replied,
      replyRate: ratio(d.replied, d.bad_tickets),
      repliedOnTime: d.on_time,
      onTimeReplyRate: ratio(d.on_time, d.bad_tickets),
      rectified: d.rectified,
      rectificationRate: ratio(d.rectified, d.bad_tickets),
      revisited: d.revisited,
      revisitSatisfied: d.revisit_satisfied,
      revisitSatisfactionRate: ratio(d.revisit_satisfied, d.revisited),
      appeals: d.appeals,
      appealsUpheld: d.upheld,
    });
    expect(months.map((m) => m.month)).toEqual(lastTwelveMonths(clock));
    for (const m of months) {
      const dm = await direct(s, m.month);
      expect(m, `${JSON.stringify(s)} ${m.month}`).toEqual({
        month: m.month,
        ratings: dm.ratings,
        active: dm.active,
        good: dm.good,
        bad: dm.bad,
        goodRate: ratio(dm.good, dm.active),
        satisfaction: score(dm.level_sum, dm.active),
      });
    }
    return got;
  }

  const allScopes = (): Scope[] => [
    { kind: 'all' },
    { kind: 'unit', code: '310000' },
    { kind: 'unit', code: '310101' },
    { kind: 'unit', code: '310104' },
    { kind: 'unit', code: a.unitCode },
    { kind: 'unit', code: b.unitCode },
    { kind: 'item', code: a.itemCode },
    { kind: 'item', code: b.itemCode },
  ];

  const snapshot = () =>
    t.database.db
      .selectFrom('stats_months')
      .selectAll()
      .orderBy('scope')
      .orderBy('code')
      .orderBy('month')
      .execute();

  let bad1: { id: string; caseNo: string };
  let bad2: { id: string; caseNo: string };
  let bad3: { id: string; caseNo: string };
  let badB: { id: string; caseNo: string };

  it('answers zeros and nulls before any rating, and 404 for an unknown unit or item', async () => {
    const empty = await card({ kind: 'all' });
    expect(empty).toMatchObject({
      scope: { kind: 'all', code: null, name: null },
      ratings: 0,
      goodRate: null,
    });
    expect(empty.months).toHaveLength(12);
    expect((await t.app.inject({ url: '/api/v1/public/units/NOPE/scorecard' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/public/items/NOPE/scorecard' })).json().code).toBe(
      'NOT_FOUND',
    );
    expect((await t.app.inject({ url: '/api/v1/public/units/a%20b/scorecard' })).statusCode).toBe(400);
  });

  it('folds ratings and ticket figures, each scope equal to the raw rows', async () => {
    // District 310101: months Jan, Feb (31 Jan 17:00 UTC is 1 Feb in Shanghai), March; one a year back.
    await rated(a, 5, new Date('2026-01-10T02:00:00Z'));
    await rated(a, 4, new Date('2026-01-31T17:00:00Z'));
    await rated(a, 4, new Date('2025-03-01T02:00:00Z')); // 12 months back: in the totals only
    await rated(a, 5);
    await rated(a, 3);
    bad1 = await rated(a, 1);
    bad2 = await rated(a, 2);
    bad3 = await rated(a, 1, new Date('2026-02-20T02:00:00Z'));
    // A default rating: a case nobody rated within the window.
    const quiet = makeCase(a, new Date(clock.getTime() - 8 * DAY));
    expect((await pushCase(t, quiet)).statusCode).toBe(201);
    expect(await sweepDefaultRatings(t.database.db, { now: clock, windowDays: 7, today: '2026-03-16' })).toBe(
      1,
    );
    // District 310104, another item.
    await rated(b, 5);
    badB = await rated(b, 2);

    // Tickets: replied on time, rectified and re-rated satisfied (round 2); replied late; appeal upheld.
    const t1 = await ticketOf(bad1.id);
    const t2 = await ticketOf(bad2.id);
    const t3 = await ticketOf(bad3.id);
    const tb = await ticketOf(badB.id);
    const due = new Date(clock.getTime() + 2 * DAY);
    await setTicket(t1, { reply_due: due, replied_at: clock, rectified_at: clock });
    await reRate(bad1.caseNo, 4);
    await setTicket(t2, { reply_due: due, replied_at: new Date(due.getTime() + 1000) });
    await setTicket(t3, {
      appeal_reason: 'malicious',
      appeal_outcome: 'upheld',
      state: 'closed',
      closed_at: clock,
    });
    await setTicket(tb, { appeal_reason: 'mistaken', appeal_outcome: 'rejected' });
    await ticketOf((await rated(b, 1)).id);

    const r = await runRollup(t.database.db, clock);
    expect(r.skipped).toBe(false);
    for (const s of allScopes()) await expectMatches(s);

    // The definitions themselves, by hand for district 310101: 9 round-1 ratings, 1 default, the
    // upheld 1★ out of active; the round-2 re-rating is no rating but the revisit.
    const d = await card({ kind: 'unit', code: '310101' });
    expect(d).toMatchObject({
      scope: { kind: 'unit', code: '310101', name: expect.any(String) },
      ratings: 9,
      defaults: 1,
      active: 7,
      good: 5,
      bad: 2,
      badTickets: 3,
      replied: 2,
      repliedOnTime: 1,
      rectified: 1,
      revisited: 1,
      revisitSatisfied: 1,
      appeals: 1,
      appealsUpheld: 1,
      asOf: clock.toISOString(),
    });
    expect(d.satisfaction).toBe(Math.round(((5 + 4 + 4 + 5 + 3 + 1 + 2) / 7 / 5) * 1000) / 10);
    const month = (m: string) => d.months.find((x) => x.month === m);
    expect(month('2026-01')).toMatchObject({ ratings: 1, good: 1 });
    expect(month('2026-02')).toMatchObject({ ratings: 2, active: 1, good: 1, bad: 0 }); // upheld 1★ out
    expect(d.months.some((m) => m.month === '2025-03')).toBe(false);
    // The city holds both districts.
    const city = await card({ kind: 'unit', code: '310000' });
    expect(city.ratings).toBe(d.ratings + (await card({ kind: 'unit', code: '310104' })).ratings);
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot();
    const r = await runRollup(t.database.db, clock);
    expect(r).toMatchObject({ ratingIds: 0, tickets: 0 });
    expect(await snapshot()).toEqual(before);
    // A ticket update that touches no counted fact does not queue the ticket.
    await setTicket(await ticketOf(bad2.id), { reminded_step: 'pending_reply' });
    const queued = await t.database.db.selectFrom('stats_ticket_changes').select('id').execute();
    expect(queued).toHaveLength(0);
  });

  it('picks up later ratings and ticket changes on the next pass; until then asOf says when', async () => {
    const first = clock;
    clock = new Date(clock.getTime() + 60_000);
    const before = await card({ kind: 'unit', code: a.unitCode });
    const later = await rated(a, 2);
    await rated(b, 4);
    await setTicket(await ticketOf(later.id), {
      replied_at: clock,
      reply_due: new Date(clock.getTime() + DAY),
    });
    await setTicket(await ticketOf(bad2.id), { appeal_reason: 'mistaken', appeal_outcome: 'upheld' }); // now upheld
    await setTicket(await ticketOf(bad1.id), { rectified_at: null }); // a fact taken back
    await reRate(badB.caseNo, 2); // a re-rating alone (no ticket update) is the revisit
    // Not yet rolled up: the old figures, stamped with the old time.
    const stale = await card({ kind: 'unit', code: a.unitCode });
    expect(stale).toEqual(before);
    expect(stale.asOf).toBe(first.toISOString());

    const r = await runRollup(t.database.db, clock);
    expect(r.ratingIds).toBe(3);
    for (const s of allScopes()) await expectMatches(s);
    const now = await card({ kind: 'unit', code: a.unitCode });
    expect(now.asOf).toBe(clock.toISOString());
    expect(now.ratings).toBe(before.ratings + 1);
    expect(now.appealsUpheld).toBe(before.appealsUpheld + 1);
    expect(now.rectified).toBe(before.rectified - 1);
    const district = await card({ kind: 'unit', code: '310104' });
    expect(district).toMatchObject({ revisited: 1, revisitSatisfied: 0, revisitSatisfactionRate: 0 });
  });

  it('two passes at once fold everything exactly once', async () => {
    for (let i = 0; i < 4; i += 1) await rated(i % 2 ? a : b, 1 + (i % 5));
    await Promise.all([runRollup(t.database.db, clock), runRollup(t.database.db, clock)]);
    await runRollup(t.database.db, clock); // whichever skipped catches up here
    for (const s of allScopes()) await expectMatches(s);
  });

  it.skipIf(dbKind === 'pglite')(
    'waits for a rating still in flight instead of passing over its id',
    async () => {
      const c = makeCase(a, clock);
      expect((await pushCase(t, c)).statusCode).toBe(201);
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let inserted!: () => void;
      const holding = new Promise<void>((r) => {
        inserted = r;
      });
      // A writer takes an id and holds its transaction open; a later rating commits with a higher id.
      const writer = t.database.db.transaction().execute(async (trx) => {
        await sql`
        INSERT INTO evaluations (case_no, round, level, channel, catalog_version, applicant_hash, item_code,
          unit_code, unit_path, window_no, staff_no, actor_kind, actor_id)
        SELECT case_no, 1, 5, 'pc', '2021.1', applicant_cert_hash, item_code, unit_code, unit_path,
          window_no, staff_no, 'system', 'test'
        FROM cases WHERE case_no = ${c.caseNo}`.execute(trx);
        inserted();
        await gate;
      });
      await holding;
      await rated(b, 5);
      const blocked = await runRollup(t.database.db, clock, { settleMs: 200 });
      expect(blocked.ratingIds).toBe(0);
      release();
      await writer;
      const r = await runRollup(t.database.db, clock);
      expect(r.ratingIds).toBeGreaterThanOrEqual(2);
      for (const s of allScopes()) await expectMatches(s);
    },
  );
});
