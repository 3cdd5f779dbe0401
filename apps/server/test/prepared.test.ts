import { type Database, executePrepared, inTransaction, preparedStatement } from '@hcp/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/test-db';

const square = preparedStatement<{ n: number }>('hcp_test_square', 'SELECT ($1::int * $1::int) AS n');

describe(`prepared statements (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await database.close();
  });

  /** The named statements of the connection a transaction holds (PostgreSQL), or null (PGlite). */
  async function namesAfter(work: (trx: Database['db']) => Promise<unknown>): Promise<string[] | null> {
    return inTransaction(database.db, async (trx) => {
      await work(trx);
      if (database.kind === 'pglite') return null;
      const { rows } = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(trx);
      return rows.map((r) => r.name);
    });
  }

  it('runs a registered text with its parameters, by name on PostgreSQL', async () => {
    const names = await namesAfter(async (trx) => {
      expect((await square(trx, [7])).rows).toEqual([{ n: 49 }]);
      expect((await square(trx, [9])).rows).toEqual([{ n: 81 }]);
    });
    if (names) expect(names).toContain('hcp_test_square');
  });

  it('prepares a built query by its text, and each text once', async () => {
    const query = (v: string) =>
      database.db.selectNoFrom((eb) => eb.val(v).as('v')) as unknown as Parameters<typeof executePrepared>[1];
    const names = await namesAfter(async (trx) => {
      expect(await executePrepared(trx, query('a'))).toEqual([{ v: 'a' }]);
      expect(await executePrepared(trx, query('b'))).toEqual([{ v: 'b' }]);
    });
    if (names) expect(names.filter((n) => n.startsWith('hcp_dynamic_'))).toHaveLength(1);
  });

  it('refuses one name for two texts', () => {
    expect(() => preparedStatement('hcp_test_square', 'SELECT 1')).toThrow(/taken/);
  });
});
