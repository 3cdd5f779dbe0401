/**
 * The shapes of the public disclosure API that the portal reads, from the contracts package (the
 * TypeBox schemas the server validates its answers with). The portal imports them from here only, so
 * a change of source is one edit.
 */
import type { PublicEvaluation, PublicTicket } from '@hcp/contracts';

export type {
  PublicEvaluation,
  PublicEvaluationDetail,
  PublicEvaluationQuery,
  PublicTicket,
  Scorecard,
  ScorecardMonth,
  TimelineEntry,
  TimelineKind,
} from '@hcp/contracts';

/** Ticket states of the bad-rating loop (工单). */
export type TicketState = PublicTicket['state'];
/** How a ticket ended. */
export type TicketOutcome = NonNullable<PublicTicket['outcome']>;
/** Whether a rating is good (3–5 stars) or bad (1–2). */
export type RatingClass = PublicEvaluation['class'];
