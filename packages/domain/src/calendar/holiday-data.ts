/**
 * The shape of China's holiday data (DOMAIN.md §6, "Working days") and its checks. The data is a
 * file, not code, so that a new State Council notice can be loaded without a release; whatever is
 * loaded must pass `validateHolidayData` first, because deadlines computed from it are legal ones.
 */

import { isWeekend, tryDayNumber, yearOf } from './civil-day';
import holidaysCn from './holidays-cn.json';

/** A State Council General Office (国务院办公厅) notice that sets or changes holiday dates. */
export interface HolidayNotice {
  /** Document number, e.g. 国办发明电〔2023〕7号. */
  document: string;
  title: string;
  /** Date the notice was signed (成文日期), YYYY-MM-DD. */
  signed: string;
  /** Date it was published on www.gov.cn (发布日期), YYYY-MM-DD. */
  published: string;
  url?: string;
  /** Document number of the notice this one changes (2019 Labour Day, 2020 Spring Festival). */
  amends?: string;
}

/** One holiday block (假期) of a calendar year, as set by one notice. */
export interface HolidayBlock {
  /** 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or two joined by 、 as the notice words it. */
  name: string;
  /** Document number of the notice that set these dates; listed in the year's notices. */
  notice: string;
  /** Days off (放假日), weekend days inside or joined to the block included; sorted, unique. */
  holidays: string[];
  /** Weekend days declared working days (调休上班日); sorted, unique. */
  workingDays: string[];
  /** Working days set by an earlier notice that this one turned into days off (2020-02-01). */
  cancelledWorkingDays?: string[];
  note?: string;
}

/** Everything known about one calendar year. */
export interface HolidayYear {
  year: number;
  notices: HolidayNotice[];
  /** In date order; a block's dates all fall in `year` (cross-year blocks are split by year). */
  blocks: HolidayBlock[];
  /** Anything the compiler of the data was unsure of, and why. */
  notes?: string[];
}

/** A versioned holiday data set. */
export interface HolidayData {
  /** YYYY-MM of the latest notice taken in. */
  version: string;
  source: string;
  timeZone: string;
  /** Every year from the first to the last, none missing. */
  years: HolidayYear[];
}

/** The shipped data for mainland China, 2019 through the latest announced year. */
export const HOLIDAYS_CN: HolidayData = holidaysCn;

/** Festival names a block may carry (joined by 、 when the notice merges two). */
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;

/** Every problem found in a data set, as readable sentences; an empty list means it is usable. */
export function validateHolidayData(data: HolidayData): string[] {
  const problems: string[] = [];
  if (!/^\d{4}-\d{2}$/.test(data.version ?? '')) problems.push(`version must be YYYY-MM: ${data.version}`);
  if (!data.source?.trim()) problems.push('source is missing');
  if (data.timeZone !== 'Asia/Shanghai') problems.push(`timeZone must be Asia/Shanghai: ${data.timeZone}`);
  if (!Array.isArray(data.years) || data.years.length === 0) return [...problems, 'no years'];
  data.years.forEach((y, i) => {
    const first = data.years[0]!.year;
    if (y.year !== first + i)
      problems.push(`years must run without gaps from ${first}: found ${y.year} at ${i}`);
    problems.push(...checkYear(y));
  });
  return problems;
}

function checkYear(y: HolidayYear): string[] {
  const problems: string[] = [];
  const at = (what: string) => (message: string) => problems.push(`${y.year} ${what}: ${message}`);
  const notices = new Set<string>();
  if (!Array.isArray(y.notices) || y.notices.length === 0) at('notices')('no source notice');
  for (const n of y.notices ?? []) {
    const say = at(n.document || 'notice');
    if (!n.document?.trim() || !n.title?.trim()) say('document number and title are required');
    if (tryDayNumber(n.signed) === undefined) say(`signed is not a date: ${n.signed}`);
    if (tryDayNumber(n.published) === undefined) say(`published is not a date: ${n.published}`);
    notices.add(n.document);
  }
  const holidays = new Set<string>();
  const announced = new Set<string>();
  const cancelled = new Set<string>();
  let previousStart = '';
  for (const b of y.blocks ?? []) {
    const say = at(b.name);
    if (!b.name?.split('、').every((part) => (HOLIDAY_NAMES as readonly string[]).includes(part))) {
      say('unknown holiday name');
    }
    if (!notices.has(b.notice)) say(`notice ${b.notice} is not among the year's notices`);
    if (!b.holidays?.length) say('a block needs at least one day off');
    checkDays(y.year, b.holidays ?? [], 'holidays', say);
    checkDays(y.year, b.workingDays ?? [], 'workingDays', say);
    checkDays(y.year, b.cancelledWorkingDays ?? [], 'cancelledWorkingDays', say);
    const start = b.holidays?.[0] ?? '';
    if (start < previousStart) say(`blocks are out of date order (${start} after ${previousStart})`);
    previousStart = start;
    for (const d of b.holidays ?? []) {
      if (holidays.has(d)) say(`${d} is a day off in two blocks`);
      holidays.add(d);
    }
    for (const d of b.workingDays ?? []) {
      if (announced.has(d)) say(`${d} is a working day in two blocks`);
      const n = tryDayNumber(d);
      if (n !== undefined && !isWeekend(n)) say(`${d} is not a Saturday or Sunday`);
      announced.add(d);
    }
    for (const d of b.cancelledWorkingDays ?? []) {
      if (!b.holidays?.includes(d)) say(`cancelled working day ${d} is not a day off of the block`);
      cancelled.add(d);
    }
  }
  for (const d of cancelled) {
    if (!announced.has(d)) at('cancelledWorkingDays')(`${d} was never announced as a working day`);
  }
  for (const d of announced) {
    if (holidays.has(d) && !cancelled.has(d)) at('workingDays')(`${d} is both a day off and a working day`);
  }
  return problems;
}

function checkDays(year: number, days: string[], field: string, say: (m: string) => void): void {
  days.forEach((d, i) => {
    const n = tryDayNumber(d);
    if (n === undefined) say(`${field}: not a date: ${d}`);
    else if (yearOf(n) !== year) say(`${field}: ${d} is not in ${year}`);
    const previous = days[i - 1];
    if (previous !== undefined && previous >= d) say(`${field}: not sorted and unique at ${d}`);
  });
}
