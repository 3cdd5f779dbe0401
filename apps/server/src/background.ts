import type { Database } from '@hcp/db';
import { shanghaiDay } from '@hcp/domain';
import { runPublisher } from './disclosure/publisher';
import type { SmsSender } from './intake/sms';
import { sweepDefaultRatings } from './intake/sweep-default-ratings';
import { runDispatcher } from './notify/dispatcher';
import type { EmailSender } from './notify/email';
import { type PassLog, repeat } from './repeat';
import type { Protector } from './security/protector';
import { runRollup } from './stats/rollup';
import type { DeadlinePolicy } from './tickets/deadline-rules';
import { sweepTickets } from './tickets/sweep-tickets';

export interface BackgroundDeps {
  database: Database;
  log: PassLog;
  now: () => Date;
  protector: Protector;
  sms: SmsSender;
  email: EmailSender;
  policy: DeadlinePolicy;
  windowDays: number;
}

/** A background pass: what it does once, how often, and whether its result is worth a log line. */
interface Job {
  name: string;
  everyMs: number;
  run: (d: BackgroundDeps) => Promise<Record<string, number>>;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * Everything the server does on its own, in one table. Every job is idempotent and safe with
 * several instances (SKIP LOCKED claims or a leader lock), so each instance may run them all.
 */
export const JOBS: Job[] = [
  {
    // 系统默认好评: completed cases whose rating window closed unrated.
    name: 'default-ratings',
    everyMs: 60_000,
    run: async (d) => ({
      defaultRatings: await sweepDefaultRatings(d.database.db, {
        now: d.now(),
        today: shanghaiDay(d.now()),
        windowDays: d.windowDays,
      }),
    }),
  },
  {
    // Revisit expiry, overdue escalation (督办) and due-soon reminders.
    name: 'ticket-sweeps',
    everyMs: 30_000,
    run: async (d) => {
      const rules = await d.policy.rules();
      const remindHours = rules.find((r) => r.path === null)?.rule.remindHours ?? 24;
      return { ...(await sweepTickets(d.database.db, { now: d.now(), remindHours })) };
    },
  },
  {
    // Redaction and the moderation queue: public text within seconds.
    name: 'publisher',
    everyMs: 1_000,
    run: async (d) => ({
      ...(await runPublisher({ db: d.database.db, protector: d.protector, now: d.now })),
    }),
  },
  {
    // The outbox: webhooks, SMS and e-mail, with retries.
    name: 'dispatcher',
    everyMs: 1_000,
    run: async (d) => ({
      ...(await runDispatcher({
        db: d.database.db,
        now: d.now,
        protector: d.protector,
        sms: d.sms,
        email: d.email,
      })),
    }),
  },
  {
    // Scorecard rollups.
    name: 'statistics',
    everyMs: 5_000,
    run: async (d) => {
      const r = await runRollup(d.database.db, d.now());
      return Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === 'number')) as Record<
        string,
        number
      >;
    },
  },
];

/**
 * Runs every job on its interval in this process. A pass still running when its next tick comes is
 * not started twice; a failing pass is logged and tried again at the next tick. The returned
 * function stops the timers and waits for the passes under way.
 */
export function startBackground(deps: BackgroundDeps, jobs: Job[] = JOBS): () => Promise<void> {
  const stops = jobs.map((job) =>
    repeat(
      job.name,
      job.everyMs,
      () => job.run(deps),
      deps.log,
      (r) => {
        if (sum(r) > 0) deps.log.info({ job: job.name, ...r }, 'background pass');
      },
    ),
  );
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}

/** One pass of every job, in order (`hcp sweep`, a cron job, tests). */
export async function runBackgroundOnce(
  deps: BackgroundDeps,
): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const job of JOBS) out[job.name] = await job.run(deps);
  return out;
}
