import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate } from '@hcp/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dbKind } from './helpers/test-db';

describe(`migrations (${dbKind})`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('are numbered, and a second run applies nothing', async () => {
    const all = loadMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(await migrate(database)).toEqual([]);
    const rows = await database.db.selectFrom('schema_migrations').select('version').execute();
    expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
  });

  it('refuses to start when an applied file was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hcp-mig-'));
    const first = loadMigrations()[0]!;
    writeFileSync(join(dir, `0001_${first.name}.sql`), `${first.sql}-- edited\n`);
    await expect(migrate(database, loadMigrations(dir))).rejects.toThrow(/edited after it was applied/);
  });

  it('applies each file once when two instances start together', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const [a, b] = await Promise.all([migrate(fresh), migrate(fresh)]);
      expect([...a, ...b].map((m) => m.version).sort((x, y) => x - y)).toEqual(
        loadMigrations().map((m) => m.version),
      );
    } finally {
      await fresh.close();
    }
  });
});
