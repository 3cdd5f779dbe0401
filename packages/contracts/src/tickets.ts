import { HANDLING_PATHS, TICKET_ACTIONS, TICKET_OUTCOMES, TICKET_STATES } from '@hcp/domain';
import { type Static, Type } from 'typebox';
import { CursorSchema } from './common';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Text = (max: number, description: string) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '\\S', description });

export const TicketStateSchema = Type.Enum([...TICKET_STATES], {
  description:
    'pending_contact 待联系核实, pending_reply 待公开回复, pending_signoff 待审核, rectifying 整改中, ' +
    'revisiting 待回访, reopened 二次整改, appealing 申诉中, closed 已办结',
});

/** One step of a ticket's history (its audit trail). */
export const TicketEventSchema = Type.Object({
  id: Type.String(),
  at: Time,
  action: Type.String({ description: 'opened, or a transition action' }),
  fromState: Nullable(Type.String()),
  toState: Type.String(),
  actorKind: Type.String(),
  actorId: Type.String(),
  role: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
});

export const TicketSummarySchema = Type.Object({
  id: Type.String(),
  evaluationId: Type.String(),
  caseNo: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  windowNo: Nullable(Type.String()),
  staffNo: Nullable(Type.String()),
  level: Type.Integer({ description: 'The bad rating that opened the ticket (1 or 2)' }),
  state: TicketStateSchema,
  handlingPath: Type.Union([Type.Enum([...HANDLING_PATHS]), Type.Null()]),
  outcome: Type.Union([Type.Enum([...TICKET_OUTCOMES]), Type.Null()]),
  version: Type.Integer({ description: 'Bumped by every change' }),
  openedAt: Time,
  dueAt: Nullable(Time),
  workingDaysLeft: Type.Union([
    Type.Integer({ description: 'Working days to the current step’s deadline; negative when overdue' }),
    Type.Null(),
  ]),
  overdue: Type.Boolean(),
  escalationLevel: Type.Integer({ description: '督办 level: 0 none, 1 supervisor, 2 above' }),
  appealOutcome: Type.Union([Type.Enum(['upheld', 'rejected']), Type.Null()]),
});
export type TicketSummary = Static<typeof TicketSummarySchema>;

export const AttachmentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Time,
});
export type Attachment = Static<typeof AttachmentSchema>;

/** A ticket as its unit and supervisors see it: originals, internal notes, deadlines, history. */
export const TicketSchema = Type.Object({
  ...TicketSummarySchema.properties,
  ...{
    evaluation: Type.Object({
      id: Type.String(),
      level: Type.Integer(),
      channel: Type.String(),
      reasons: Type.Array(Type.String()),
      comment: Nullable(Type.String({ description: 'As written (units and auditors only)' })),
      createdAt: Time,
    }),
    applicant: Type.String({ description: 'Masked name (张*)' }),
    deadlines: Type.Object({
      contact: Time,
      reply: Time,
      rectify: Time,
      appeal: Time,
      planDue: Nullable(Time),
    }),
    planText: Nullable(Type.String()),
    reply: Nullable(Type.String()),
    replyPublic: Nullable(Type.String({ description: 'As published, after redaction (or moderation)' })),
    repliedAt: Nullable(Time),
    rectification: Nullable(Type.String()),
    rectifiedAt: Nullable(Time),
    appealReason: Type.Union([Type.Enum(['malicious', 'mistaken']), Type.Null()]),
    appealText: Nullable(Type.String()),
    revisitLevel: Type.Union([Type.Integer(), Type.Null()]),
    closedAt: Nullable(Time),
    attachments: Type.Array(AttachmentSchema),
    events: Type.Array(TicketEventSchema),
    actions: Type.Array(Type.Enum([...TICKET_ACTIONS]), { description: 'What the caller may do now' }),
  },
});
export type Ticket = Static<typeof TicketSchema>;

export const TicketListQuerySchema = Type.Object(
  {
    state: Type.Optional(
      Type.Array(Type.Union([TicketStateSchema, Type.Literal('open')]), {
        description: 'One or more states; `open` means every state but closed',
      }),
    ),
    overdue: Type.Optional(Type.Boolean({ description: 'Only tickets past the current step’s deadline' })),
    dueBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Deadline before this time' })),
    escalated: Type.Optional(Type.Boolean({ description: 'Only tickets escalated (督办)' })),
    unit: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$', description: 'A unit subtree' })),
    sort: Type.Optional(Type.Enum(['due', 'newest'], { default: 'due' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type TicketListQuery = Static<typeof TicketListQuerySchema>;

const Note = Type.Optional(Text(2000, 'Internal note, kept in the ticket history'));

/** Bodies of the ticket actions, one per route `POST /api/v1/tickets/{id}/<action>`. */
export const TicketActionBodies = {
  contact: Type.Object(
    {
      handlingPath: Type.Enum([...HANDLING_PATHS], {
        description: 'fix_now 立行立改, fix_plan 限期整改 (needs planText and planDue), explain 解释说明',
      }),
      note: Text(2000, 'What the applicant said when contacted (internal)'),
      planText: Type.Optional(Text(2000, 'The rectification plan (fix_plan)')),
      planDue: Type.Optional(
        Type.String({ format: 'date', description: 'Rectification due date (fix_plan), YYYY-MM-DD' }),
      ),
    },
    { additionalProperties: false },
  ),
  reply: Type.Object(
    { text: Text(2000, 'The public reply (公开回复); redacted before publication') },
    { additionalProperties: false },
  ),
  rectify: Type.Object(
    {
      text: Text(4000, 'What changed (整改情况); redacted before publication'),
      attachmentIds: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{1,18}$' }), { maxItems: 20 })),
    },
    { additionalProperties: false },
  ),
  appeal: Type.Object(
    {
      reason: Type.Enum(['malicious', 'mistaken'], { description: '恶意评价 or 误评' }),
      text: Text(2000, 'Grounds of the appeal (internal)'),
    },
    { additionalProperties: false },
  ),
  'sign-off': Type.Object({ note: Note }, { additionalProperties: false }),
  'reject-explanation': Type.Object(
    { note: Text(2000, 'Why the explanation is not accepted') },
    { additionalProperties: false },
  ),
  'appeal-decision': Type.Object(
    { decision: Type.Enum(['upheld', 'rejected']), note: Text(2000, 'Grounds of the decision') },
    { additionalProperties: false },
  ),
  escalate: Type.Object(
    { note: Text(2000, 'Why the supervisor escalates (督办)') },
    { additionalProperties: false },
  ),
} as const;
export type TicketActionRoute = keyof typeof TicketActionBodies;

/** The applicant's view through their round-2 rating token: public texts only. */
export const MyTicketSchema = Type.Object({
  ticketId: Type.String(),
  caseNo: Type.String(),
  state: TicketStateSchema,
  reply: Nullable(Type.String()),
  rectification: Nullable(Type.String()),
  revisitDue: Nullable(Time),
  canReRate: Type.Boolean(),
});

export const DeadlineRuleSchema = Type.Object(
  {
    contactDays: Type.Integer({ minimum: 1, maximum: 60, description: 'Working days' }),
    replyDays: Type.Integer({ minimum: 1, maximum: 60 }),
    rectifyDays: Type.Integer({ minimum: 1, maximum: 120 }),
    appealDays: Type.Integer({ minimum: 1, maximum: 60 }),
    appealDecisionDays: Type.Integer({ minimum: 1, maximum: 60 }),
    signoffDays: Type.Integer({ minimum: 1, maximum: 60 }),
    revisitNaturalDays: Type.Integer({ minimum: 1, maximum: 60, description: 'Natural days' }),
    remindHours: Type.Integer({ minimum: 1, maximum: 240 }),
  },
  { additionalProperties: false },
);
