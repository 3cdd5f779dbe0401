import type { Database } from '@hcp/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogNames } from '../src/disclosure/catalog-names';
import { seedDemo } from '../src/seed/seed-demo';
import { createTestDatabase, dbKind } from './helpers/test-db';

describe(`catalogue names for public pages (${dbKind})`, () => {
  let database: Database;
  let item: { code: string; name: string };
  let unit: { code: string; name: string };
  let window: { no: string; name: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { scale: 0.05 });
    const db = database.db;
    item = await db.selectFrom('items').select(['code', 'name']).orderBy('code').executeTakeFirstOrThrow();
    unit = await db.selectFrom('units').select(['code', 'name']).orderBy('code').executeTakeFirstOrThrow();
    window = await db.selectFrom('windows').select(['no', 'name']).orderBy('no').executeTakeFirstOrThrow();
  });
  afterAll(async () => {
    await database.close();
  });

  it('names items, units and windows in one lookup, and shows an unknown code as itself', async () => {
    const name = await catalogNames(database.db, [
      { kind: 'item', code: item.code },
      { kind: 'unit', code: unit.code },
      { kind: 'window', code: window.no },
      { kind: 'unit', code: 'NO-SUCH-UNIT' },
      { kind: 'window', code: null },
    ]);
    expect(name('item', item.code)).toBe(item.name);
    expect(name('unit', unit.code)).toBe(unit.name);
    expect(name('window', window.no)).toBe(window.name);
    expect(name('unit', 'NO-SUCH-UNIT')).toBe('NO-SUCH-UNIT');
  });

  it('keeps a name it has read for a while (a rename shows within 30 s, not at once)', async () => {
    await catalogNames(database.db, [{ kind: 'item', code: item.code }]);
    const renamed = `${item.name}（新）`;
    await database.db.updateTable('items').set({ name: renamed }).where('code', '=', item.code).execute();
    const cached = await catalogNames(database.db, [{ kind: 'item', code: item.code }]);
    expect(cached('item', item.code)).toBe(item.name);
    // Another handle on the same data has its own cache and reads the new name.
    const other = database.db.withoutPlugins();
    const fresh = await catalogNames(other, [{ kind: 'item', code: item.code }]);
    expect(fresh('item', item.code)).toBe(renamed);
  });
});
