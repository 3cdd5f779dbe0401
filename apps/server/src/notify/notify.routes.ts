import {
  DeliveryPageSchema,
  DeliveryParamsSchema,
  type DeliveryQuery,
  DeliveryQuerySchema,
  DeliverySchema,
  ReplayDeadQuerySchema,
  ReplayResultSchema,
  WebhookCreatedSchema,
  WebhookIdSchema,
  type WebhookInput,
  WebhookInputSchema,
  WebhookSchema,
} from '@hcp/contracts';
import { inTransaction } from '@hcp/db';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireSysadmin } from '../http/auth';
import { recordAudit } from '../identity/audit';
import { listDeliveries, replayDeadDeliveries, replayDelivery } from './deliveries';
import type { DispatcherDeps } from './dispatcher';
import { createWebhook, deactivateWebhook, listWebhooks } from './webhooks';

const tags = ['notifications'];
const security = [{ bearer: [] }];

/**
 * Webhook subscriptions and the delivery log of the outbox, for system administrators: subscribe,
 * list, deactivate; list deliveries and replay dead (or delivered) ones. Every write is audited.
 */
export async function notifyRoutes(app: FastifyInstance, deps: DispatcherDeps) {
  const { db } = deps;

  app.post('/api/v1/webhooks', {
    schema: {
      tags,
      summary: 'Subscribe a URL to events; the signing secret is in this answer only',
      body: WebhookInputSchema,
      response: { 201: WebhookCreatedSchema },
      security,
    },
    preHandler: requireSysadmin,
    handler: async (req, reply) => {
      const input = req.body as WebhookInput;
      const created = await inTransaction(db, async (trx) => {
        const w = await createWebhook(trx, deps.protector, input, req.actor!.id, deps.now());
        await recordAudit(trx, req, {
          action: 'webhook.create',
          targetType: 'webhook',
          targetId: w.id,
          after: { url: w.url, topics: w.topics, unitCode: w.unitCode },
        });
        return w;
      });
      return reply.status(201).send(created);
    },
  });

  app.get('/api/v1/webhooks', {
    schema: {
      tags,
      summary: 'Subscriptions, newest first (never their secrets)',
      response: { 200: Type.Array(WebhookSchema) },
      security,
    },
    preHandler: requireSysadmin,
    handler: () => listWebhooks(db),
  });

  app.delete('/api/v1/webhooks/:id', {
    schema: {
      tags,
      summary: 'Deactivate a subscription; its pending deliveries go dead',
      params: Type.Object({ id: WebhookIdSchema }),
      security,
    },
    preHandler: requireSysadmin,
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      await inTransaction(db, async (trx) => {
        const w = await deactivateWebhook(trx, id);
        await recordAudit(trx, req, {
          action: 'webhook.deactivate',
          targetType: 'webhook',
          targetId: id,
          before: { url: w.url, topics: w.topics, unitCode: w.unitCode, active: true },
          after: { active: false },
        });
      });
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/deliveries', {
    schema: {
      tags,
      summary: 'Deliveries of outbox messages, newest first, by state and target',
      querystring: DeliveryQuerySchema,
      response: { 200: DeliveryPageSchema },
      security,
    },
    preHandler: requireSysadmin,
    handler: (req) => listDeliveries(db, req.query as DeliveryQuery),
  });

  app.post('/api/v1/deliveries/:id/replay', {
    schema: {
      tags,
      summary: 'Send a dead or delivered delivery again: back to pending, attempts reset, due now',
      params: DeliveryParamsSchema,
      response: { 200: DeliverySchema },
      security,
    },
    preHandler: requireSysadmin,
    handler: async (req) => {
      const { id } = req.params as { id: string };
      return inTransaction(db, async (trx) => {
        const r = await replayDelivery(trx, id, deps.now());
        await recordAudit(trx, req, {
          action: 'delivery.replay',
          targetType: 'delivery',
          targetId: id,
          before: { state: r.before.state, attempts: r.before.attempts, lastError: r.before.lastError },
          after: { state: r.after.state },
        });
        return r.after;
      });
    },
  });

  app.post('/api/v1/deliveries/replay-dead', {
    schema: {
      tags,
      summary: 'Send every dead delivery again (of one target if `target` is given)',
      querystring: ReplayDeadQuerySchema,
      response: { 200: ReplayResultSchema },
      security,
    },
    preHandler: requireSysadmin,
    handler: async (req) => {
      const { target } = req.query as { target?: string };
      return inTransaction(db, async (trx) => {
        const replayed = await replayDeadDeliveries(trx, deps.now(), target);
        await recordAudit(trx, req, {
          action: 'delivery.replay_dead',
          targetType: 'delivery',
          after: { target: target ?? null, replayed },
        });
        return { replayed };
      });
    },
  });
}
