/**
 * Who and what in the demo activity: synthetic applicants (names, ID numbers with valid check
 * digits, mobiles, companies with credit codes), the level, reasons, indicators and comment of a
 * rating, and how a bad rating's ticket is to be handled. Everything is drawn from the seeded
 * generator it is given.
 */
import type { CaseInput } from '@hcp/contracts';
import {
  channelById,
  DEFAULT_RATING_CATALOG,
  type HandlingPath,
  type ItemSubject,
  makeCreditCode,
} from '@hcp/domain';
import type { RatingChannel } from './demo-activity-time';
import * as T from './demo-comments';
import { COMPOUND_SURNAMES, GIVEN_CHARS, SURNAMES } from './demo-names';
import type { Rng } from './demo-random';

/** A value drawn with the given weights. */
export function weighted<V>(rng: Rng, list: readonly (readonly [V, number])[]): V {
  let x = rng.next() * list.reduce((a, [, w]) => a + w, 0);
  for (const [v, w] of list) {
    x -= w;
    if (x < 0) return v;
  }
  return list[list.length - 1]![0];
}

/** A plausible Chinese name, like the staff names of the catalogue. */
function personName(rng: Rng): string {
  const surname = rng.chance(0.02) ? rng.pick(COMPOUND_SURNAMES) : rng.pickFront(SURNAMES);
  const given = rng.chance(0.3) ? rng.pick(GIVEN_CHARS) : rng.pick(GIVEN_CHARS) + rng.pick(GIVEN_CHARS);
  return surname + given;
}

/** A synthetic 18-digit ID number with a valid birth date and check digit (GB 11643), so redaction finds it. */
function idNumber(rng: Rng, division: string): string {
  const birth = new Date(Date.UTC(rng.int(1950, 2004), rng.int(0, 11), rng.int(1, 28)));
  const day = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const body = `${division}${day}${String(rng.int(1, 999)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, d, i) => a + Number(d) * weights[i]!, 0);
  return body + '10X98765432'.charAt(sum % 11);
}

function mobile(rng: Rng): string {
  const prefix = rng.pick([
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '158',
    '159',
    '177',
    '186',
    '189',
  ]);
  return prefix + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** An applicant for an item: a person (居民身份证) or, for legal-person items, a company (统一社会信用代码). */
export function applicantFor(rng: Rng, subject: ItemSubject, division: string): CaseInput['applicant'] {
  const organisation = subject === 'legal_person' || (subject === 'both' && rng.chance(0.3));
  if (organisation) {
    const digits = String(rng.int(0, 999_999_999)).padStart(9, '0');
    return {
      kind: 'organization',
      certType: '001',
      certNo: makeCreditCode(`91${division}${digits}`),
      name: `上海${rng.pick(T.COMPANY_PARTS.stem)}${rng.pick(T.COMPANY_PARTS.trade)}有限公司`,
      ...(rng.chance(0.8) ? { phone: mobile(rng) } : {}),
    };
  }
  return {
    kind: 'person',
    certType: '111',
    certNo: idNumber(rng, division),
    name: personName(rng),
    ...(rng.chance(0.9) ? { phone: mobile(rng) } : {}),
  };
}

const GOOD_LEVELS = [
  [5, 72],
  [4, 20],
  [3, 8],
] as const;
const REASONS_BY_CATEGORY = {
  staff: DEFAULT_RATING_CATALOG.reasons.filter((r) => r.category === 'staff').map((r) => r.code),
  item: DEFAULT_RATING_CATALOG.reasons.filter((r) => r.category === 'item').map((r) => r.code),
};

/** What a rating says: level, reasons (bad ratings), indicators and comment. */
export interface RatingContent {
  level: number;
  reasons?: string[];
  comment?: string;
  indicators?: Record<string, number>;
}

/** Indicators of the channel's type near the overall level, given with about half the ratings. */
function indicatorsFor(rng: Rng, channel: RatingChannel, level: number) {
  if (!rng.chance(0.5)) return undefined;
  const type = channelById(channel).type;
  const codes = DEFAULT_RATING_CATALOG.indicators.filter((i) => i.channelType === type).map((i) => i.code);
  return Object.fromEntries(
    codes.map((c) => [c, c === 'overall' ? level : Math.min(5, Math.max(1, level + rng.int(-1, 1)))]),
  );
}

/**
 * A comment built from the phrase lists: sometimes opened with the item's name, sometimes with a
 * second remark, and a closing, so that few comments repeat word for word.
 */
function compose(
  rng: Rng,
  phrase: string,
  online: boolean,
  itemName: string,
  tail: { extras: readonly string[]; closings: readonly string[] },
) {
  const openings = T.OPENINGS[online ? 'online' : 'offline'];
  const opening = rng.chance(0.2) ? rng.pick(openings).replace('{item}', itemName) : '';
  const extra = tail.extras.length > 0 && rng.chance(0.3) ? `，${rng.pick(tail.extras)}` : '';
  return opening + phrase + extra + rng.pick(tail.closings);
}

/** The content of one round-1 rating: good (mostly 5 and 4 stars) or bad (1–2 with reasons). */
export function ratingContent(
  rng: Rng,
  channel: RatingChannel,
  bad: boolean,
  itemName: string,
): RatingContent {
  const online = channelById(channel).type === 'online';
  const c: RatingContent = { level: 0 };
  if (bad) {
    c.level = rng.chance(0.6) ? 2 : 1;
    const pool = online || rng.chance(0.4) ? REASONS_BY_CATEGORY.item : REASONS_BY_CATEGORY.staff;
    c.reasons = rng.shuffle(pool).slice(0, rng.chance(0.25) ? 2 : 1);
    const phrases = T.BAD_BY_REASON[c.reasons[0]!] ?? T.BAD_BY_REASON.other!;
    const tail = { extras: T.BAD_EXTRAS, closings: T.BAD_CLOSINGS };
    if (rng.chance(0.85)) c.comment = compose(rng, rng.pick(phrases), online, itemName, tail);
  } else {
    c.level = weighted(rng, GOOD_LEVELS);
    const share = c.level === 5 ? 0.22 : c.level === 4 ? 0.3 : 0.5;
    if (rng.chance(share)) {
      const fair = c.level === 3;
      const phrases = fair ? T.FAIR : online ? T.GOOD_ONLINE : T.GOOD_OFFLINE;
      const tail = fair
        ? { extras: [], closings: T.FAIR_CLOSINGS }
        : { extras: T.GOOD_EXTRAS[online ? 'online' : 'offline'], closings: T.CLOSINGS };
      c.comment = compose(rng, rng.pick(phrases), online, itemName, tail);
    }
  }
  const indicators = indicatorsFor(rng, channel, c.level);
  if (indicators) c.indicators = indicators;
  return c;
}

/** How the unit and the supervisor handle a bad rating's ticket (tickets/transition.ts). */
export interface TicketPlan {
  seed: number;
  /** Acts after the deadlines (the sweep escalates, 督办). */
  late: boolean;
  /** The supervisor also escalates by hand once a late step is two days overdue. */
  escalate: boolean;
  appeal: null | { when: 'first' | 'after_contact'; reason: 'malicious' | 'mistaken'; upheld: boolean };
  path: HandlingPath;
  /** On the explain path: the supervisor signs off (or rejects the explanation). */
  signOff: boolean;
  revisit: 'good' | 'bad' | 'none';
  revisitLevel: number;
  revisitComment: string;
  /** The bad rating's first reason, which the reply and the rectification answer. */
  reason: string;
  /** Showcase tickets: the time of each step; the ticket is left where the last one puts it. */
  script?: number[];
  /** For a showcase on the 限期整改 path: the plan's due day, after `now`. */
  planDue?: string;
}

/** A ticket plan: mostly prompt units, some late, a few appeals and explanations, most re-rated. */
export function ticketPlan(rng: Rng, reason: string): TicketPlan {
  const appeal = rng.chance(0.08)
    ? {
        when: rng.chance(0.6) ? ('first' as const) : ('after_contact' as const),
        reason: rng.chance(0.5) ? ('malicious' as const) : ('mistaken' as const),
        upheld: rng.chance(0.45),
      }
    : null;
  const late = rng.chance(0.18);
  const revisit = weighted(rng, [
    ['good', 60],
    ['bad', 12],
    ['none', 28],
  ] as const);
  return {
    seed: rng.int(1, 2 ** 30),
    late,
    escalate: late && rng.chance(0.3),
    appeal,
    path: weighted(rng, [
      ['fix_now', 55],
      ['fix_plan', 30],
      ['explain', 15],
    ] as const),
    signOff: rng.chance(0.7),
    revisit,
    revisitLevel: revisit === 'bad' ? rng.pick([1, 2]) : rng.pick([5, 5, 4, 4, 3]),
    revisitComment: rng.pick(revisit === 'bad' ? T.REVISIT_BAD : T.REVISIT_GOOD),
    reason,
  };
}
