/**
 * Demo activity (演示数据: 评价与工单): a year of cases, ratings on every channel, default ratings,
 * bad ratings with their tickets in every state of the closed loop, public replies and
 * rectifications, appeals, re-ratings, and texts held for moderation, on top of the demo catalogue,
 * so that a fresh `npm start` shows a living portal and console. Everything goes through the code
 * the server runs (demo-activity-run.ts); the figures are rolled up at the end.
 */
import type { CaseInput } from '@hcp/contracts';
import type { DB } from '@hcp/db';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../identity/audit';
import { pushCases } from '../intake/push-cases';
import type { Protector } from '../security/protector';
import { runRollup } from '../stats/rollup';
import { DeadlinePolicy } from '../tickets/deadline-rules';
import { type DemoArea, type DemoCounter, type DemoItem, planDemoActivity } from './demo-activity-plan';
import { ActivityRun } from './demo-activity-run';
import { activityStart } from './demo-activity-time';
import { DEMO_SENSITIVE_WORDS } from './demo-comments';
import { type Rng, subRng } from './demo-random';

/** Cases of the default demo activity (about 2,600 ratings over 12 months). */
export const DEMO_ACTIVITY_CASES = 3000;
/** What the demo's cases carry as the system that pushed them (cases.source). */
export const DEMO_ACTIVITY_SOURCE = 'demo-activity';

export interface DemoActivityOptions {
  protector: Protector;
  /** Base of the rating links in the re-rating SMS (HCP_PUBLIC_URL). */
  publicUrl: string;
  /** Cases to simulate (default 3,000). */
  cases?: number;
  /** The rating window in natural days (HCP_RATING_WINDOW_DAYS, default 7). */
  windowDays?: number;
  /** The end of the simulated year (default: the current time). */
  now?: Date;
  seed?: number;
  log?: (line: string) => void;
}

export interface DemoActivityReport {
  /** Demo activity was already present: nothing was written. */
  skipped: boolean;
  cases: number;
  ratings: number;
  defaults: number;
  reRatings: number;
  tickets: number;
  /** Ticket actions taken by units and supervisors. */
  actions: number;
  ticketStates: Record<string, number>;
  /** Texts waiting in the moderation queue afterwards. */
  held: number;
  ms: number;
}

/** The districts the demo is busiest in (浦东, 徐汇, 黄浦, 静安, 闵行) and their shares; the city level gets the rest. */
const DISTRICTS: [string, number][] = [
  ['310115', 26],
  ['310104', 18],
  ['310101', 16],
  ['310106', 12],
  ['310112', 12],
];
const CITY_SHARE = 16;

/**
 * Simulates a year of activity on the demo catalogue (see the module comment). Refuses, writing
 * nothing, when demo activity is already present (its cases are marked with DEMO_ACTIVITY_SOURCE),
 * so running it twice never doubles it. Throws when the catalogue has no staffed counters.
 */
export async function seedDemoActivity(db: Kysely<DB>, o: DemoActivityOptions): Promise<DemoActivityReport> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const present = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', DEMO_ACTIVITY_SOURCE)
    .executeTakeFirstOrThrow();
  if (Number(present.n) > 0) {
    const zero = { cases: 0, ratings: 0, defaults: 0, reRatings: 0, tickets: 0, actions: 0, held: 0 };
    return { skipped: true, ...zero, ticketStates: {}, ms: Math.round(performance.now() - started) };
  }
  const seed = o.seed ?? 1;
  const now = (o.now ?? new Date()).getTime();
  const windowDays = o.windowDays ?? 7;
  const policy = new DeadlinePolicy(db);
  const areas = await loadAreas(db, subRng(seed, 100));
  if (areas.length === 0) {
    throw new Error('demo activity needs staffed windows and items: load the demo catalogue first');
  }
  const plan = planDemoActivity({
    areas,
    cases: o.cases ?? DEMO_ACTIVITY_CASES,
    now,
    seed,
    windowDays,
    calendar: policy.calendar,
  });
  const start = activityStart(now);
  await addDemoWords(db, start);
  await push(
    db,
    o.protector,
    plan.map((c) => c.input),
    log,
  );

  const run = new ActivityRun(
    {
      db,
      protector: o.protector,
      policy,
      publicUrl: o.publicUrl,
      windowDays,
      source: DEMO_ACTIVITY_SOURCE,
      log,
    },
    seed,
    now,
  );
  await run.play(plan, start);
  await runRollup(db, new Date(now));

  const states = await db
    .selectFrom('tickets as t')
    .innerJoin('cases as c', 'c.case_no', 't.case_no')
    .select(['t.state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.source', '=', DEMO_ACTIVITY_SOURCE)
    .groupBy('t.state')
    .execute();
  const held = await db
    .selectFrom('moderation_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  const report: DemoActivityReport = {
    skipped: false,
    cases: plan.length,
    ...run.counts,
    ticketStates: Object.fromEntries(states.map((s) => [s.state, Number(s.n)])),
    held: Number(held.n),
    ms: Math.round(performance.now() - started),
  };
  const { skipped: _s, ms: _m, ...after } = report;
  await recordAudit(
    db,
    null,
    { action: 'demo.activity', targetType: 'demo', after },
    { kind: 'cli', id: DEMO_ACTIVITY_SOURCE },
  );
  return report;
}

/**
 * Pushes the cases as a business system would, 500 per call, then dates each at its acceptance
 * (created) and its last change (updated), which the database would otherwise stamp with today.
 */
async function push(db: Kysely<DB>, protector: Protector, cases: CaseInput[], log: (l: string) => void) {
  for (let i = 0; i < cases.length; i += 500) {
    const outcomes = await pushCases({ db, protector }, cases.slice(i, i + 500), DEMO_ACTIVITY_SOURCE);
    const refused = outcomes.find((o) => o.outcome === 'rejected');
    if (refused && 'error' in refused) {
      throw new Error(`demo case ${refused.caseNo} refused: ${refused.error.message}`);
    }
    log(`  demo cases: ${Math.min(i + 500, cases.length)}/${cases.length}`);
  }
  await sql`
    UPDATE cases SET created_at = accepted_at, updated_at = coalesce(completed_at, accepted_at)
    WHERE source = ${DEMO_ACTIVITY_SOURCE}`.execute(db);
}

/** The demo's sensitive words, so that a few comments wait in the moderation queue. */
async function addDemoWords(db: Kysely<DB>, since: number) {
  await db
    .insertInto('sensitive_words')
    .values(
      DEMO_SENSITIVE_WORDS.map((word) => ({
        word,
        created_by: DEMO_ACTIVITY_SOURCE,
        created_at: new Date(since),
      })),
    )
    .onConflict((oc) => oc.column('word').doNothing())
    .execute();
}

interface StaffRow {
  staff_no: string;
  name: string;
  unit_code: string;
  window_no: string | null;
  kind: string;
  level: string;
}

/**
 * The counters of the demo districts and of the city level: a few windows of each service centre,
 * street centre, community and department, and window-less desks for online cases, each with the
 * items its area implements. Areas without staff or items are left out.
 */
async function loadAreas(db: Kysely<DB>, rng: Rng): Promise<DemoArea[]> {
  const root = await db
    .selectFrom('units')
    .select(['code', 'path'])
    .where('parent_code', 'is', null)
    .orderBy('code')
    .executeTakeFirst();
  if (!root) return [];
  const districts = await db
    .selectFrom('units')
    .select(['code', 'path', 'division_code'])
    .where('parent_code', '=', root.code)
    .where('level', '=', 'district')
    .where('kind', '=', 'government')
    .orderBy('code')
    .execute();
  const chosen = DISTRICTS.flatMap(([code, weight]) => {
    const d = districts.find((x) => x.code === code);
    return d ? [{ ...d, weight }] : [];
  });
  // Another catalogue: its first five districts, evenly.
  const picked = chosen.length > 0 ? chosen : districts.slice(0, 5).map((d) => ({ ...d, weight: 15 }));
  const areas: DemoArea[] = [];
  for (const d of picked) {
    const inside = sql<boolean>`u.path LIKE ${`${d.path}%`}`;
    const area = await loadArea(db, rng, inside, d.code, d.division_code.slice(0, 6), d.weight);
    if (area) areas.push(area);
  }
  const city = sql<boolean>`u.level = 'city' AND u.parent_code = ${root.code}`;
  const cityArea = await loadArea(db, rng, city, root.code, root.code.slice(0, 6), CITY_SHARE);
  if (cityArea) areas.push(cityArea);
  return areas;
}

async function loadArea(
  db: Kysely<DB>,
  rng: Rng,
  where: ReturnType<typeof sql<boolean>>,
  code: string,
  division: string,
  weight: number,
): Promise<DemoArea | null> {
  const { rows: staff } = await sql<StaffRow>`
    SELECT s.staff_no, s.name, s.unit_code, s.window_no, u.kind, u.level
    FROM staff s JOIN units u ON u.code = s.unit_code WHERE ${where} ORDER BY s.staff_no`.execute(db);
  const { rows: items } = await sql<DemoItem & { unit_code: string }>`
    SELECT i.code, i.name, i.subject, i.promise_type AS "promiseType", i.promise_days AS "promiseDays", i.unit_code
    FROM items i JOIN units u ON u.code = i.unit_code WHERE ${where} ORDER BY i.code`.execute(db);
  if (staff.length === 0 || items.length === 0) return null;
  const areaItems = rng.shuffle(items).slice(0, 40);
  const itemsOf = (unitCode: string) => {
    const own = items.filter((i) => i.unit_code === unitCode);
    return own.length > 0 ? rng.shuffle(own).slice(0, 20) : areaItems;
  };
  const byWindow = new Map<string, StaffRow[]>();
  const byUnit = new Map<string, StaffRow[]>();
  for (const s of staff) {
    if (s.window_no) byWindow.set(s.window_no, [...(byWindow.get(s.window_no) ?? []), s]);
    byUnit.set(s.unit_code, [...(byUnit.get(s.unit_code) ?? []), s]);
  }
  const units = [...byUnit.keys()];
  const sample = (u: string) => byUnit.get(u)![0]!; // any staff row of the unit: its kind and level
  const windowsOf = (u: string) => [...byWindow.entries()].filter(([, s]) => s[0]!.unit_code === u);
  const counters = (unitCodes: string[], perUnit: number, w: number): DemoCounter[] =>
    unitCodes.flatMap((u) =>
      windowsOf(u)
        .slice(0, perUnit)
        .map(([no, s]) => ({
          unitCode: u,
          windowNo: no,
          staff: s.map((x) => ({ staffNo: x.staff_no, name: x.name })),
          items: itemsOf(u),
          weight: w * rng.between(0.6, 1.4),
        })),
    );
  const pick = (f: (s: StaffRow) => boolean, n: number) =>
    rng.shuffle(units.filter((u) => f(sample(u)))).slice(0, n);
  const centres = pick((s) => s.kind === 'service_center' && s.level !== 'street', 1);
  const streets = pick((s) => s.kind === 'service_center' && s.level === 'street', 3);
  const communities = pick((s) => s.kind === 'committee', 4);
  const departments = pick((s) => s.kind === 'department', 4);
  const windows = [
    ...counters(centres, 8, 3),
    ...counters(streets, 3, 2),
    ...counters(communities, 1, 1),
    ...counters(departments, 2, 2),
  ];
  // Online cases are handled at a desk: the back office if there is one, else the window staff.
  const desks = [...centres, ...departments, ...streets.slice(0, 2)].map((u) => {
    const all = byUnit.get(u)!;
    const back = all.filter((s) => !s.window_no);
    return {
      unitCode: u,
      windowNo: null,
      staff: (back.length > 0 ? back : all).map((x) => ({ staffNo: x.staff_no, name: x.name })),
      items: itemsOf(u),
      weight: streets.includes(u) ? 1 : 3,
    };
  });
  if (windows.length === 0 && desks.length === 0) return null;
  return { code, division, weight, windows, desks };
}
