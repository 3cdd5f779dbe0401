/**
 * The bad-rating closed loop (工单, DOMAIN.md §6) as one transition table: every state, every
 * action, who may take it and where it leads. The server applies a row with a guarded
 * `UPDATE … WHERE state = from` and writes the event in the same transaction; anything not in the
 * table is refused with 409.
 */
import { DomainError } from '../errors';

export const TICKET_STATES = [
  'pending_contact', // 待联系核实: contact the applicant and verify (1 working day)
  'pending_reply', // 待公开回复: public reply (5 working days from opening)
  'pending_signoff', // 待审核: an explanation (解释说明) waits for the supervisor's sign-off
  'rectifying', // 整改中: rectification (15 working days, or the plan's due date)
  'revisiting', // 待回访: the applicant's round-2 rating (7 natural days)
  'reopened', // 二次整改: the re-rating was bad; second rectification, escalated to the supervisor
  'appealing', // 申诉中: the unit appealed; the supervisor decides
  'closed', // 已办结
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** How the unit handles the complaint, chosen when it verifies. */
export const HANDLING_PATHS = [
  'fix_now', // 立行立改: fixed on the spot
  'fix_plan', // 限期整改: fix with a plan and a due date
  'explain', // 解释说明: no legal basis for the demand; needs the supervisor's sign-off
] as const;
export type HandlingPath = (typeof HANDLING_PATHS)[number];

export const TICKET_OUTCOMES = ['satisfied', 'revisit_expired', 'rectified_again', 'appeal_upheld'] as const;
export type TicketOutcome = (typeof TICKET_OUTCOMES)[number];

/** Who acts: the handling unit, the supervising office, the applicant (by re-rating), or a sweep. */
export type TicketParty = 'unit' | 'supervisor' | 'applicant' | 'sweep';

export const TICKET_ACTIONS = [
  'contact',
  'reply',
  'sign_off',
  'reject_explanation',
  'rectify',
  'revisit_good',
  'revisit_bad',
  'revisit_expire',
  'appeal',
  'uphold_appeal',
  'reject_appeal',
  'escalate',
  'remind',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** The states from which a unit may still appeal (before the fix is offered for re-rating). */
const APPEALABLE: TicketState[] = ['pending_contact', 'pending_reply', 'pending_signoff', 'rectifying'];
const OPEN: TicketState[] = TICKET_STATES.filter((s) => s !== 'closed');

export interface Transition {
  action: TicketAction;
  from: readonly TicketState[];
  /** The next state; 'same' keeps it (escalation, reminders); 'resume' returns to the state before the appeal. */
  to: TicketState | 'same' | 'resume';
  by: readonly TicketParty[];
  /** Only for tickets on these handling paths. */
  paths?: readonly HandlingPath[];
  /** Sets the ticket's outcome when it closes. */
  outcome?: TicketOutcome;
}

/** The one transition table. Order matters only where two rows share an action and state (paths). */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'contact', from: ['pending_contact'], to: 'pending_reply', by: ['unit'] },
  {
    action: 'reply',
    from: ['pending_reply'],
    to: 'rectifying',
    by: ['unit'],
    paths: ['fix_now', 'fix_plan'],
  },
  { action: 'reply', from: ['pending_reply'], to: 'pending_signoff', by: ['unit'], paths: ['explain'] },
  { action: 'sign_off', from: ['pending_signoff'], to: 'revisiting', by: ['supervisor'] },
  { action: 'reject_explanation', from: ['pending_signoff'], to: 'rectifying', by: ['supervisor'] },
  { action: 'rectify', from: ['rectifying'], to: 'revisiting', by: ['unit'] },
  { action: 'rectify', from: ['reopened'], to: 'closed', by: ['unit'], outcome: 'rectified_again' },
  { action: 'revisit_good', from: ['revisiting'], to: 'closed', by: ['applicant'], outcome: 'satisfied' },
  { action: 'revisit_bad', from: ['revisiting'], to: 'reopened', by: ['applicant'] },
  { action: 'revisit_expire', from: ['revisiting'], to: 'closed', by: ['sweep'], outcome: 'revisit_expired' },
  { action: 'appeal', from: APPEALABLE, to: 'appealing', by: ['unit'] },
  {
    action: 'uphold_appeal',
    from: ['appealing'],
    to: 'closed',
    by: ['supervisor'],
    outcome: 'appeal_upheld',
  },
  { action: 'reject_appeal', from: ['appealing'], to: 'resume', by: ['supervisor'] },
  { action: 'escalate', from: OPEN, to: 'same', by: ['supervisor', 'sweep'] },
  { action: 'remind', from: OPEN, to: 'same', by: ['sweep'] },
];

export interface TicketFacts {
  state: TicketState;
  handlingPath: HandlingPath | null;
  stateBeforeAppeal: TicketState | null;
}

export interface Resolved {
  transition: Transition;
  to: TicketState;
}

/**
 * Finds the row for an action on a ticket, or throws 403 (the party may never take this action)
 * or 409 (not from this state, or not on this handling path).
 */
export function resolveTransition(ticket: TicketFacts, action: TicketAction, party: TicketParty): Resolved {
  const rows = TRANSITIONS.filter((t) => t.action === action);
  if (!rows.some((t) => t.by.includes(party))) {
    throw new DomainError(
      'FORBIDDEN',
      { en: `${party} may not ${action} a ticket`, zh: '当前角色无权执行该工单操作' },
      { action, party },
    );
  }
  const row = rows.find(
    (t) =>
      t.by.includes(party) &&
      t.from.includes(ticket.state) &&
      (!t.paths || (ticket.handlingPath !== null && t.paths.includes(ticket.handlingPath))),
  );
  if (!row) throw illegal(ticket.state, action);
  const to =
    row.to === 'same'
      ? ticket.state
      : row.to === 'resume'
        ? (ticket.stateBeforeAppeal ?? 'pending_contact')
        : row.to;
  return { transition: row, to };
}

/** Actions a party could take on a ticket now (for the console's buttons). */
export function availableActions(ticket: TicketFacts, party: TicketParty): TicketAction[] {
  const out = new Set<TicketAction>();
  for (const t of TRANSITIONS) {
    if (!t.by.includes(party) || !t.from.includes(ticket.state)) continue;
    if (t.paths && (ticket.handlingPath === null || !t.paths.includes(ticket.handlingPath))) continue;
    out.add(t.action);
  }
  return [...out];
}

export function illegal(state: TicketState, action: TicketAction): DomainError {
  return new DomainError(
    'CONFLICT',
    {
      en: `a ticket in state ${state} cannot take the action ${action}`,
      zh: `工单当前状态（${TICKET_STATE_ZH[state]}）不允许此操作`,
    },
    { state, action, reason: 'TICKET_STATE' },
  );
}

export const TICKET_STATE_ZH: Record<TicketState, string> = {
  pending_contact: '待联系核实',
  pending_reply: '待公开回复',
  pending_signoff: '待审核',
  rectifying: '整改中',
  revisiting: '待回访',
  reopened: '二次整改',
  appealing: '申诉中',
  closed: '已办结',
};
