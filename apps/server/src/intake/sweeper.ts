import type { Executor } from '@hcp/db';
import type { FastifyBaseLogger } from 'fastify';
import { sweepDefaultRatings } from './sweep-default-ratings';

/**
 * Runs the intake sweeps in the server process every `everyMs` (default one minute). A sweep that
 * is still running when the next tick comes is not started twice; several server instances may
 * sweep at once (claims use SKIP LOCKED).
 */
export function startSweeps(deps: {
  db: Executor;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  now: () => Date;
  today: () => string;
  windowDays: number;
  everyMs?: number;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const n = await sweepDefaultRatings(deps.db, {
          now: deps.now(),
          today: deps.today(),
          windowDays: deps.windowDays,
        });
        if (n > 0) deps.log.info({ defaultRatings: n }, 'default ratings recorded');
      } catch (error) {
        deps.log.error({ err: error }, 'default-rating sweep failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, deps.everyMs ?? 60_000);
  timer.unref();
  setImmediate(tick);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
