import { randomBytes } from 'node:crypto';
import { type Executor, inTransaction } from '@hcp/db';
import { DomainError } from '@hcp/domain';
import { base32Encode, otpauthUri, verifyTotp } from '@hcp/domain/totp';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/auth';
import type { Protector } from '../security/protector';
import { recordAudit } from './audit';

const tags = ['identity'];
const Code = Type.String({ pattern: '^[0-9]{6}$' });

function signedIn(req: FastifyRequest) {
  if (!req.actor?.session) throw new DomainError('UNAUTHENTICATED', { en: 'not signed in', zh: '未登录' });
  return req.actor;
}

/**
 * Checks a TOTP code for an account at sign-in: the code must match the sealed secret and be of a
 * later step than the last one accepted, which is then recorded (no replay within the window).
 */
export async function acceptTotp(
  db: Executor,
  protector: Protector,
  account: { id: string; totp_secret_enc: string | null; totp_last_step: number | null },
  code: string,
  now: Date,
): Promise<boolean> {
  if (!account.totp_secret_enc) return false;
  const step = verifyTotp(Buffer.from(protector.decrypt(account.totp_secret_enc), 'base64'), code, now);
  if (step === null || (account.totp_last_step !== null && step <= Number(account.totp_last_step)))
    return false;
  const r = await db
    .updateTable('accounts')
    .set({ totp_last_step: step })
    .where('id', '=', account.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Enrolment in the second factor, and the administrators' reset for a lost device. */
export async function totpRoutes(
  app: FastifyInstance,
  deps: { db: Executor; protector: Protector; now: () => Date },
) {
  const { db, protector } = deps;

  app.post('/api/v1/auth/totp/setup', {
    schema: { tags, summary: 'Start TOTP enrolment: a new secret and its otpauth URI (shown once)' },
    handler: async (req) => {
      const actor = signedIn(req);
      const row = await db
        .selectFrom('accounts')
        .select(['username', 'totp_enabled'])
        .where('id', '=', actor.id)
        .executeTakeFirstOrThrow();
      if (row.totp_enabled) {
        throw new DomainError(
          'CONFLICT',
          { en: 'two-factor sign-in is already on', zh: '已开启双因素登录' },
          { reason: 'TOTP_ENABLED' },
        );
      }
      const secret = randomBytes(20);
      await db
        .updateTable('accounts')
        .set({ totp_secret_enc: protector.encrypt(secret.toString('base64')), totp_last_step: null })
        .where('id', '=', actor.id)
        .execute();
      const b32 = base32Encode(secret);
      return { secret: b32, otpauthUri: otpauthUri('好差评 Haochaping', row.username, b32) };
    },
  });

  app.post('/api/v1/auth/totp/enable', {
    schema: {
      tags,
      summary: 'Turn TOTP on by proving the app shows the right code',
      body: Type.Object({ code: Code }, { additionalProperties: false }),
    },
    handler: async (req, reply) => {
      const actor = signedIn(req);
      const a = await db
        .selectFrom('accounts')
        .select(['id', 'totp_secret_enc', 'totp_last_step', 'totp_enabled'])
        .where('id', '=', actor.id)
        .executeTakeFirstOrThrow();
      if (a.totp_enabled || !a.totp_secret_enc) {
        throw new DomainError(
          'CONFLICT',
          { en: 'start with /auth/totp/setup', zh: '请先获取双因素密钥' },
          { reason: 'TOTP_NOT_PENDING' },
        );
      }
      if (
        !(await acceptTotp(
          db,
          protector,
          { ...a, id: String(a.id) },
          (req.body as { code: string }).code,
          deps.now(),
        ))
      ) {
        throw new DomainError(
          'VALIDATION_FAILED',
          { en: 'code: wrong or expired code', zh: 'code：验证码错误或已过期' },
          { field: 'code' },
        );
      }
      await inTransaction(db, async (trx) => {
        await trx.updateTable('accounts').set({ totp_enabled: true }).where('id', '=', actor.id).execute();
        await recordAudit(trx, req, {
          action: 'account.totp_enable',
          targetType: 'account',
          targetId: actor.id,
        });
      });
      return reply.status(204).send();
    },
  });

  app.delete('/api/v1/accounts/:id/totp', {
    schema: {
      tags,
      summary: 'Turn TOTP off for an account whose device is lost (system administrators)',
      params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
    },
    preHandler: requireRole('sysadmin'),
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      const done = await inTransaction(db, async (trx) => {
        const r = await trx
          .updateTable('accounts')
          .set({ totp_enabled: false, totp_secret_enc: null, totp_last_step: null })
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await trx.deleteFrom('sessions').where('account_id', '=', id).execute();
        await recordAudit(trx, req, { action: 'account.totp_reset', targetType: 'account', targetId: id });
        return true;
      });
      if (!done)
        throw new DomainError(
          'NOT_FOUND',
          { en: `account ${id} not found`, zh: '账号不存在' },
          { account: id },
        );
      return reply.status(204).send();
    },
  });
}
