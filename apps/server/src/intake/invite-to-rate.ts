import type { Executor } from '@hcp/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Protector } from '../security/protector';
import { mintRatingToken } from './rating-tokens';
import type { SmsSender } from './sms';

export interface InviteDeps {
  db: Executor;
  protector: Protector;
  sms: SmsSender;
  windowDays: number;
  publicUrl: string;
  log: Pick<FastifyBaseLogger, 'warn'>;
  now: () => Date;
}

/** The short link a token is sent as (SMS) or encoded in (QR code at the window). */
export function ratingLink(publicUrl: string, token: string): string {
  return `${publicUrl}/r/${token}`;
}

/**
 * Invites the applicants of just-completed cases to rate: a single-use token per case, sent by SMS
 * to the phone on the case. Runs after the cases are committed; a failed send is logged and the
 * case can still be rated on other channels or with a token minted later.
 * TODO(closed-loop issue): move to the transactional outbox so a crash between commit and send
 * cannot skip an invitation.
 */
export async function inviteToRate(deps: InviteDeps, caseNos: string[]): Promise<void> {
  if (caseNos.length === 0) return;
  const rows = await deps.db
    .selectFrom('cases as c')
    .innerJoin('items as i', 'i.code', 'c.item_code')
    .select(['c.case_no', 'c.applicant_phone_enc', 'i.name as item_name'])
    .where('c.case_no', 'in', caseNos)
    .where('c.applicant_phone_enc', 'is not', null)
    .execute();
  for (const r of rows) {
    try {
      const { token } = await mintRatingToken({ ...deps, now: deps.now() }, r.case_no, 1);
      const phone = deps.protector.decrypt(r.applicant_phone_enc!);
      await deps.sms.send(
        phone,
        `【好差评】您办理的“${r.item_name}”已办结，请对本次服务进行评价：${ratingLink(deps.publicUrl, token)}`,
      );
    } catch (error) {
      deps.log.warn({ err: error, caseNo: r.case_no }, 'rating invitation not sent');
    }
  }
}
