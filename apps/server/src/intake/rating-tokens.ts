import { randomBytes } from 'node:crypto';
import type { RatingTokenInfo } from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import { DomainError, notFound, ratingWindowClosesAt } from '@hcp/domain';
import type { Protector } from '../security/protector';

/** Rating tokens start with `rt_`, which tells them from API keys in an Authorization header. */
export const TOKEN_PREFIX = 'rt_';

/** Whether a bearer credential is a rating token. */
export function isRatingToken(credential: string): boolean {
  return credential.startsWith(TOKEN_PREFIX) && credential.length > 20;
}

/**
 * Mints a single-use rating token for a case and round. Only its hash is stored; the token itself
 * is returned once, to be sent by SMS or shown as a QR code. It expires when the rating window
 * closes (completion + windowDays), or after windowDays from now for a case not yet completed.
 */
export async function mintRatingToken(
  deps: { db: Executor; protector: Protector; windowDays: number; now: Date },
  caseNo: string,
  round: 1 | 2,
) {
  const c = await deps.db
    .selectFrom('cases')
    .select(['completed_at'])
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
  if (!c) throw notFound('case', caseNo);
  if (round === 2) {
    // A re-rating token lives as long as the ticket's revisit (7 days from the fix being offered).
    const t = await deps.db
      .selectFrom('tickets')
      .select(['state', 'due_at'])
      .where('case_no', '=', caseNo)
      .executeTakeFirst();
    if (t?.state !== 'revisiting' || !t.due_at) {
      throw new DomainError(
        'UNPROCESSABLE',
        { en: 'round: no revisit is open for this case', zh: 'round：该办件当前无待回访的工单' },
        { field: 'round', reason: 'ROUND_NOT_OPEN' },
      );
    }
    return issueRatingToken(deps, caseNo, 2, t.due_at);
  }
  const expiresAt = ratingWindowClosesAt(c.completed_at ?? deps.now, deps.windowDays);
  if (expiresAt < deps.now) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: 'the rating window of this case has closed', zh: '该办件已过评价期限' },
      { field: 'caseNo', reason: 'RATING_WINDOW_CLOSED' },
    );
  }
  return issueRatingToken(deps, caseNo, round, expiresAt);
}

/** Stores a new token's hash and returns the token (the only time it exists in clear). */
export async function issueRatingToken(
  deps: { db: Executor; protector: Protector },
  caseNo: string,
  round: 1 | 2,
  expiresAt: Date,
) {
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  await deps.db
    .insertInto('rating_tokens')
    .values({
      token_hash: deps.protector.hash('token', token),
      case_no: caseNo,
      round,
      expires_at: expiresAt,
    })
    .execute();
  return { token, round, expiresAt };
}

/** What a rating page shows for a token; 404 for an unknown one, 410 once used or expired. */
export async function ratingTokenInfo(
  deps: { db: Executor; protector: Protector; now: Date },
  token: string,
): Promise<RatingTokenInfo> {
  const row = await deps.db
    .selectFrom('rating_tokens as t')
    .innerJoin('cases as c', 'c.case_no', 't.case_no')
    .innerJoin('items as i', 'i.code', 'c.item_code')
    .innerJoin('units as u', 'u.code', 'c.unit_code')
    .select([
      't.case_no',
      't.round',
      't.expires_at',
      't.used_at',
      'i.name as item_name',
      'u.name as unit_name',
      'c.window_no',
      'c.staff_no',
    ])
    .where('t.token_hash', '=', deps.protector.hash('token', token))
    .executeTakeFirst();
  if (!row)
    throw new DomainError(
      'NOT_FOUND',
      { en: 'unknown rating token', zh: '评价凭证无效' },
      { field: 'token' },
    );
  if (row.used_at || row.expires_at < deps.now) {
    throw new DomainError(
      'GONE',
      { en: 'this rating token has been used or has expired', zh: '该评价凭证已使用或已过期' },
      { field: 'token' },
    );
  }
  return {
    caseNo: row.case_no,
    round: row.round,
    itemName: row.item_name,
    unitName: row.unit_name,
    windowNo: row.window_no,
    staffNo: row.staff_no,
    expiresAt: row.expires_at.toISOString(),
  };
}
