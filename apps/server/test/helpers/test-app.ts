import type { Database } from '@hcp/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { seedDemo } from '../../src/seed/seed-demo';
import { createTestDatabase } from './test-db';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The API on a fresh database, optionally with the demo catalogue at a small scale. */
export async function createTestApp(opts: { demoScale?: number; now?: () => Date } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  if (opts.demoScale) await seedDemo(database.db, { scale: opts.demoScale });
  const app = await buildApp({
    config: { adminKey: ADMIN_KEY, logLevel: 'silent' },
    database,
    web: false,
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
