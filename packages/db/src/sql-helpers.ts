import { DomainError } from '@hcp/domain';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from './schema';

/** A handle that can run queries: the database or a transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Runs `work` in a transaction, joining the caller's if there is one (Kysely does not nest), so a
 * use case is atomic alone and also as one step of a larger unit of work such as an import.
 */
export function inTransaction<T>(db: Executor, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}

/** Opaque keyset cursor: base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify([key])).toString('base64url');
}

/** Reads a cursor back; a malformed one is the caller's mistake (400 naming `cursor`). */
export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string') return parsed[0];
  } catch {
    // fall through to the error below
  }
  throw new DomainError(
    'VALIDATION_FAILED',
    { en: 'cursor is not one this API returned', zh: '分页游标无效' },
    { field: 'cursor' },
  );
}

/** Fetches one row more than asked to learn whether a next page exists. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/**
 * `column = ANY($1::text[])`: one parameter however many values, where `IN (…)` would hit the
 * protocol's limit of 65,535 parameters on a large import.
 */
export function anyOf(column: string, values: string[]) {
  return sql<boolean>`${sql.ref(column)} = ANY(${values}::text[])`;
}

/** Escapes LIKE wildcards: codes may contain '_'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface UpsertSpec<Row> {
  table: keyof DB & string;
  key: keyof Row & string;
  /** Column name → PostgreSQL array element type used by unnest. */
  columns: { [K in keyof Row & string]: 'text' | 'integer' | 'timestamptz' };
  /**
   * Columns written but not compared when deciding whether a row changed: values that differ on
   * every write of the same data (ciphertexts with a fresh IV) or that record who wrote it.
   */
  notCompared?: (keyof Row & string)[];
  /** Extra condition for updating an existing row (`excluded` is the new one); a refused row counts as unchanged. */
  updateGuard?: RawBuilder<boolean>;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Keys of the rows that existed and changed. */
  updatedKeys: string[];
}

/**
 * Inserts or updates rows by their key in one statement (unnest of one array per column, so any
 * number of rows costs one round trip and one plan). A row equal to the stored one is not touched,
 * so a re-import changes nothing, not even `updated_at`. Keys must be unique within `rows`.
 */
export async function upsertRows<Row extends object>(
  db: Executor,
  spec: UpsertSpec<Row>,
  rows: Row[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, updatedKeys: [] };
  const cols = Object.keys(spec.columns) as (keyof Row & string)[];
  const rest = cols.filter((c) => c !== spec.key);
  const compared = rest.filter((c) => !spec.notCompared?.includes(c));
  const arrays = cols.map((c) => {
    const values = rows.map((r) => (r[c] ?? null) as unknown);
    return sql`${values}::${sql.raw(spec.columns[c])}[]`;
  });
  const id = sql.id;
  const result = await sql<{ key: string; inserted: boolean }>`
    INSERT INTO ${id(spec.table)} (${sql.join(cols.map((c) => id(c)))})
    SELECT * FROM unnest(${sql.join(arrays)})
    ON CONFLICT (${id(spec.key)}) DO UPDATE SET
      ${sql.join(rest.map((c) => sql`${id(c)} = excluded.${id(c)}`))}, updated_at = now()
    WHERE (${sql.join(compared.map((c) => sql`${id(spec.table)}.${id(c)}`))})
      IS DISTINCT FROM (${sql.join(compared.map((c) => sql`excluded.${id(c)}`))})
      ${spec.updateGuard ? sql`AND ${spec.updateGuard}` : sql``}
    RETURNING ${id(spec.key)} AS key, (xmax = 0) AS inserted`.execute(db);
  const updatedKeys = result.rows.filter((r) => !r.inserted).map((r) => r.key);
  const inserted = result.rows.length - updatedKeys.length;
  return { inserted, updated: updatedKeys.length, unchanged: rows.length - result.rows.length, updatedKeys };
}

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/**
 * Turns the PostgreSQL errors a caller can cause into domain errors: a duplicate key (23505) is a
 * 409, a reference to something missing or still referenced (23503) a 422, a failed CHECK (23514)
 * a 400. Anything else is rethrown unchanged and becomes a 500 without internals.
 */
export function translatePgError(error: unknown): never {
  const e = error as PgError;
  const details = { constraint: e.constraint, detail: e.detail };
  if (e.code === '23505') {
    throw new DomainError(
      'CONFLICT',
      { en: 'a record with this key already exists', zh: '记录已存在' },
      details,
    );
  }
  if (e.code === '23503') {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: 'the record refers to, or is referred to by, another record', zh: '记录存在关联，无法完成操作' },
      details,
    );
  }
  if (e.code === '23514') {
    throw new DomainError(
      'VALIDATION_FAILED',
      { en: 'a value breaks a rule', zh: '数据不符合规则' },
      details,
    );
  }
  throw error;
}
