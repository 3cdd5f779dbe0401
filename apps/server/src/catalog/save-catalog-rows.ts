import type { ItemInput, StaffInput, WindowInput } from '@hcp/contracts';
import {
  anyOf,
  type Executor,
  inTransaction,
  type UpsertCounts,
  upsertItems,
  upsertStaff,
  upsertWindows,
} from '@hcp/db';
import { sql } from 'kysely';
import { findDuplicateKeys, type RowProblem, rejectBatch } from './problems';

/** Rows whose `field` names a key absent from `table.column` (and from `alsoKnown`, the batch). */
async function missingReferences<T>(
  db: Executor,
  rows: T[],
  field: string,
  refOf: (row: T) => string | null,
  table: 'units' | 'windows',
  column: 'code' | 'no',
): Promise<RowProblem[]> {
  const wanted = [...new Set(rows.map(refOf).filter((v): v is string => v !== null))];
  if (wanted.length === 0) return [];
  const found = await db
    .selectFrom(table)
    .select(sql<string>`${sql.ref(column)}`.as('key'))
    .where(anyOf(column, wanted))
    .execute();
  const present = new Set(found.map((f) => f.key));
  const noun = table === 'units' ? 'unit' : 'window';
  return rows.flatMap((row, i) => {
    const v = refOf(row);
    return v !== null && !present.has(v) ? [{ row: i, field, message: `${noun} ${v} does not exist` }] : [];
  });
}

/** Checks items: unique codes, owning unit exists, promise days present exactly for promised items. */
export async function checkItems(db: Executor, rows: ItemInput[]): Promise<RowProblem[]> {
  const problems = findDuplicateKeys(rows, 'code', (r) => r.code);
  rows.forEach((r, i) => {
    if ((r.promiseType === 'promised') !== (r.promiseDays !== null)) {
      problems.push({
        row: i,
        field: 'promiseDays',
        message: 'a promised item (承诺件) needs its number of days; an immediate one (即办件) has none',
      });
    }
  });
  problems.push(...(await missingReferences(db, rows, 'unitCode', (r) => r.unitCode, 'units', 'code')));
  return problems.sort((a, b) => a.row - b.row);
}

/** Checks windows: unique numbers and an existing unit. */
export async function checkWindows(db: Executor, rows: WindowInput[]): Promise<RowProblem[]> {
  const problems = findDuplicateKeys(rows, 'no', (r) => r.no);
  problems.push(...(await missingReferences(db, rows, 'unitCode', (r) => r.unitCode, 'units', 'code')));
  return problems.sort((a, b) => a.row - b.row);
}

/**
 * Checks staff: unique staff numbers, an existing unit and window. Staff may serve at another
 * unit's window (departments station staff in the district centre: 进驻), so the two need not match.
 */
export async function checkStaff(db: Executor, rows: StaffInput[]): Promise<RowProblem[]> {
  const problems = findDuplicateKeys(rows, 'staffNo', (r) => r.staffNo);
  problems.push(...(await missingReferences(db, rows, 'unitCode', (r) => r.unitCode, 'units', 'code')));
  problems.push(...(await missingReferences(db, rows, 'windowNo', (r) => r.windowNo, 'windows', 'no')));
  return problems.sort((a, b) => a.row - b.row);
}

/** Kinds of catalogue rows other than units, with their checks and writers. */
export const ROW_KINDS = {
  items: { check: checkItems, upsert: upsertItems },
  windows: { check: checkWindows, upsert: upsertWindows },
  staff: { check: checkStaff, upsert: upsertStaff },
} as const;

type RowsOf = { items: ItemInput; windows: WindowInput; staff: StaffInput };

/**
 * Saves a batch of items, windows or staff in one transaction, all or nothing.
 * @throws DomainError UNPROCESSABLE with `details.problems` when any row is wrong.
 */
export async function saveCatalogRows<K extends keyof RowsOf>(
  db: Executor,
  kind: K,
  rows: RowsOf[K][],
): Promise<UpsertCounts> {
  const spec = ROW_KINDS[kind] as unknown as {
    check: (db: Executor, rows: RowsOf[K][]) => Promise<RowProblem[]>;
    upsert: (db: Executor, rows: RowsOf[K][]) => Promise<UpsertCounts>;
  };
  return inTransaction(db, async (trx) => {
    const problems = await spec.check(trx, rows);
    if (problems.length) rejectBatch(problems);
    return spec.upsert(trx, rows);
  });
}
