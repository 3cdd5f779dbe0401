import type { Unit, UnitDetail, UnitInput, UnitQuery } from '@hcp/contracts';
import type { UnitLevel } from '@hcp/domain';
import { sql } from 'kysely';
import type { UnitsTable } from './schema';
import {
  anyOf,
  decodeCursor,
  type Executor,
  escapeLike,
  pageOf,
  translatePgError,
  type UpsertCounts,
  upsertRows,
} from './sql-helpers';

type UnitRow = Omit<UnitsTable, 'created_at' | 'updated_at'>;

const COLUMNS = [
  'code',
  'name',
  'level',
  'kind',
  'parent_code',
  'path',
  'credit_code',
  'division_code',
] as const;

function present(r: UnitRow): Unit {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    kind: r.kind,
    parentCode: r.parent_code,
    creditCode: r.credit_code,
    divisionCode: r.division_code,
    path: r.path,
  };
}

/** The kinds that make up the territorial tree: the bodies governing a city, district, street or community. */
const TERRITORIAL_KINDS = ['government', 'committee'] as const;

/** Lists units by code with keyset paging; filters combine with AND. */
export async function listUnits(db: Executor, q: UnitQuery) {
  const limit = q.limit ?? 50;
  let query = db
    .selectFrom('units')
    .select(COLUMNS)
    .orderBy('code')
    .limit(limit + 1);
  if (q.level) query = query.where('level', '=', q.level).where('kind', 'in', TERRITORIAL_KINDS);
  if (q.tier) query = query.where('level', '=', q.tier);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.parent) query = query.where('parent_code', '=', q.parent);
  if (q.q) query = query.where('name', 'ilike', `%${escapeLike(q.q)}%`);
  if (q.cursor) query = query.where('code', '>', decodeCursor(q.cursor));
  const rows = await query.execute();
  const page = pageOf(rows, limit, (r) => r.code);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/** One unit with its number of children and its ancestors from the root down; null if absent. */
export async function getUnit(db: Executor, code: string): Promise<UnitDetail | null> {
  const row = await db.selectFrom('units').select(COLUMNS).where('code', '=', code).executeTakeFirst();
  if (!row) return null;
  const ancestorCodes = row.path.split('/').filter((c) => c && c !== code);
  const [ancestors, children] = await Promise.all([
    ancestorCodes.length
      ? db
          .selectFrom('units')
          .select(['code', 'name', 'level', 'path'])
          .where('code', 'in', ancestorCodes)
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom('units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_code', '=', code)
      .executeTakeFirstOrThrow(),
  ]);
  ancestors.sort((a, b) => a.path.length - b.path.length);
  return {
    ...present(row),
    childrenCount: Number(children.n),
    ancestors: ancestors.map(({ code, name, level }) => ({ code, name, level })),
  };
}

/** What placing a unit in the tree needs to know of units that may already exist. */
export interface UnitPlacement {
  code: string;
  level: UnitLevel;
  path: string;
  parent_code: string | null;
}

/** Loads the placement of the given codes (missing codes are simply absent from the map). */
export async function findPlacements(db: Executor, codes: string[]): Promise<Map<string, UnitPlacement>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('units')
    .select(['code', 'level', 'path', 'parent_code'])
    .where(anyOf('code', codes))
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/** Upserts units whose paths the caller computed (parents first is not needed: one statement). */
export async function upsertUnits(
  db: Executor,
  rows: (UnitInput & { path: string })[],
): Promise<UpsertCounts> {
  try {
    return await upsertRows<UnitRow>(
      db,
      {
        table: 'units',
        key: 'code',
        columns: {
          code: 'text',
          name: 'text',
          level: 'text',
          kind: 'text',
          parent_code: 'text',
          path: 'text',
          credit_code: 'text',
          division_code: 'text',
        },
      },
      rows.map((r) => ({
        code: r.code,
        name: r.name,
        level: r.level,
        kind: r.kind,
        parent_code: r.parentCode,
        path: r.path,
        credit_code: r.creditCode,
        division_code: r.divisionCode,
      })),
    );
  } catch (e) {
    translatePgError(e);
  }
}

/** Rewrites the paths of a moved unit's descendants from the old prefix to the new one. */
export async function movePaths(db: Executor, oldPath: string, newPath: string): Promise<number> {
  const r = await sql`
    UPDATE units SET path = ${newPath} || substr(path, ${oldPath.length + 1}), updated_at = now()
    WHERE path LIKE ${`${escapeLike(oldPath)}%`} AND path <> ${oldPath}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Deletes a unit; one that still has children, windows, staff or items is refused (422). */
export async function deleteUnit(db: Executor, code: string): Promise<boolean> {
  try {
    const r = await db.deleteFrom('units').where('code', '=', code).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  } catch (e) {
    translatePgError(e);
  }
}

/** The materialized path of a unit, for subtree filters; null if the unit does not exist. */
export async function unitPath(db: Executor, code: string): Promise<string | null> {
  const r = await db.selectFrom('units').select('path').where('code', '=', code).executeTakeFirst();
  return r?.path ?? null;
}

/** Number of units, to tell an empty database on first start. */
export async function countUnits(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
