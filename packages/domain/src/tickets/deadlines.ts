/**
 * Ticket deadlines (DOMAIN.md §6): contact, reply and rectification count working days from the
 * ticket's opening (Shanghai's 1/5/15), an appeal must come within 3 working days of it, the
 * supervisor decides in 5 working days, and the applicant has 7 natural days to re-rate. A region
 * may set its own numbers (deadline_rules). A deadline is the end of its day in Asia/Shanghai.
 */
import type { WorkingDayCalendar } from '../calendar';
import type { HandlingPath, TicketState } from './transitions';

export interface DeadlineRule {
  contactDays: number;
  replyDays: number;
  rectifyDays: number;
  appealDays: number;
  appealDecisionDays: number;
  signoffDays: number;
  revisitNaturalDays: number;
  /** Hours before a deadline when the due-soon reminder goes out. */
  remindHours: number;
}

export const DEFAULT_DEADLINE_RULE: DeadlineRule = {
  contactDays: 1,
  replyDays: 5,
  rectifyDays: 15,
  appealDays: 3,
  appealDecisionDays: 5,
  signoffDays: 5,
  revisitNaturalDays: 7,
  remindHours: 24,
};

export interface OpeningDeadlines {
  contactDue: Date;
  replyDue: Date;
  rectifyDue: Date;
  appealDue: Date;
}

/** The deadlines fixed when a ticket opens. */
export function openingDeadlines(
  openedAt: Date,
  rule: DeadlineRule,
  cal: WorkingDayCalendar,
): OpeningDeadlines {
  return {
    contactDue: cal.addWorkingDays(openedAt, rule.contactDays),
    replyDue: cal.addWorkingDays(openedAt, rule.replyDays),
    rectifyDue: cal.addWorkingDays(openedAt, rule.rectifyDays),
    appealDue: cal.addWorkingDays(openedAt, rule.appealDays),
  };
}

export interface DeadlineFacts extends OpeningDeadlines {
  handlingPath: HandlingPath | null;
  planDue: Date | null;
}

/**
 * The deadline of the step a ticket waits on once it enters `state` at `now`, or null when closed.
 * Steps counted from the opening keep their first deadline: an appeal does not stop the clock.
 */
export function stepDeadline(
  state: TicketState,
  t: DeadlineFacts,
  now: Date,
  rule: DeadlineRule,
  cal: WorkingDayCalendar,
): Date | null {
  switch (state) {
    case 'pending_contact':
      return t.contactDue;
    case 'pending_reply':
      return t.replyDue;
    case 'pending_signoff':
      return cal.addWorkingDays(now, rule.signoffDays);
    case 'rectifying':
      return t.planDue ?? t.rectifyDue;
    case 'revisiting':
      return new Date(now.getTime() + rule.revisitNaturalDays * 86_400_000);
    case 'reopened':
      return cal.addWorkingDays(now, rule.rectifyDays);
    case 'appealing':
      return cal.addWorkingDays(now, rule.appealDecisionDays);
    case 'closed':
      return null;
  }
}
