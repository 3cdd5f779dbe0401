import type { Executor } from '@hcp/db';
import { saveCatalogRows } from '../catalog/save-catalog-rows';
import { saveUnits } from '../catalog/save-units';
import { generateDemoCatalog } from './demo-data';

export interface SeedReport {
  units: number;
  windows: number;
  staff: number;
  items: number;
  ms: number;
}

// Rows per statement: large enough that round trips don't dominate, small enough to report progress.
const CHUNK = 5000;

async function inChunks<T>(
  rows: T[],
  save: (chunk: T[]) => Promise<unknown>,
  progress: (done: number) => void,
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await save(rows.slice(i, i + CHUNK));
    progress(Math.min(i + CHUNK, rows.length));
  }
}

/**
 * Loads the deterministic demo catalogue (Shanghai: city, 16 districts, streets, communities,
 * departments, windows, staff, items) through the same checks as any import. Idempotent: a second
 * run finds every row unchanged.
 */
export async function seedDemo(
  db: Executor,
  opts: { scale?: number; log?: (line: string) => void } = {},
): Promise<SeedReport> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const demo = generateDemoCatalog({ scale: opts.scale ?? 1 });
  const step = (name: string, total: number) => (done: number) => log(`  ${name}: ${done}/${total}`);
  // Units go in one batch: a child may come before its parent's chunk otherwise.
  await saveUnits(db, demo.units);
  log(`  units: ${demo.units.length}/${demo.units.length}`);
  await inChunks(
    demo.windows,
    (c) => saveCatalogRows(db, 'windows', c),
    step('windows', demo.windows.length),
  );
  await inChunks(demo.staff, (c) => saveCatalogRows(db, 'staff', c), step('staff', demo.staff.length));
  await inChunks(demo.items, (c) => saveCatalogRows(db, 'items', c), step('items', demo.items.length));
  return {
    units: demo.units.length,
    windows: demo.windows.length,
    staff: demo.staff.length,
    items: demo.items.length,
    ms: Math.round(performance.now() - started),
  };
}
