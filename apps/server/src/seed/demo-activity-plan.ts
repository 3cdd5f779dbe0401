/**
 * The plan of the demo activity (demo-activity-run.ts plays it through the real code paths): a
 * year of cases at a few districts' counters, which are rated, when, on which channel and how, and
 * how each bad rating's ticket is to be handled. Pure and deterministic: the same counters, size,
 * seed and `now` give the same plan. Times are epoch milliseconds.
 */
import type { CaseInput } from '@hcp/contracts';
import { type HandlingPath, type ItemSubject, shanghaiDay, type WorkingDayCalendar } from '@hcp/domain';
import {
  applicantFor,
  type RatingContent,
  ratingContent,
  type TicketPlan,
  ticketPlan,
  weighted,
} from './demo-activity-content';
import {
  acceptedAt,
  activityStart,
  atWork,
  completedAt,
  DAY,
  HOUR,
  MINUTE,
  monthBounds,
  type RatingChannel,
  ratingDelay,
} from './demo-activity-time';
import * as T from './demo-comments';
import { distribute, type Rng, subRng } from './demo-random';

export type { TicketPlan };

/** An item a counter handles. */
export interface DemoItem {
  code: string;
  name: string;
  subject: ItemSubject;
  promiseType: 'immediate' | 'promised';
  promiseDays: number | null;
}

/** Where cases are handled: a window (with its staff), or a desk without a window (online cases). */
export interface DemoCounter {
  unitCode: string;
  windowNo: string | null;
  staff: { staffNo: string; name: string }[];
  items: DemoItem[];
  /** Relative share of the area's cases. */
  weight: number;
}

/** A district (or the city level) with the counters the demo uses there. */
export interface DemoArea {
  code: string;
  /** Six-digit division code for applicants' synthetic ID numbers. */
  division: string;
  weight: number;
  windows: DemoCounter[];
  desks: DemoCounter[];
}

/** Who submits a rating: a channel system, a token holder (SMS link or QR code), a 12345 operator. */
export type Rater =
  | { kind: 'system'; id: string }
  | { kind: 'token'; mintAt: number }
  | { kind: 'operator'; id: string };

export interface PlannedRating extends RatingContent {
  at: number;
  channel: RatingChannel;
  deviceId?: string;
  account?: string;
  rater: Rater;
}

export interface PlannedCase {
  input: CaseInput;
  accepted: number;
  completed: number | null;
  /** When the rating window closes (completion + window days), or null while in progress. */
  close: number | null;
  /** The item's and the staff member's names, for comments that name them. */
  itemName: string;
  staffName: string;
  rating: PlannedRating | null;
  /** The window closed unrated before `now`: the default-rating sweep records 基本满意. */
  defaulted: boolean;
  ticket: TicketPlan | null;
}

export interface PlanInput {
  areas: DemoArea[];
  cases: number;
  now: number;
  seed: number;
  windowDays: number;
  calendar: WorkingDayCalendar;
}

/** Share of completed cases that are rated actively; the rest get the default rating. */
const ACTIVE_SHARE = 0.87;
/** Bad-rating probability at an average counter in the middle of the year. */
const BAD_BASE = 0.044;
const ONLINE_CHANNELS = [
  ['app', 34],
  ['wechat', 18],
  ['alipay', 8],
  ['pc', 26],
  ['sms', 11],
  ['hotline', 3],
] as const;
const WINDOW_CHANNELS = [
  ['window_pad', 56],
  ['qrcode', 15],
  ['kiosk', 5],
  ['sms', 14],
  ['app', 7],
  ['hotline', 3],
] as const;
const CHANNEL_SYSTEMS: Partial<Record<RatingChannel, string>> = {
  pc: 'demo:ywtb-pc',
  app: 'demo:ssb-app',
  wechat: 'demo:ssb-wechat',
  alipay: 'demo:ssb-alipay',
  kiosk: 'demo:kiosk',
};

function raterFor(rng: Rng, channel: RatingChannel, c: CaseInput, completed: number, at: number): Rater {
  if (channel === 'window_pad') return { kind: 'system', id: `pad:PAD-${c.windowNo}` };
  if (channel === 'hotline')
    return { kind: 'operator', id: `OP12345-${String(rng.int(1, 40)).padStart(3, '0')}` };
  // The SMS invitation goes out at completion; the QR code is shown at the window just before.
  if (channel === 'sms') return { kind: 'token', mintAt: completed + MINUTE };
  if (channel === 'qrcode') return { kind: 'token', mintAt: Math.max(completed, at - 2 * MINUTE) };
  return { kind: 'system', id: CHANNEL_SYSTEMS[channel]! };
}

/** A unique case number: 实施编码 + yyyyMMdd + 4-digit sequence, as one province builds them. */
function caseNumbers() {
  const sequence = new Map<string, number>();
  return (itemCode: string, accepted: number) => {
    const key = itemCode + shanghaiDay(new Date(accepted)).replaceAll('-', '');
    const seq = (sequence.get(key) ?? 0) + 1;
    sequence.set(key, seq);
    return `${key}${String(seq).padStart(4, '0')}`;
  };
}

/**
 * Plans the cases: spread over the 12 months up to `now` (busier lately), their counters, items,
 * applicants, completion, and round-1 rating or default; then the showcase tickets and the comments
 * with personal data or sensitive words (planShowcase).
 */
export function planDemoActivity(p: PlanInput): PlannedCase[] {
  const rng = subRng(p.seed, 101);
  const start = activityStart(p.now);
  const bounds = monthBounds(start, p.now - 2 * HOUR);
  const monthWeights = bounds.slice(0, 12).map((b, i) => (0.8 + 0.04 * i) * (bounds[i + 1]! - b));
  // Some counters do worse than others: a factor on their bad-rating rate.
  const factors = new Map<DemoCounter, number>();
  const factorOf = (c: DemoCounter) => factors.get(c) ?? factors.set(c, rng.between(0.5, 1.7)).get(c)!;
  const caseNo = caseNumbers();
  const planned: PlannedCase[] = [];

  distribute(p.cases, monthWeights).forEach((n, month) => {
    for (let k = 0; k < n; k++) {
      const area = weighted(
        rng,
        p.areas.map((a) => [a, a.weight] as const),
      );
      const atWindow = area.windows.length > 0 && (area.desks.length === 0 || rng.chance(0.6));
      const counter = weighted(
        rng,
        (atWindow ? area.windows : area.desks).map((c) => [c, c.weight] as const),
      );
      const item = rng.pickFront(counter.items);
      const staff = rng.pick(counter.staff);
      const accepted = acceptedAt(rng, p.calendar, bounds[month]!, bounds[month + 1]!, atWindow);
      const done = completedAt(rng, p.calendar, item, accepted, !atWindow);
      const completed = done > p.now - 5 * MINUTE ? null : done;
      const input: CaseInput = {
        caseNo: caseNo(item.code, accepted),
        itemCode: item.code,
        unitCode: counter.unitCode,
        ...(counter.windowNo ? { windowNo: counter.windowNo } : {}),
        staffNo: staff.staffNo,
        applicant: applicantFor(rng, item.subject, area.division),
        acceptedAt: new Date(accepted).toISOString(),
        ...(completed === null ? {} : { completedAt: new Date(completed).toISOString() }),
        status: completed === null ? 'in_progress' : 'completed',
        promiseType: item.promiseType,
      };
      const close = completed === null ? null : completed + p.windowDays * DAY;
      const c: PlannedCase = {
        input,
        accepted,
        completed,
        close,
        itemName: item.name,
        staffName: staff.name,
        rating: null,
        defaulted: false,
        ticket: null,
      };
      planned.push(c);
      if (completed === null || close === null) continue;
      if (!rng.chance(ACTIVE_SHARE)) {
        c.defaulted = close < p.now;
        continue;
      }
      const channel = weighted(rng, atWindow ? WINDOW_CHANNELS : ONLINE_CHANNELS);
      let at = completed + ratingDelay(rng, channel);
      if (channel === 'hotline') at = atWork(rng, p.calendar, at, close - MINUTE);
      at = Math.min(at, close - rng.between(1, 60) * MINUTE);
      if (at >= p.now) continue; // still open: the applicant may rate later
      // Service improves over the year: bad ratings fall from about 1.25× to 0.8× the base rate.
      const progress = (at - start) / (p.now - start);
      const bad = rng.chance(BAD_BASE * factorOf(counter) * (1.25 - 0.45 * progress));
      const rater = raterFor(rng, channel, input, completed, at);
      c.rating = { at, channel, ...ratingContent(rng, channel, bad, item.name), rater };
      if (channel === 'window_pad') c.rating.deviceId = `PAD-${counter.windowNo}`;
      if (channel === 'kiosk') c.rating.deviceId = `KIOSK-${counter.unitCode}-01`;
      if (channel === 'app' || channel === 'wechat' || channel === 'alipay') {
        c.rating.account = `u${input.applicant.certNo.slice(-6)}${rng.int(10, 99)}`;
      }
      // A 12345 operator records the rating under their own id, as the hotline endpoint does.
      if (rater.kind === 'operator') c.rating.account = rater.id;
      if (bad) c.ticket = ticketPlan(rng, c.rating.reasons![0]!);
    }
  });
  planned.sort((a, b) => a.accepted - b.accepted);
  planShowcase(subRng(p.seed, 102), planned, p);
  return planned;
}

/** A showcase: a bad rating about `ideal` ago whose ticket is left in a given open state at `now`. */
interface Showcase {
  ideal: number;
  min: number;
  max: number;
  path?: HandlingPath;
  appeal?: boolean;
  revisit?: 'bad';
  /** Step times as fractions of the time between the rating and now. */
  steps: number[];
}

/**
 * The tickets the demo leaves open in every state of the loop at `now` (and two overdue ones for the
 * supervisor's board), whatever the size: recent ratings are made bad and given a fixed script.
 */
const SHOWCASES: Showcase[] = [
  { ideal: 0.25 * DAY, min: HOUR, max: 3 * DAY, steps: [] }, // pending_contact
  { ideal: 1.5 * DAY, min: 0.4 * DAY, max: 5 * DAY, appeal: true, steps: [0.3] }, // appealing
  { ideal: 2 * DAY, min: 0.4 * DAY, max: 5 * DAY, steps: [0.2] }, // pending_reply
  { ideal: 3 * DAY, min: DAY, max: 5 * DAY, path: 'explain', steps: [0.15, 0.5] }, // pending_signoff
  { ideal: 5 * DAY, min: DAY, max: 9 * DAY, path: 'fix_plan', steps: [0.1, 0.4] }, // rectifying
  { ideal: 6 * DAY, min: 1.5 * DAY, max: 12 * DAY, steps: [0.1, 0.3, 0.6] }, // revisiting
  { ideal: 10 * DAY, min: 2 * DAY, max: 16 * DAY, revisit: 'bad', steps: [0.1, 0.25, 0.5, 0.8] }, // reopened
  { ideal: 16 * DAY, min: 12 * DAY, max: 25 * DAY, steps: [0.05] }, // pending_reply, overdue
  { ideal: 6 * DAY, min: 3 * DAY, max: 20 * DAY, steps: [] }, // pending_contact, overdue
];

function planShowcase(rng: Rng, planned: PlannedCase[], p: PlanInput) {
  const used = new Set<PlannedCase>();
  const rated = planned.filter((c) => c.rating);
  for (const s of SHOWCASES) {
    let best: PlannedCase | undefined;
    for (const c of rated) {
      const age = p.now - c.rating!.at;
      if (used.has(c) || age < s.min || age > s.max) continue;
      if (!best || Math.abs(age - s.ideal) < Math.abs(p.now - best.rating!.at - s.ideal)) best = c;
    }
    if (!best) continue;
    used.add(best);
    const r = best.rating!;
    const reason = makeBad(rng, best);
    r.comment ??= rng.pick(T.BAD_BY_REASON[reason]!);
    const plan = ticketPlan(rng, reason);
    const age = p.now - r.at;
    best.ticket = {
      ...plan,
      late: false,
      escalate: false,
      appeal: s.appeal ? { when: 'first', reason: 'mistaken', upheld: false } : null,
      path: s.path ?? 'fix_now',
      revisit: s.revisit ?? plan.revisit,
      revisitLevel: s.revisit ? 2 : plan.revisitLevel,
      revisitComment: s.revisit ? rng.pick(T.REVISIT_BAD) : plan.revisitComment,
      script: s.steps.map((f) => r.at + f * age),
      ...(s.path === 'fix_plan' ? { planDue: shanghaiDay(new Date(p.now + 12 * DAY)) } : {}),
    };
  }
  // Comments with personal data (redaction on the portal) and with sensitive words (moderation).
  const recent = rated.filter((c) => !used.has(c) && p.now - c.rating!.at < 60 * DAY);
  const kinds = Object.keys(T.WITH_PERSONAL_DATA) as (keyof typeof T.WITH_PERSONAL_DATA)[];
  const people = recent.filter((c) => c.input.applicant.kind === 'person' && c.input.applicant.phone);
  for (let i = 0; i < Math.max(kinds.length, Math.round(p.cases / 500)) && people.length > 0; i++) {
    const c = people.splice(rng.int(0, people.length - 1), 1)[0]!;
    recent.splice(recent.indexOf(c), 1);
    const a = c.input.applicant;
    c.rating!.comment = T.WITH_PERSONAL_DATA[kinds[i % kinds.length]!]
      .replace('{phone}', a.phone!)
      .replace('{id}', a.certNo)
      .replace('{name}', a.name)
      .replace('{staff}', c.staffName);
  }
  const lately = recent.filter((c) => p.now - c.rating!.at < 14 * DAY);
  for (let i = 0; i < Math.max(2, Math.round(p.cases / 1000)) && lately.length > 0; i++) {
    const c = lately.splice(rng.int(0, lately.length - 1), 1)[0]!;
    const reason = makeBad(rng, c);
    c.rating!.comment = T.SENSITIVE_COMMENTS[i % T.SENSITIVE_COMMENTS.length]!;
    c.ticket ??= ticketPlan(rng, reason);
    c.ticket.reason = reason;
  }
}

/** Makes a planned rating bad (level, reasons, comment, indicators); returns its first reason. */
function makeBad(rng: Rng, c: PlannedCase): string {
  const r = c.rating!;
  const bad = ratingContent(rng, r.channel, true, c.itemName);
  delete r.comment;
  delete r.indicators;
  Object.assign(r, bad);
  return bad.reasons![0]!;
}
