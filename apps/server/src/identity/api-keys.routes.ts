import { type Executor, inTransaction } from '@hcp/db';
import { CHANNEL_IDS, DomainError, KEY_OPERATIONS, type KeyOperation } from '@hcp/domain';
import type { FastifyInstance } from 'fastify';
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

/** API keys for channel and business systems (system administrators). */
export async function apiKeyRoutes(
  app: FastifyInstance,
  deps: { db: Executor; now: () => Date; secret: string },
) {
  const { db } = deps;
  const admin = requireRole('sysadmin');

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
    handler: async () => {
      const rows = await db
        .selectFrom('api_keys')
        .select([
          'id',
          'name',
          'channels',
          'operations',
          'unit_code',
          'created_by',
          'created_at',
          'expires_at',
          'revoked_at',
          'last_used_at',
          'replaced_by',
        ])
        .orderBy('created_at', 'desc')
        .execute();
      return rows;
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
      if (!done)
        throw new DomainError(
          'NOT_FOUND',
          { en: `api key ${id} not found`, zh: '密钥不存在' },
          { apiKey: id },
        );
      return reply.status(204).send();
    },
  });
}
