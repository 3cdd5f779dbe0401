import type { Ticket, TicketSummary } from '@hcp/contracts';
import type { DB, Executor } from '@hcp/db';
import {
  availableActions,
  DomainError,
  type TicketParty,
  type TicketState,
  type WorkingDayCalendar,
} from '@hcp/domain';
import type { Selectable } from 'kysely';
import type { Actor } from '../http/auth';

/** Which tickets an actor may see: a subtree, or (staff) the tickets of their own staff number. */
export function ticketScope(actor: Actor): { path: string | null; staffNo?: string } {
  if (actor.role === 'staff') return { path: actor.unitPath, staffNo: actor.staffNo ?? '\u0000none' };
  return { path: actor.unitPath };
}

/** The party an actor acts as on tickets, or null when it may only read. */
export function partyOf(actor: Actor): TicketParty | null {
  if (actor.role === 'unit_admin') return 'unit';
  if (actor.role === 'supervisor') return 'supervisor';
  if (actor.key?.operations.includes('tickets:write')) return 'unit';
  return null;
}

/** Readers of tickets: everyone signed in but a system key without tickets:write. */
export function mayReadTickets(actor: Actor): boolean {
  if (actor.kind === 'system' && actor.key) return actor.key.operations.includes('tickets:write');
  return true;
}

/** Tickets with the names and the level the queue shows. */
export function ticketQuery(db: Executor) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('units as u', 'u.code', 't.unit_code')
    .innerJoin('items as i', 'i.code', 't.item_code')
    .innerJoin('evaluations as e', 'e.id', 't.evaluation_id')
    .selectAll('t')
    .select(['u.name as unit_name', 'i.name as item_name', 'e.level as evaluation_level']);
}

export type TicketListRow = Selectable<DB['tickets']> & {
  unit_name: string;
  item_name: string;
  evaluation_level: number;
};

/** Working days left to a deadline (negative: overdue by so many), in Asia/Shanghai. */
export function workingDaysLeft(cal: WorkingDayCalendar, due: Date | null, now: Date): number | null {
  if (!due) return null;
  return due >= now ? cal.workingDaysBetween(now, due) : -cal.workingDaysBetween(due, now);
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A row of the queue. */
export function presentSummary(r: TicketListRow, cal: WorkingDayCalendar, now: Date): TicketSummary {
  const state = r.state as TicketState;
  return {
    id: String(r.id),
    evaluationId: String(r.evaluation_id),
    caseNo: r.case_no,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    itemCode: r.item_code,
    itemName: r.item_name,
    windowNo: r.window_no,
    staffNo: r.staff_no,
    level: r.evaluation_level,
    state,
    handlingPath: r.handling_path,
    outcome: r.outcome,
    version: r.version,
    openedAt: r.opened_at.toISOString(),
    dueAt: iso(r.due_at),
    workingDaysLeft: workingDaysLeft(cal, r.due_at, now),
    overdue: state !== 'closed' && state !== 'revisiting' && r.due_at !== null && r.due_at < now,
    escalationLevel: r.escalation_level,
    appealOutcome: r.appeal_outcome,
  };
}

/** One ticket with its rating, texts, attachments, history and the caller's possible actions. */
export async function loadTicket(
  db: Executor,
  id: string,
  actor: Actor,
  cal: WorkingDayCalendar,
  now: Date,
): Promise<Ticket> {
  const scope = ticketScope(actor);
  const r: TicketListRow | undefined = await ticketQuery(db).where('t.id', '=', id).executeTakeFirst();
  if (!r || !inTicketScope(scope, r.unit_path, r.staff_no)) throw ticketNotFound(id);
  const [e, cs, attachments, events] = await Promise.all([
    db
      .selectFrom('evaluations')
      .select(['id', 'level', 'channel', 'reasons', 'comment', 'created_at'])
      .where('id', '=', r.evaluation_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('cases')
      .select('applicant_name')
      .where('case_no', '=', r.case_no)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('ticket_attachments')
      .select(['id', 'name', 'content_type', 'size', 'sha256', 'created_at'])
      .where('ticket_id', '=', id)
      .orderBy('id')
      .execute(),
    db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
  ]);
  const party = partyOf(actor);
  return {
    ...presentSummary(r, cal, now),
    evaluation: {
      id: String(e.id),
      level: e.level,
      channel: e.channel,
      reasons: e.reasons,
      comment: e.comment,
      createdAt: e.created_at.toISOString(),
    },
    applicant: cs.applicant_name,
    deadlines: {
      contact: r.contact_due.toISOString(),
      reply: r.reply_due.toISOString(),
      rectify: r.rectify_due.toISOString(),
      appeal: r.appeal_due.toISOString(),
      planDue: iso(r.plan_due),
    },
    planText: r.plan_text,
    reply: r.reply_text,
    replyPublic: r.reply_publication === 'published' ? r.reply_public : null,
    repliedAt: iso(r.replied_at),
    rectification: r.rectify_text,
    rectifiedAt: iso(r.rectified_at),
    appealReason: r.appeal_reason,
    appealText: r.appeal_text,
    revisitLevel: r.revisit_level,
    closedAt: iso(r.closed_at),
    attachments: attachments.map((a) => ({
      id: String(a.id),
      name: a.name,
      contentType: a.content_type,
      size: a.size,
      sha256: a.sha256,
      createdAt: a.created_at.toISOString(),
    })),
    events: events.map((ev) => ({
      id: String(ev.id),
      at: ev.at.toISOString(),
      action: ev.action,
      fromState: ev.from_state,
      toState: ev.to_state,
      actorKind: ev.actor_kind,
      actorId: ev.actor_id,
      role: ev.role,
      payload: ev.payload,
    })),
    actions: party
      ? availableActions(
          { state: r.state, handlingPath: r.handling_path, stateBeforeAppeal: r.state_before_appeal },
          party,
        ).filter((a) => a !== 'appeal' || r.appeal_outcome === null)
      : [],
  };
}

export function inTicketScope(
  scope: { path: string | null; staffNo?: string },
  path: string,
  staffNo: string | null,
) {
  if (scope.path !== null && !path.startsWith(scope.path)) return false;
  return scope.staffNo === undefined || scope.staffNo === staffNo;
}

export function ticketNotFound(id: string) {
  return new DomainError(
    'NOT_FOUND',
    { en: `ticket ${id} not found`, zh: `工单 ${id} 不存在` },
    { ticket: id },
  );
}

/** Keyset cursor of the queue: the last row's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number, checks: ((v: unknown) => boolean)[]): unknown[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === length && checks.every((ok, i) => ok(v[i]))) return v;
  } catch {}
  throw new DomainError(
    'VALIDATION_FAILED',
    { en: 'cursor: not a cursor this list gave out', zh: 'cursor：分页游标无效' },
    { field: 'querystring.cursor' },
  );
}
