/**
 * Calendar days ('YYYY-MM-DD') as integers, and the mapping of instants to days in Asia/Shanghai.
 * Pure arithmetic on UTC milliseconds: nothing here reads the process time zone or the ICU data.
 */

const MS_PER_DAY = 86_400_000;

/**
 * China has kept UTC+8 all year since it dropped daylight saving in 1991, so Shanghai's day is a
 * fixed shift of UTC; a fixed offset is exact for every date this product handles and needs no tz data.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A day as the number of days since 1970-01-01, or undefined when the text is not a real date. */
export function tryDayNumber(day: string): number | undefined {
  if (!DAY_PATTERN.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  // Date.parse accepts 2023-02-30 on some engines by rolling over; the round trip refuses it.
  if (Number.isNaN(ms) || formatDay(ms / MS_PER_DAY) !== day) return undefined;
  return ms / MS_PER_DAY;
}

/** A day as the number of days since 1970-01-01; throws a RangeError when it is not a real date. */
export function dayNumber(day: string): number {
  const n = tryDayNumber(day);
  if (n === undefined) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  return n;
}

/** The 'YYYY-MM-DD' text of a day number. */
export function formatDay(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number: 0 Sunday … 6 Saturday. */
export function weekday(n: number): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps days before 1970 non-negative.
  return (((n + 4) % 7) + 7) % 7;
}

/** Whether a day number is a Saturday or a Sunday. */
export function isWeekend(n: number): boolean {
  const w = weekday(n);
  return w === 0 || w === 6;
}

/** The Gregorian year of a day number. */
export function yearOf(n: number): number {
  return new Date(n * MS_PER_DAY).getUTCFullYear();
}

/** The Shanghai calendar day (as a day number) that contains an instant. */
export function shanghaiDayNumber(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

/** The last millisecond of a Shanghai calendar day: 23:59:59.999 +08:00, i.e. 15:59:59.999Z. */
export function endOfShanghaiDay(n: number): Date {
  return new Date((n + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS - 1);
}

/** The calendar day (YYYY-MM-DD) of an instant in Asia/Shanghai, whatever the process time zone. */
export function shanghaiDay(at: Date): string {
  return formatDay(shanghaiDayNumber(at));
}
