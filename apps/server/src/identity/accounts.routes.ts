import { decodeCursor, type Executor, escapeLike, inTransaction, pageOf } from '@hcp/db';
import { DomainError, inScope, ROLES, type RoleId } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/auth';
import { recordAudit } from './audit';

const tags = ['identity'];
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

const AccountRowSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum([...ROLES]),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  unitName: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  locked: Type.Boolean(),
  disabled: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  passwordSignIn: Type.Boolean({ description: 'False for accounts that sign in only through SSO' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const notFound = (id: string) =>
  new DomainError('NOT_FOUND', { en: `account ${id} not found`, zh: '账号不存在' }, { account: id });

/**
 * The account `id` if the caller may manage it: a system administrator any account, a unit
 * administrator the non-sysadmin accounts of its subtree. Anything else is answered as absent.
 */
export async function manageableAccount(db: Executor, req: FastifyRequest, id: string) {
  const target = await db
    .selectFrom('accounts as a')
    .leftJoin('units as u', 'u.code', 'a.unit_code')
    .select(['a.id', 'a.role', 'a.disabled_at', 'u.path'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  const actor = req.actor!;
  if (
    !target ||
    (actor.role !== 'sysadmin' &&
      (!target.path || !inScope(actor.unitPath, target.path) || target.role === 'sysadmin'))
  ) {
    throw notFound(id);
  }
  return target;
}

/** Listing accounts, and disabling or re-enabling them (administrators, within their subtree). */
export async function accountRoutes(app: FastifyInstance, deps: { db: Executor; now: () => Date }) {
  const { db } = deps;
  const admins = requireRole('sysadmin', 'unit_admin');

  app.get('/api/v1/accounts', {
    schema: {
      tags,
      summary: 'Accounts by username (system administrators: all; unit administrators: their subtree)',
      querystring: Type.Object(
        {
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the username or name' })),
          role: Type.Optional(Type.Enum([...ROLES])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          items: Type.Array(AccountRowSchema),
          nextCursor: Type.Union([Type.String(), Type.Null()]),
        }),
      },
    },
    preHandler: admins,
    handler: async (req) => {
      const q = req.query as { q?: string; role?: RoleId; limit?: number; cursor?: string };
      const limit = q.limit ?? 50;
      const actor = req.actor!;
      let query = db
        .selectFrom('accounts as a')
        .leftJoin('units as u', 'u.code', 'a.unit_code')
        .select([
          'a.id',
          'a.username',
          'a.display_name',
          'a.role',
          'a.unit_code',
          'u.name as unit_name',
          'a.staff_no',
          'a.locked_until',
          'a.disabled_at',
          'a.totp_enabled',
          'a.password_hash',
          'a.created_at',
        ])
        .orderBy('a.username')
        .limit(limit + 1);
      if (actor.role !== 'sysadmin') {
        query = query
          .where('u.path', 'like', `${escapeLike(actor.unitPath ?? '')}%`)
          .where('a.role', '!=', 'sysadmin');
      }
      if (q.role) query = query.where('a.role', '=', q.role);
      if (q.q) {
        const like = `%${escapeLike(q.q)}%`;
        query = query.where((eb) =>
          eb.or([eb('a.username', 'like', like), eb('a.display_name', 'like', like)]),
        );
      }
      if (q.cursor) query = query.where('a.username', '>', decodeCursor(q.cursor));
      const now = deps.now();
      const rows = (await query.execute()).map((r) => ({
        id: String(r.id),
        username: r.username,
        displayName: r.display_name,
        role: r.role,
        unitCode: r.unit_code,
        unitName: r.unit_name,
        staffNo: r.staff_no,
        locked: !!r.locked_until && r.locked_until > now,
        disabled: r.disabled_at !== null,
        totpEnabled: r.totp_enabled,
        passwordSignIn: r.password_hash !== null,
        createdAt: r.created_at.toISOString(),
      }));
      return pageOf(rows, limit, (r) => r.username);
    },
  });

  app.post('/api/v1/accounts/:id/disable', {
    schema: {
      tags,
      summary: 'Disable an account: its sessions end and it can no longer sign in (by any means)',
      params: IdParams,
    },
    preHandler: admins,
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      if (id === req.actor!.id) {
        throw new DomainError(
          'UNPROCESSABLE',
          { en: 'you cannot disable your own account', zh: '不能停用自己的账号' },
          { field: 'id' },
        );
      }
      await manageableAccount(db, req, id);
      await inTransaction(db, async (trx) => {
        const r = await trx
          .updateTable('accounts')
          .set({ disabled_at: deps.now(), updated_at: deps.now() })
          .where('id', '=', id)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        await trx.deleteFrom('sessions').where('account_id', '=', id).execute();
        if (Number(r.numUpdatedRows) > 0)
          await recordAudit(trx, req, { action: 'account.disable', targetType: 'account', targetId: id });
      });
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/accounts/:id/enable', {
    schema: { tags, summary: 'Enable a disabled account again', params: IdParams },
    preHandler: admins,
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      await manageableAccount(db, req, id);
      await inTransaction(db, async (trx) => {
        const r = await trx
          .updateTable('accounts')
          .set({ disabled_at: null, failed_logins: 0, locked_until: null, updated_at: deps.now() })
          .where('id', '=', id)
          .where('disabled_at', 'is not', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) > 0)
          await recordAudit(trx, req, { action: 'account.enable', targetType: 'account', targetId: id });
      });
      return reply.status(204).send();
    },
  });
}
