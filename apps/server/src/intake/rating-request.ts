import type { Evaluation, EvaluationInput } from '@hcp/contracts';
import type { DomainError } from '@hcp/domain';

/** Who submits a rating: a channel system vouching for an applicant, a token holder, a 12345 operator. */
export interface RatingActor {
  kind: 'system' | 'token' | 'operator';
  /** System id, token hash, or operator id. */
  id: string;
}

/** One rating as the writer receives it; everything the rules need but the database state. */
export interface RatingRequest {
  input: Omit<EvaluationInput, 'channel'> & { channel: EvaluationInput['channel'] };
  actor: RatingActor;
  /** Present when the caller sent an Idempotency-Key: scope is the caller, hash the request body. */
  idempotency?: { scope: string; key: string; requestHash: string };
  ip: string | null;
  /** A window pad may rate only cases handled at its own window. */
  restrictWindow?: string;
  /** An API key scoped to a subtree may rate only cases of units inside it. */
  restrictPath?: string;
}

/** The answer for one request: a stored rating, or an error (never both). */
export type RatingResult = { status: 201; body: Evaluation } | { status: number; error: DomainError };
