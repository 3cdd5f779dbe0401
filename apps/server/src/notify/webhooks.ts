import { randomBytes } from 'node:crypto';
import type { Webhook, WebhookCreated, WebhookInput } from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import { DomainError } from '@hcp/domain';
import type { Protector } from '../security/protector';
import { isAdapterTopic } from './routing';

interface WebhookRow {
  id: string;
  url: string;
  topics: string[];
  unit_code: string | null;
  active: boolean;
  created_by: string;
  created_at: Date;
}

function present(r: WebhookRow): Webhook {
  return {
    id: r.id,
    url: r.url,
    topics: r.topics,
    unitCode: r.unit_code,
    active: r.active,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Subscribes a business system to events. The signing secret is returned once and stored only
 * sealed with the protector (AES-GCM), because signing needs it back.
 * @throws DomainError UNPROCESSABLE naming `topics.N` (an SMS or e-mail topic) or `unitCode` (no such unit).
 */
export async function createWebhook(
  db: Executor,
  protector: Protector,
  input: WebhookInput,
  createdBy: string,
  now: Date,
): Promise<WebhookCreated> {
  const adapterTopic = input.topics.findIndex((t) => isAdapterTopic(t));
  if (adapterTopic >= 0) {
    throw new DomainError(
      'UNPROCESSABLE',
      {
        en: `topics.${adapterTopic}: SMS and e-mail messages are not sent to webhooks`,
        zh: `topics.${adapterTopic}：短信和邮件消息不向 Webhook 推送`,
      },
      { field: `topics.${adapterTopic}` },
    );
  }
  const unitCode = input.unitCode ?? null;
  if (
    unitCode &&
    !(await db.selectFrom('units').select('code').where('code', '=', unitCode).executeTakeFirst())
  ) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: `unitCode: unit ${unitCode} does not exist`, zh: 'unitCode：单位不存在' },
      { field: 'unitCode' },
    );
  }
  const id = `wh_${randomBytes(8).toString('hex')}`;
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('webhook_subscriptions')
    .values({
      id,
      url: input.url,
      topics: input.topics,
      secret_enc: protector.encrypt(secret),
      unit_code: unitCode,
      created_by: createdBy,
      created_at: now,
    })
    .returning(['id', 'url', 'topics', 'unit_code', 'active', 'created_by', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...present(row), secret };
}

/** Every subscription, newest first, without secrets. */
export async function listWebhooks(db: Executor): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'url', 'topics', 'unit_code', 'active', 'created_by', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(present);
}

/**
 * Deactivates a subscription: no new deliveries are created for it, and its pending ones go dead at
 * their next attempt.
 * @throws DomainError NOT_FOUND when there is no active subscription with this id.
 */
export async function deactivateWebhook(db: Executor, id: string): Promise<Webhook> {
  const row = await db
    .updateTable('webhook_subscriptions')
    .set({ active: false })
    .where('id', '=', id)
    .where('active', '=', true)
    .returning(['id', 'url', 'topics', 'unit_code', 'active', 'created_by', 'created_at'])
    .executeTakeFirst();
  if (!row) {
    throw new DomainError(
      'NOT_FOUND',
      { en: `webhook ${id} not found`, zh: `Webhook 订阅 ${id} 不存在` },
      { webhook: id },
    );
  }
  return present(row);
}
