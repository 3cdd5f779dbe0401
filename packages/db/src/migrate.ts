import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connect';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Where the SQL files are: `packages/db/migrations` when running from source, `dist/migrations`
 * beside the bundled server (the build copies them there).
 */
export function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'migrations'), join(here, 'migrations')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`migrations folder not found next to ${here}`);
}

/** Reads `NNNN_name.sql` files in version order. */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
      };
    });
}

// Any constant works; it only has to be the same for every instance of this application.
const MIGRATION_LOCK = 7_151_985;

/**
 * Applies the migrations not yet recorded, each in its own transaction, under an advisory lock so
 * that several instances starting together apply each file once. A landed file whose checksum
 * changed stops start-up: migrations are never edited once applied.
 * @returns the migrations applied by this call.
 */
export async function migrate(database: Database, migrations = loadMigrations()): Promise<Migration[]> {
  return database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
      const applied = await conn.selectFrom('schema_migrations').selectAll().execute();
      const byVersion = new Map(applied.map((m) => [m.version, m]));
      const done: Migration[] = [];
      for (const m of migrations) {
        const prior = byVersion.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`migration ${m.version}_${m.name} was edited after it was applied`);
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await trx
            .insertInto('schema_migrations')
            .values({ version: m.version, name: m.name, checksum: m.checksum })
            .execute();
        });
        done.push(m);
      }
      return done;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
