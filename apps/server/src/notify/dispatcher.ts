import { type PassLog, repeat } from '../repeat';
import { type DeliverCounts, type DeliverDeps, type DeliverOptions, deliverDue } from './deliver-due';
import { fanOutBatch } from './fan-out';

/** What the dispatcher needs: the database, the clock, and the senders of each target. */
export type DispatcherDeps = DeliverDeps;

export interface DispatcherOptions extends DeliverOptions {
  /** Outbox messages per fan-out transaction (default 200). */
  fanOutBatchSize?: number;
}

/** What one pass did. */
export interface DispatchCounts extends DeliverCounts {
  /** Outbox messages fanned out. */
  dispatched: number;
  /** Deliveries created by the fan-out. */
  created: number;
}

/**
 * One pass of the outbox dispatcher: fans out every undispatched message (batch by batch, each in
 * its own transaction), then sends every delivery that is due. Safe to run in several processes at
 * once: both steps claim their rows with FOR UPDATE SKIP LOCKED.
 */
export async function runDispatcher(
  deps: DispatcherDeps,
  o: DispatcherOptions = {},
): Promise<DispatchCounts> {
  const batchSize = o.fanOutBatchSize ?? 200;
  let dispatched = 0;
  let created = 0;
  // Bounded so that one pass ends even while messages keep arriving; the next pass takes the rest.
  for (let batch = 0; batch < 20; batch += 1) {
    const r = await fanOutBatch(deps.db, deps.now(), batchSize);
    dispatched += r.messages;
    created += r.deliveries;
    if (r.messages < batchSize) break;
  }
  const sent = await deliverDue(deps, o);
  return { dispatched, created, ...sent };
}

/**
 * Runs the dispatcher every `everyMs` (default one second) in this process. A pass still running
 * when the next tick comes is not started twice. Returns a stop function that clears the timer
 * and waits for the running pass to finish.
 */
export function startDispatcher(
  deps: DispatcherDeps & { log: PassLog },
  o: DispatcherOptions & { everyMs?: number } = {},
): () => Promise<void> {
  return repeat(
    'outbox dispatcher',
    o.everyMs ?? 1000,
    () => runDispatcher(deps, o),
    deps.log,
    (c) => {
      if (c.dead > 0) deps.log.error({ ...c }, 'outbox deliveries gave up (dead letters)');
      else if (c.dispatched + c.delivered + c.retried > 0) deps.log.info({ ...c }, 'outbox dispatched');
    },
  );
}
