import type {
  Item,
  ItemInput,
  ItemQuery,
  PageOf,
  Staff,
  StaffInput,
  StaffQuery,
  Window,
  WindowInput,
  WindowQuery,
} from '@hcp/contracts';
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from './schema';
import {
  decodeCursor,
  type Executor,
  escapeLike,
  pageOf,
  translatePgError,
  type UpsertCounts,
  upsertRows,
} from './sql-helpers';

// Items, windows and staff share one shape of query: belong to a unit, searched by name, paged by key.

interface CommonQuery {
  unit?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Applies the filters every catalogue list has; `underPath` is the subtree's materialized path. */
function commonFilters<T extends 'items' | 'windows' | 'staff', O>(
  query: SelectQueryBuilder<DB, T | 'units', O>,
  table: T,
  key: string,
  q: CommonQuery,
  underPath: string | null,
) {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  let out = query.orderBy(col(key)).limit((q.limit ?? 50) + 1);
  if (q.unit) out = out.where(sql<boolean>`${col('unit_code')} = ${q.unit}`);
  if (underPath !== null) out = out.where(sql<boolean>`units.path LIKE ${`${escapeLike(underPath)}%`}`);
  if (q.q) out = out.where(sql<boolean>`${col('name')} ILIKE ${`%${escapeLike(q.q)}%`}`);
  if (q.cursor) out = out.where(sql<boolean>`${col(key)} > ${decodeCursor(q.cursor)}`);
  return out;
}

const unitName = (eb: ExpressionBuilder<DB, 'units'>) => eb.ref('units.name').as('unitName');

/** Lists service items; `underPath` restricts to a unit subtree. */
export async function listItems(db: Executor, q: ItemQuery, underPath: string | null): Promise<PageOf<Item>> {
  let query = commonFilters(itemsSelect(db), 'items', 'code', q, underPath);
  if (q.kind) query = query.where('items.kind', '=', q.kind);
  if (q.subject) query = query.where('items.subject', '=', q.subject);
  return pageOf(await query.execute(), q.limit ?? 50, (r) => r.code);
}

function itemsSelect(db: Executor) {
  return db
    .selectFrom('items')
    .innerJoin('units', 'units.code', 'items.unit_code')
    .select((eb) => [
      'items.code',
      'items.base_code as baseCode',
      'items.business_code as businessCode',
      'items.name',
      'items.kind',
      'items.subject',
      'items.promise_type as promiseType',
      'items.promise_days as promiseDays',
      'items.unit_code as unitCode',
      unitName(eb),
    ]);
}

/** One item by its implementation code, or null. */
export async function getItem(db: Executor, code: string): Promise<Item | null> {
  return (await itemsSelect(db).where('items.code', '=', code).executeTakeFirst()) ?? null;
}

function windowsSelect(db: Executor) {
  return db
    .selectFrom('windows')
    .innerJoin('units', 'units.code', 'windows.unit_code')
    .select((eb) => [
      'windows.no',
      'windows.name',
      'windows.hall',
      'windows.unit_code as unitCode',
      unitName(eb),
    ]);
}

/** Lists windows. */
export async function listWindows(
  db: Executor,
  q: WindowQuery,
  underPath: string | null,
): Promise<PageOf<Window>> {
  const rows = await commonFilters(windowsSelect(db), 'windows', 'no', q, underPath).execute();
  return pageOf(rows, q.limit ?? 50, (r) => r.no);
}

/** One window by number, or null. */
export async function getWindow(db: Executor, no: string): Promise<Window | null> {
  return (await windowsSelect(db).where('windows.no', '=', no).executeTakeFirst()) ?? null;
}

function staffSelect(db: Executor) {
  return db
    .selectFrom('staff')
    .innerJoin('units', 'units.code', 'staff.unit_code')
    .select((eb) => [
      'staff.staff_no as staffNo',
      'staff.name',
      'staff.unit_code as unitCode',
      'staff.window_no as windowNo',
      unitName(eb),
    ]);
}

/** Lists staff with their real names; the HTTP layer masks them for the public. */
export async function listStaff(
  db: Executor,
  q: StaffQuery,
  underPath: string | null,
): Promise<PageOf<Staff>> {
  let query = commonFilters(staffSelect(db), 'staff', 'staff_no', q, underPath);
  if (q.window) query = query.where('staff.window_no', '=', q.window);
  return pageOf(await query.execute(), q.limit ?? 50, (r) => r.staffNo);
}

/** One staff member by staff number, or null. */
export async function getStaff(db: Executor, staffNo: string): Promise<Staff | null> {
  return (await staffSelect(db).where('staff.staff_no', '=', staffNo).executeTakeFirst()) ?? null;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    translatePgError(e);
  }
}

/** Upserts items by code. */
export function upsertItems(db: Executor, rows: ItemInput[]): Promise<UpsertCounts> {
  return guarded(() =>
    upsertRows(
      db,
      {
        table: 'items',
        key: 'code',
        columns: {
          code: 'text',
          base_code: 'text',
          business_code: 'text',
          name: 'text',
          kind: 'text',
          subject: 'text',
          promise_type: 'text',
          promise_days: 'integer',
          unit_code: 'text',
        },
      },
      rows.map((r) => ({
        code: r.code,
        base_code: r.baseCode,
        business_code: r.businessCode,
        name: r.name,
        kind: r.kind,
        subject: r.subject,
        promise_type: r.promiseType,
        promise_days: r.promiseDays,
        unit_code: r.unitCode,
      })),
    ),
  );
}

/** Upserts windows by number. */
export function upsertWindows(db: Executor, rows: WindowInput[]): Promise<UpsertCounts> {
  return guarded(() =>
    upsertRows(
      db,
      { table: 'windows', key: 'no', columns: { no: 'text', name: 'text', hall: 'text', unit_code: 'text' } },
      rows.map((r) => ({ no: r.no, name: r.name, hall: r.hall, unit_code: r.unitCode })),
    ),
  );
}

/** Upserts staff by staff number. */
export function upsertStaff(db: Executor, rows: StaffInput[]): Promise<UpsertCounts> {
  return guarded(() =>
    upsertRows(
      db,
      {
        table: 'staff',
        key: 'staff_no',
        columns: { staff_no: 'text', name: 'text', unit_code: 'text', window_no: 'text' },
      },
      rows.map((r) => ({ staff_no: r.staffNo, name: r.name, unit_code: r.unitCode, window_no: r.windowNo })),
    ),
  );
}

/** Deletes one row of items, windows or staff by key; false if there was none. */
export function deleteCatalogRow(
  db: Executor,
  table: 'items' | 'windows' | 'staff',
  key: string,
): Promise<boolean> {
  const column = table === 'items' ? 'code' : table === 'windows' ? 'no' : 'staff_no';
  return guarded(async () => {
    const r = await db
      .deleteFrom(table)
      .where(sql<boolean>`${sql.ref(column)} = ${key}`)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  });
}
