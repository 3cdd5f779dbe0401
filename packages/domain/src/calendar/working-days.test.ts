import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createCalendar, HOLIDAYS_CN, shanghaiDay, uncoveredYears } from './index';

const cal = createCalendar();

/** An instant given as Shanghai wall-clock time, e.g. at('2024-09-30 10:00'). */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
/** The deadline instant for the end of a Shanghai day. */
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`);

describe('shanghaiDay', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it('shifts UTC by eight hours across midnight', () => {
    expect(shanghaiDay(new Date('2024-09-29T15:59:59.999Z'))).toBe('2024-09-29');
    expect(shanghaiDay(new Date('2024-09-29T16:00:00.000Z'))).toBe('2024-09-30');
    expect(shanghaiDay(new Date('2024-09-29T16:30:00Z'))).toBe('2024-09-30');
    expect(shanghaiDay(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
  });

  it('does not depend on the process time zone', () => {
    process.env.TZ = 'America/Los_Angeles';
    expect(shanghaiDay(new Date('2024-09-29T16:30:00Z'))).toBe('2024-09-30');
    process.env.TZ = 'Asia/Kolkata';
    expect(shanghaiDay(new Date('2024-09-29T15:00:00Z'))).toBe('2024-09-29');
  });

  it('refuses an invalid Date', () => {
    expect(() => shanghaiDay(new Date('nope'))).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it('knows the National Day 2024 anchors', () => {
    expect(cal.isWorkingDay('2024-09-29')).toBe(true); // Sunday, 调休上班
    for (let d = 1; d <= 7; d += 1) expect(cal.isWorkingDay(`2024-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2024-10-08')).toBe(true);
    expect(cal.isWorkingDay('2024-10-12')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkingDay('2024-10-13')).toBe(false); // plain Sunday
    expect(cal.holidayName('2024-10-03')).toBe('国庆节');
    expect(cal.holidayName('2024-10-08')).toBeUndefined();
  });

  it('knows Spring Festival 2024 and keeps 除夕 2024-02-09 a working day', () => {
    expect(cal.isWorkingDay('2024-02-04')).toBe(true); // Sunday
    expect(cal.isWorkingDay('2024-02-09')).toBe(true);
    for (let d = 10; d <= 17; d += 1) expect(cal.isWorkingDay(`2024-02-${d}`)).toBe(false);
    expect(cal.isWorkingDay('2024-02-18')).toBe(true); // Sunday
  });

  it('applies the 2020 extension, which cancelled the working Saturday 2020-02-01', () => {
    expect(cal.isWorkingDay('2020-01-19')).toBe(true);
    expect(cal.isWorkingDay('2020-01-31')).toBe(false);
    expect(cal.isWorkingDay('2020-02-01')).toBe(false);
    expect(cal.isWorkingDay('2020-02-03')).toBe(true);
  });

  it('says true for every adjusted working day and false for every day off in the data', () => {
    const cancelled = new Set(
      HOLIDAYS_CN.years.flatMap((y) => y.blocks.flatMap((b) => b.cancelledWorkingDays ?? [])),
    );
    for (const year of HOLIDAYS_CN.years) {
      for (const block of year.blocks) {
        for (const d of block.holidays) expect(cal.isWorkingDay(d), d).toBe(false);
        for (const d of block.workingDays) expect(cal.isWorkingDay(d), d).toBe(!cancelled.has(d));
      }
    }
  });

  it('falls back to Monday to Friday outside the covered years, and says so', () => {
    expect(cal.covers(2018)).toBe(false);
    expect(cal.covers(2019)).toBe(true);
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
    expect(cal.isWorkingDay('2030-01-01')).toBe(true); // a Tuesday: 元旦 2030 is not known yet
    expect(cal.isWorkingDay('2030-01-05')).toBe(false);
    expect(
      uncoveredYears(cal, at('2026-12-28 10:00'), cal.addWorkingDays(at('2026-12-28 10:00'), 5)),
    ).toEqual([2027]);
    expect(uncoveredYears(cal, at('2024-09-30 10:00'), at('2024-10-12 10:00'))).toEqual([]);
  });

  it('refuses malformed days', () => {
    for (const bad of ['2024-02-30', '2024-2-3', '20240203', '', '2024-13-01']) {
      expect(() => cal.isWorkingDay(bad), bad).toThrow(RangeError);
    }
  });
});

describe('addWorkingDays', () => {
  it('5 days from 2024-09-30 skip National Day and count Saturday 10-12', () => {
    // Days after Mon 09-30: 10-01…07 off; 10-08 (1), 10-09 (2), 10-10 (3), 10-11 (4),
    // Sat 10-12 调休上班 (5) → end of 2024-10-12.
    expect(cal.addWorkingDays(at('2024-09-30 10:00'), 5)).toEqual(endOf('2024-10-12'));
    expect(cal.addWorkingDays(at('2024-09-30 10:00'), 5).toISOString()).toBe('2024-10-12T15:59:59.999Z');
  });

  it('5 days from Sunday 2024-09-29 (a working day) end on 2024-10-11', () => {
    // The start day is never counted: 09-30 (1), 10-08 (2), 10-09 (3), 10-10 (4), 10-11 (5).
    expect(cal.addWorkingDays(at('2024-09-29 09:00'), 5)).toEqual(endOf('2024-10-11'));
  });

  it('takes the day in Shanghai, not in UTC, near midnight', () => {
    // 2024-09-29T16:30Z is 2024-09-30 00:30 in Shanghai: counted as a ticket of 09-30.
    expect(cal.addWorkingDays(new Date('2024-09-29T16:30:00Z'), 5)).toEqual(endOf('2024-10-12'));
    // 15:59:59.999Z is still 09-29 23:59:59.999 in Shanghai.
    expect(cal.addWorkingDays(new Date('2024-09-29T15:59:59.999Z'), 5)).toEqual(endOf('2024-10-11'));
  });

  it('1 working day', () => {
    expect(cal.addWorkingDays(at('2024-09-30 10:00'), 1)).toEqual(endOf('2024-10-08'));
    expect(cal.addWorkingDays(at('2024-10-11 17:00'), 1)).toEqual(endOf('2024-10-12')); // Sat, 调休上班
    expect(cal.addWorkingDays(at('2024-02-03 12:00'), 1)).toEqual(endOf('2024-02-04')); // Sun, 调休上班
  });

  it('15 working days from 2024-09-30', () => {
    // 10-08 (1) 09 (2) 10 (3) 11 (4) Sat 12 (5) | 14 (6) 15 (7) 16 (8) 17 (9) 18 (10) | 21 (11) 22 (12)
    // 23 (13) 24 (14) 25 (15).
    expect(cal.addWorkingDays(at('2024-09-30 10:00'), 15)).toEqual(endOf('2024-10-25'));
  });

  it('Spring Festival 2024', () => {
    // From Thu 02-08: 除夕 Fri 02-09 (1); 02-10…17 off; Sun 02-18 (2); 02-19 (3), 02-20 (4), 02-21 (5).
    expect(cal.addWorkingDays(at('2024-02-08 10:00'), 5)).toEqual(endOf('2024-02-21'));
  });

  it('Spring Festival 2025 (01-28…02-04 off, Sun 01-26 and Sat 02-08 working)', () => {
    // From Fri 01-24: Sat 01-25 no; Sun 01-26 (1); Mon 01-27 (2); 01-28…02-04 off; 02-05 (3),
    // 02-06 (4), 02-07 (5).
    expect(cal.addWorkingDays(at('2025-01-24 16:00'), 5)).toEqual(endOf('2025-02-07'));
    // From Mon 01-27, 15 days: 02-05 (1) 06 (2) 07 (3) Sat 08 (4) | 10…14 (5–9) | 17…21 (10–14) | 24 (15).
    expect(cal.addWorkingDays(at('2025-01-27 09:00'), 15)).toEqual(endOf('2025-02-24'));
  });

  it('0 working days is the end of the start day, and bad counts are refused', () => {
    expect(cal.addWorkingDays(at('2024-10-03 10:00'), 0)).toEqual(endOf('2024-10-03'));
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.addWorkingDays(at('2024-10-03 10:00'), bad), String(bad)).toThrow(RangeError);
    }
    expect(() => cal.addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts days after from up to and including to', () => {
    expect(cal.workingDaysBetween(at('2024-09-30 10:00'), at('2024-10-12 08:00'))).toBe(5);
    expect(cal.workingDaysBetween(at('2024-09-30 10:00'), at('2024-10-07 23:00'))).toBe(0);
    expect(cal.workingDaysBetween(at('2024-09-30 10:00'), at('2024-09-30 23:00'))).toBe(0);
    expect(cal.workingDaysBetween(at('2024-09-30 10:00'), at('2024-09-01 10:00'))).toBe(0);
    expect(cal.workingDaysBetween(at('2024-09-28 10:00'), at('2024-09-30 10:00'))).toBe(2); // Sun 29 + Mon 30
  });

  const instant = fc.date({
    min: new Date('2019-01-01T00:00:00+08:00'),
    max: new Date('2026-12-31T23:59:59.999+08:00'),
    noInvalidDate: true,
  });

  it('round-trips with addWorkingDays for any instant 2019–2026 and n 0…40', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 40 }), (start, n) => {
        const due = cal.addWorkingDays(start, n);
        expect(cal.workingDaysBetween(start, due)).toBe(n);
        expect(due.toISOString().slice(10)).toBe('T15:59:59.999Z');
        if (n > 0) expect(cal.isWorkingDay(shanghaiDay(due))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the whole Shanghai day one deadline, whatever the hour', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 40 }), (start, n) => {
        const day = shanghaiDay(start);
        const first = new Date(`${day}T00:00:00.000+08:00`);
        expect(cal.addWorkingDays(first, n)).toEqual(cal.addWorkingDays(endOf(day), n));
      }),
    );
  });
});
