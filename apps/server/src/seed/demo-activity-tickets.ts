/**
 * How the demo's units and supervisors work a ticket: given its plan and its current row, the next
 * step (an action of the transition table, or the applicant's re-rating) and when it happens. Times
 * follow the row's own deadlines, computed by the server with the working-day calendar: a prompt
 * unit acts in office hours before them, a late one after them (and the sweep escalates it).
 */
import { shanghaiDay, type TicketState, type WorkingDayCalendar } from '@hcp/domain';
import type { ActionInput, TicketRow } from '../tickets/transition';
import type { TicketRun } from './demo-activity-run';
import { atWork, DAY, HOUR, MINUTE } from './demo-activity-time';
import * as T from './demo-comments';

export type TicketStep =
  | { party: 'unit' | 'supervisor'; input: ActionInput }
  /** The applicant's round-2 rating, which answers the revisit. */
  | { party: 'applicant' };

export interface ScheduledStep {
  at: number;
  step: TicketStep;
}

const unit = (input: ActionInput): TicketStep => ({ party: 'unit', input });
const supervisor = (input: ActionInput): TicketStep => ({ party: 'supervisor', input });

/** The public reply: opening, what was found, what was done, closing (or an explanation). */
function replyText(run: TicketRun): string {
  const { rng, plan } = run;
  if (plan.path === 'explain') return rng.pick(T.EXPLANATIONS);
  const fix = T.FIX_BY_REASON[plan.reason] ?? T.FIX_BY_REASON.other!;
  return rng.pick(T.REPLY_OPENINGS) + rng.pick(T.REPLY_FINDINGS) + fix.reply + rng.pick(T.REPLY_CLOSINGS);
}

/** The step the plan calls for in the ticket's current state, with its natural time. */
function choose(run: TicketRun, t: TicketRow, prev: number, cal: WorkingDayCalendar): ScheduledStep | null {
  const { rng, plan } = run;
  const ms = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
  const due = ms(t.due_at);
  // A prompt unit acts in office hours before the deadline; a late one some time after it.
  const timely = (delay: number, deadline: number) =>
    Math.max(prev + MINUTE, atWork(rng, cal, prev + delay, deadline - HOUR));
  const after = (deadline: number) => Math.max(prev + HOUR, deadline + rng.between(4, 96) * HOUR);
  const appealStep = (): ScheduledStep | null => {
    run.appealed = true;
    const at = timely(rng.between(1, 8) * HOUR, ms(t.appeal_due));
    if (at >= ms(t.appeal_due)) return null;
    const reason = plan.appeal!.reason;
    return { at, step: unit({ action: 'appeal', reason, text: rng.pick(T.APPEALS[reason]) }) };
  };

  switch (t.state) {
    case 'pending_contact': {
      if (plan.appeal?.when === 'first' && !run.appealed) {
        const appeal = appealStep();
        if (appeal) return appeal;
      }
      const at = plan.late
        ? after(ms(t.contact_due))
        : timely(rng.between(0.5, 18) * HOUR, ms(t.contact_due));
      const planDue = plan.planDue ?? shanghaiDay(new Date(at + rng.between(7, 20) * DAY));
      return {
        at,
        step: unit({
          action: 'contact',
          handlingPath: plan.path,
          note: rng.pick(T.CONTACT_NOTES),
          ...(plan.path === 'fix_plan' ? { planText: rng.pick(T.PLANS), planDue } : {}),
        }),
      };
    }
    case 'appealing': {
      const upheld = plan.appeal?.upheld ?? false;
      return {
        at: timely(rng.between(4, 72) * HOUR, due),
        step: supervisor({
          action: upheld ? 'uphold_appeal' : 'reject_appeal',
          note: rng.pick(upheld ? T.SUPERVISOR_NOTES.uphold : T.SUPERVISOR_NOTES.reject),
        }),
      };
    }
    case 'pending_reply': {
      if (plan.appeal?.when === 'after_contact' && !run.appealed) {
        const appeal = appealStep();
        if (appeal) return appeal;
      }
      const at = plan.late ? after(ms(t.reply_due)) : timely(rng.between(2, 60) * HOUR, ms(t.reply_due));
      return { at, step: unit({ action: 'reply', text: replyText(run) }) };
    }
    case 'pending_signoff':
      return {
        at: timely(rng.between(4, 80) * HOUR, due),
        step: supervisor(
          plan.signOff
            ? { action: 'sign_off', note: rng.pick(T.SUPERVISOR_NOTES.signOff) }
            : { action: 'reject_explanation', note: rng.pick(T.SUPERVISOR_NOTES.rejectExplanation) },
        ),
      };
    case 'rectifying': {
      const planned = t.handling_path === 'fix_plan' && t.plan_due !== null;
      const delay = planned ? (due - prev) * rng.between(0.3, 0.9) : rng.between(1, 48) * HOUR;
      const fix = T.FIX_BY_REASON[plan.reason] ?? T.FIX_BY_REASON.other!;
      return {
        at: plan.late ? after(due) : timely(delay, due),
        step: unit({ action: 'rectify', text: fix.rectify }),
      };
    }
    case 'revisiting': {
      // No answer: the sweep closes the ticket when the revisit period ends.
      if (plan.revisit === 'none') return null;
      const at = Math.min(prev + rng.between(2 * HOUR, 5 * DAY), due - HOUR);
      return { at: Math.max(at, prev + MINUTE), step: { party: 'applicant' } };
    }
    case 'reopened':
      return {
        at: timely(rng.between(2, 12) * DAY, due),
        step: unit({ action: 'rectify', text: rng.pick(T.RECTIFY_AGAIN) }),
      };
    case 'closed':
      return null;
  }
}

/**
 * The next step of a ticket after `prev`, or null when the plan has nothing more to do. A showcase
 * ticket takes its steps at its script's times and stops when the script ends. A late unit that
 * lets a step run two days past its deadline may first be escalated by hand (督办).
 */
export function nextTicketStep(
  run: TicketRun,
  t: TicketRow,
  prev: number,
  cal: WorkingDayCalendar,
): ScheduledStep | null {
  const script = run.plan.script;
  if (script && run.steps >= script.length) return null;
  const next = choose(run, t, prev, cal);
  if (!next) return null;
  if (script) return { ...next, at: Math.max(script[run.steps]!, prev + MINUTE) };
  const due = t.due_at?.getTime();
  const open: TicketState[] = ['pending_contact', 'pending_reply', 'rectifying', 'reopened'];
  if (
    run.plan.escalate &&
    due !== undefined &&
    open.includes(t.state) &&
    !run.escalated.has(t.state) &&
    next.at > due + 2 * DAY
  ) {
    run.escalated.add(t.state);
    const at = Math.max(prev + MINUTE, due + run.rng.between(40, 47) * HOUR);
    return { at, step: supervisor({ action: 'escalate', note: run.rng.pick(T.SUPERVISOR_NOTES.escalate) }) };
  }
  return next;
}
