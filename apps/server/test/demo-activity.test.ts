import { CHANNEL_IDS, createCalendar, DEFAULT_DEADLINE_RULE } from '@hcp/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtector } from '../src/security/protector';
import { DEMO_ACTIVITY_SOURCE, type DemoActivityReport, seedDemoActivity } from '../src/seed/demo-activity';
import { type DemoArea, planDemoActivity } from '../src/seed/demo-activity-plan';
import { createTestApp, TEST_SECRET, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

// A fixed end of the simulated year, so the run is the same every time: 12 months from 2025-04.
const NOW = new Date('2026-03-16T04:00:00Z');
const CASES = 400;
const DAY = 86_400_000;

describe(`demo activity: a year of ratings and tickets through the real code paths (${dbKind})`, () => {
  let t: TestApp;
  let report: DemoActivityReport;
  const run = () =>
    seedDemoActivity(t.database.db, {
      protector: createProtector(TEST_SECRET),
      publicUrl: 'http://hcp.test',
      cases: CASES,
      now: NOW,
    });
  const rows = async <R>(query: ReturnType<typeof sql<R>>) => (await query.execute(t.database.db)).rows;

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => NOW });
    report = await run();
  }, 120_000);
  afterAll(() => t.close());

  it('rates most cases actively, on every channel, the rest by default, about 6 % bad', async () => {
    expect(report.skipped).toBe(false);
    expect(report.cases).toBe(CASES);
    const [n] = await rows(sql<{ active: number; defaults: number; bad: number; closed: number }>`
      SELECT count(*) FILTER (WHERE NOT e.is_default)::int AS active,
             count(*) FILTER (WHERE e.is_default)::int AS defaults,
             count(*) FILTER (WHERE NOT e.is_default AND e.level <= 2)::int AS bad,
             (SELECT count(*) FROM cases WHERE completed_at < ${NOW}::timestamptz - interval '7 days')::int AS closed
      FROM evaluations e WHERE e.round = 1`);
    expect(n!.active + n!.defaults).toBeGreaterThan(CASES * 0.8);
    // Of the cases whose window has closed, 85–90 % were rated by the applicant.
    expect(n!.defaults / n!.closed).toBeGreaterThan(0.08);
    expect(n!.defaults / n!.closed).toBeLessThan(0.18);
    expect(n!.bad / n!.active).toBeGreaterThan(0.03);
    expect(n!.bad / n!.active).toBeLessThan(0.12);
    const channels = await rows(sql<{ channel: string }>`SELECT DISTINCT channel FROM evaluations`);
    expect(channels.map((c) => c.channel).sort()).toEqual([...CHANNEL_IDS].sort());
    const reRatings = await rows(
      sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluations WHERE round = 2`,
    );
    expect(reRatings[0]!.n).toBeGreaterThan(0);
  });

  it('opens a ticket for every bad first rating, at the rating’s moment, with calendar deadlines', async () => {
    const orphans = await rows(sql<{ id: string }>`
      SELECT e.id FROM evaluations e LEFT JOIN tickets t ON t.evaluation_id = e.id
      WHERE e.round = 1 AND e.level <= 2 AND t.id IS NULL`);
    expect(orphans).toEqual([]);
    const tickets = await t.database.db
      .selectFrom('tickets as t')
      .innerJoin('evaluations as e', 'e.id', 't.evaluation_id')
      .select([
        't.id',
        't.opened_at',
        't.contact_due',
        't.reply_due',
        't.rectify_due',
        't.appeal_due',
        'e.created_at',
      ])
      .execute();
    expect(tickets.length).toBeGreaterThanOrEqual(9);
    const cal = createCalendar();
    const rule = DEFAULT_DEADLINE_RULE;
    for (const k of tickets) {
      expect(k.opened_at.getTime()).toBe(k.created_at.getTime());
      expect(k.contact_due).toEqual(cal.addWorkingDays(k.opened_at, rule.contactDays));
      expect(k.reply_due).toEqual(cal.addWorkingDays(k.opened_at, rule.replyDays));
      expect(k.rectify_due).toEqual(cal.addWorkingDays(k.opened_at, rule.rectifyDays));
      expect(k.appeal_due).toEqual(cal.addWorkingDays(k.opened_at, rule.appealDays));
    }
  });

  it('leaves tickets in every state of the loop, some overdue, with events in time order', async () => {
    const states = await rows(sql<{ state: string; n: number }>`
      SELECT state, count(*)::int AS n FROM tickets GROUP BY state`);
    expect(states.length).toBeGreaterThanOrEqual(6);
    expect(states.map((s) => s.state)).toEqual(expect.arrayContaining(['pending_contact', 'closed']));
    const overdue = await rows(sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets WHERE state <> 'closed' AND due_at < ${NOW}::timestamptz`);
    expect(overdue[0]!.n).toBeGreaterThan(0);
    // The sweeps ran as the server's would: every overdue step escalated (督办), no revisit left over.
    const missed = await rows(sql<{ id: string }>`
      SELECT id FROM tickets WHERE due_at < ${NOW}::timestamptz
        AND (state = 'revisiting' OR (state <> 'closed' AND escalated_step IS DISTINCT FROM state))`);
    expect(missed).toEqual([]);
    // …and on time: the first night after the deadline (or after the step began, if it began late).
    const slow = await rows(sql<{ id: string }>`
      SELECT e.id FROM ticket_events e
      WHERE e.action = 'escalate' AND e.actor_kind = 'sweep'
        AND e.at > greatest((e.payload->>'dueAt')::timestamptz,
              (SELECT max(p.at) FROM ticket_events p WHERE p.ticket_id = e.ticket_id AND p.id < e.id
                 AND p.action NOT IN ('escalate', 'remind'))) + interval '25 hours'`);
    expect(slow).toEqual([]);
    const appeals = await rows(sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets WHERE appeal_reason IS NOT NULL`);
    expect(appeals[0]!.n).toBeGreaterThan(0);
    const backwards = await rows(sql<{ id: string }>`
      SELECT b.id FROM ticket_events a JOIN ticket_events b ON b.ticket_id = a.ticket_id AND b.id > a.id
      WHERE b.at < a.at`);
    expect(backwards).toEqual([]);
    const first = await rows(sql<{ id: string }>`
      SELECT t.id FROM tickets t
      JOIN LATERAL (SELECT action, at FROM ticket_events WHERE ticket_id = t.id ORDER BY id LIMIT 1) f ON true
      WHERE f.action <> 'opened' OR f.at <> t.opened_at OR t.updated_at < t.opened_at OR t.updated_at > ${NOW}`);
    expect(first).toEqual([]);
  });

  it('dates every rating inside its case’s window, and ids follow the time as in production', async () => {
    const outside = await rows(sql<{ id: string }>`
      SELECT e.id FROM evaluations e JOIN cases c USING (case_no)
      WHERE e.round = 1 AND (
        (NOT e.is_default AND (e.created_at < c.accepted_at OR e.created_at > c.completed_at + interval '7 days'))
        OR (e.is_default AND e.created_at <> c.completed_at + interval '7 days')
        OR (e.is_default AND c.window_settled_at <> e.created_at) OR e.created_at > ${NOW}::timestamptz)`);
    expect(outside).toEqual([]);
    const reRatings = await rows(sql<{ id: string }>`
      SELECT r.id FROM evaluations r JOIN tickets t ON t.case_no = r.case_no
      JOIN rating_tokens k ON k.case_no = r.case_no AND k.round = 2
      WHERE r.round = 2 AND (r.created_at < k.created_at OR r.created_at > k.expires_at OR k.used_at <> r.created_at)`);
    expect(reRatings).toEqual([]);
    const [back] = await rows(sql<{ ms: number | null }>`
      SELECT max(extract(epoch FROM prev - created_at) * 1000)::float AS ms FROM (
        SELECT created_at, max(created_at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
        FROM evaluations) x`);
    expect(back!.ms ?? 0).toBeLessThan(15 * 60_000);
    const undated = await rows(sql<{ n: number }>`
      SELECT ((SELECT count(*) FROM outbox WHERE dispatched_at IS NULL OR created_at > ${NOW}::timestamptz)
        + (SELECT count(*) FROM rating_tokens WHERE created_at > ${NOW}::timestamptz)
        + (SELECT count(*) FROM cases WHERE source = ${DEMO_ACTIVITY_SOURCE} AND created_at <> accepted_at))::int AS n`);
    expect(undated[0]!.n).toBe(0);
  });

  it('publishes redacted comments, replies and rectifications, and holds a few for moderation', async () => {
    const [p] = await rows(sql<{ replies: number; fixes: number; redacted: number; held: number }>`
      SELECT (SELECT count(*) FROM tickets WHERE reply_publication = 'published' AND reply_public <> '')::int AS replies,
             (SELECT count(*) FROM tickets WHERE rectify_publication = 'published')::int AS fixes,
             (SELECT count(*) FROM evaluations WHERE publication = 'published' AND comment_public <> comment)::int AS redacted,
             (SELECT count(*) FROM moderation_items WHERE state = 'pending' AND due_at > ${new Date(NOW.getTime() - 14 * DAY)})::int AS held`);
    expect(p!.replies).toBeGreaterThan(0);
    expect(p!.fixes).toBeGreaterThan(0);
    expect(p!.redacted).toBeGreaterThanOrEqual(3);
    expect(p!.held).toBeGreaterThanOrEqual(2);
    const phones = await rows(sql<{ comment_public: string }>`
      SELECT comment_public FROM evaluations WHERE comment_public ~ '1[3-9][0-9]{9}'`);
    expect(phones).toEqual([]);
  });

  it('fills the public lists and the scorecards with a 12-month trend', async () => {
    const list = await t.app.inject({ url: '/api/v1/public/evaluations?limit=50' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(50);
    const waiting = await t.app.inject({ url: '/api/v1/public/evaluations?class=bad&ticketState=open' });
    expect(waiting.json().items.length).toBeGreaterThan(0);
    const replied = await t.app.inject({ url: '/api/v1/public/evaluations?replied=true' });
    expect(replied.json().items.some((e: { ticket: { reply: string | null } }) => !!e.ticket.reply)).toBe(
      true,
    );
    const summary = await t.app.inject({ url: '/api/v1/public/summary' });
    expect(summary.statusCode).toBe(200);
    const card = summary.json();
    expect(card.months).toHaveLength(12);
    for (const m of card.months) expect(m.ratings, m.month).toBeGreaterThan(0);
    expect(card.defaults).toBeGreaterThan(0);
    expect(card.badTickets).toBeGreaterThan(0);
    expect(card.replied).toBeGreaterThan(0);
    const district = await t.app.inject({ url: '/api/v1/public/units/310115/scorecard' });
    expect(district.statusCode).toBe(200);
    expect(district.json().ratings).toBeGreaterThan(0);
  });

  it('does nothing the second time', async () => {
    const count = () =>
      rows(sql<{ n: string }>`
        SELECT concat_ws('/', (SELECT count(*) FROM cases), (SELECT count(*) FROM evaluations),
                         (SELECT count(*) FROM tickets), (SELECT count(*) FROM ticket_events)) AS n`);
    const before = await count();
    const again = await run();
    expect(again.skipped).toBe(true);
    expect(await count()).toEqual(before);
  });
});

describe('demo activity plan', () => {
  const area: DemoArea = {
    code: '310101',
    division: '310101',
    weight: 1,
    windows: [
      {
        unitCode: 'U1',
        windowNo: 'W1',
        staff: [{ staffNo: 'S1', name: '王芳' }],
        items: [
          {
            code: 'I1',
            name: '居民身份证换领',
            subject: 'natural_person',
            promiseType: 'immediate',
            promiseDays: null,
          },
        ],
        weight: 1,
      },
    ],
    desks: [
      {
        unitCode: 'U1',
        windowNo: null,
        staff: [{ staffNo: 'S2', name: '李强' }],
        items: [
          { code: 'I2', name: '食品经营许可', subject: 'both', promiseType: 'promised', promiseDays: 5 },
        ],
        weight: 1,
      },
    ],
  };
  const plan = (seed: number) =>
    planDemoActivity({
      areas: [area],
      cases: 500,
      now: NOW.getTime(),
      seed,
      windowDays: 7,
      calendar: createCalendar(),
    });

  it('is the same for the same inputs and differs with the seed', () => {
    expect(plan(1)).toEqual(plan(1));
    expect(plan(2)).not.toEqual(plan(1));
  });

  it('gives unique case numbers and rating times inside each case’s window', () => {
    const cases = plan(1);
    expect(new Set(cases.map((c) => c.input.caseNo)).size).toBe(cases.length);
    for (const c of cases) {
      if (!c.rating) continue;
      expect(c.rating.at).toBeGreaterThanOrEqual(c.completed!);
      expect(c.rating.at).toBeLessThanOrEqual(c.close!);
      expect(c.rating.at).toBeLessThan(NOW.getTime());
    }
  });
});
