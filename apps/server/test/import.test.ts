import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Unit } from '@hcp/contracts';
import { listUnits } from '@hcp/db';
import { makeCreditCode } from '@hcp/domain';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runImport } from '../src/cli/import-command';
import { seedDemo } from '../src/seed/seed-demo';
import { createTestDatabase, dbKind } from './helpers/test-db';

const dir = mkdtempSync(join(tmpdir(), 'hcp-import-'));
function file(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe(`hcp import (${dbKind})`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let street: Unit;
  let out: string[];
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { scale: 0.05 });
    street = (await listUnits(database.db, { level: 'street', limit: 1 })).items[0]!;
  });
  afterAll(() => database.close());
  afterEach(() => vi.restoreAllMocks());

  const run = async (kind: string, path: string) => {
    out = [];
    const capture = (...args: unknown[]) => {
      out.push(args.join(' '));
    };
    vi.spyOn(console, 'error').mockImplementation(capture);
    vi.spyOn(console, 'log').mockImplementation(capture);
    return runImport(database.db, kind, path);
  };
  const unitCount = async () =>
    (
      await database.db
        .selectFrom('units')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const row = (n: number, credit = makeCreditCode(`54310000MA0${String(900000 + n)}`)) =>
    `C${n},测试${n}居委会,community,committee,${street.code},${credit},${street.divisionCode}${String(n).padStart(3, '0')}`;
  const header = 'code,name,level,kind,parentCode,creditCode,divisionCode';

  it('imports nothing when one row is bad, naming its line and field', async () => {
    const before = await unitCount();
    const bad = file('bad.csv', `\uFEFF${header}\n${row(1)}\n${row(2, '91350100M000100Y44')}\n${row(3)}\n`);
    expect(await run('units', bad)).toBe(65);
    expect(out.join('\n')).toContain('line 3: creditCode:');
    expect(out.join('\n')).toContain('nothing imported');
    expect(await unitCount()).toBe(before);
  });

  it('names schema problems by line before touching the database', async () => {
    const bad = file(
      'schema.csv',
      `${header}\n${row(1)}\nC2,x,planet,committee,${street.code},,${street.divisionCode}002\n`,
    );
    expect(await run('units', bad)).toBe(65);
    expect(out.join('\n')).toMatch(/line 3: level:/);
  });

  it('imports a good CSV file, and a second run changes nothing', async () => {
    const before = await unitCount();
    const good = file('good.csv', `\uFEFF${header}\n${row(1)}\n${row(2)}\n${row(3)}\n`);
    expect(await run('units', good)).toBe(0);
    expect(out.at(-1)).toBe('units: 3 inserted, 0 updated, 0 unchanged');
    expect(await unitCount()).toBe(before + 3);
    expect(await run('units', good)).toBe(0);
    expect(out.at(-1)).toBe('units: 0 inserted, 0 updated, 3 unchanged');
  });

  it('imports JSON items with their numbers, and refuses an unknown unit', async () => {
    const item = {
      code: '11310000IMPORT0000000000000001',
      baseCode: '000105001000',
      businessCode: null,
      name: '导入测试事项',
      kind: 'administrative_license',
      subject: 'legal_person',
      promiseType: 'promised',
      promiseDays: 10,
      unitCode: street.code,
    };
    expect(await run('items', file('items.json', JSON.stringify([item])))).toBe(0);
    expect(
      await run(
        'items',
        file('bad-items.json', JSON.stringify([item, { ...item, code: 'X2', unitCode: 'NOPE' }])),
      ),
    ).toBe(65);
    expect(out.join('\n')).toContain('record 2: unitCode: unit NOPE does not exist');
  });

  it('converts CSV text to numbers for items', async () => {
    const csv = `code,baseCode,businessCode,name,kind,subject,promiseType,promiseDays,unitCode\nCSVITEM1,000105001000,,CSV事项,public_service,both,promised,7,${street.code}\n`;
    expect(await run('items', file('items.csv', csv))).toBe(0);
    const stored = await database.db
      .selectFrom('items')
      .select('promise_days')
      .where('code', '=', 'CSVITEM1')
      .executeTakeFirstOrThrow();
    expect(stored.promise_days).toBe(7);
  });

  it('reports an unreadable file and an unknown kind', async () => {
    expect(await run('units', file('x.txt', 'hello'))).toBe(65);
    expect(await run('units', join(dir, 'missing.csv'))).toBe(65);
    expect(await run('planets', file('p.csv', 'a\n1\n'))).toBe(64);
  });
});
