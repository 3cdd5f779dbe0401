import type { Executor } from '@hcp/db';
import { ratingWindowClosesAt } from '@hcp/domain';
import { enqueue } from '../notify/outbox';
import type { Protector } from '../security/protector';
import { issueRatingToken } from './rating-tokens';

/** What inviting applicants needs: where the rating links point and how long a case can be rated. */
export interface InviteOptions {
  publicUrl: string;
  windowDays: number;
}

/** The short link a token is sent as (SMS) or encoded in (QR code at the window). */
export function ratingLink(publicUrl: string, token: string): string {
  return `${publicUrl}/r/${token}`;
}

/**
 * Invites the applicants of just-completed cases to rate, inside the push's transaction: a
 * single-use token per case with a phone, valid until the rating window closes, and an `sms.invite`
 * message in the outbox. The dispatcher looks the phone up when it sends, so no phone number is
 * written to the outbox; a crash after commit cannot skip an invitation.
 */
export async function inviteToRate(
  trx: Executor,
  deps: { protector: Protector } & InviteOptions,
  caseNos: string[],
): Promise<void> {
  if (caseNos.length === 0) return;
  const rows = await trx
    .selectFrom('cases as c')
    .innerJoin('items as i', 'i.code', 'c.item_code')
    .select(['c.case_no', 'c.unit_path', 'c.completed_at', 'i.name as item_name'])
    .where('c.case_no', 'in', caseNos)
    .where('c.applicant_phone_enc', 'is not', null)
    .where('c.completed_at', 'is not', null)
    .execute();
  const messages = [];
  for (const r of rows) {
    const expiresAt = ratingWindowClosesAt(r.completed_at!, deps.windowDays);
    const { token } = await issueRatingToken({ db: trx, protector: deps.protector }, r.case_no, 1, expiresAt);
    messages.push({
      topic: 'sms.invite',
      payload: {
        caseNo: r.case_no,
        unitPath: r.unit_path,
        text: `【好差评】您办理的“${r.item_name}”已办结，请对本次服务进行评价：${ratingLink(deps.publicUrl, token)}`,
      },
    });
  }
  await enqueue(trx, messages);
}
