import type { FastifyBaseLogger } from 'fastify';

export type PassLog = Pick<FastifyBaseLogger, 'info' | 'error'>;

/**
 * Runs `pass` now and then every `everyMs` in this process. A pass still running when the next
 * tick comes is not started twice; a failing pass is logged and tried again at the next tick.
 * `report` turns a pass's result into a log line (or nothing). Returns a stop function that clears
 * the timer and waits for the pass under way.
 */
export function repeat<R>(
  name: string,
  everyMs: number,
  pass: () => Promise<R>,
  log: PassLog,
  report: (result: R) => void = () => {},
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = pass()
      .then(report)
      .catch((error) => log.error({ err: error, job: name }, `${name} pass failed`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  setImmediate(tick);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
