import type { Executor } from '@hcp/db';
import {
  createCalendar,
  DEFAULT_DEADLINE_RULE,
  type DeadlineRule,
  type WorkingDayCalendar,
} from '@hcp/domain';

/** A region's rule: applies to tickets whose unit path starts with `path` (null: everywhere). */
export interface RegionRule {
  unitCode: string | null;
  path: string | null;
  rule: DeadlineRule;
}

const TTL_MS = 30_000;

/**
 * The deadline rules of every region and the working-day calendar, cached for a short while: rules
 * change rarely (an administrator edits them) and every bad rating needs them.
 */
export class DeadlinePolicy {
  readonly calendar: WorkingDayCalendar;
  private cache: { rules: RegionRule[]; at: number } | null = null;

  constructor(
    private readonly db: Executor,
    calendar?: WorkingDayCalendar,
  ) {
    this.calendar = calendar ?? createCalendar();
  }

  /** Forget the cached rules (after an edit). */
  invalidate() {
    this.cache = null;
  }

  /** The rules; `db` is the caller's transaction when it has one (PGlite has one connection). */
  async rules(db: Executor = this.db): Promise<RegionRule[]> {
    if (this.cache && Date.now() - this.cache.at < TTL_MS) return this.cache.rules;
    const rows = await db
      .selectFrom('deadline_rules as r')
      .leftJoin('units as u', 'u.code', 'r.unit_code')
      .select([
        'r.unit_code',
        'u.path',
        'r.contact_days',
        'r.reply_days',
        'r.rectify_days',
        'r.appeal_days',
        'r.appeal_decision_days',
        'r.signoff_days',
        'r.revisit_natural_days',
        'r.remind_hours',
      ])
      .execute();
    const rules = rows.map((r) => ({
      unitCode: r.unit_code,
      path: r.path,
      rule: {
        contactDays: r.contact_days,
        replyDays: r.reply_days,
        rectifyDays: r.rectify_days,
        appealDays: r.appeal_days,
        appealDecisionDays: r.appeal_decision_days,
        signoffDays: r.signoff_days,
        revisitNaturalDays: r.revisit_natural_days,
        remindHours: r.remind_hours,
      },
    }));
    this.cache = { rules, at: Date.now() };
    return rules;
  }

  /** The rule for a unit: the region nearest to it on its path, else the default. */
  async ruleFor(unitPath: string, db: Executor = this.db): Promise<DeadlineRule> {
    return pickRule(await this.rules(db), unitPath);
  }
}

export function pickRule(rules: RegionRule[], unitPath: string): DeadlineRule {
  let best: RegionRule | undefined;
  for (const r of rules) {
    if (r.path === null) {
      best ??= r;
      continue;
    }
    if (unitPath.startsWith(r.path) && (best?.path == null || r.path.length > best.path.length)) best = r;
  }
  return best?.rule ?? DEFAULT_DEADLINE_RULE;
}
