// A scratch PostgreSQL database for one bench run: a fresh name, created on the server behind the
// admin URL, and dropped at the end or on Ctrl-C, so that a run leaves nothing behind.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  /** The admin URL pointing at the scratch database. */
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
}

async function run(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function scratchDatabase(adminUrl: string, prefix: string): ScratchDatabase {
  const name = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => run(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  return { name, url: url.toString(), create: () => run(adminUrl, `CREATE DATABASE ${name}`), drop };
}
