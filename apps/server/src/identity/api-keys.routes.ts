import { type Executor, escapeLike, inTransaction } from '@hcp/db';
import { CHANNEL_IDS, DomainError, inScope, KEY_OPERATIONS, type KeyOperation } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/auth';
import { createApiKey, rotateApiKey } from './api-keys';
import { recordAudit } from './audit';

const tags = ['identity'];
const KeyParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9]{12}$' }) });
const IssuedSchema = Type.Object({
  id: Type.String(),
  key: Type.String({ description: 'Shown once; only an HMAC of it is stored' }),
  oldKeyExpiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});

const keyNotFound = (id: string) =>
  new DomainError('NOT_FOUND', { en: `api key ${id} not found`, zh: '密钥不存在' }, { apiKey: id });

/**
 * Unit administrators manage the keys of their own subtree only: a key they issue must name a unit
 * inside it, and a key outside it (or one for every unit) is answered as absent.
 */
async function checkKeyScope(
  db: Executor,
  req: FastifyRequest,
  key: { id?: string; unitCode?: string | null },
) {
  const actor = req.actor!;
  if (actor.role === 'sysadmin') return;
  const unitCode =
    key.id === undefined
      ? key.unitCode
      : (await db.selectFrom('api_keys').select('unit_code').where('id', '=', key.id).executeTakeFirst())
          ?.unit_code;
  const unit = unitCode
    ? await db.selectFrom('units').select('path').where('code', '=', unitCode).executeTakeFirst()
    : undefined;
  if (unit && inScope(actor.unitPath, unit.path)) return;
  if (key.id !== undefined) throw keyNotFound(key.id);
  throw new DomainError(
    'UNPROCESSABLE',
    {
      en: `unitCode: ${unitCode ? `unit ${unitCode} does not exist` : 'required: a unit of your subtree'}`,
      zh: unitCode ? 'unitCode：单位不存在' : 'unitCode：须指定本单位或下级单位',
    },
    { field: 'unitCode' },
  );
}

/** API keys for channel and business systems (system administrators; unit administrators in their subtree). */
export async function apiKeyRoutes(
  app: FastifyInstance,
  deps: { db: Executor; now: () => Date; secret: string },
) {
  const { db } = deps;
  const admin = requireRole('sysadmin', 'unit_admin');

  app.post('/api/v1/api-keys', {
    schema: {
      tags,
      summary: 'Issue an API key scoped to channels, operations and a unit subtree',
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 100 }),
          channels: Type.Array(Type.Enum(CHANNEL_IDS.filter((c) => c !== 'default')), {
            maxItems: 10,
            uniqueItems: true,
          }),
          operations: Type.Array(Type.Enum([...KEY_OPERATIONS]), { minItems: 1, uniqueItems: true }),
          unitCode: Type.Union([Type.String({ maxLength: 50 }), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      response: { 201: IssuedSchema },
    },
    preHandler: admin,
    handler: async (req, reply) => {
      const body = req.body as {
        name: string;
        channels: string[];
        operations: KeyOperation[];
        unitCode: string | null;
      };
      await checkKeyScope(db, req, { unitCode: body.unitCode });
      const issued = await inTransaction(db, async (trx) => {
        const k = await createApiKey(trx, deps.secret, body, req.actor!.id);
        await recordAudit(trx, req, {
          action: 'api_key.create',
          targetType: 'api_key',
          targetId: k.id,
          after: body,
        });
        return k;
      });
      return reply.status(201).send(issued);
    },
  });

  app.get('/api/v1/api-keys', {
    schema: { tags, summary: 'Keys with their scope and last use (never the secret)' },
    preHandler: admin,
    handler: async (req) => {
      let query = db
        .selectFrom('api_keys as k')
        .select([
          'k.id',
          'k.name',
          'k.channels',
          'k.operations',
          'k.unit_code',
          'k.created_by',
          'k.created_at',
          'k.expires_at',
          'k.revoked_at',
          'k.last_used_at',
          'k.replaced_by',
        ])
        .orderBy('k.created_at', 'desc');
      if (req.actor!.role !== 'sysadmin') {
        query = query
          .innerJoin('units as u', 'u.code', 'k.unit_code')
          .where('u.path', 'like', `${escapeLike(req.actor!.unitPath ?? '')}%`);
      }
      return query.execute();
    },
  });

  app.post('/api/v1/api-keys/:id/rotate', {
    schema: {
      tags,
      summary: 'Issue a replacement key; the old one keeps working for overlapHours (default 24)',
      params: KeyParams,
      body: Type.Optional(
        Type.Object(
          { overlapHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168 })) },
          { additionalProperties: false },
        ),
      ),
      response: { 201: IssuedSchema },
    },
    preHandler: admin,
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      const overlap = (req.body as { overlapHours?: number } | undefined)?.overlapHours ?? 24;
      await checkKeyScope(db, req, { id });
      const issued = await inTransaction(db, async (trx) => {
        const r = await rotateApiKey(trx, deps.secret, id, overlap, deps.now(), req.actor!.id);
        await recordAudit(trx, req, {
          action: 'api_key.rotate',
          targetType: 'api_key',
          targetId: id,
          after: { replacedBy: r.id, oldKeyExpiresAt: r.oldKeyExpiresAt },
        });
        return r;
      });
      return reply
        .status(201)
        .send({ id: issued.id, key: issued.key, oldKeyExpiresAt: issued.oldKeyExpiresAt.toISOString() });
    },
  });

  app.delete('/api/v1/api-keys/:id', {
    schema: { tags, summary: 'Revoke a key at once', params: KeyParams },
    preHandler: admin,
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      await checkKeyScope(db, req, { id });
      const done = await inTransaction(db, async (trx) => {
        const r = await trx
          .updateTable('api_keys')
          .set({ revoked_at: deps.now() })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await recordAudit(trx, req, { action: 'api_key.revoke', targetType: 'api_key', targetId: id });
        return true;
      });
      if (!done) throw keyNotFound(id);
      return reply.status(204).send();
    },
  });
}
