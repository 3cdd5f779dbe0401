/**
 * The unit tree (承办单位) of the demo catalogue: 上海市人民政府, its departments and service centre,
 * the 16 districts with their centres, the streets/towns with their 社区事务受理服务中心, and the
 * residential and village committees. Parents always come before their children in `units`.
 */
import type { UnitInput } from '@hcp/contracts';
import { makeCreditCode } from '@hcp/domain';
import { DEMO_DEPARTMENTS } from './demo-departments';
import { DEMO_DISTRICTS } from './demo-districts';
import { NEIGHBOURHOOD_PARTS, NEIGHBOURHOOD_SUFFIXES, ORDINALS, VILLAGE_PARTS } from './demo-names';
import { distribute, type Rng } from './demo-random';

/** Code of the root unit (上海市人民政府), which is also its division code. */
export const CITY_CODE = '310000';

/** Communities at scale 1 (Shanghai has about 6,000 居委/村委). */
const COMMUNITIES_AT_SCALE_1 = 6000;

/** The unit tree plus typed views on it that the window, staff and item generators need. */
export interface DemoUnits {
  units: UnitInput[];
  departments: UnitInput[];
  cityCentre: UnitInput;
  districtCentres: UnitInput[];
  streets: UnitInput[];
  streetCentres: UnitInput[];
  communities: UnitInput[];
}

/** Zero-pads a non-negative integer. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// GB 11714 organisation-code check character over 8 digits: real credit codes embed a 9-character
// organisation code at positions 9–17, so the demo ones do too.
function orgCodeCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body8.charAt(i)) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Issues unique, valid credit codes: prefix ('11' 机关, '12' 事业单位, '54' for committees as the
 * brief suggests) + the registering division + an organisation code + the GB 32100 check character.
 * Uniqueness comes from the serial: multiplying by an odd number not divisible by 5 is a bijection
 * modulo 10^8, so distinct serials give distinct organisation codes.
 */
function creditCoder(seed: number): (prefix: string, division6: string) => string {
  let serial = 0;
  const offset = (seed >>> 0) % 1e8;
  return (prefix, division6) => {
    serial += 1;
    const body = pad((serial * 2654435761 + offset) % 1e8, 8);
    return makeCreditCode(`${prefix}${division6}${body}${orgCodeCheck(body)}`);
  };
}

/**
 * Synthetic 9-digit street codes: district + 0xx for 街道, 1xx for 镇, 2xx for 乡, numbered in list
 * order. This mirrors the GB/T 2260 convention but the numbers are NOT the official ones.
 */
function streetCodes(districtCode: string, names: readonly string[]): string[] {
  const next = { street: 1, town: 101, township: 201 };
  return names.map((name) => {
    const key = name.endsWith('街道') ? 'street' : name.endsWith('乡') ? 'township' : 'town';
    return districtCode + pad(next[key]++, 3);
  });
}

/** A committee name unique within its street. */
function communityName(rng: Rng, village: boolean, taken: Set<string>): string {
  for (let attempt = 0; attempt < 12; attempt++) {
    let stem: string;
    if (village) {
      stem = `${rng.pick(VILLAGE_PARTS)}村`;
    } else {
      stem = rng.pick(NEIGHBOURHOOD_PARTS) + rng.pick(NEIGHBOURHOOD_SUFFIXES);
      if (rng.chance(0.2)) stem += `第${rng.pick(ORDINALS)}`;
    }
    if (!taken.has(stem)) {
      taken.add(stem);
      return stem + (village ? '村民委员会' : '居民委员会');
    }
  }
  // Only reached at large scales when the word lists run out: number the name instead.
  const stem = `${village ? rng.pick(VILLAGE_PARTS) : rng.pick(NEIGHBOURHOOD_PARTS)}${taken.size + 1}`;
  taken.add(stem);
  return stem + (village ? '村村民委员会' : '居民委员会');
}

/** Builds the unit tree for a scale (districts and city structure fixed; streets and communities scale). */
export function buildUnits(rng: Rng, scale: number, seed: number): DemoUnits {
  const credit = creditCoder(seed);
  const units: UnitInput[] = [];
  const add = (u: Omit<UnitInput, 'creditCode'>, prefix: string, division6: string): UnitInput => {
    // Spelled out so every row has the same key order as the contract, whatever `u` was built from.
    const unit: UnitInput = {
      code: u.code,
      name: u.name,
      level: u.level,
      kind: u.kind,
      parentCode: u.parentCode,
      creditCode: credit(prefix, division6),
      divisionCode: u.divisionCode,
    };
    units.push(unit);
    return unit;
  };
  const base = { kind: 'government' as const, divisionCode: CITY_CODE };
  add({ ...base, code: CITY_CODE, name: '上海市人民政府', level: 'city', parentCode: null }, '11', CITY_CODE);
  const departments = DEMO_DEPARTMENTS.map(([name], i) =>
    add(
      {
        ...base,
        code: `D${CITY_CODE}-${pad(i + 1, 3)}`,
        name,
        level: 'city',
        kind: 'department',
        parentCode: CITY_CODE,
      },
      '11',
      CITY_CODE,
    ),
  );
  const cityCentre = add(
    {
      ...base,
      code: `SC${CITY_CODE}`,
      name: '上海市行政服务中心',
      level: 'city',
      kind: 'service_center',
      parentCode: CITY_CODE,
    },
    '12',
    CITY_CODE,
  );

  // Streets scale down with the data but every district keeps at least one.
  const chosen = DEMO_DISTRICTS.map((d) => {
    const codes = streetCodes(d.code, d.streets);
    const n = scale >= 1 ? d.streets.length : Math.max(1, Math.round(d.streets.length * scale));
    return d.streets.slice(0, n).map((name, i) => ({ name, code: codes[i]! }));
  });
  // Towns and townships are larger than urban streets; jitter makes the counts look organic.
  const weights = chosen.flat().map((s) => (s.name.endsWith('街道') ? 1 : 1.2) * rng.between(0.6, 1.4));
  const perStreet = distribute(Math.round(COMMUNITIES_AT_SCALE_1 * scale), weights, 1).map((n) =>
    Math.min(n, 999),
  );

  const districtCentres: UnitInput[] = [];
  const streets: UnitInput[] = [];
  const streetCentres: UnitInput[] = [];
  const communities: UnitInput[] = [];
  let streetIndex = 0;
  DEMO_DISTRICTS.forEach((d, di) => {
    const gov = { kind: 'government' as const, divisionCode: d.code };
    add({ ...gov, code: d.code, name: d.name, level: 'district', parentCode: CITY_CODE }, '11', d.code);
    districtCentres.push(
      add(
        {
          ...gov,
          code: `SC${d.code}`,
          name: `${d.name}行政服务中心`,
          level: 'district',
          kind: 'service_center',
          parentCode: d.code,
        },
        '12',
        d.code,
      ),
    );
    for (const s of chosen[di]!) {
      const st = { kind: 'government' as const, level: 'street' as const, divisionCode: s.code };
      streets.push(add({ ...st, code: s.code, name: s.name, parentCode: d.code }, '11', d.code));
      const centreName = `${s.name}社区事务受理服务中心`;
      streetCentres.push(
        add(
          { ...st, code: `SC${s.code}`, name: centreName, kind: 'service_center', parentCode: s.code },
          '12',
          d.code,
        ),
      );
      const count = perStreet[streetIndex++]!;
      // 街道 are urban (居委 only); towns mix in villages; townships (乡) are mostly villages.
      const villageShare = s.name.endsWith('街道') ? 0 : s.name.endsWith('乡') ? 0.85 : 0.45;
      const villages = Math.round(count * villageShare);
      const taken = new Set<string>();
      for (let k = 0; k < count; k++) {
        const code = s.code + pad(k + 1, 3);
        const name = communityName(rng, k >= count - villages, taken);
        const unit = {
          code,
          name,
          level: 'community' as const,
          kind: 'committee' as const,
          divisionCode: code,
        };
        communities.push(add({ ...unit, parentCode: s.code }, '54', d.code));
      }
    }
  });
  return { units, departments, cityCentre, districtCentres, streets, streetCentres, communities };
}
