/**
 * Public disclosure (公开, DOMAIN.md §7): what anyone may read about ratings without signing in, and
 * the moderation queue (审核) that holds text hitting the sensitive-word list. Only published,
 * redacted text is ever in a public shape; originals appear only in moderation items.
 */
import { CHANNEL_IDS, TICKET_OUTCOMES, TICKET_STATES } from '@hcp/domain';
import { type Static, type TSchema, Type } from 'typebox';
import { CodeSchema } from './common';

/**
 * `T | null` as a list of types (`type: ['string', 'null']`) rather than a union: the server's
 * serializer tells the two apart with a `typeof` test, where for a union (anyOf) it validates the
 * value against each branch first, for every nullable field of every item of a public page.
 */
const Nullable = <T extends TSchema>(t: T) => {
  const type = (t as { type?: unknown }).type;
  if (typeof type !== 'string') throw new Error('Nullable needs a schema with one type');
  return Type.Unsafe<Static<T> | null>({ ...t, type: [type, 'null'] });
};
const Time = Type.String({ format: 'date-time' });

/** A time filter: a calendar day (Asia/Shanghai) or a date-time (Shanghai time when it has no offset). */
const Instant = (description: string) =>
  Type.String({
    pattern:
      '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|z|[+ -][0-9]{2}:?[0-9]{2})?)?$',
    description,
  });

/** Filters shared by the list, the CSV export and (for the unit) the feed. */
const filters = {
  unit: Type.Optional(
    Type.Union([CodeSchema], {
      description: 'Unit code; the whole subtree (a district includes its streets and communities)',
    }),
  ),
  item: Type.Optional(
    Type.String({ pattern: '^[0-9A-Za-z]{1,36}$', description: 'Service item code (实施编码)' }),
  ),
  window: Type.Optional(Type.Union([CodeSchema], { description: 'Window number' })),
  staffNo: Type.Optional(Type.Union([CodeSchema], { description: 'Staff number (工号)' })),
  channel: Type.Optional(Type.Enum([...CHANNEL_IDS], { description: 'Rating channel' })),
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'Stars, 1..5' })),
  class: Type.Optional(
    Type.Enum(['good', 'bad'], { description: 'good = 3..5 stars (好评), bad = 1..2 stars (差评)' }),
  ),
  from: Type.Optional(Instant('Rated at or after: a day (from its start, Shanghai time) or a date-time')),
  to: Type.Optional(Instant('Rated at or before: a day (to the end of that Shanghai day) or a date-time')),
  replied: Type.Optional(
    Type.Boolean({
      description:
        'true: bad ratings whose unit has replied; false: bad ratings still waiting for the reply (both imply a ticket)',
    }),
  ),
  ticketState: Type.Optional(
    Type.Enum([...TICKET_STATES, 'open'], {
      description: 'The ticket (工单) state, or `open` for any state but closed',
    }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 50,
      description:
        'Substring of the published comment, Chinese OK, case-insensitive for Latin letters; 2+ characters use the index',
    }),
  ),
};

export const PublicEvaluationQuerySchema = Type.Object(
  {
    ...filters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size' })),
    cursor: Type.Optional(
      Type.String({ maxLength: 40, description: 'Opaque cursor: nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);
export type PublicEvaluationQuery = Static<typeof PublicEvaluationQuerySchema>;

/** The CSV export takes the list's filters; it is not paged (at most 100,000 rows). */
export const PublicExportQuerySchema = Type.Object(filters, { additionalProperties: false });
export type PublicExportQuery = Static<typeof PublicExportQuerySchema>;

export const PublicTicketSchema = Type.Object(
  {
    id: Type.String(),
    state: Type.Enum([...TICKET_STATES]),
    replied: Type.Boolean({ description: 'The unit has given its public reply' }),
    reply: Nullable(Type.String({ description: 'The redacted public reply, once published' })),
    repliedAt: Nullable(Time),
    rectification: Nullable(
      Type.String({ description: 'The redacted record of what changed (整改), once published' }),
    ),
    rectifiedAt: Nullable(Time),
    revisitLevel: Nullable(Type.Integer({ description: "The applicant's round-2 level (回访)" })),
    appealOutcome: Type.Union([Type.Enum(['upheld', 'rejected']), Type.Null()]),
    outcome: Type.Union([Type.Enum([...TICKET_OUTCOMES]), Type.Null()]),
    closedAt: Nullable(Time),
  },
  { description: 'The bad-rating ticket (工单) of a round-1 bad rating' },
);
export type PublicTicket = Static<typeof PublicTicketSchema>;

/** One rating as the public sees it: no certificate, phone, account, device, IP or unmasked name. */
export const PublicEvaluationSchema = Type.Object({
  id: Type.String({ description: 'Evaluation id' }),
  createdAt: Time,
  round: Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 rating, 2 re-rating (回访)' }),
  level: Type.Integer({ minimum: 1, maximum: 5 }),
  class: Type.Enum(['good', 'bad']),
  isDefault: Type.Boolean({ description: '系统默认好评: no rating was given in time (channel default)' }),
  channel: Type.String(),
  indicators: Type.Record(Type.String(), Type.Integer(), { description: 'Indicator code → level' }),
  reasons: Type.Array(Type.String(), { description: 'Reason codes of the catalogue version' }),
  comment: Nullable(Type.String({ description: 'The redacted comment, only once published' })),
  commentStatus: Type.Enum(['none', 'published', 'pending', 'held'], {
    description: 'none: no comment; pending: waiting for redaction (seconds); held: in moderation (审核)',
  }),
  applicant: Type.String({ description: 'Masked name (张*)' }),
  item: Type.Object({ code: Type.String(), name: Type.String() }),
  unit: Type.Object({ code: Type.String(), name: Type.String(), path: Type.String() }),
  window: Nullable(Type.Object({ no: Type.String(), name: Type.String() })),
  staffNo: Nullable(Type.String()),
  appealUpheld: Type.Boolean({
    description: 'An upheld appeal (申诉成立): still public, marked, out of satisfaction statistics',
  }),
  ticket: Nullable(PublicTicketSchema),
});
export type PublicEvaluation = Static<typeof PublicEvaluationSchema>;

export const PublicEvaluationPageSchema = Type.Object({
  items: Type.Array(PublicEvaluationSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});
export type PublicEvaluationPage = Static<typeof PublicEvaluationPageSchema>;

export const TIMELINE_KINDS = [
  'rated',
  'ticket_opened',
  'contacted',
  'replied',
  'signed_off',
  'rectified',
  'revisit_offered',
  're_rated',
  'reopened',
  'appealed',
  'appeal_upheld',
  'appeal_rejected',
  'escalated',
  'closed',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TimelineEntrySchema = Type.Object({
  at: Time,
  kind: Type.Enum([...TIMELINE_KINDS]),
  text: Nullable(Type.String({ description: 'The published reply or rectification text; else null' })),
  level: Nullable(Type.Integer({ description: 'For rated and re_rated' })),
});
export type TimelineEntry = Static<typeof TimelineEntrySchema>;

export const PublicEvaluationDetailSchema = Type.Object({
  ...PublicEvaluationSchema.properties,
  timeline: Type.Array(TimelineEntrySchema, { description: 'Oldest first' }),
});
export type PublicEvaluationDetail = Static<typeof PublicEvaluationDetailSchema>;

// ---- Moderation (审核) and the sensitive-word list: console, signed-in roles only ----

export const MODERATION_SUBJECTS = ['evaluation_comment', 'ticket_reply', 'ticket_rectification'] as const;
export const MODERATION_STATES = ['pending', 'approved', 'edited'] as const;

export const ModerationQuerySchema = Type.Object(
  {
    state: Type.Optional(
      Type.Enum([...MODERATION_STATES], {
        default: 'pending',
        description: 'pending (oldest first) or decided (newest first)',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 40, description: 'Opaque cursor from nextCursor' })),
  },
  { additionalProperties: false },
);
export type ModerationQuery = Static<typeof ModerationQuerySchema>;

export const ModerationItemSchema = Type.Object({
  id: Type.String(),
  subject: Type.Enum([...MODERATION_SUBJECTS]),
  subjectId: Type.String({ description: 'Evaluation id, or ticket id for replies and rectifications' }),
  evaluationId: Type.String(),
  unit: Type.Object({ code: Type.String(), name: Type.String() }),
  original: Type.String({ description: 'As written (for the unit, supervisors and auditors only)' }),
  redacted: Type.String({ description: 'After automatic redaction' }),
  hits: Type.Array(Type.String(), { description: 'The sensitive words found' }),
  state: Type.Enum([...MODERATION_STATES]),
  published: Nullable(Type.String({ description: 'What went public: the redacted text or the edit' })),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Time),
  createdAt: Time,
  dueAt: Type.String({ format: 'date-time', description: 'End of the next working day' }),
});
export type ModerationItem = Static<typeof ModerationItemSchema>;

export const ModerationPageSchema = Type.Object({
  items: Type.Array(ModerationItemSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ModerationEditSchema = Type.Object(
  {
    text: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: '\\S',
      description: 'The text to publish instead; it is redacted again before publication',
    }),
  },
  { additionalProperties: false },
);
export type ModerationEdit = Static<typeof ModerationEditSchema>;

export const SensitiveWordSchema = Type.Object({
  word: Type.String(),
  createdBy: Type.String(),
  createdAt: Time,
});
export type SensitiveWord = Static<typeof SensitiveWordSchema>;

export const SensitiveWordInputSchema = Type.Object(
  {
    word: Type.String({
      minLength: 1,
      maxLength: 50,
      pattern: '\\S',
      description: 'Matched case-insensitively, full-width folded, ignoring separators between characters',
    }),
  },
  { additionalProperties: false },
);
