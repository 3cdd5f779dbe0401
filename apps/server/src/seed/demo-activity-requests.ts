/** The rating requests a demo run sends, as each channel would send them (no I/O here). */
import type { RatingRequest } from '../intake/rating-request';
import type { PlannedCase } from './demo-activity-plan';

/** A planned case's round-1 rating as its channel sends it. */
export function firstRatingInput(c: PlannedCase): RatingRequest['input'] {
  const r = c.rating!;
  return {
    caseNo: c.input.caseNo,
    round: 1,
    level: r.level,
    channel: r.channel,
    ...(r.indicators ? { indicators: r.indicators } : {}),
    ...(r.reasons ? { reasons: r.reasons } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
    ...(r.deviceId ? { deviceId: r.deviceId } : {}),
    ...(r.account ? { account: r.account } : {}),
  };
}

/** The applicant's re-rating (round 2), sent with the hash of the revisit SMS's token. */
export function reRatingRequest(c: PlannedCase, tokenHash: string): RatingRequest {
  const plan = c.ticket!;
  return {
    input: {
      caseNo: c.input.caseNo,
      round: 2,
      level: plan.revisitLevel,
      channel: 'sms',
      ...(plan.revisitComment ? { comment: plan.revisitComment } : {}),
    },
    actor: { kind: 'token', id: tokenHash },
    ip: null,
  };
}
