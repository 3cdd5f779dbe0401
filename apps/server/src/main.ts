#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countUnits, type Database, migrate, openDatabase } from '@hcp/db';
import { ROLES, type RoleId } from '@hcp/domain';
import { buildApp } from './app';
import { runBackgroundOnce } from './background';
import { runImport } from './cli/import-command';
import { type Config, ConfigError, loadConfig } from './config';
import { createAccount } from './identity/accounts';
import { recordAudit } from './identity/audit';
import { HttpSmsSender } from './intake/http-sms-sender';
import { LoggingSmsSender } from './intake/sms';
import { LoggingEmailSender } from './notify/email';
import { ensureReferenceData } from './reference-data';
import { createProtector } from './security/protector';
import { embeddedSecret } from './security/secret-file';
import { type DemoAccounts, seedDemoAccounts } from './seed/demo-accounts';
import { seedDemoActivity } from './seed/demo-activity';
import { seedDemo } from './seed/seed-demo';
import { DeadlinePolicy } from './tickets/deadline-rules';

const HELP = `hcp: Haochaping (好差评) server and administration

Usage:
  hcp start                      migrate, seed demo data into an empty embedded database, serve
  hcp serve                      migrate and serve (never seeds)
  hcp migrate                    apply pending database migrations
  hcp sweep                      run every background job once: default ratings, ticket
                                 sweeps (revisit expiry, 督办, reminders), publisher,
                                 outbox dispatcher, statistics rollup
  hcp seed --demo [--scale N]    load the deterministic Shanghai demo catalogue (idempotent)
       [--activity N]            and simulate a year of activity with N cases (3000 on start):
                                 ratings, tickets, replies; skipped if already present
  hcp account create USERNAME --role ROLE [--unit CODE] [--name NAME] [--staff STAFFNO]
                                 create an account (first set-up: --role sysadmin); prints a
                                 generated initial password once
  hcp import units|items|windows|staff FILE
                                 import a CSV (UTF-8, BOM optional) or JSON file: all rows are
                                 checked first, nothing is written if any row is wrong

Configuration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, HCP_ADMIN_KEY,
HCP_SECRET, HCP_RATING_WINDOW_DAYS, HCP_PUBLIC_URL, LOG_LEVEL (see README.md).`;

async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(database);
    for (const m of applied) console.error(`migrated ${String(m.version).padStart(4, '0')}_${m.name}`);
    await ensureReferenceData(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

function serverSecret(config: Config): string {
  const secret = config.secret ?? (config.databaseUrl ? null : embeddedSecret(config.dataDir));
  if (!secret)
    throw new ConfigError([
      'HCP_SECRET=<unset>: required with DATABASE_URL (32+ random characters, kept safe)',
    ]);
  return secret;
}

const publicUrlOf = (config: Config) =>
  config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;

/** What the demo activity needs: the protector, the rating links' base and window (demo-activity.ts). */
const activityDeps = (config: Config) => ({
  protector: createProtector(serverSecret(config)),
  publicUrl: publicUrlOf(config),
  windowDays: config.ratingWindowDays,
  log: (l: string) => console.error(l),
});

const smsSenderOf = (config: Config) =>
  config.smsGateway ? new HttpSmsSender(config.smsGateway.url, config.smsGateway.secret) : undefined;

async function serve(config: Config, seedIfEmpty: boolean) {
  let demo: DemoAccounts | null = null;
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database);
  await ensureReferenceData(database.db);
  // Only the embedded database is seeded on its own: a real PostgreSQL is never filled with demo data
  // unless asked with `hcp seed --demo`.
  if (seedIfEmpty && !config.databaseUrl && (await countUnits(database.db)) === 0) {
    console.error('Empty embedded database: loading the Shanghai demo catalogue…');
    const r = await seedDemo(database.db, { log: (l) => console.error(l) });
    console.error(`Demo data loaded in ${(r.ms / 1000).toFixed(1)} s; simulating a year of activity…`);
    const a = await seedDemoActivity(database.db, activityDeps(config));
    console.error(
      `Demo activity: ${a.ratings} ratings, ${a.tickets} tickets in ${(a.ms / 1000).toFixed(1)} s.`,
    );
    demo = await seedDemoAccounts(database.db, config.dataDir, new Date());
  }
  const secret = serverSecret(config);
  const publicUrl = publicUrlOf(config);
  const sms = smsSenderOf(config);
  const app = await buildApp({
    config: { ...config, publicUrl },
    hardening: { rateLimit: config.rateLimit, corsOrigins: config.corsOrigins },
    database,
    secret,
    sweeps: true,
    ...(sms ? { sms } : {}),
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port: config.port, host: config.host });
  const base = address.replace('[::1]', 'localhost');
  console.log(
    [
      '',
      `  好差评 Haochaping is running (${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
      `  Public portal:  ${base}/`,
      `  Console:        ${base}/console`,
      `  API docs:       ${base}/api/docs`,
      `  OpenAPI:        ${base}/api/openapi.json`,
      ...(demo ? [`  Console sign-in (demo): ${demo.usernames.join(', ')}; password ${demo.password}`] : []),
      ...(!config.databaseUrl && existsSync(join(config.dataDir, 'demo-accounts.txt'))
        ? [`  Demo accounts:  ${join(config.dataDir, 'demo-accounts.txt')}`]
        : []),
      '',
    ].join('\n'),
  );
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      scale: { type: 'string', default: '1' },
      activity: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
      role: { type: 'string' },
      unit: { type: 'string' },
      name: { type: 'string' },
      staff: { type: 'string' },
    },
  });
  const [command = 'start', ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig(process.env);
  switch (command) {
    case 'start':
    case 'serve':
      await serve(config, command === 'start');
      return -1; // keeps running
    case 'migrate':
      await withDatabase(config, async () => console.error('database is up to date'));
      return 0;
    case 'seed': {
      if (!values.demo) throw new UsageError('seed needs --demo (the only data set so far)');
      const scale = Number(values.scale);
      if (!(scale > 0 && scale <= 100))
        throw new UsageError('--scale must be a number above 0 and at most 100');
      const cases = Number(values.activity);
      if (!(Number.isInteger(cases) && cases >= 0 && cases <= 1_000_000))
        throw new UsageError('--activity must be a whole number of cases from 0 to 1000000');
      const r = await withDatabase(config, (d) => seedDemo(d.db, { scale, log: (l) => console.error(l) }));
      console.log(
        `seeded ${r.units} units, ${r.windows} windows, ${r.staff} staff, ${r.items} items in ${r.ms} ms`,
      );
      if (cases === 0) return 0;
      const a = await withDatabase(config, (d) => seedDemoActivity(d.db, { ...activityDeps(config), cases }));
      console.log(
        a.skipped
          ? 'demo activity is already present: nothing done'
          : `simulated ${a.cases} cases: ${a.ratings} ratings, ${a.defaults} default, ${a.tickets} tickets, ${a.reRatings} re-ratings in ${a.ms} ms`,
      );
      return 0;
    }
    case 'sweep': {
      // One pass of every background job, for a cron job or by hand; the server runs them too.
      const secret = serverSecret(config);
      const log = {
        info: (o: object, m?: string) => console.error(m ?? '', JSON.stringify(o)),
        error: (o: object, m?: string) => console.error(m ?? '', o),
      };
      const counts = await withDatabase(config, (database) =>
        runBackgroundOnce({
          database,
          log,
          now: () => new Date(),
          protector: createProtector(secret),
          sms: smsSenderOf(config) ?? new LoggingSmsSender(log as never),
          email: new LoggingEmailSender(log as never),
          policy: new DeadlinePolicy(database.db),
          windowDays: config.ratingWindowDays,
        }),
      );
      for (const [job, c] of Object.entries(counts)) {
        console.log(
          `${job}: ${
            Object.entries(c)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || 'nothing to do'
          }`,
        );
      }
      return 0;
    }
    case 'account': {
      const [action, username] = rest;
      if (action !== 'create' || !username)
        throw new UsageError('account create USERNAME --role ROLE [--unit CODE] [--name NAME]');
      const password = randomBytes(12).toString('base64url');
      const view = await withDatabase(config, async (d) => {
        const role = (values.role ?? 'sysadmin') as RoleId;
        if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        const created = await createAccount(
          d.db,
          {
            username,
            displayName: values.name ?? username,
            role,
            unitCode: values.unit ?? null,
            staffNo: values.staff ?? null,
            password,
          },
          new Date(),
        );
        await recordAudit(
          d.db,
          null,
          { action: 'account.create', targetType: 'account', targetId: created.id, after: created },
          { kind: 'cli', id: userInfo().username },
        );
        return created;
      });
      console.log(
        `account ${view.username} (${view.role}) created; initial password, shown once:\n  ${password}`,
      );
      return 0;
    }
    case 'import': {
      const [kind, file] = rest;
      if (!kind || !file) throw new UsageError('import needs a kind (units|items|windows|staff) and a FILE');
      return withDatabase(config, (d) => runImport(d.db, kind, file));
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof UsageError) console.error(`${error.message}\n\n${HELP}`);
    else console.error(error);
    process.exitCode = error instanceof UsageError ? 64 : 1;
  },
);
