import type { Executor } from '@hcp/db';
import { openingDeadlines } from '@hcp/domain';
import { sql } from 'kysely';
import { type DeadlinePolicy, pickRule } from './deadline-rules';

/** A bad round-1 rating just inserted, with what its ticket copies. */
export interface BadRating {
  evaluationId: string;
  caseNo: string;
  unitCode: string;
  unitPath: string;
  itemCode: string;
  windowNo: string | null;
  staffNo: string | null;
  level: number;
}

/**
 * Opens one ticket per bad rating inside the rating's own transaction (so no bad rating is ever
 * without its ticket), with its deadlines fixed from now, the `opened` event, and the outbox news.
 */
export async function openTickets(
  trx: Executor,
  bad: BadRating[],
  policy: DeadlinePolicy,
  now: Date,
): Promise<void> {
  if (bad.length === 0) return;
  const rules = await policy.rules(trx);
  const rows = bad.map((b) => {
    const d = openingDeadlines(now, pickRule(rules, b.unitPath), policy.calendar);
    return {
      evaluation_id: b.evaluationId,
      case_no: b.caseNo,
      unit_code: b.unitCode,
      unit_path: b.unitPath,
      item_code: b.itemCode,
      window_no: b.windowNo,
      staff_no: b.staffNo,
      state: 'pending_contact' as const,
      opened_at: now,
      contact_due: d.contactDue,
      reply_due: d.replyDue,
      rectify_due: d.rectifyDue,
      appeal_due: d.appealDue,
      due_at: d.contactDue,
    };
  });
  // One statement: the tickets, their `opened` events and the outbox news, as CTEs.
  await trx
    .with('t', (db) =>
      db
        .insertInto('tickets')
        .values(rows)
        .onConflict((oc) => oc.column('evaluation_id').doNothing())
        .returning(['id', 'evaluation_id', 'case_no', 'unit_code', 'unit_path', 'due_at']),
    )
    .with('ev', (db) =>
      db
        .insertInto('ticket_events')
        .columns(['ticket_id', 'at', 'action', 'to_state', 'actor_kind', 'actor_id', 'payload'])
        .expression((eb) =>
          eb
            .selectFrom('t')
            .select([
              't.id',
              sql<Date>`${now}::timestamptz`.as('at'),
              sql<string>`'opened'`.as('action'),
              sql<string>`'pending_contact'`.as('to_state'),
              sql<string>`'system'`.as('actor_kind'),
              sql<string>`'intake'`.as('actor_id'),
              sql<string>`jsonb_build_object('evaluationId', t.evaluation_id::text)`.as('payload'),
            ]),
        )
        .returning('ticket_events.id'),
    )
    .with('ob', (db) =>
      db
        .insertInto('outbox')
        .columns(['topic', 'payload'])
        .expression((eb) =>
          eb.selectFrom('t').select([
            sql<string>`'ticket.opened'`.as('topic'),
            sql<string>`jsonb_build_object('ticketId', t.id::text, 'evaluationId', t.evaluation_id::text,
                'caseNo', t.case_no, 'unitCode', t.unit_code, 'unitPath', t.unit_path,
                'state', 'pending_contact', 'dueAt', t.due_at)`.as('payload'),
          ]),
        )
        .returning('outbox.id'),
    )
    .selectFrom('t')
    .select((eb) => eb.fn.countAll().as('n'))
    .execute();
}
