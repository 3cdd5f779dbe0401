import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepTickets } from '../src/tickets/sweep-tickets';
import { findCounter, makeCase, pushCase, rate } from './helpers/intake-fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

let clock = new Date('2024-10-08T02:00:00Z'); // a Tuesday after National Day
const HOUR = 3_600_000;

describe(`ticket sweeps: revisit expiry, 督办, reminders (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock });
  });
  afterAll(() => t.close());

  async function openTickets(n: number) {
    const counter = await findCounter(t);
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const c = makeCase(counter, new Date(clock.getTime() - 60_000));
      await pushCase(t, c);
      const r = await rate(t, {
        caseNo: c.caseNo,
        round: 1,
        level: 2,
        channel: 'app',
        comment: '等待时间过长',
      });
      expect(r.statusCode).toBe(201);
      ids.push(r.json().id);
    }
    return ids;
  }
  const events = (action: string) =>
    t.database.db.selectFrom('ticket_events').select(['ticket_id']).where('action', '=', action).execute();
  /** Tickets named by the sweep's outbox news on a topic (one message per unit and batch). */
  const outbox = async (topic: string) => {
    const rows = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', topic)
      .execute();
    return rows.flatMap((r) => r.payload.tickets as { ticketId: string }[]);
  };

  it('reminds once before the deadline and escalates once when it passes, per step', async () => {
    await openTickets(3);
    // Contact is due at the end of Wednesday 10-09; 20 hours before, the reminder goes out.
    clock = new Date('2024-10-09T00:00:00Z');
    const early = await sweepTickets(t.database.db, { now: clock, remindHours: 24 });
    expect(early).toEqual({ expired: 0, escalated: 0, reminded: 3 });
    expect(await sweepTickets(t.database.db, { now: clock, remindHours: 24 })).toEqual({
      expired: 0,
      escalated: 0,
      reminded: 0,
    });
    clock = new Date('2024-10-09T16:30:00Z'); // just past the deadline
    const late = await sweepTickets(t.database.db, { now: clock, remindHours: 24, batch: 2 });
    expect(late.escalated).toBe(3);
    expect(await sweepTickets(t.database.db, { now: clock, remindHours: 24 })).toMatchObject({
      escalated: 0,
    });
    const rows = await t.database.db
      .selectFrom('tickets')
      .select(['escalation_level', 'escalated_step'])
      .execute();
    for (const r of rows) expect(r).toMatchObject({ escalation_level: 1, escalated_step: 'pending_contact' });
    expect(await events('escalate')).toHaveLength(3);
    expect(await events('remind')).toHaveLength(3);
    expect(await outbox('ticket.overdue')).toHaveLength(3);
    expect(await outbox('ticket.due_soon')).toHaveLength(3);
  });

  it('closes revisits the applicant left unanswered after 7 days', async () => {
    clock = new Date('2024-10-14T02:00:00Z');
    const [evaluationId] = await openTickets(1);
    const ticket = await t.database.db
      .selectFrom('tickets')
      .selectAll()
      .where('evaluation_id', '=', evaluationId!)
      .executeTakeFirstOrThrow();
    // Put it straight into the revisit, due in 7 days (the API walk is covered in tickets.test.ts).
    await t.database.db
      .updateTable('tickets')
      .set({ state: 'revisiting', due_at: new Date(clock.getTime() + 7 * 24 * HOUR) })
      .where('id', '=', ticket.id)
      .execute();
    clock = new Date(clock.getTime() + 7 * 24 * HOUR - HOUR);
    expect((await sweepTickets(t.database.db, { now: clock, remindHours: 24 })).expired).toBe(0);
    clock = new Date(clock.getTime() + 2 * HOUR);
    expect((await sweepTickets(t.database.db, { now: clock, remindHours: 24 })).expired).toBe(1);
    const closed = await t.database.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ state: 'closed', outcome: 'revisit_expired', due_at: null });
    expect(closed.version).toBe(ticket.version + 1);
  });

  it('lets only one of two concurrent sweeps work (leader lock), without double escalation', async () => {
    await openTickets(6);
    clock = new Date(clock.getTime() + 30 * 24 * HOUR);
    const before = (await events('escalate')).length;
    const [a, b] = await Promise.all([
      sweepTickets(t.database.db, { now: clock, remindHours: 24, batch: 2 }),
      sweepTickets(t.database.db, { now: clock, remindHours: 24, batch: 2 }),
    ]);
    // Any later pass finds nothing: every due step was escalated exactly once.
    const again = await sweepTickets(t.database.db, { now: clock, remindHours: 24 });
    expect(again.escalated).toBe(0);
    const escalated = (await events('escalate')).length - before;
    expect(a.escalated + b.escalated).toBe(escalated);
    const perTicket = await t.database.db
      .selectFrom('ticket_events')
      .select(['ticket_id', sql<number>`count(*)::int`.as('n')])
      .where('action', '=', 'escalate')
      .groupBy(['ticket_id', 'to_state'])
      .execute();
    for (const r of perTicket) expect(r.n).toBe(1);
  });
});
