/**
 * When things happen in the demo activity: the year's months, office hours on working days (the
 * State Council calendar), how long cases take, and how soon each channel's rating arrives. Times
 * are epoch milliseconds; days are Asia/Shanghai days.
 */
import { type ChannelId, shanghaiDay, type WorkingDayCalendar } from '@hcp/domain';
import type { Rng } from './demo-random';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
const SHANGHAI = 8 * HOUR;

/** The channels a rating can come in on (the default rating is the sweep's own). */
export type RatingChannel = Exclude<ChannelId, 'default'>;

/** Shanghai midnight (as epoch ms) of the day containing t. */
export const dayStart = (t: number) => Math.floor((t + SHANGHAI) / DAY) * DAY - SHANGHAI;

const isWorking = (cal: WorkingDayCalendar, t: number) => cal.isWorkingDay(shanghaiDay(new Date(t)));

/**
 * Moves t into office hours (09:00–17:30 on a working day), or leaves it when that would pass
 * `limit`. Never returns a time earlier than t.
 */
export function atWork(rng: Rng, cal: WorkingDayCalendar, t: number, limit = Number.POSITIVE_INFINITY) {
  let start = dayStart(t);
  let time = t - start;
  for (let i = 0; i < 20; i++) {
    if (isWorking(cal, start + 12 * HOUR) && time < 17.5 * HOUR) {
      const s = start + Math.max(time, 9 * HOUR + rng.next() * HOUR);
      return s <= limit ? s : t;
    }
    start += DAY;
    time = 0;
  }
  return t;
}

/** The first instant of the Shanghai month 11 months before now's: the trend's first month. */
export function activityStart(now: number): number {
  const [y, m] = shanghaiDay(new Date(now)).split('-').map(Number) as [number, number];
  return Date.UTC(y, m - 1 - 11, 1) - SHANGHAI;
}

/** The 12 month starts from `start`, then `end`: 13 bounds for 12 months. */
export function monthBounds(start: number, end: number): number[] {
  const d = new Date(start + SHANGHAI);
  const bounds = Array.from({ length: 12 }, (_, i) =>
    Math.max(start, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1) - SHANGHAI),
  );
  return [...bounds, end];
}

/** Acceptance: office hours on a working day at a window; 07:00–23:30 on any day online. */
export function acceptedAt(rng: Rng, cal: WorkingDayCalendar, from: number, to: number, atWindow: boolean) {
  for (let i = 0; i < 20; i++) {
    const day = dayStart(from + rng.next() * (to - from));
    const t = atWindow ? day + rng.between(9, 16.75) * HOUR : day + rng.between(7, 23.5) * HOUR;
    if (t < from || t > to) continue;
    if (atWindow && !isWorking(cal, day + 12 * HOUR)) continue;
    return t;
  }
  return from + rng.next() * (to - from);
}

/** Completion: minutes for an immediate item, a few working days (within its promise) otherwise. */
export function completedAt(
  rng: Rng,
  cal: WorkingDayCalendar,
  item: { promiseType: 'immediate' | 'promised'; promiseDays: number | null },
  accepted: number,
  online: boolean,
) {
  if (item.promiseType === 'immediate') {
    return accepted + (online ? rng.between(0.5, 20) * HOUR : rng.between(4, 40) * MINUTE);
  }
  const k = rng.int(1, Math.min(item.promiseDays ?? 5, 12));
  const end = cal.addWorkingDays(new Date(accepted), k).getTime();
  return dayStart(end) + rng.between(9.5, 17) * HOUR;
}

/** How soon after completion a rating arrives, by channel. */
export function ratingDelay(rng: Rng, channel: RatingChannel): number {
  switch (channel) {
    case 'window_pad':
      return rng.between(15_000, 180_000);
    case 'kiosk':
    case 'qrcode':
      return rng.between(1, 20) * MINUTE;
    case 'sms':
      return 10 * MINUTE + rng.next() ** 2 * 2 * DAY;
    case 'hotline':
      return rng.between(1, 6) * DAY;
    default:
      return 5 * MINUTE + rng.next() ** 3 * 6 * DAY;
  }
}
