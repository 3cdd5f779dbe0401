import { type Static, Type } from 'typebox';
import { CodeSchema } from './common';

const Count = Type.Integer({ minimum: 0 });
/** A share 0..1, null when its denominator is 0. */
const rate = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: `${description}; null when 0/0`,
  });
const Score = Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], {
  description: 'Mean stars of active ratings / 5 × 100, one decimal; null without active ratings',
});

/** One month of a scorecard (Asia/Shanghai calendar month of the rating). */
export const ScorecardMonthSchema = Type.Object({
  month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM' }),
  ratings: Count,
  active: Count,
  good: Count,
  bad: Count,
  goodRate: rate('good / active'),
  satisfaction: Score,
});
export type ScorecardMonth = Static<typeof ScorecardMonthSchema>;

/** Public statistics (DOMAIN.md §8) of everything, of a unit's subtree, or of an item. */
export const ScorecardSchema = Type.Object({
  scope: Type.Object({
    kind: Type.Enum(['all', 'unit', 'item']),
    code: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  ratings: Type.Integer({ minimum: 0, description: 'All round-1 ratings, default ones included' }),
  active: Type.Integer({
    minimum: 0,
    description: 'Round-1 ratings that are not default ratings, less those under an upheld appeal',
  }),
  defaults: Type.Integer({ minimum: 0, description: '系统默认好评: counted apart' }),
  good: Type.Integer({ minimum: 0, description: 'Active ratings of 3..5 stars' }),
  bad: Type.Integer({ minimum: 0, description: 'Active ratings of 1..2 stars' }),
  goodRate: rate('好评率 good / active'),
  satisfaction: Score,
  badTickets: Type.Integer({ minimum: 0, description: 'Bad-rating tickets opened' }),
  replied: Count,
  replyRate: rate('差评回复率 replied / badTickets'),
  repliedOnTime: Count,
  onTimeReplyRate: rate('repliedOnTime / badTickets'),
  rectified: Count,
  rectificationRate: rate('整改率 rectified / badTickets'),
  revisited: Count,
  revisitSatisfied: Count,
  revisitSatisfactionRate: rate('回访满意率 revisitSatisfied / revisited'),
  appeals: Count,
  appealsUpheld: Count,
  months: Type.Array(ScorecardMonthSchema, { description: 'The last 12 months, oldest first' }),
  asOf: Type.String({
    format: 'date-time',
    description: 'When the rollup last brought the figures up to date',
  }),
});
export type Scorecard = Static<typeof ScorecardSchema>;

export const ScorecardParamsSchema = Type.Object({ code: CodeSchema });
