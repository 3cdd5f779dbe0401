import type { UnitInput } from '@hcp/contracts';
import { isDivisionWithin, isValidCreditCode, isValidParentLevel } from '@hcp/domain';
import { describe, expect, it } from 'vitest';
import { type DemoCatalog, generateDemoCatalog } from './demo-data';
import { distribute } from './demo-random';

// Generated once per scale: the checks below only read.
const full = generateDemoCatalog({ scale: 1 });
const small = generateDemoCatalog({ scale: 0.05 });

const CODE = /^[A-Za-z0-9_-]{1,50}$/;

function count(c: DemoCatalog, level: UnitInput['level'], kind: UnitInput['kind']): number {
  return c.units.filter((u) => u.level === level && u.kind === kind).length;
}

/** Asserts n is within ±15 % of target. */
function expectNear(n: number, target: number): void {
  expect(n).toBeGreaterThanOrEqual(Math.floor(target * 0.85));
  expect(n).toBeLessThanOrEqual(Math.ceil(target * 1.15));
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const v of values) {
    if (seen.has(v)) dups.push(v);
    seen.add(v);
  }
  return dups;
}

describe('generateDemoCatalog determinism', () => {
  it('gives identical output for identical options', () => {
    expect(generateDemoCatalog({ scale: 1 })).toEqual(full);
    expect(generateDemoCatalog({ scale: 0.05, seed: 7 })).toEqual(
      generateDemoCatalog({ scale: 0.05, seed: 7 }),
    );
  });

  it('keeps the fixed structure and volumes for a different seed but draws other names', () => {
    const other = generateDemoCatalog({ scale: 0.05, seed: 2 });
    // Communities per street are drawn, so only the levels above them are seed-independent.
    const fixed = (c: DemoCatalog) => c.units.filter((u) => u.level !== 'community').map((u) => u.code);
    expect(fixed(other)).toEqual(fixed(small));
    expect(count(other, 'community', 'committee')).toBe(count(small, 'community', 'committee'));
    expect(other.items.length).toBe(small.items.length);
    expect(other.staff.map((s) => s.name)).not.toEqual(small.staff.map((s) => s.name));
  });

  it('refuses a scale out of range', () => {
    expect(() => generateDemoCatalog({ scale: 0 })).toThrow(RangeError);
    expect(() => generateDemoCatalog({ scale: 21 })).toThrow(RangeError);
    expect(() => generateDemoCatalog({ scale: Number.NaN })).toThrow(RangeError);
  });
});

describe.each([
  ['scale 1', full],
  ['scale 0.05', small],
])('catalogue integrity at %s', (_, c) => {
  it('has exactly one root, first, and every parent before its children', () => {
    expect(c.units[0]).toMatchObject({ code: '310000', parentCode: null, level: 'city' });
    expect(c.units.filter((u) => u.parentCode === null)).toHaveLength(1);
    const seen = new Map<string, UnitInput>();
    for (const u of c.units) {
      if (u.parentCode !== null) {
        const parent = seen.get(u.parentCode);
        expect(parent, `${u.code} before its parent ${u.parentCode}`).toBeDefined();
        expect(isValidParentLevel(parent!.level, u.level), `${u.code} level under ${parent!.code}`).toBe(
          true,
        );
        expect(isDivisionWithin(u.divisionCode, parent!.divisionCode), `${u.code} division`).toBe(true);
      }
      seen.set(u.code, u);
    }
  });

  it('has unique, well-formed codes and valid unique credit codes', () => {
    expect(duplicates(c.units.map((u) => u.code))).toEqual([]);
    expect(c.units.filter((u) => !CODE.test(u.code))).toEqual([]);
    const credit = c.units.map((u) => u.creditCode ?? '');
    expect(credit.filter((cc) => !isValidCreditCode(cc))).toEqual([]);
    expect(duplicates(credit)).toEqual([]);
    expect(c.units.filter((u) => u.kind === 'government').every((u) => u.creditCode!.startsWith('11'))).toBe(
      true,
    );
  });

  it('has unique window numbers and staff numbers, each referring to existing rows', () => {
    const units = new Map(c.units.map((u) => [u.code, u]));
    expect(duplicates(c.windows.map((w) => w.no))).toEqual([]);
    expect(c.windows.filter((w) => !units.has(w.unitCode) || !CODE.test(w.no))).toEqual([]);
    const windows = new Map(c.windows.map((w) => [w.no, w]));
    expect(duplicates(c.staff.map((s) => s.staffNo))).toEqual([]);
    for (const s of c.staff) {
      expect(units.has(s.unitCode), s.staffNo).toBe(true);
      if (s.windowNo !== null) expect(windows.get(s.windowNo)?.unitCode, s.staffNo).toBe(s.unitCode);
    }
    const staffed = new Set(c.staff.map((s) => s.windowNo));
    expect(c.windows.filter((w) => !staffed.has(w.no))).toEqual([]);
  });

  it('gives every community exactly one window', () => {
    const perUnit = new Map<string, number>();
    for (const w of c.windows) perUnit.set(w.unitCode, (perUnit.get(w.unitCode) ?? 0) + 1);
    for (const u of c.units.filter((x) => x.level === 'community'))
      expect(perUnit.get(u.code), u.code).toBe(1);
  });

  it('has items with valid codes owned by departments and district centres', () => {
    const units = new Map(c.units.map((u) => [u.code, u]));
    expect(duplicates(c.items.map((i) => i.code))).toEqual([]);
    for (const item of c.items) {
      const owner = units.get(item.unitCode);
      expect(
        owner?.kind === 'department' || (owner?.kind === 'service_center' && owner.level === 'district'),
      ).toBe(true);
      expect(item.code).toMatch(/^[0-9A-Z]{31}$/);
      expect(item.code.startsWith(owner!.creditCode!)).toBe(true);
      expect(item.baseCode).toMatch(/^[0-9]{12}$/);
      if (item.businessCode !== null) expect(item.businessCode).toBe(`${item.code}01`);
      if (item.promiseType === 'immediate') expect(item.promiseDays).toBeNull();
      else expect(item.promiseDays).toBeGreaterThanOrEqual(1);
      expect(item.promiseDays ?? 1).toBeLessThanOrEqual(20);
    }
  });
});

describe('volumes', () => {
  it('matches Shanghai at scale 1', () => {
    expect(count(full, 'district', 'government')).toBe(16);
    expectNear(count(full, 'street', 'government'), 215);
    expectNear(count(full, 'community', 'committee'), 6000);
    expectNear(count(full, 'city', 'department'), 50);
    expectNear(full.items.length, 3600);
    expectNear(full.staff.length, 20000);
    expectNear(full.windows.length, 8000);
  });

  it('uses the real district codes', () => {
    const districts = full.units.filter((u) => u.level === 'district' && u.kind === 'government');
    expect(districts.map((d) => d.code).join(' ')).toBe(
      '310101 310104 310105 310106 310107 310109 310110 310112 310113 310114 310115 310116 310117 310118 310120 310151',
    );
    expect(districts.find((d) => d.code === '310115')?.name).toBe('浦东新区');
  });

  it('makes licences and public services the most common item kinds', () => {
    const byKind = new Map<string, number>();
    for (const i of full.items) byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + 1);
    const ranked = [...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    expect(ranked.slice(0, 2)).toEqual(['administrative_license', 'public_service']);
  });

  it('stays small but complete at scale 0.05', () => {
    expect(count(small, 'district', 'government')).toBe(16);
    expect(count(small, 'district', 'service_center')).toBe(16);
    expect(count(small, 'street', 'government')).toBeGreaterThanOrEqual(16);
    expect(count(small, 'street', 'government')).toBeLessThan(30);
    expect(count(small, 'community', 'committee')).toBeGreaterThanOrEqual(
      count(small, 'street', 'government'),
    );
    expect(small.units.length).toBeLessThan(600);
    expect(small.staff.length).toBeLessThan(1500);
    expect(small.items.length).toBeGreaterThan(0);
    expect(small.items.length).toBeLessThan(300);
    // Every street still has at least one community.
    const streetsWithCommunities = new Set(
      small.units.filter((u) => u.level === 'community').map((u) => u.parentCode),
    );
    expect(streetsWithCommunities.size).toBe(count(small, 'street', 'government'));
  });

  it('generates scale 1 quickly', () => {
    const start = performance.now();
    generateDemoCatalog({ scale: 1, seed: 3 });
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('distribute', () => {
  it('splits exactly, proportionally, with a minimum', () => {
    expect(distribute(10, [1, 1, 2])).toEqual([3, 2, 5]);
    expect(distribute(3, [5, 0, 0], 1)).toEqual([1, 1, 1]);
    expect(distribute(7, [1, 3], 1)).toEqual([2, 5]);
    expect(distribute(100, [1, 2, 3, 4]).reduce((a, b) => a + b, 0)).toBe(100);
  });
});
