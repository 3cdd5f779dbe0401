import { randomBytes } from 'node:crypto';
import { type Database, migrate, openDatabase } from '@hcp/db';
import pg from 'pg';
import { ensureReferenceData } from '../../src/reference-data';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database on
 * the PostgreSQL server named by TEST_DATABASE_URL (dropped again on close).
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<Database> {
  const prepared = (d: Database) => (opts.migrated === false ? Promise.resolve(d) : migrated(d));
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return prepared(await openDatabase({}));

  const name = `hcp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await prepared(await openDatabase({ url: url.toString(), poolSize: 5 }));
  return {
    ...database,
    async close() {
      await database.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function migrated(database: Database): Promise<Database> {
  await migrate(database);
  await ensureReferenceData(database.db);
  return database;
}

/** Runs one statement on a separate connection (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Which database the suite runs on, for test names. */
export const dbKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
