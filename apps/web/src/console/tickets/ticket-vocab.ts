import type { Ticket, TicketSummary } from './tickets-api';

type TicketState = TicketSummary['state'];
type HandlingPath = NonNullable<TicketSummary['handlingPath']>;

// Records (not arrays) so the type checker fails when the contract gains a value we do not list.
const states: Record<TicketState, true> = {
  pending_contact: true,
  pending_reply: true,
  pending_signoff: true,
  rectifying: true,
  revisiting: true,
  reopened: true,
  appealing: true,
  closed: true,
};
const paths: Record<HandlingPath, true> = { fix_now: true, fix_plan: true, explain: true };

/** Ticket states in loop order (labels: `tickets.state.<state>`). */
export const STATE_OPTIONS = Object.keys(states) as TicketState[];
/** Handling paths chosen at contact (labels: `tickets.handlingPath.<path>`). */
export const HANDLING_PATH_OPTIONS = Object.keys(paths) as HandlingPath[];
/** Grounds of an appeal (labels: `tickets.appealReason.<reason>`). */
export const APPEAL_REASONS = ['malicious', 'mistaken'] as const;

/** The queue's state filter: `open` (every state but closed), `all`, or one state. */
export type StateFilter = TicketState | 'open' | 'all';

/** Whether a query-string value is a state filter. */
export function isStateFilter(value: unknown): value is StateFilter {
  return value === 'open' || value === 'all' || (typeof value === 'string' && Object.hasOwn(states, value));
}

/** The `state` query parameter of a filter (none for `all`). */
export function stateQuery(filter: StateFilter): TicketState[] | ['open'] | undefined {
  return filter === 'all' ? undefined : [filter as TicketState];
}

/** How much time the current step has left, as the queue shows it (i18n key and count). */
export interface TimeLeft {
  key:
    | 'tickets.time.daysLeft'
    | 'tickets.time.dueToday'
    | 'tickets.time.overdueBy'
    | 'tickets.time.overdue'
    | 'tickets.time.none';
  n: number;
  overdue: boolean;
}

/** Time left to the current step's deadline in working days, from the server's `workingDaysLeft`. */
export function timeLeft(t: Pick<TicketSummary, 'workingDaysLeft' | 'overdue' | 'dueAt'>): TimeLeft {
  const n = t.workingDaysLeft;
  if (t.overdue) {
    // Past the deadline on the same working day counts zero whole days: "overdue" without a number.
    return n !== null && n < 0
      ? { key: 'tickets.time.overdueBy', n: -n, overdue: true }
      : { key: 'tickets.time.overdue', n: 0, overdue: true };
  }
  if (n === null || !t.dueAt) return { key: 'tickets.time.none', n: 0, overdue: false };
  return n <= 0
    ? { key: 'tickets.time.dueToday', n: 0, overdue: false }
    : { key: 'tickets.time.daysLeft', n, overdue: false };
}

/** A form of the ticket page; `review` takes sign-off or reject-explanation, `decide` the appeal decision. */
export type ActionForm = 'contact' | 'reply' | 'rectify' | 'appeal' | 'review' | 'decide' | 'escalate';

/** Transition-table actions → the form that takes them (the applicant's and the sweep's have none). */
const FORM_OF: Partial<Record<Ticket['actions'][number], ActionForm>> = {
  contact: 'contact',
  reply: 'reply',
  rectify: 'rectify',
  appeal: 'appeal',
  sign_off: 'review',
  reject_explanation: 'review',
  uphold_appeal: 'decide',
  reject_appeal: 'decide',
  escalate: 'escalate',
};

/** The forms to show for the actions the server says the caller may take now, optionally only some. */
export function actionForms(actions: Ticket['actions'], only?: readonly ActionForm[]): ActionForm[] {
  const all = new Set(actions.flatMap((a) => FORM_OF[a] ?? []));
  return only ? only.filter((f) => all.has(f)) : [...all];
}

type TicketEvent = Ticket['events'][number];

/** One fact of an event's payload, for the timeline: an i18n label key and the value to show. */
export interface EventFact {
  label: string;
  /** Plain text, or an i18n key (with `translate`) for a vocabulary value. */
  value: string;
  translate?: boolean;
  /** Long free text (a note, a reply): shown as a paragraph. */
  long?: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/**
 * The texts an event carries (note, reply, plan, appeal grounds, re-rating level…), in a fixed order.
 * `files` names the attachments a rectification cites (by default, how many there are).
 */
export function eventFacts(
  e: TicketEvent,
  files: (ids: string[]) => string = (ids) => String(ids.length),
): EventFact[] {
  const p = e.payload;
  const facts: EventFact[] = [];
  const path = str(p.handlingPath);
  if (path && Object.hasOwn(paths, path)) {
    facts.push({
      label: 'tickets.event.handlingPath',
      value: `tickets.handlingPath.${path}`,
      translate: true,
    });
  }
  const reason = str(p.reason);
  if (reason && (APPEAL_REASONS as readonly string[]).includes(reason)) {
    facts.push({
      label: 'tickets.event.appealReason',
      value: `tickets.appealReason.${reason}`,
      translate: true,
    });
  } else if (reason === 'overdue') {
    facts.push({ label: 'tickets.event.why', value: 'tickets.event.overdue', translate: true });
  }
  if (typeof p.level === 'number' && e.action.startsWith('revisit_')) {
    facts.push({ label: 'tickets.event.level', value: `rating.level${p.level}`, translate: true });
  }
  const planText = str(p.planText);
  if (planText) facts.push({ label: 'tickets.event.plan', value: planText, long: true });
  const planDue = str(p.planDue);
  if (planDue) facts.push({ label: 'tickets.event.planDue', value: planDue });
  const text = str(p.text);
  if (text) facts.push({ label: 'tickets.event.text', value: text, long: true });
  const note = str(p.note);
  if (note) facts.push({ label: 'tickets.event.note', value: note, long: true });
  if (Array.isArray(p.attachmentIds) && p.attachmentIds.length) {
    facts.push({ label: 'tickets.event.attachments', value: files(p.attachmentIds.map(String)) });
  }
  return facts;
}

/** Who took an event's action, as an i18n key and its parameters. */
export function eventActor(e: TicketEvent): { key: string; params: Record<string, string> } {
  switch (e.actorKind) {
    case 'account':
      return { key: 'tickets.event.account', params: { id: e.actorId } };
    case 'applicant':
      return { key: 'tickets.event.applicant', params: {} };
    case 'sweep':
      return { key: 'tickets.event.sweep', params: {} };
    default:
      return { key: 'tickets.event.system', params: { id: e.actorId } };
  }
}

/** Today in Shanghai as YYYY-MM-DD (the earliest rectification due date the server accepts). */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
