/**
 * Rules of rating intake (DOMAIN.md §4–5), pure: the caller passes the case, the catalogue and the
 * time. Problems come back as `{ field, code, message }` for the API to report.
 */
import type { ChannelType } from './channels';
import { isBad, type RatingLevel } from './levels';
import type { RatingCatalogData } from './rating-catalog';

/** Case (办件) progress; it only moves forward. */
export const CASE_STATUSES = ['pending', 'in_progress', 'completed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Whether a case may go from one status to another (equal is allowed: a repeated push). */
export function canAdvance(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_STATUSES.indexOf(to) >= CASE_STATUSES.indexOf(from);
}

const DAY_MS = 86_400_000;

/** When the rating window of a case closes: `windowDays` natural days after completion. */
export function ratingWindowClosesAt(completedAt: Date, windowDays: number): Date {
  return new Date(completedAt.getTime() + windowDays * DAY_MS);
}

export type WindowState = 'open' | 'not_accepted' | 'closed';

/**
 * A case can be rated from acceptance until `windowDays` natural days after completion (default 7,
 * DOMAIN.md §5); a case not yet completed stays open.
 */
export function ratingWindowState(
  c: { acceptedAt: Date; completedAt: Date | null },
  now: Date,
  windowDays: number,
): WindowState {
  if (now < c.acceptedAt) return 'not_accepted';
  if (c.completedAt && now > ratingWindowClosesAt(c.completedAt, windowDays)) return 'closed';
  return 'open';
}

export interface EvaluationContent {
  level: RatingLevel;
  indicators?: Record<string, number> | undefined;
  reasons?: string[] | undefined;
  comment?: string | null | undefined;
}

export interface RuleProblem {
  field: string;
  code: 'REASON_REQUIRED' | 'UNKNOWN_REASON' | 'UNKNOWN_INDICATOR' | 'DUPLICATE_REASON';
  message: string;
}

/**
 * Checks a rating's content against the catalogue version in force: a bad rating (1–2 stars)
 * needs a reason or a written comment; reasons must be in the catalogue; indicators must belong to
 * the channel's type (online or offline).
 */
export function checkEvaluationContent(
  e: EvaluationContent,
  catalog: Pick<RatingCatalogData, 'indicators' | 'reasons'>,
  channelType: ChannelType,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const reasons = e.reasons ?? [];
  const hasComment = (e.comment ?? '').trim().length > 0;
  if (isBad(e.level) && reasons.length === 0 && !hasComment) {
    problems.push({
      field: 'reasons',
      code: 'REASON_REQUIRED',
      message: 'a bad rating (1–2 stars) needs at least one reason or a comment',
    });
  }
  const known = new Set(catalog.reasons.map((r) => r.code));
  const seen = new Set<string>();
  reasons.forEach((code, i) => {
    if (!known.has(code)) {
      problems.push({
        field: `reasons.${i}`,
        code: 'UNKNOWN_REASON',
        message: `${code} is not in the reason catalogue`,
      });
    } else if (seen.has(code)) {
      problems.push({ field: `reasons.${i}`, code: 'DUPLICATE_REASON', message: `${code} is given twice` });
    }
    seen.add(code);
  });
  const indicators = new Set(
    catalog.indicators.filter((i) => i.channelType === channelType).map((i) => i.code),
  );
  for (const code of Object.keys(e.indicators ?? {})) {
    if (!indicators.has(code)) {
      problems.push({
        field: `indicators.${code}`,
        code: 'UNKNOWN_INDICATOR',
        message: `${code} is not an indicator of ${channelType} channels`,
      });
    }
  }
  return problems;
}

/** Anti-abuse thresholds (DOMAIN.md §5): many top ratings from one source in a short time. */
export interface BurstRule {
  /** Top ratings (5 stars) from one device, account or IP within the window that raise a flag. */
  maxTopRatings: number;
  windowMinutes: number;
}

export const DEFAULT_BURST_RULE: BurstRule = { maxTopRatings: 10, windowMinutes: 10 };

export type EvaluationFlag = 'burst_device' | 'burst_account' | 'burst_ip' | 'staff_self';

/**
 * Flags for one rating given how many top ratings each of its sources already gave in the window.
 * Flagged ratings are stored and marked, never dropped.
 */
export function abuseFlags(
  e: { level: RatingLevel; deviceId?: string | null; account?: string | null; ip?: string | null },
  recentTop: { device: number; account: number; ip: number },
  staffSelf: boolean,
  rule: BurstRule = DEFAULT_BURST_RULE,
): EvaluationFlag[] {
  const flags: EvaluationFlag[] = [];
  if (e.level === 5) {
    if (e.deviceId && recentTop.device >= rule.maxTopRatings) flags.push('burst_device');
    if (e.account && recentTop.account >= rule.maxTopRatings) flags.push('burst_account');
    if (e.ip && recentTop.ip >= rule.maxTopRatings) flags.push('burst_ip');
  }
  if (staffSelf) flags.push('staff_self');
  return flags;
}
