/**
 * Windows (窗口) and staff (承办人) of the demo catalogue. Service centres and departments have
 * several windows each, every community one; every window is staffed, and some staff work in the
 * back office without a window.
 */
import type { StaffInput, UnitInput, WindowInput } from '@hcp/contracts';
import { COMPOUND_SURNAMES, GIVEN_CHARS, SURNAMES } from './demo-names';
import { distribute, type Rng } from './demo-random';
import { type DemoUnits, pad } from './demo-units';

/** Staff at scale 1. */
const STAFF_AT_SCALE_1 = 20000;
/** Share of staff who work in the back office (no window). */
const BACK_OFFICE_SHARE = 0.1;

const CENTRE_COUNTERS = [
  '综合受理',
  '企业开办',
  '工程建设项目审批',
  '不动产登记',
  '社保医保',
  '公积金',
  '出入境',
  '税务',
  '公安户政',
  '市场监管',
  '咨询导办',
  '帮办代办',
  '出件',
];
const STREET_COUNTERS = [
  '综合受理',
  '社会救助',
  '社保就业',
  '医保',
  '户籍',
  '养老服务',
  '残疾人服务',
  '咨询导办',
  '出件',
];
const DEPARTMENT_COUNTERS = ['综合受理', '业务受理', '审核发证', '咨询服务', '材料补正', '证照发放'];

/** Windows per unit kind at scale 1, before jitter (≈2,000 counters plus one per community). */
const CITY_CENTRE_WINDOWS = 60;
const DISTRICT_CENTRE_WINDOWS = 30;
const STREET_CENTRE_WINDOWS = 5;
const DEPARTMENT_WINDOWS = 8;

function counterWindows(
  rng: Rng,
  scale: number,
  unit: UnitInput,
  base: number,
  hall: string,
  counters: readonly string[],
): WindowInput[] {
  const n = Math.max(1, Math.round(base * scale * rng.between(0.6, 1.4)));
  return Array.from({ length: n }, (_, i) => ({
    no: `${unit.code}-W${pad(i + 1, 2)}`,
    name: `${i + 1}号窗口 ${counters[i % counters.length]}`,
    hall,
    unitCode: unit.code,
  }));
}

/** All windows, grouped by unit in unit order of kind (centres, departments, communities). */
export function buildWindows(rng: Rng, scale: number, u: DemoUnits): WindowInput[] {
  const cityHall = `${u.cityCentre.name}大厅`;
  return [
    ...counterWindows(rng, scale, u.cityCentre, CITY_CENTRE_WINDOWS, cityHall, CENTRE_COUNTERS),
    // City departments staff their counters in the city centre's hall.
    ...u.departments.flatMap((d) =>
      counterWindows(rng, scale, d, DEPARTMENT_WINDOWS, cityHall, DEPARTMENT_COUNTERS),
    ),
    ...u.districtCentres.flatMap((c) =>
      counterWindows(rng, scale, c, DISTRICT_CENTRE_WINDOWS, `${c.name}大厅`, CENTRE_COUNTERS),
    ),
    ...u.streetCentres.flatMap((c) =>
      counterWindows(rng, scale, c, STREET_CENTRE_WINDOWS, `${c.name}大厅`, STREET_COUNTERS),
    ),
    ...u.communities.map((c) => ({
      no: `${c.code}-W01`,
      name: '1号窗口 综合代办',
      hall: `${c.name}便民服务站`,
      unitCode: c.code,
    })),
  ];
}

/** A plausible Chinese name: mostly one-character surnames, sometimes 复姓; 1–2 given characters. */
function personName(rng: Rng): string {
  const surname = rng.chance(0.02) ? rng.pick(COMPOUND_SURNAMES) : rng.pickFront(SURNAMES);
  const given = rng.chance(0.3) ? rng.pick(GIVEN_CHARS) : rng.pick(GIVEN_CHARS) + rng.pick(GIVEN_CHARS);
  return surname + given;
}

/**
 * Staff: at least one per window, the rest spread over windows (a counter in a centre busier than a
 * community desk) plus a back office in departments, centres and street offices. Staff numbers
 * (工号) are 'S' + 7 digits in generation order.
 */
export function buildStaff(
  rng: Rng,
  scale: number,
  u: DemoUnits,
  windows: readonly WindowInput[],
): StaffInput[] {
  const total = Math.max(windows.length, Math.round(STAFF_AT_SCALE_1 * scale));
  const backOffice = Math.min(total - windows.length, Math.round(total * BACK_OFFICE_SHARE));
  const communityUnits = new Set(u.communities.map((c) => c.code));
  const windowWeights = windows.map((w) => (communityUnits.has(w.unitCode) ? 1 : 2) * rng.between(0.5, 1.5));
  const perWindow = distribute(total - backOffice, windowWeights, 1);

  const offices = [u.cityCentre, ...u.departments, ...u.districtCentres, ...u.streets, ...u.streetCentres];
  const officeWeights = offices.map((o) => (o.kind === 'department' ? 3 : o.level === 'street' ? 1 : 2));
  const perOffice = distribute(backOffice, officeWeights, 0);

  const staff: StaffInput[] = [];
  const push = (unitCode: string, windowNo: string | null) =>
    staff.push({ staffNo: `S${pad(staff.length + 1, 7)}`, name: personName(rng), unitCode, windowNo });
  windows.forEach((w, i) => {
    for (let k = 0; k < perWindow[i]!; k++) push(w.unitCode, w.no);
  });
  offices.forEach((o, i) => {
    for (let k = 0; k < perOffice[i]!; k++) push(o.code, null);
  });
  return staff;
}
