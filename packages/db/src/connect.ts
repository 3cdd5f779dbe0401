import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { type Compilable, CompiledQuery, Kysely, PostgresDialect, type QueryResult } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect';
import type { DB } from './schema';
import type { Executor } from './sql-helpers';

/** An open database: the Kysely handle plus what migrations and shutdown need. */
export interface Database {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** Closes the pool or the embedded instance; a PGlite process does not exit until this is awaited. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL: native PostgreSQL through `pg`. Without it, embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; omitted means in memory (tests). */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

// Type OIDs whose parsing differs between `pg` and PGlite out of the box: make both return the same
// JavaScript values so that code and tests behave alike on either.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parseNumber = (v: string) => Number(v);
/** Planner settings for every connection (docs/deployment.md). */
const PLANNER_OPTIONS = '-c random_page_cost=1.1';
const parseDate = (v: string) => v;

/** SQL text → statement name, for the statements run as named prepared statements on PostgreSQL. */
const preparedNames = new Map<string, string>();

/**
 * A hot statement with a fixed text: on PostgreSQL each connection parses and plans it once (a
 * named prepared statement) and then only binds and executes it; PGlite runs it as it is. Use it for
 * statements run thousands of times a second whose text never varies (parameters are arrays or JSON).
 */
export function preparedStatement<R>(name: string, text: string) {
  const known = preparedNames.get(text);
  if (known !== undefined && known !== name) throw new Error(`statement ${name} repeats ${known}`);
  if (known === undefined && [...preparedNames.values()].includes(name))
    throw new Error(`statement name ${name} is taken`);
  preparedNames.set(text, name);
  return (db: Executor, parameters: readonly unknown[]): Promise<QueryResult<R>> =>
    db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
}

/** Dynamic texts (`executePrepared`) prepared so far; beyond the cap they run unprepared. */
let dynamicTexts = 0;
const MAX_DYNAMIC_TEXTS = 256;

/**
 * Runs a built query as a named prepared statement on PostgreSQL, for hot reads whose text takes one
 * of a few shapes (one per combination of filters) and whose planning costs more than running them:
 * after five runs PostgreSQL keeps a generic plan and stops planning. Values that decide the plan's
 * shape (LIMIT, partial-index conditions) must be literals in the text, not parameters. The first
 * 256 texts seen are prepared; any others run as plain statements.
 */
export async function executePrepared<R>(db: Executor, query: Compilable<R>): Promise<R[]> {
  const compiled = query.compile();
  if (!preparedNames.has(compiled.sql) && dynamicTexts < MAX_DYNAMIC_TEXTS) {
    dynamicTexts += 1;
    preparedNames.set(compiled.sql, `hcp_dynamic_${dynamicTexts}`);
  }
  return (await db.executeQuery(compiled)).rows;
}

/** A `pg` client that runs the texts registered by `preparedStatement` by name. */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this only inspects its first argument
  override query(config: any, values?: any, callback?: any): any {
    const name = typeof config === 'string' && Array.isArray(values) ? preparedNames.get(config) : undefined;
    return name === undefined
      ? super.query(config, values, callback)
      : super.query({ name, text: config, values }, callback);
  }
}

/** Opens PostgreSQL when a URL is given, else PGlite (on disk under dataDir, or in memory). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  return openPGlite(opts.dataDir);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8 || oid === NUMERIC) return parseNumber;
      if (oid === DATE) return parseDate;
      return pg.types.getTypeParser(oid, format);
    },
  };
  // random_page_cost 1.1 (SSD, data mostly cached): at the default 4 the planner prefers walking a
  // correlated index over a few hundred fetches through a subtree's own index (public lists).
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    options: PLANNER_OPTIONS,
    Client: PreparingClient,
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    parsers: { [NUMERIC]: parseNumber, [DATE]: parseDate },
  });
  await pglite.exec('SET random_page_cost = 1.1');
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    async close() {
      await db.destroy();
    },
  };
}
