import { CASE_STATUSES, CHANNEL_IDS, PROMISE_TYPES } from '@hcp/domain';
import { type Static, Type } from 'typebox';
import { CodeSchema } from './common';

const DateTime = Type.String({
  format: 'date-time',
  description: 'RFC 3339 with offset, e.g. 2024-09-30T09:15:00+08:00',
});
const CaseNo = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '办件编号, unique' });

/** Applicant (办事人) as the business system knows them; only masked or hashed forms are stored. */
export const ApplicantInputSchema = Type.Object(
  {
    kind: Type.Enum(['person', 'organization']),
    certType: Type.String({
      minLength: 1,
      maxLength: 20,
      description: 'e.g. 111 居民身份证, 001 统一社会信用代码',
    }),
    certNo: Type.String({ minLength: 1, maxLength: 64, description: 'Stored only as a keyed hash' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9-]{5,20}$', description: 'Stored encrypted' })),
  },
  { additionalProperties: false },
);

/** A case (办件) pushed by a business system. */
export const CaseInputSchema = Type.Object(
  {
    caseNo: CaseNo,
    itemCode: Type.String({ pattern: '^[0-9A-Za-z]{1,36}$' }),
    unitCode: CodeSchema,
    windowNo: Type.Optional(CodeSchema),
    staffNo: Type.Optional(CodeSchema),
    applicant: ApplicantInputSchema,
    acceptedAt: DateTime,
    completedAt: Type.Optional(DateTime),
    status: Type.Enum([...CASE_STATUSES]),
    promiseType: Type.Enum([...PROMISE_TYPES]),
  },
  { additionalProperties: false },
);
export type CaseInput = Static<typeof CaseInputSchema>;

export const CaseBatchInputSchema = Type.Object(
  { cases: Type.Array(CaseInputSchema, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);

/** A case as the API shows it: no certificate number, no phone, the name masked. */
export const CaseSchema = Type.Object({
  caseNo: Type.String(),
  itemCode: Type.String(),
  unitCode: Type.String(),
  windowNo: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  applicant: Type.Object({ kind: Type.String(), certType: Type.String(), name: Type.String() }),
  status: Type.Enum([...CASE_STATUSES]),
  promiseType: Type.Enum([...PROMISE_TYPES]),
  acceptedAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  ratedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type Case = Static<typeof CaseSchema>;

const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const CaseBatchResultSchema = Type.Object({
  results: Type.Array(
    Type.Object({
      caseNo: Type.String(),
      outcome: Type.Enum(['created', 'updated', 'unchanged', 'rejected']),
      error: Type.Optional(ErrorBody),
    }),
  ),
});
export type CaseBatchResult = Static<typeof CaseBatchResultSchema>;

/** Channels a caller may name; `default` is recorded only by the system itself. */
export const RatingChannelSchema = Type.Enum(CHANNEL_IDS.filter((c) => c !== 'default'));

const ratingContent = {
  caseNo: CaseNo,
  round: Type.Union([Type.Literal(1), Type.Literal(2)], {
    description: 'assessNumber: 1 first rating, 2 re-rating',
  }),
  level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' }),
  indicators: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-z_]{1,40}$' }), Type.Integer({ minimum: 1, maximum: 5 }), {
      description: 'Indicator code → level, from the catalogue of the channel type',
    }),
  ),
  reasons: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 })),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
};

/** A rating from a channel (`POST /evaluations`). */
export const EvaluationInputSchema = Type.Object(
  {
    ...ratingContent,
    channel: RatingChannelSchema,
    deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    account: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "The applicant's account on the channel" }),
    ),
  },
  { additionalProperties: false },
);
export type EvaluationInput = Static<typeof EvaluationInputSchema>;

/** A rating recorded by a 12345 operator for a caller (`POST /hotline/evaluations`). */
export const HotlineEvaluationInputSchema = Type.Object(
  { ...ratingContent, operatorId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type HotlineEvaluationInput = Static<typeof HotlineEvaluationInputSchema>;

export const EvaluationSchema = Type.Object({
  id: Type.String({ description: 'Evaluation id (decimal string)' }),
  caseNo: Type.String(),
  round: Type.Integer(),
  level: Type.Integer(),
  isDefault: Type.Boolean(),
  channel: Type.String(),
  catalogVersion: Type.String(),
  indicators: Type.Record(Type.String(), Type.Integer()),
  reasons: Type.Array(Type.String()),
  comment: Type.Union([Type.String(), Type.Null()]),
  itemCode: Type.String(),
  unitCode: Type.String(),
  windowNo: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  flags: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Evaluation = Static<typeof EvaluationSchema>;

export const RatingTokenSchema = Type.Object({
  token: Type.String({ description: 'Shown once; only its hash is stored' }),
  url: Type.String({ description: 'Short link for SMS and QR codes' }),
  qrSvg: Type.String({ description: 'Path of the QR code image (SVG; .png also served)' }),
  round: Type.Integer(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type RatingToken = Static<typeof RatingTokenSchema>;

/** What a rating page needs to show for a token, with nothing personal. */
export const RatingTokenInfoSchema = Type.Object({
  caseNo: Type.String(),
  round: Type.Integer(),
  itemName: Type.String(),
  unitName: Type.String(),
  windowNo: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type RatingTokenInfo = Static<typeof RatingTokenInfoSchema>;
