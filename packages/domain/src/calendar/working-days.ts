/**
 * Working-day arithmetic for mainland China in Asia/Shanghai (DOMAIN.md §6): Monday to Friday, less
 * the statutory days off, plus the weekend days declared working days (调休上班). Deadlines of
 * tickets ("reply within 5 working days") are computed here and stored as `due_at` instants.
 *
 * The deadline rule, shared by `addWorkingDays` and `workingDaysBetween`:
 * - Counting starts on the Shanghai calendar day AFTER the day of the start instant; the start day
 *   itself never counts, whether or not it is a working day and whatever the hour. A ticket opened
 *   on Monday at 08:00 or at 23:00 gets the same deadline.
 * - The deadline is the END of the n-th working day counted that way: 23:59:59.999 in Shanghai,
 *   i.e. 15:59:59.999Z, so anything done on that day is in time.
 * - n = 0 gives the end of the start's own day.
 * Dates outside the covered years fall back to plain Monday to Friday; `covers(year)` says when.
 */
import { dayNumber, endOfShanghaiDay, isWeekend, shanghaiDay, shanghaiDayNumber, yearOf } from './civil-day';
import { HOLIDAYS_CN, type HolidayData, validateHolidayData } from './holiday-data';

export { shanghaiDay };

/** Working-day questions answered from one holiday data set. */
export interface WorkingDayCalendar {
  /** The data set's version (YYYY-MM of its latest notice). */
  readonly version: string;
  readonly firstYear: number;
  readonly lastYear: number;
  /** Whether the data holds the State Council arrangement for this year. */
  covers(year: number): boolean;
  /** Whether a calendar day (YYYY-MM-DD) is a working day; throws a RangeError on malformed input. */
  isWorkingDay(day: string): boolean;
  /** The deadline n working days after an instant (see the module comment); n a whole number ≥ 0. */
  addWorkingDays(start: Date, n: number): Date;
  /** Working days after from's Shanghai day up to and including to's; 0 when to is not later. */
  workingDaysBetween(from: Date, to: Date): number;
  /** The holiday block name of a day off (e.g. 国庆节), or undefined for any other day. */
  holidayName(day: string): string | undefined;
}

/** Builds a calendar from a holiday data set; throws when the set fails `validateHolidayData`. */
export function createCalendar(data: HolidayData = HOLIDAYS_CN): WorkingDayCalendar {
  const problems = validateHolidayData(data);
  if (problems.length > 0) {
    throw new Error(`holiday data ${data.version} is invalid: ${problems.join('; ')}`);
  }
  // Keyed by day number so that the counting loops compare integers, not strings.
  const daysOff = new Map<number, string>();
  const workingWeekends = new Set<number>();
  for (const year of data.years) {
    for (const block of year.blocks) {
      for (const d of block.holidays) daysOff.set(dayNumber(d), block.name);
      for (const d of block.workingDays) workingWeekends.add(dayNumber(d));
    }
    // A later notice may turn an announced working day back into a day off (2020-02-01).
    for (const block of year.blocks) {
      for (const d of block.cancelledWorkingDays ?? []) workingWeekends.delete(dayNumber(d));
    }
  }
  const years = new Set(data.years.map((y) => y.year));
  const firstYear = data.years[0]!.year;
  const lastYear = data.years[data.years.length - 1]!.year;

  const isWorking = (n: number): boolean => {
    if (daysOff.has(n)) return false;
    if (workingWeekends.has(n)) return true;
    return !isWeekend(n);
  };

  return {
    version: data.version,
    firstYear,
    lastYear,
    covers: (year) => years.has(year),
    isWorkingDay: (day) => isWorking(dayNumber(day)),
    holidayName: (day) => daysOff.get(dayNumber(day)),

    addWorkingDays(start, n) {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
      }
      let day = shanghaiDayNumber(start);
      for (let counted = 0; counted < n; ) {
        day += 1;
        if (isWorking(day)) counted += 1;
      }
      return endOfShanghaiDay(day);
    },

    workingDaysBetween(from, to) {
      const last = shanghaiDayNumber(to);
      let count = 0;
      for (let day = shanghaiDayNumber(from) + 1; day <= last; day += 1) {
        if (isWorking(day)) count += 1;
      }
      return count;
    },
  };
}

/** Years a deadline computation touched that the data does not cover, for callers that must warn. */
export function uncoveredYears(calendar: WorkingDayCalendar, from: Date, to: Date): number[] {
  const missing: number[] = [];
  for (let y = yearOf(shanghaiDayNumber(from)); y <= yearOf(shanghaiDayNumber(to)); y += 1) {
    if (!calendar.covers(y)) missing.push(y);
  }
  return missing;
}
