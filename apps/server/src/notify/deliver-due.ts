import type { Executor } from '@hcp/db';
import { sql } from 'kysely';
import { type ClaimedDelivery, type SendDeps, sendDelivery } from './send-delivery';

export interface DeliverDeps extends SendDeps {
  db: Executor;
}

export interface DeliverOptions {
  /** Attempts before a delivery is dead (default 8). */
  maxAttempts?: number;
  batchSize?: number;
  /** Batches per pass at most, so one pass ends even while new deliveries keep arriving. */
  maxBatches?: number;
  /** [0, 1) source for the jitter; Math.random unless a test fixes it. */
  random?: () => number;
}

/** What one delivery pass did. */
export interface DeliverCounts {
  delivered: number;
  retried: number;
  dead: number;
}

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;
/**
 * How long a claim keeps a delivery from other dispatchers. Longer than any attempt (the webhook
 * timeout is 10 s and a batch is sent in parallel); after a crash the delivery is retried when it
 * ends.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * The wait after the n-th failed attempt: 30 s × 2^(n−1), ±20 % jitter so that receivers coming
 * back are not hit by every retry at once, capped at one hour: 30 s, 1 min, 2, 4, 8, 16, 32 min.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(MAX_DELAY_MS, base * (0.8 + 0.4 * random())));
}

interface ClaimedRow {
  id: number | string;
  target: string;
  attempts: number;
  outbox_id: number | string;
  topic: string;
  payload: Record<string, unknown>;
  created_at: Date;
  url: string | null;
  secret_enc: string | null;
  active: boolean | null;
  case_no: string | null;
  applicant_phone_enc: string | null;
}

/**
 * Claims up to `batchSize` due pending deliveries (FOR UPDATE SKIP LOCKED): counts the attempt and
 * moves `next_attempt_at` to the end of a lease, so other dispatchers do not see them while they
 * are being sent. One statement, committed at once: no transaction stays open across the network.
 */
async function claimDue(db: Executor, now: Date, lease: Date, batchSize: number): Promise<ClaimedDelivery[]> {
  const r = await sql<ClaimedRow>`
    WITH due AS (
      SELECT id FROM deliveries
      WHERE state = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = ${lease}
      FROM due WHERE d.id = due.id
      RETURNING d.id, d.target, d.attempts, d.outbox_id
    )
    SELECT c.id, c.target, c.attempts, c.outbox_id, o.topic, o.payload, o.created_at,
      s.url, s.secret_enc, s.active, k.case_no, k.applicant_phone_enc
    FROM claimed c
    JOIN outbox o ON o.id = c.outbox_id
    LEFT JOIN webhook_subscriptions s ON c.target = 'webhook:' || s.id
    LEFT JOIN cases k ON c.target = 'sms' AND k.case_no = o.payload->>'caseNo'
    ORDER BY c.id`.execute(db);
  return r.rows.map((row) => ({
    id: String(row.id),
    target: row.target,
    attempts: row.attempts,
    outboxId: String(row.outbox_id),
    topic: row.topic,
    payload: row.payload,
    createdAt: row.created_at,
    webhook:
      row.url === null ? null : { url: row.url, secretEnc: row.secret_enc!, active: row.active === true },
    smsCase: { found: row.case_no !== null, phoneEnc: row.applicant_phone_enc },
  }));
}

/**
 * Sends every due pending delivery, one claimed batch at a time (each batch in parallel), until no
 * more are due. A success is `delivered`; a failure is retried after `retryDelayMs`, or is `dead`
 * after the last attempt or at once when retrying cannot help. The result is written only while the
 * claim still holds (same attempt count and lease), so a dispatcher that outlived its lease cannot
 * overwrite the work of the one that took over.
 */
export async function deliverDue(deps: DeliverDeps, o: DeliverOptions = {}): Promise<DeliverCounts> {
  const batchSize = o.batchSize ?? 25;
  const maxAttempts = o.maxAttempts ?? MAX_ATTEMPTS;
  const counts: DeliverCounts = { delivered: 0, retried: 0, dead: 0 };
  for (let batch = 0; batch < (o.maxBatches ?? 20); batch += 1) {
    const now = deps.now();
    const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
    const claimed = await claimDue(deps.db, now, lease, batchSize);
    await Promise.all(
      claimed.map(async (d) => {
        const result = await sendDelivery(deps, d);
        const at = deps.now();
        const dead = !result.ok && (result.permanent === true || d.attempts >= maxAttempts);
        const update = deps.db
          .updateTable('deliveries')
          .where('id', '=', d.id)
          .where('state', '=', 'pending')
          .where('attempts', '=', d.attempts)
          .where('next_attempt_at', '=', lease);
        const set = result.ok
          ? { state: 'delivered' as const, delivered_at: at, last_status: result.status, last_error: null }
          : dead
            ? { state: 'dead' as const, last_status: result.status, last_error: result.error }
            : {
                next_attempt_at: new Date(at.getTime() + retryDelayMs(d.attempts, o.random)),
                last_status: result.status,
                last_error: result.error,
              };
        const written = await update.set(set).executeTakeFirst();
        if (Number(written.numUpdatedRows) === 0) return;
        if (result.ok) counts.delivered += 1;
        else if (dead) counts.dead += 1;
        else counts.retried += 1;
      }),
    );
    if (claimed.length < batchSize) break;
  }
  return counts;
}
