// bench/seed: how long `hcp seed --demo` takes on PGlite and on PostgreSQL, and the ratio to a
// baseline in the same run: writing the same rows with bare upserts (no checks, no planning), the
// floor of our write path on that database.
//   npx tsx bench/seed.ts [--scale 1] [--pg postgres://postgres@127.0.0.1:5432/postgres]
import { parseArgs } from 'node:util';
import { type Database, upsertItems, upsertStaff, upsertUnits, upsertWindows } from '@hcp/db';
import { generateDemoCatalog } from '../apps/server/src/seed/demo-data';
import { seedDemo } from '../apps/server/src/seed/seed-demo';
import { createTestDatabase } from '../apps/server/test/helpers/test-db';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'skip-pglite': { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);

async function fresh(kind: 'pglite' | 'postgres'): Promise<Database> {
  if (kind === 'postgres') process.env.TEST_DATABASE_URL = values.pg;
  else delete process.env.TEST_DATABASE_URL;
  return createTestDatabase();
}

async function timed(work: () => Promise<unknown>) {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

async function baseline(database: Database) {
  const demo = generateDemoCatalog({ scale });
  const units = demo.units.map((u) => ({ ...u, path: '' }));
  const pathOf = new Map<string, string>();
  for (const u of units) {
    u.path = `${u.parentCode ? pathOf.get(u.parentCode) : ''}${u.code}/`;
    pathOf.set(u.code, u.path);
  }
  const db = database.db;
  return timed(async () => {
    await upsertUnits(db, units);
    for (let i = 0; i < demo.windows.length; i += 5000)
      await upsertWindows(db, demo.windows.slice(i, i + 5000));
    for (let i = 0; i < demo.staff.length; i += 5000) await upsertStaff(db, demo.staff.slice(i, i + 5000));
    for (let i = 0; i < demo.items.length; i += 5000) await upsertItems(db, demo.items.slice(i, i + 5000));
  });
}

const kinds: ('pglite' | 'postgres')[] = values['skip-pglite'] ? ['postgres'] : ['pglite', 'postgres'];
console.log(`demo seed at scale ${scale}`);
for (const kind of kinds) {
  const a = await fresh(kind);
  const base = await baseline(a);
  await a.close();
  const b = await fresh(kind);
  let rows = 0;
  const seed = await timed(async () => {
    const r = await seedDemo(b.db, { scale });
    rows = r.units + r.windows + r.staff + r.items;
  });
  const again = await timed(() => seedDemo(b.db, { scale }));
  await b.close();
  console.log(
    `${kind.padEnd(8)} rows ${rows}  seed ${(seed / 1000).toFixed(2)} s  (${Math.round(rows / (seed / 1000))} rows/s)` +
      `  re-run (no-op) ${(again / 1000).toFixed(2)} s  baseline bare upserts ${(base / 1000).toFixed(2)} s` +
      `  ratio seed/baseline ${(seed / base).toFixed(2)}`,
  );
}
