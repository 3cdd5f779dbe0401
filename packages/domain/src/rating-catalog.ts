/**
 * The default catalogue of rating indicators and bad-rating reasons (评价指标与差评原因, DOMAIN.md
 * §2). It is data with a version, so the database can hold newer versions and the UI never
 * hard-codes the list; this constant is what a fresh deployment starts from.
 */
import type { ChannelType } from './channels';

/** An indicator rated alongside the overall level; the set depends on the channel type. */
export interface RatingIndicator {
  /** Stable snake_case code, unique within its channel type ('overall' exists for both). */
  code: string;
  channelType: ChannelType;
  nameZh: string;
  nameEn: string;
}

/** A bad-rating reason (差评原因), about the staff member or about the item. */
export interface RatingReason {
  /** Stable snake_case code, unique across the whole catalogue (a rating stores codes only). */
  code: string;
  category: 'staff' | 'item';
  nameZh: string;
  nameEn: string;
}

/** One version of the indicator and reason catalogue. */
export interface RatingCatalogData {
  version: string;
  /** ISO date (yyyy-mm-dd) from which this version applies. */
  effectiveFrom: string;
  indicators: RatingIndicator[];
  reasons: RatingReason[];
}

/** Version 2021.1: GB/T 39734-2020 content, in force from 2021-01-01. */
export const DEFAULT_RATING_CATALOG: RatingCatalogData = {
  version: '2021.1',
  effectiveFrom: '2021-01-01',
  indicators: [
    { code: 'overall', channelType: 'online', nameZh: '总体满意度', nameEn: 'Overall satisfaction' },
    { code: 'efficiency', channelType: 'online', nameZh: '办事效率', nameEn: 'Efficiency' },
    {
      code: 'guide_accuracy',
      channelType: 'online',
      nameZh: '办事指南精确度',
      nameEn: 'Accuracy of the guide',
    },
    { code: 'convenience', channelType: 'online', nameZh: '办事便捷度', nameEn: 'Convenience' },
    { code: 'usability', channelType: 'online', nameZh: '平台操作性', nameEn: 'Usability of the platform' },
    { code: 'overall', channelType: 'offline', nameZh: '总体满意度', nameEn: 'Overall satisfaction' },
    { code: 'efficiency', channelType: 'offline', nameZh: '服务效率', nameEn: 'Efficiency' },
    { code: 'competence', channelType: 'offline', nameZh: '服务水平', nameEn: 'Competence' },
    { code: 'attitude', channelType: 'offline', nameZh: '服务态度', nameEn: 'Attitude' },
  ],
  reasons: [
    {
      code: 'attitude_not_proactive',
      category: 'staff',
      nameZh: '服务态度不主动',
      nameEn: 'Attitude not proactive',
    },
    {
      code: 'slow_passing_buck',
      category: 'staff',
      nameZh: '办事拖沓、推诿扯皮',
      nameEn: 'Slow, passing the buck',
    },
    { code: 'discipline', category: 'staff', nameZh: '违反工作纪律', nameEn: 'Breach of discipline' },
    { code: 'not_competent', category: 'staff', nameZh: '业务不熟练', nameEn: 'Not competent' },
    {
      code: 'not_told_at_once',
      category: 'staff',
      nameZh: '未一次性告知，需多次跑动',
      nameEn: 'Not told everything at once, had to come back',
    },
    {
      code: 'window_unattended',
      category: 'staff',
      nameZh: '工作时间窗口无人',
      nameEn: 'Window unattended in working hours',
    },
    {
      code: 'extra_materials',
      category: 'item',
      nameZh: '要求提供办事指南以外的材料',
      nameEn: 'Materials beyond the guide demanded',
    },
    {
      code: 'process_differs',
      category: 'item',
      nameZh: '办理流程与办事指南不一致',
      nameEn: 'Process differs from the guide',
    },
    {
      code: 'time_limit_missed',
      category: 'item',
      nameZh: '超过承诺办结时限',
      nameEn: 'Promised time limit missed',
    },
    {
      code: 'multiple_departments',
      category: 'item',
      nameZh: '需多部门多次跑动',
      nameEn: 'Had to visit several departments',
    },
    {
      code: 'obvious_error',
      category: 'item',
      nameZh: '办理结果存在明显错误',
      nameEn: 'Obvious error in handling',
    },
    {
      code: 'refusal_without_reason',
      category: 'item',
      nameZh: '无正当理由拒绝办理',
      nameEn: 'Refusal without reasons',
    },
    { code: 'other', category: 'item', nameZh: '其他', nameEn: 'Other' },
  ],
};

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Round-trips through Date so that impossible days such as 2021-02-30 are refused too.
function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Problems in a catalogue version, as English sentences; empty when it is usable. Checks: version
 * and date present, codes snake_case, indicator codes unique per channel type, reason codes unique
 * overall, names non-blank, and an 'overall' indicator for each channel type that has indicators
 * (the overall level is what every rating records).
 */
export function validateRatingCatalog(data: RatingCatalogData): string[] {
  const problems: string[] = [];
  if (!data.version.trim()) problems.push('version is empty');
  if (!isIsoDate(data.effectiveFrom)) {
    problems.push(`effectiveFrom '${data.effectiveFrom}' is not a yyyy-mm-dd date`);
  }
  const indicatorKeys = new Set<string>();
  for (const ind of data.indicators) {
    const where = `indicator ${ind.channelType}/${ind.code}`;
    if (!SNAKE_CASE.test(ind.code)) problems.push(`${where}: code is not snake_case`);
    const key = `${ind.channelType}/${ind.code}`;
    if (indicatorKeys.has(key)) problems.push(`${where}: duplicate code`);
    indicatorKeys.add(key);
    if (!ind.nameZh.trim() || !ind.nameEn.trim()) problems.push(`${where}: empty name`);
  }
  for (const type of new Set(data.indicators.map((i) => i.channelType))) {
    if (!indicatorKeys.has(`${type}/overall`)) problems.push(`${type} indicators lack 'overall'`);
  }
  const reasonCodes = new Set<string>();
  for (const r of data.reasons) {
    const where = `reason ${r.code}`;
    if (!SNAKE_CASE.test(r.code)) problems.push(`${where}: code is not snake_case`);
    if (reasonCodes.has(r.code)) problems.push(`${where}: duplicate code`);
    reasonCodes.add(r.code);
    if (!r.nameZh.trim() || !r.nameEn.trim()) problems.push(`${where}: empty name`);
  }
  return problems;
}
