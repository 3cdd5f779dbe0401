import { type Executor, inTransaction } from '@hcp/db';
import { type RouteSubscription, targetsOf } from './routing';

/** What one fan-out batch did. */
export interface FanOutCounts {
  /** Outbox messages marked dispatched. */
  messages: number;
  /** Delivery rows created for them. */
  deliveries: number;
}

// Rows per INSERT: four parameters each, well under the protocol's 65,535.
const INSERT_CHUNK = 2000;

/**
 * Fans out one batch of undispatched outbox messages, in id order: one `deliveries` row per target
 * (see routing.ts), then `dispatched_at`, all in one transaction. The messages are claimed with
 * FOR UPDATE SKIP LOCKED, so server instances fanning out at once take disjoint batches, and
 * UNIQUE (outbox_id, target) with ON CONFLICT DO NOTHING keeps a message from being doubled even so.
 */
export async function fanOutBatch(db: Executor, now: Date, batchSize = 200): Promise<FanOutCounts> {
  return inTransaction(db, async (trx) => {
    const messages = await trx
      .selectFrom('outbox')
      .select(['id', 'topic', 'payload'])
      .where('dispatched_at', 'is', null)
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (messages.length === 0) return { messages: 0, deliveries: 0 };
    const subscriptions: RouteSubscription[] = (
      await trx
        .selectFrom('webhook_subscriptions as s')
        .leftJoin('units as u', 'u.code', 's.unit_code')
        .select(['s.id', 's.topics', 's.unit_code', 'u.path'])
        .where('s.active', '=', true)
        .execute()
    )
      // A scoped subscription whose unit is gone matches nothing rather than everything.
      .filter((s) => s.unit_code === null || s.path !== null)
      .map((s) => ({ id: s.id, topics: s.topics, unitPath: s.path }));
    const rows = messages.flatMap((m) =>
      targetsOf(m.topic, m.payload, subscriptions).map((target) => ({
        outbox_id: String(m.id),
        target,
        state: 'pending' as const,
        next_attempt_at: now,
      })),
    );
    let deliveries = 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const inserted = await trx
        .insertInto('deliveries')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) => oc.columns(['outbox_id', 'target']).doNothing())
        .returning('id')
        .execute();
      deliveries += inserted.length;
    }
    await trx
      .updateTable('outbox')
      .set({ dispatched_at: now })
      .where(
        'id',
        'in',
        messages.map((m) => String(m.id)),
      )
      .execute();
    return { messages: messages.length, deliveries };
  });
}
