import type { Delivery, DeliveryQuery, PageOf } from '@hcp/contracts';
import { decodeCursor, type Executor, pageOf } from '@hcp/db';
import { DomainError } from '@hcp/domain';

const COLUMNS = [
  'd.id',
  'd.outbox_id',
  'o.topic',
  'd.target',
  'd.state',
  'd.attempts',
  'd.next_attempt_at',
  'd.last_status',
  'd.last_error',
  'd.delivered_at',
  'd.created_at',
] as const;

interface DeliveryRow {
  id: string | number;
  outbox_id: string | number;
  topic: string;
  target: string;
  state: Delivery['state'];
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

function present(r: DeliveryRow): Delivery {
  return {
    id: String(r.id),
    outboxId: String(r.outbox_id),
    topic: r.topic,
    target: r.target,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** Deliveries newest first, by state and target; the message payload is not included. */
export async function listDeliveries(db: Executor, q: DeliveryQuery): Promise<PageOf<Delivery>> {
  const limit = q.limit ?? 50;
  let query = db
    .selectFrom('deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select(COLUMNS)
    .orderBy('d.id', 'desc')
    .limit(limit + 1);
  if (q.state) query = query.where('d.state', '=', q.state);
  if (q.target) query = query.where('d.target', '=', q.target);
  if (q.cursor) {
    const before = decodeCursor(q.cursor);
    if (!/^[0-9]{1,18}$/.test(before)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        { en: 'cursor is not one this API returned', zh: '分页游标无效' },
        { field: 'cursor' },
      );
    }
    query = query.where('d.id', '<', before);
  }
  const page = pageOf(await query.execute(), limit, (r) => String(r.id));
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/** The fields a replay resets: a fresh run of attempts, due now. */
const replayed = (now: Date) => ({
  state: 'pending' as const,
  attempts: 0,
  next_attempt_at: now,
  last_error: null,
  last_status: null,
  delivered_at: null,
});

/**
 * Puts one dead or delivered delivery back to pending, with its attempts reset and due now, so the
 * next dispatcher pass sends it again (receivers deduplicate on the message `id`).
 * Call it in a transaction: the row is locked between the read and the update.
 * @returns the delivery before and after the replay.
 * @throws DomainError NOT_FOUND (no such delivery), CONFLICT (it is still pending).
 */
export async function replayDelivery(
  db: Executor,
  id: string,
  now: Date,
): Promise<{ before: Delivery; after: Delivery }> {
  const before = await db
    .selectFrom('deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select(COLUMNS)
    .where('d.id', '=', id)
    .forUpdate('d')
    .executeTakeFirst();
  if (!before) {
    throw new DomainError(
      'NOT_FOUND',
      { en: `delivery ${id} not found`, zh: `投递记录 ${id} 不存在` },
      { delivery: id },
    );
  }
  const r = await db
    .updateTable('deliveries')
    .set(replayed(now))
    .where('id', '=', id)
    .where('state', 'in', ['dead', 'delivered'])
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    throw new DomainError(
      'CONFLICT',
      { en: `delivery ${id} is still pending`, zh: `投递记录 ${id} 仍在投递中，无需重放` },
      { delivery: id, state: before.state },
    );
  }
  const after = present({ ...before, ...replayed(now) });
  return { before: present(before), after };
}

/**
 * Puts every dead delivery (of one target, if given) back to pending, due now.
 * @returns how many were replayed.
 */
export async function replayDeadDeliveries(db: Executor, now: Date, target?: string): Promise<number> {
  let query = db.updateTable('deliveries').set(replayed(now)).where('state', '=', 'dead');
  if (target) query = query.where('target', '=', target);
  const r = await query.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
