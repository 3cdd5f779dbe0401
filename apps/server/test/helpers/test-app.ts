import type { Database } from '@hcp/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import type { HardeningOptions } from '../../src/http/hardening';
import type { SmsSender } from '../../src/intake/sms';
import { seedDemo } from '../../src/seed/seed-demo';
import { createTestDatabase } from './test-db';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The API on a fresh database, optionally with the demo catalogue at a small scale. */
export async function createTestApp(
  opts: { demoScale?: number; now?: () => Date; sms?: SmsSender; hardening?: Partial<HardeningOptions> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  if (opts.demoScale) await seedDemo(database.db, { scale: opts.demoScale });
  const app = await buildApp({
    config: { adminKey: ADMIN_KEY, logLevel: 'silent', ratingWindowDays: 7, publicUrl: 'http://hcp.test' },
    database,
    secret: TEST_SECRET,
    web: false,
    ...(opts.sms ? { sms: opts.sms } : {}),
    ...(opts.hardening ? { hardening: opts.hardening } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
