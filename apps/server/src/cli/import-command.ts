import { ItemInputSchema, StaffInputSchema, UnitInputSchema, WindowInputSchema } from '@hcp/contracts';
import { type Executor, inTransaction, movePaths, type UpsertCounts, upsertUnits } from '@hcp/db';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { RowProblem } from '../catalog/problems';
import { ROW_KINDS } from '../catalog/save-catalog-rows';
import { planUnits } from '../catalog/save-units';
import { describe, fieldOf } from '../http/validation';
import { Progress } from '../import/progress';
import { FileFormatError, readRecords, type SourceRecord } from '../import/read-records';

const SCHEMAS: Record<string, TSchema> = {
  units: UnitInputSchema,
  items: ItemInputSchema,
  windows: WindowInputSchema,
  staff: StaffInputSchema,
};

const CHUNK = 2000;

/** Schema problems of every record (types converted from CSV text first). */
function schemaProblems(schema: TSchema, records: SourceRecord[]) {
  const check = Compile(schema);
  const rows: unknown[] = [];
  const problems: RowProblem[] = [];
  records.forEach((r, i) => {
    const value = Value.Convert(schema, r.data);
    rows.push(value);
    for (const e of check.Errors(value)) {
      problems.push({ row: i, field: fieldOf('', e).slice(1), message: describe(e).en });
      break; // one problem per record is enough to fix it; the next run shows the next
    }
  });
  return { rows, problems };
}

/**
 * `hcp import KIND FILE`: checks every record (schema, then references and tree rules against the
 * database) inside one transaction and writes only when all pass; a re-run of the same file
 * changes nothing. Returns the process exit code.
 */
export async function runImport(db: Executor, kind: string, file: string): Promise<number> {
  const schema = SCHEMAS[kind];
  if (!schema) {
    console.error(`unknown kind ${kind}: use units, items, windows or staff`);
    return 64;
  }
  let records: SourceRecord[];
  try {
    records = readRecords(file);
  } catch (e) {
    if (e instanceof FileFormatError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`${file}: ${(e as Error).message}`);
      return 65;
    }
    throw e;
  }
  console.error(`${file}: ${records.length} ${kind} records; checking…`);
  const { rows, problems } = schemaProblems(schema, records);
  const report = (list: RowProblem[]) => {
    for (const p of list.slice(0, 50)) console.error(`  ${records[p.row]?.where}: ${p.field}: ${p.message}`);
    if (list.length > 50) console.error(`  … and ${list.length - 50} more`);
    console.error(`nothing imported: ${list.length} problem(s) in ${file}`);
    return 65;
  };
  if (problems.length) return report(problems);

  const outcome = await inTransaction(db, async (trx) => {
    const write = await prepareWrite(trx, kind, rows);
    if ('problems' in write) return write;
    const progress = new Progress(kind, rows.length);
    const total = { inserted: 0, updated: 0, unchanged: 0 };
    for (let i = 0; i < write.rows.length; i += CHUNK) {
      const c = await write.upsert(write.rows.slice(i, i + CHUNK) as never);
      total.inserted += c.inserted;
      total.updated += c.updated;
      total.unchanged += c.unchanged;
      progress.update(Math.min(i + CHUNK, rows.length));
    }
    await write.after?.();
    return { counts: total };
  });
  if ('problems' in outcome) return report(outcome.problems);
  const { inserted, updated, unchanged } = outcome.counts;
  console.log(`${kind}: ${inserted} inserted, ${updated} updated, ${unchanged} unchanged`);
  return 0;
}

interface Write {
  rows: unknown[];
  upsert: (chunk: never) => Promise<UpsertCounts>;
  after?: () => Promise<void>;
}

/** Runs the kind's database checks and returns what to write, or the problems found. */
async function prepareWrite(
  trx: Executor,
  kind: string,
  rows: unknown[],
): Promise<Write | { problems: RowProblem[] }> {
  if (kind === 'units') {
    const { problems, planned, moves } = await planUnits(trx, rows as never);
    if (problems.length) return { problems };
    // Parents before children, so that each chunk's references exist when it is written.
    const depth = (path: string) => path.split('/').length;
    planned.sort((a, b) => depth(a.path) - depth(b.path));
    return {
      rows: planned,
      upsert: (chunk) => upsertUnits(trx, chunk),
      after: async () => {
        for (const m of moves.sort((a, b) => a.from.length - b.from.length))
          await movePaths(trx, m.from, m.to);
      },
    };
  }
  const spec = ROW_KINDS[kind as keyof typeof ROW_KINDS];
  const problems = await spec.check(trx, rows as never);
  if (problems.length) return { problems };
  return { rows, upsert: (chunk) => spec.upsert(trx, chunk) };
}
