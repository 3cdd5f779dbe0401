import { type Executor, inTransaction } from '@hcp/db';
import { DomainError, lockedUntilAfter, ROLES } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { requireActor, requireRole } from '../http/auth';
import { LOGIN_PER_MINUTE } from '../http/hardening';
import type { Protector } from '../security/protector';
import { createAccount } from './accounts';
import { accountRoutes, manageableAccount } from './accounts.routes';
import { recordAudit } from './audit';
import { auditLogRoutes } from './audit-log.routes';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords';
import { createSession, endSession, SESSION_COOKIE, setSessionCookie } from './sessions';
import { acceptTotp } from './totp.routes';

const tags = ['identity'];
const Username = Type.String({ pattern: '^[a-z0-9._-]{3,40}$' });
const AccountViewSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum([...ROLES]),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  locked: Type.Boolean(),
});
const SessionViewSchema = Type.Object({ account: AccountViewSchema, csrfToken: Type.String() });

const badLogin = () =>
  new DomainError(
    'UNAUTHENTICATED',
    { en: 'username or password is wrong', zh: '用户名或密码错误' },
    { field: 'password' },
  );

/** Sign-in, sign-out, the current session, accounts (with accounts.routes.ts) and the audit log. */
export async function identityRoutes(
  app: FastifyInstance,
  deps: { db: Executor; now: () => Date; protector: Protector },
) {
  const { db } = deps;

  app.post('/api/v1/auth/login', {
    config: {
      rateLimit: {
        max: LOGIN_PER_MINUTE,
        timeWindow: '1 minute',
        keyGenerator: (req: FastifyRequest) => `login:${req.ip}`,
      },
    },
    schema: {
      tags,
      summary: 'Sign in with username and password; sets the session cookie and returns the CSRF token',
      body: Type.Object(
        {
          username: Username,
          password: Type.String({ minLength: 1, maxLength: 200 }),
          otp: Type.Optional(
            Type.String({
              pattern: '^[0-9]{6}$',
              description: 'TOTP code, for accounts with two-factor sign-in',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      response: { 200: SessionViewSchema },
    },
    handler: async (req, reply) => {
      const { username, password, otp } = req.body as { username: string; password: string; otp?: string };
      const now = deps.now();
      const a = await db
        .selectFrom('accounts')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      if (a?.locked_until && a.locked_until > now) {
        const retryAfter = Math.ceil((a.locked_until.getTime() - now.getTime()) / 1000);
        await recordAudit(db, req, {
          action: 'auth.login_locked',
          targetType: 'account',
          targetId: String(a.id),
        });
        reply.header('retry-after', String(retryAfter));
        throw new DomainError(
          'RATE_LIMITED',
          {
            en: `too many failed sign-ins: try again in ${retryAfter} s`,
            zh: `登录失败次数过多，请 ${retryAfter} 秒后再试`,
          },
          { retryAfter },
        );
      }
      const passwordOk = (await verifyPassword(a?.password_hash ?? null, password)) && !!a && !a.disabled_at;
      // With two-factor sign-in on, a right password without a code asks for the code (not a failure).
      if (passwordOk && a.totp_enabled && otp === undefined) {
        throw new DomainError(
          'UNAUTHENTICATED',
          { en: 'enter the code from your authenticator app', zh: '请输入身份验证器中的验证码' },
          { field: 'otp', reason: 'OTP_REQUIRED' },
        );
      }
      const ok =
        passwordOk &&
        (!a.totp_enabled ||
          (await acceptTotp(db, deps.protector, { ...a, id: String(a.id) }, otp ?? '', now)));
      if (!a || !ok) {
        if (a) {
          const r = await db
            .updateTable('accounts')
            .set({ failed_logins: sql`failed_logins + 1` })
            .where('id', '=', a.id)
            .returning('failed_logins')
            .executeTakeFirstOrThrow();
          const until = lockedUntilAfter(r.failed_logins, now);
          if (until)
            await db.updateTable('accounts').set({ locked_until: until }).where('id', '=', a.id).execute();
          await recordAudit(db, req, {
            action: 'auth.login_failed',
            targetType: 'account',
            targetId: String(a.id),
            after: { failedLogins: r.failed_logins },
          });
        }
        throw badLogin();
      }
      await db
        .updateTable('accounts')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', a.id)
        .execute();
      const s = await createSession(db, String(a.id), {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
        now,
      });
      setSessionCookie(req, reply, s.id);
      req.actor = {
        kind: 'account',
        id: String(a.id),
        role: a.role,
        unitPath: null,
        via: 'session',
        username: a.username,
      };
      await recordAudit(db, req, { action: 'auth.login', targetType: 'account', targetId: String(a.id) });
      return {
        account: {
          id: String(a.id),
          username: a.username,
          displayName: a.display_name,
          role: a.role,
          unitCode: a.unit_code,
          staffNo: a.staff_no,
          locked: false,
        },
        csrfToken: s.csrfToken,
      };
    },
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags, summary: 'Sign out (needs the X-CSRF-Token header)' },
    preHandler: requireActor,
    handler: async (req, reply) => {
      if (req.actor?.session) {
        await endSession(db, req.actor.session.hash);
        await recordAudit(db, req, { action: 'auth.logout', targetType: 'account', targetId: req.actor.id });
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/auth/me', {
    schema: {
      tags,
      summary: 'The signed-in account and its CSRF token',
      response: { 200: SessionViewSchema },
    },
    handler: async (req) => {
      const a = req.actor;
      if (!a?.session) throw new DomainError('UNAUTHENTICATED', { en: 'not signed in', zh: '未登录' });
      const row = await db
        .selectFrom('accounts')
        .select(['unit_code'])
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      return {
        account: {
          id: a.id,
          username: a.username!,
          displayName: a.displayName!,
          role: a.role,
          unitCode: row.unit_code,
          staffNo: a.staffNo ?? null,
          locked: false,
        },
        csrfToken: a.session.csrfToken,
      };
    },
  });

  app.post('/api/v1/accounts', {
    schema: {
      tags,
      summary: 'Create an account (system administrators)',
      body: Type.Object(
        {
          username: Username,
          displayName: Type.String({ minLength: 1, maxLength: 100 }),
          role: Type.Enum([...ROLES]),
          unitCode: Type.Union([Type.String({ maxLength: 50 }), Type.Null()]),
          staffNo: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
      response: { 201: AccountViewSchema },
    },
    preHandler: requireRole('sysadmin'),
    handler: async (req, reply) => {
      const body = req.body as {
        username: string;
        displayName: string;
        role: (typeof ROLES)[number];
        unitCode: string | null;
        staffNo?: string | null;
        password: string;
      };
      const created = await inTransaction(db, async (trx) => {
        const view = await createAccount(trx, { ...body, staffNo: body.staffNo ?? null }, deps.now());
        await recordAudit(trx, req, {
          action: 'account.create',
          targetType: 'account',
          targetId: view.id,
          after: view,
        });
        return view;
      });
      return reply.status(201).send(created);
    },
  });

  app.put('/api/v1/accounts/:id/password', {
    schema: {
      tags,
      summary:
        "Reset an account's password (system administrators, or unit administrators within their subtree); unlocks it and ends its sessions",
      params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
      body: Type.Object(
        { password: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
    },
    preHandler: requireRole('sysadmin', 'unit_admin'),
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      const { password } = req.body as { password: string };
      checkPasswordStrength(password);
      await manageableAccount(db, req, id);
      const hash = await hashPassword(password);
      await inTransaction(db, async (trx) => {
        await trx
          .updateTable('accounts')
          .set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: deps.now() })
          .where('id', '=', id)
          .execute();
        await trx.deleteFrom('sessions').where('account_id', '=', id).execute();
        await recordAudit(trx, req, {
          action: 'account.password_reset',
          targetType: 'account',
          targetId: id,
        });
      });
      return reply.status(204).send();
    },
  });

  await accountRoutes(app, deps);
  await auditLogRoutes(app, deps);
}
