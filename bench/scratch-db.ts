// A scratch PostgreSQL database for one bench run: a fresh name, created on the server behind the
// admin URL, and dropped at the end or on Ctrl-C, so that a run leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { adminQuery } from '../apps/server/test/helpers/test-db';

export interface ScratchDatabase {
  name: string;
  /** The admin URL pointing at the scratch database. */
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
}

export function scratchDatabase(adminUrl: string, prefix: string): ScratchDatabase {
  const name = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  return { name, url: url.toString(), create: () => adminQuery(adminUrl, `CREATE DATABASE ${name}`), drop };
}
