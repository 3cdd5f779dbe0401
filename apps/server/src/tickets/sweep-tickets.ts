import type { Executor } from '@hcp/db';
import { sql } from 'kysely';

export interface TicketSweepCounts {
  /** Revisits the applicant left unanswered: closed. */
  expired: number;
  /** Steps past their deadline: escalated (督办) to the supervising office. */
  escalated: number;
  /** Steps due within the reminder horizon: the unit is reminded once. */
  reminded: number;
}

export interface TicketSweepOptions {
  now: Date;
  /** Hours before a deadline when the due-soon reminder goes out. */
  remindHours: number;
  /** Tickets per transaction. */
  batch?: number;
}

// One leader per sweep: the transaction that holds this lock works, the others skip their turn.
const LEADER_LOCK = 7_151_986;

/**
 * One pass of the ticket sweeps, set-based: each batch is one transaction that picks due tickets
 * (SKIP LOCKED, so a unit acting on a ticket is never blocked), changes them with one UPDATE,
 * writes their events and outbox news with the same statement, and commits. Every sweep is
 * idempotent: a ticket is escalated or reminded once per step, a revisit closed once. Several
 * instances may run it: only the one holding the leader lock works.
 */
export async function sweepTickets(db: Executor, o: TicketSweepOptions): Promise<TicketSweepCounts> {
  const counts: TicketSweepCounts = { expired: 0, escalated: 0, reminded: 0 };
  const batch = o.batch ?? 5000;
  for (const kind of ['expired', 'escalated', 'reminded'] as const) {
    for (;;) {
      const n = await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{
          leader: boolean;
        }>`SELECT pg_try_advisory_xact_lock(${LEADER_LOCK}) AS leader`.execute(trx);
        if (!rows[0]?.leader) return -1;
        return STEPS[kind](trx, o.now, batch, o.remindHours);
      });
      if (n < 0) return counts; // another instance is sweeping
      counts[kind] += n;
      if (n < batch) break;
    }
  }
  return counts;
}

type Step = (trx: Executor, now: Date, batch: number, remindHours: number) => Promise<number>;

const count = async (q: ReturnType<typeof sql<{ n: number }>>, trx: Executor) =>
  Number((await q.execute(trx)).rows[0]?.n ?? 0);

/**
 * The news of a sweep batch: one outbox message per unit listing its tickets (one 督办 notice per
 * unit, not thousands of messages), written by the batch's own statement.
 */
const news = (topic: string) => sql`
  INSERT INTO outbox (topic, payload)
  SELECT ${topic}, jsonb_build_object('unitCode', unit_code, 'unitPath', min(unit_path),
    'tickets', jsonb_agg(jsonb_build_object('ticketId', id::text, 'caseNo', case_no, 'state', state,
      'dueAt', due_at, 'escalationLevel', escalation_level)))
  FROM upd GROUP BY unit_code`;

const STEPS: Record<keyof TicketSweepCounts, Step> = {
  // The applicant did not re-rate within the revisit period: the ticket closes as it stands.
  expired: (trx, now, batch) =>
    count(
      sql<{ n: number }>`
        WITH due AS (
          SELECT id FROM tickets
          WHERE state = 'revisiting' AND due_at < ${now}
          ORDER BY due_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
        ), upd AS (
          UPDATE tickets t
          SET state = 'closed', outcome = 'revisit_expired', closed_at = ${now}, due_at = NULL,
              version = t.version + 1, updated_at = ${now}
          FROM due WHERE t.id = due.id
          RETURNING t.id, t.case_no, t.unit_code, t.unit_path, t.state, t.due_at, t.escalation_level
        ), ev AS (
          INSERT INTO ticket_events (ticket_id, at, action, from_state, to_state, actor_kind, actor_id)
          SELECT id, ${now}, 'revisit_expire', 'revisiting', 'closed', 'sweep', 'sweep:tickets' FROM upd
        ), ob AS (${news('ticket.closed')})
        SELECT count(*)::int AS n FROM upd`,
      trx,
    ),
  // 督办: a step past its deadline goes up to the supervising office, once per step.
  escalated: (trx, now, batch) =>
    count(
      sql<{ n: number }>`
        WITH due AS (
          SELECT id FROM tickets
          WHERE state NOT IN ('closed', 'revisiting') AND escalated_step IS DISTINCT FROM state
            AND due_at < ${now}
          ORDER BY due_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
        ), upd AS (
          UPDATE tickets t
          SET escalation_level = LEAST(t.escalation_level + 1, 2), escalated_at = ${now},
              escalated_step = t.state, version = t.version + 1, updated_at = ${now}
          FROM due WHERE t.id = due.id
          RETURNING t.id, t.case_no, t.unit_code, t.unit_path, t.state, t.due_at, t.escalation_level
        ), ev AS (
          INSERT INTO ticket_events (ticket_id, at, action, from_state, to_state, actor_kind, actor_id, payload)
          SELECT id, ${now}, 'escalate', state, state, 'sweep', 'sweep:tickets',
                 jsonb_build_object('reason', 'overdue', 'dueAt', due_at, 'level', escalation_level)
          FROM upd
        ), ob AS (${news('ticket.overdue')})
        SELECT count(*)::int AS n FROM upd`,
      trx,
    ),
  // A step due within the horizon: one reminder to the unit.
  reminded: (trx, now, batch, remindHours) =>
    count(
      sql<{ n: number }>`
        WITH due AS (
          SELECT id FROM tickets
          WHERE state NOT IN ('closed', 'revisiting') AND reminded_step IS DISTINCT FROM state
            AND due_at >= ${now} AND due_at < ${new Date(now.getTime() + remindHours * 3_600_000)}
          ORDER BY due_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
        ), upd AS (
          UPDATE tickets t SET reminded_step = t.state
          FROM due WHERE t.id = due.id
          RETURNING t.id, t.case_no, t.unit_code, t.unit_path, t.state, t.due_at, t.escalation_level
        ), ev AS (
          INSERT INTO ticket_events (ticket_id, at, action, from_state, to_state, actor_kind, actor_id, payload)
          SELECT id, ${now}, 'remind', state, state, 'sweep', 'sweep:tickets', jsonb_build_object('dueAt', due_at)
          FROM upd
        ), ob AS (${news('ticket.due_soon')})
        SELECT count(*)::int AS n FROM upd`,
      trx,
    ),
};
