import type { DB, Executor } from '@hcp/db';
import {
  DomainError,
  endOfShanghaiDay,
  type HandlingPath,
  resolveTransition,
  stepDeadline,
  type TicketParty,
  type TicketState,
  tryDayNumber,
} from '@hcp/domain';
import type { Selectable, Updateable } from 'kysely';
import { ratingLink } from '../intake/invite-to-rate';
import { issueRatingToken } from '../intake/rating-tokens';
import { enqueue, type OutboxMessage } from '../notify/outbox';
import type { Protector } from '../security/protector';
import type { DeadlinePolicy } from './deadline-rules';

export type TicketRow = Selectable<DB['tickets']>;

/** Who takes an action, as the ticket history records it. */
export interface TicketActor {
  kind: 'account' | 'system' | 'sweep' | 'applicant';
  id: string;
  role: string | null;
}

/** An action with its input, as the routes (or the re-rating) deliver it. */
export type ActionInput =
  | { action: 'contact'; handlingPath: HandlingPath; note: string; planText?: string; planDue?: string }
  | { action: 'reply'; text: string }
  | { action: 'rectify'; text: string; attachmentIds?: string[] }
  | { action: 'appeal'; reason: 'malicious' | 'mistaken'; text: string }
  | { action: 'sign_off'; note?: string }
  | { action: 'reject_explanation' | 'uphold_appeal' | 'reject_appeal' | 'escalate'; note: string }
  | { action: 'revisit_good' | 'revisit_bad'; level: number; evaluationId: string };

export interface TransitionContext {
  now: Date;
  policy: DeadlinePolicy;
  protector: Protector;
  publicUrl: string;
}

const unprocessable = (field: string, en: string, zh: string, reason?: string) =>
  new DomainError('UNPROCESSABLE', { en: `${field}: ${en}`, zh: `${field}：${zh}` }, { field, reason });

/**
 * Applies one row of the transition table to a ticket read in this transaction: checks the party
 * and the state, validates the input, and writes the change with `UPDATE … WHERE state = from AND
 * version = read`, so of two concurrent actions exactly one wins and the other gets 409. The event
 * and the outbox news go into the same transaction. Returns the updated row.
 */
export async function applyTicketAction(
  trx: Executor,
  ticket: TicketRow,
  party: TicketParty,
  actor: TicketActor,
  input: ActionInput,
  ctx: TransitionContext,
): Promise<TicketRow> {
  const { now } = ctx;
  const { transition, to } = resolveTransition(
    {
      state: ticket.state,
      handlingPath: ticket.handling_path,
      stateBeforeAppeal: ticket.state_before_appeal,
    },
    input.action,
    party,
  );
  const rule = await ctx.policy.ruleFor(ticket.unit_path, trx);
  const patch: Updateable<DB['tickets']> = { state: to, version: ticket.version + 1, updated_at: now };
  let handlingPath = ticket.handling_path;
  let planDue = ticket.plan_due;

  switch (input.action) {
    case 'contact': {
      handlingPath = input.handlingPath;
      patch.handling_path = handlingPath;
      patch.contacted_at = now;
      if (input.handlingPath === 'fix_plan') {
        if (!input.planText)
          throw unprocessable('planText', 'a plan is required for fix_plan', '限期整改须填写整改计划');
        if (!input.planDue)
          throw unprocessable('planDue', 'a due date is required for fix_plan', '限期整改须填写整改期限');
      }
      if (input.planDue) {
        const day = tryDayNumber(input.planDue);
        if (day === undefined) throw unprocessable('planDue', 'not a calendar day', '日期无效');
        planDue = endOfShanghaiDay(day);
        if (planDue < now) throw unprocessable('planDue', 'the due date has passed', '整改期限不能早于今天');
        patch.plan_due = planDue;
      }
      if (input.planText) patch.plan_text = input.planText;
      break;
    }
    case 'reply':
      patch.reply_text = input.text;
      patch.replied_at = now;
      patch.reply_public = null;
      patch.reply_publication = 'pending';
      break;
    case 'rectify':
      if (input.attachmentIds?.length) await checkAttachments(trx, ticket.id, input.attachmentIds);
      patch.rectify_text = input.text;
      patch.rectified_at = now;
      patch.rectify_public = null;
      patch.rectify_publication = 'pending';
      break;
    case 'appeal':
      // One appeal per ticket: a decided appeal is final.
      if (ticket.appeal_outcome) {
        throw new DomainError(
          'CONFLICT',
          { en: 'this ticket has been appealed once already', zh: '该工单已申诉过，不能再次申诉' },
          { field: 'appeal', reason: 'ALREADY_APPEALED' },
        );
      }
      if (now > ticket.appeal_due) {
        throw unprocessable(
          'appeal',
          `appeals are accepted until ${ticket.appeal_due.toISOString()}`,
          '已超过申诉期限',
          'APPEAL_WINDOW_CLOSED',
        );
      }
      patch.appeal_reason = input.reason;
      patch.appeal_text = input.text;
      patch.state_before_appeal = ticket.state;
      break;
    case 'uphold_appeal':
    case 'reject_appeal':
      patch.appeal_outcome = input.action === 'uphold_appeal' ? 'upheld' : 'rejected';
      patch.state_before_appeal = null;
      break;
    case 'reject_explanation':
      // The explanation is not accepted: the unit must fix it, by the rectification deadline.
      handlingPath = 'fix_plan';
      patch.handling_path = handlingPath;
      break;
    case 'escalate':
      patch.escalation_level = Math.min(ticket.escalation_level + 1, 2);
      patch.escalated_at = now;
      break;
    case 'revisit_good':
    case 'revisit_bad':
      patch.revisit_level = input.level;
      if (input.action === 'revisit_bad') {
        // 不满意 after the fix: a second rectification, under the supervisor's eye.
        patch.escalation_level = Math.max(ticket.escalation_level, 1);
        patch.escalated_at = now;
      }
      break;
  }

  if (to === 'closed') {
    patch.closed_at = now;
    patch.outcome = transition.outcome ?? null;
    patch.due_at = null;
  } else if (transition.to !== 'same') {
    patch.due_at = stepDeadline(
      to,
      {
        contactDue: ticket.contact_due,
        replyDue: ticket.reply_due,
        rectifyDue: ticket.rectify_due,
        appealDue: ticket.appeal_due,
        handlingPath,
        planDue,
      },
      now,
      rule,
      ctx.policy.calendar,
    );
  }

  const updated = await trx
    .updateTable('tickets')
    .set(patch)
    .where('id', '=', ticket.id)
    .where('state', '=', ticket.state)
    .where('version', '=', ticket.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw changedMeanwhile(ticket.id);

  const { action: _action, ...payload } = input;
  await trx
    .insertInto('ticket_events')
    .values({
      ticket_id: ticket.id,
      at: now,
      action: input.action,
      from_state: ticket.state,
      to_state: to,
      actor_kind: actor.kind,
      actor_id: actor.id,
      role: actor.role,
      payload: JSON.stringify(payload),
    })
    .execute();

  const news: OutboxMessage[] = [{ topic: `ticket.${input.action}`, payload: newsOf(updated, ticket.state) }];
  if (to === 'closed') news.push({ topic: 'ticket.closed', payload: newsOf(updated, ticket.state) });
  if (to === 'revisiting') news.push(await offerRevisit(trx, updated, ctx));
  await enqueue(trx, news);
  return updated;
}

/** The 409 for a ticket another request changed between our read and our write. */
export function changedMeanwhile(id: string): DomainError {
  return new DomainError(
    'CONFLICT',
    { en: 'the ticket was changed meanwhile; reload it', zh: '工单已被他人更新，请刷新后重试' },
    { ticketId: id, reason: 'TICKET_CHANGED' },
  );
}

function newsOf(t: TicketRow, from: TicketState): Record<string, unknown> {
  return {
    ticketId: t.id,
    caseNo: t.case_no,
    unitCode: t.unit_code,
    unitPath: t.unit_path,
    from,
    state: t.state,
    dueAt: t.due_at?.toISOString() ?? null,
    escalationLevel: t.escalation_level,
  };
}

/**
 * The fix is offered for re-rating: a round-2 token valid until the revisit deadline, sent by SMS
 * through the outbox (the dispatcher looks the phone up; no phone number is written to the outbox).
 */
async function offerRevisit(trx: Executor, t: TicketRow, ctx: TransitionContext): Promise<OutboxMessage> {
  const { token } = await issueRatingToken({ db: trx, protector: ctx.protector }, t.case_no, 2, t.due_at!);
  return {
    topic: 'sms.revisit',
    payload: {
      caseNo: t.case_no,
      ticketId: t.id,
      unitPath: t.unit_path,
      text: `【好差评】您反映的问题已处理，请对整改结果进行评价：${ratingLink(ctx.publicUrl, token)}`,
    },
  };
}

async function checkAttachments(trx: Executor, ticketId: string, ids: string[]) {
  const found = await trx
    .selectFrom('ticket_attachments')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('id', 'in', ids)
    .execute();
  if (found.length !== new Set(ids).size) {
    throw unprocessable('attachmentIds', 'unknown attachment for this ticket', '附件不存在或不属于此工单');
  }
}
