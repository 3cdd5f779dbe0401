/**
 * Service items (事项) of the demo catalogue, owned by the city departments and the district
 * administrative service centres. A district centre implements items from the city departments'
 * lists and shares their 基本编码, as real implementing units do; its 实施编码 is its own.
 */
import type { ItemInput, UnitInput } from '@hcp/contracts';
import { ITEM_KINDS, type ItemKind, type ItemSubject } from '@hcp/domain';
import { DEMO_DEPARTMENTS } from './demo-departments';
import { distribute, type Rng } from './demo-random';
import { pad } from './demo-units';

/** Items at scale 1 (Shanghai's catalogue has about 3,600). */
const ITEMS_AT_SCALE_1 = 3600;

const KIND_BY_TAG: Record<string, ItemKind> = {
  L: 'administrative_license',
  P: 'administrative_payment',
  C: 'administrative_confirmation',
  A: 'administrative_adjudication',
  R: 'administrative_reward',
  O: 'other_administrative_power',
  S: 'public_service',
};

// Licences commonly split into sub-items (办理项) by what the applicant wants done. Other kinds do
// not (a '结婚登记（延续）' would be absurd), so only licences named like a permit get variants.
const PERMIT_NAME = /(许可|核准|资质|执业注册)$/;
const PERMIT_VARIANTS = ['新办', '变更', '延续', '注销', '补办'];

/** One catalogue entry before it is assigned to an owner. */
interface Template {
  name: string;
  kind: ItemKind;
  baseCode: string;
}

/**
 * Synthetic 12-digit 基本编码: kind number (01–07, ITEM_KINDS order) + department number (3) + item
 * number within the department (3) + variant (4: 0 the main item, 1–5 the permit variants,
 * 100+ numbered 情形). Real base codes follow the national catalogue and are not reproduced here.
 */
function baseCode(kind: ItemKind, dept: number, item: number, variant: number): string {
  return pad(ITEM_KINDS.indexOf(kind) + 1, 2) + pad(dept, 3) + pad(item, 3) + pad(variant, 4);
}

/** A department's catalogue: every main item, then every permit variant (so small owners get mains). */
function departmentTemplates(deptIndex: number): { main: Template[]; all: Template[] } {
  const tokens = DEMO_DEPARTMENTS[deptIndex]![1].split(' ');
  const parsed = tokens.map((t, i) => ({ name: t.slice(1), kind: KIND_BY_TAG[t.charAt(0)]!, item: i + 1 }));
  const main = parsed.map((p) => ({
    name: p.name,
    kind: p.kind,
    baseCode: baseCode(p.kind, deptIndex + 1, p.item, 0),
  }));
  const variants = PERMIT_VARIANTS.flatMap((v, vi) =>
    parsed
      .filter((p) => p.kind === 'administrative_license' && PERMIT_NAME.test(p.name))
      .map((p) => ({
        name: `${p.name}（${v}）`,
        kind: p.kind,
        baseCode: baseCode(p.kind, deptIndex + 1, p.item, vi + 1),
      })),
  );
  return { main, all: [...main, ...variants] };
}

/** The k-th template of a list, continuing past its end with numbered situations (情形2, 情形3 …). */
function templateAt(list: readonly Template[], main: readonly Template[], k: number): Template {
  if (k < list.length) return list[k]!;
  const over = k - list.length;
  const t = main[over % main.length]!;
  const situation = 2 + Math.floor(over / main.length);
  return {
    name: `${t.name}（情形${situation}）`,
    kind: t.kind,
    baseCode: t.baseCode.slice(0, 8) + pad(100 + situation, 4),
  };
}

const PERSON_WORDS =
  /居民|个人|户口|户籍|身份证|婚|出生|收养|退休|养老金|残疾|学生|学历|护照|通行证|驾驶证|公积金|就业|失业|医保|退役|会见|执业|资格/;
const ORGANISATION_WORDS =
  /企业|公司|单位|经营|机构|团体|项目|工程|营业|生产|场所|执照|纳税人|商会|社会组织|学校/;

/** Who applies: guessed from the name, otherwise drawn at random. */
function subjectOf(rng: Rng, name: string): ItemSubject {
  if (ORGANISATION_WORDS.test(name)) return 'legal_person';
  if (PERSON_WORDS.test(name)) return 'natural_person';
  return rng.pick(['natural_person', 'legal_person', 'both', 'both'] as const);
}

// Permits and payments usually take days; public services are more often done on the spot.
const IMMEDIATE_SHARE: Record<ItemKind, number> = {
  administrative_license: 0.1,
  administrative_payment: 0.2,
  administrative_confirmation: 0.4,
  administrative_adjudication: 0,
  administrative_reward: 0,
  other_administrative_power: 0.3,
  public_service: 0.6,
};
const PROMISE_DAYS = [1, 2, 3, 5, 5, 7, 10, 10, 12, 15, 20];

function toItem(rng: Rng, owner: UnitInput, serial: number, t: Template): ItemInput {
  // 实施编码: the owner's credit code + 13 digits (serial within the owner + the base code's tail).
  const code = `${owner.creditCode}${pad(serial, 5)}${t.baseCode.slice(4)}`;
  const immediate = rng.chance(IMMEDIATE_SHARE[t.kind]);
  return {
    code,
    baseCode: t.baseCode,
    businessCode: rng.chance(0.3) ? `${code}01` : null,
    name: t.name,
    kind: t.kind,
    subject: subjectOf(rng, t.name),
    promiseType: immediate ? 'immediate' : 'promised',
    promiseDays: immediate ? null : rng.pick(PROMISE_DAYS),
    unitCode: owner.code,
  };
}

/** Items for the departments (in DEMO_DEPARTMENTS order) and the district centres, scaled linearly. */
export function buildItems(
  rng: Rng,
  scale: number,
  departments: readonly UnitInput[],
  districtCentres: readonly UnitInput[],
): ItemInput[] {
  const catalogues = departments.map((_, i) => departmentTemplates(i));
  // Departments get items in proportion to their catalogue, and together about a fifth of all
  // items, which roughly fills their catalogues at scale 1 (few numbered 情形); the district
  // centres, each implementing a share of every department's catalogue, hold the rest.
  const deptWeights = catalogues.map((c) => c.all.length);
  const deptSum = deptWeights.reduce((a, w) => a + w, 0);
  const centreWeights = districtCentres.map(() => (deptSum * 4) / Math.max(1, districtCentres.length));
  const counts = distribute(Math.round(ITEMS_AT_SCALE_1 * scale), [...deptWeights, ...centreWeights], 1);

  const items: ItemInput[] = [];
  departments.forEach((dept, i) => {
    const { main, all } = catalogues[i]!;
    for (let k = 0; k < counts[i]!; k++) items.push(toItem(rng, dept, k + 1, templateAt(all, main, k)));
  });
  const allMain = catalogues.flatMap((c) => c.main);
  const allVariants = catalogues.flatMap((c) => c.all.slice(c.main.length));
  districtCentres.forEach((centre, j) => {
    // Each district picks its own mix, main items first, so districts differ from one another.
    const list = [...rng.shuffle(allMain), ...rng.shuffle(allVariants)];
    const n = counts[departments.length + j]!;
    for (let k = 0; k < n; k++) items.push(toItem(rng, centre, k + 1, templateAt(list, allMain, k)));
  });
  return items;
}
