import type { UnitInput } from '@hcp/contracts';
import {
  anyOf,
  type Executor,
  findPlacements,
  inTransaction,
  movePaths,
  type UpsertCounts,
  upsertUnits,
} from '@hcp/db';
import {
  creditCodeError,
  DomainError,
  isDivisionWithin,
  isValidParentLevel,
  type UnitLevel,
} from '@hcp/domain';
import { findDuplicateKeys, type RowProblem, rejectBatch } from './problems';

type Planned = UnitInput & { path: string };

/**
 * Checks a batch of units against the tree (parents exist in the batch or the database, levels fit,
 * divisions nest, credit codes are valid and not another unit's, no cycles) and computes each
 * unit's materialized path. Pure but for reading the database.
 */
export async function planUnits(db: Executor, rows: UnitInput[]) {
  const problems: RowProblem[] = findDuplicateKeys(rows, 'code', (r) => r.code);
  const batch = new Map(rows.map((r, i) => [r.code, { row: r, index: i }]));
  const known = await findPlacements(db, [
    ...new Set(rows.flatMap((r) => (r.parentCode ? [r.code, r.parentCode] : [r.code]))),
  ]);
  const division = await parentDivisions(db, rows, batch);

  rows.forEach((r, i) => {
    const creditProblem = r.creditCode ? creditCodeError(r.creditCode) : null;
    if (creditProblem) problems.push({ row: i, field: 'creditCode', message: creditProblem });
    if (r.parentCode === null && r.level !== 'city') {
      problems.push({ row: i, field: 'parentCode', message: 'only a city-level unit may have no parent' });
      return;
    }
    if (!r.parentCode) return;
    const parentLevel: UnitLevel | undefined =
      batch.get(r.parentCode)?.row.level ?? known.get(r.parentCode)?.level;
    if (!parentLevel) {
      problems.push({ row: i, field: 'parentCode', message: `unit ${r.parentCode} does not exist` });
    } else if (!isValidParentLevel(parentLevel, r.level)) {
      problems.push({
        row: i,
        field: 'level',
        message: `a ${r.level} unit cannot sit under a ${parentLevel} unit`,
      });
    }
    const parentDivision = division.get(r.parentCode);
    if (parentDivision && !isDivisionWithin(r.divisionCode, parentDivision)) {
      problems.push({
        row: i,
        field: 'divisionCode',
        message: `${r.divisionCode} is not within the parent's division ${parentDivision}`,
      });
    }
  });
  problems.push(...(await creditCodeClashes(db, rows)));

  const paths = new Map<string, string>();
  const pathOf = (code: string, seen: Set<string>): string | null => {
    const cached = paths.get(code);
    if (cached) return cached;
    const entry = batch.get(code);
    if (!entry) return known.get(code)?.path ?? null;
    if (seen.has(code)) return null; // a cycle: reported below
    seen.add(code);
    const parentPath = entry.row.parentCode ? pathOf(entry.row.parentCode, seen) : '';
    const path = parentPath === null ? null : `${parentPath}${code}/`;
    if (path) paths.set(code, path);
    return path;
  };
  const planned: Planned[] = [];
  const moves: { from: string; to: string }[] = [];
  rows.forEach((r, i) => {
    let path = pathOf(r.code, new Set());
    // Moving a unit under its own descendant would make its path name it twice.
    if (path && path.split('/').filter((c) => c === r.code).length > 1) path = null;
    if (path === null) {
      if (!problems.some((p) => p.row === i)) {
        problems.push({ row: i, field: 'parentCode', message: 'the parent chain loops back to this unit' });
      }
      return;
    }
    planned.push({ ...r, path });
    const before = known.get(r.code);
    if (before && before.path !== path) moves.push({ from: before.path, to: path });
  });
  problems.sort((a, b) => a.row - b.row);
  return { problems, planned, moves };
}

/** The division code of each parent named by the batch, from the batch or the database. */
async function parentDivisions(db: Executor, rows: UnitInput[], batch: Map<string, { row: UnitInput }>) {
  const parents = [...new Set(rows.map((r) => r.parentCode).filter((c): c is string => !!c))];
  const outside = parents.filter((c) => !batch.has(c));
  const stored = outside.length
    ? await db.selectFrom('units').select(['code', 'division_code']).where(anyOf('code', outside)).execute()
    : [];
  const map = new Map(stored.map((s) => [s.code, s.division_code]));
  for (const c of parents) {
    const inBatch = batch.get(c);
    if (inBatch) map.set(c, inBatch.row.divisionCode);
  }
  return map;
}

/** Credit codes repeated in the batch or already held by another unit. */
async function creditCodeClashes(db: Executor, rows: UnitInput[]): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  const firstRow = new Map<string, number>();
  rows.forEach((r, i) => {
    if (!r.creditCode) return;
    const first = firstRow.get(r.creditCode);
    if (first === undefined) firstRow.set(r.creditCode, i);
    else
      problems.push({
        row: i,
        field: 'creditCode',
        message: `appears twice in the batch (also row ${first + 1})`,
      });
  });
  if (firstRow.size === 0) return problems;
  const holders = await db
    .selectFrom('units')
    .select(['code', 'credit_code'])
    .where(anyOf('credit_code', [...firstRow.keys()]))
    .execute();
  const holderOf = new Map(holders.map((h) => [h.credit_code, h.code]));
  rows.forEach((r, i) => {
    const holder = r.creditCode ? holderOf.get(r.creditCode) : undefined;
    if (holder && holder !== r.code) {
      problems.push({ row: i, field: 'creditCode', message: `already used by unit ${holder}` });
    }
  });
  return problems;
}

/**
 * Saves units (insert or update by code) in one transaction: checks the whole batch first and
 * writes nothing if any row is wrong; a moved unit carries its subtree's paths along.
 * @throws DomainError UNPROCESSABLE with `details.problems` naming row and field.
 */
export async function saveUnits(db: Executor, rows: UnitInput[]): Promise<UpsertCounts> {
  return inTransaction(db, async (trx) => {
    const { problems, planned, moves } = await planUnits(trx, rows);
    if (problems.length) rejectBatch(problems);
    const counts = await upsertUnits(trx, planned);
    for (const m of moves.sort((a, b) => a.from.length - b.from.length)) await movePaths(trx, m.from, m.to);
    return counts;
  });
}

/** Refuses a write whose path code and body code differ. */
export function assertSameKey(pathKey: string, bodyKey: string, field: string) {
  if (pathKey !== bodyKey) {
    throw new DomainError(
      'VALIDATION_FAILED',
      { en: `${field} in the body must equal the one in the path`, zh: `请求体中的 ${field} 必须与路径一致` },
      { field: `body.${field}` },
    );
  }
}
