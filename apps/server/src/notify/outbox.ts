import type { Executor } from '@hcp/db';

/** One piece of news for the outside world: a webhook event, an SMS or an e-mail to send. */
export interface OutboxMessage {
  /** e.g. `ticket.opened`, `ticket.replied`, `sms.revisit`; webhooks subscribe by topic or prefix. */
  topic: string;
  payload: Record<string, unknown>;
}

/**
 * Writes messages to the outbox inside the caller's transaction, so the news commits with the change
 * it announces (or not at all). The dispatcher (notify/dispatcher.ts) delivers them afterwards.
 */
export async function enqueue(trx: Executor, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(messages.map((m) => ({ topic: m.topic, payload: JSON.stringify(m.payload) })))
    .execute();
}
