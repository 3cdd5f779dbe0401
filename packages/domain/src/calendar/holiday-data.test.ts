import { describe, expect, it } from 'vitest';
import { dayNumber, isWeekend } from './civil-day';
import { createCalendar, HOLIDAYS_CN, type HolidayData, validateHolidayData } from './index';

const copy = (): HolidayData => structuredClone(HOLIDAYS_CN);
const year = (data: HolidayData, y: number) => data.years.find((x) => x.year === y)!;
const block = (data: HolidayData, y: number, name: string) =>
  year(data, y).blocks.find((b) => b.name === name)!;

describe('shipped holiday data', () => {
  it('passes its own validation', () => {
    expect(validateHolidayData(HOLIDAYS_CN)).toEqual([]);
  });

  it('covers every year 2019–2026, each with a document number', () => {
    expect(HOLIDAYS_CN.years.map((y) => y.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const y of HOLIDAYS_CN.years) {
      for (const n of y.notices) expect(n.document).toMatch(/^国办发明电〔\d{4}〕\d+号$/);
    }
    expect(year(HOLIDAYS_CN, 2024).notices[0]!.document).toBe('国办发明电〔2023〕7号');
  });

  it('has every notice published before the first day it sets', () => {
    for (const y of HOLIDAYS_CN.years) {
      for (const b of y.blocks) {
        const notice = y.notices.find((n) => n.document === b.notice)!;
        expect(notice.published < b.holidays[0]!, `${y.year} ${b.name}`).toBe(true);
      }
    }
  });

  it('has each block as a run of consecutive days', () => {
    for (const y of HOLIDAYS_CN.years) {
      for (const b of y.blocks) {
        const days = b.holidays.map(dayNumber);
        expect(days.at(-1)! - days[0]!, `${y.year} ${b.name}`).toBe(days.length - 1);
      }
    }
  });

  // Each weekday given off is either a statutory day (or its 补休 when it falls on a weekend) or is
  // paid back by a working weekend day, so weekday days off minus working weekend days must equal the
  // statutory count: 11 until 2024, 13 from 2025 (春节 and 劳动节 +1); 2020 has 13 because the
  // COVID extension added Fri 01-31 and cancelled the working Saturday 02-01. A dropped or mistyped
  // date breaks this count.
  it('balances days off against working weekends to the statutory count', () => {
    const expected: Record<number, number> = { 2019: 11, 2020: 13, 2021: 11, 2022: 11, 2023: 11, 2024: 11 };
    for (const y of HOLIDAYS_CN.years) {
      const off = y.blocks.flatMap((b) => b.holidays).filter((d) => !isWeekend(dayNumber(d))).length;
      const cancelled = y.blocks.flatMap((b) => b.cancelledWorkingDays ?? []).length;
      const working = y.blocks.flatMap((b) => b.workingDays).length - cancelled;
      expect(off - working, String(y.year)).toBe(expected[y.year] ?? 13);
    }
  });
});

describe('validateHolidayData', () => {
  it('catches a date outside its year', () => {
    const data = copy();
    block(data, 2019, '元旦').holidays.unshift('2018-12-31');
    expect(validateHolidayData(data)).toContain('2019 元旦: holidays: 2018-12-31 is not in 2019');
  });

  it('catches a date that is both a day off and a working day', () => {
    const data = copy();
    block(data, 2024, '国庆节').workingDays = ['2024-09-29', '2024-10-05', '2024-10-12'];
    expect(validateHolidayData(data)).toContain(
      '2024 workingDays: 2024-10-05 is both a day off and a working day',
    );
  });

  it('catches a working day that is not a weekend day', () => {
    const data = copy();
    block(data, 2024, '国庆节').workingDays.push('2024-10-14');
    expect(validateHolidayData(data)).toContain('2024 国庆节: 2024-10-14 is not a Saturday or Sunday');
  });

  it('catches unsorted, duplicated and impossible dates', () => {
    const data = copy();
    block(data, 2025, '春节').holidays.reverse();
    block(data, 2025, '清明节').holidays.push('2025-04-06');
    block(data, 2025, '端午节').holidays.push('2025-06-31');
    const problems = validateHolidayData(data);
    expect(problems).toContain('2025 春节: holidays: not sorted and unique at 2025-02-03');
    expect(problems).toContain('2025 清明节: holidays: not sorted and unique at 2025-04-06');
    expect(problems).toContain('2025 端午节: holidays: not a date: 2025-06-31');
  });

  it('catches a missing year and a year without a source', () => {
    const data = copy();
    data.years = data.years.filter((y) => y.year !== 2022);
    year(data, 2021).notices = [];
    const problems = validateHolidayData(data);
    expect(problems).toContain('years must run without gaps from 2019: found 2023 at 3');
    expect(problems).toContain('2021 notices: no source notice');
    expect(problems).toContain("2021 元旦: notice 国办发明电〔2020〕27号 is not among the year's notices");
  });

  it('catches a cancelled working day that was never announced, and an unknown festival', () => {
    const data = copy();
    block(data, 2020, '元旦').cancelledWorkingDays = ['2020-01-01'];
    block(data, 2026, '中秋节').name = '中元节';
    const problems = validateHolidayData(data);
    expect(problems).toContain('2020 cancelledWorkingDays: 2020-01-01 was never announced as a working day');
    expect(problems).toContain('2026 中元节: unknown holiday name');
  });

  it('catches a day off listed in two blocks and blocks out of order', () => {
    const data = copy();
    year(data, 2023).blocks.push({
      name: '国庆节',
      notice: '国办发明电〔2022〕16号',
      holidays: ['2023-10-01'],
      workingDays: [],
    });
    const problems = validateHolidayData(data);
    expect(problems).toContain('2023 国庆节: 2023-10-01 is a day off in two blocks');
    expect(problems).toContain('2023 国庆节: blocks are out of date order (2023-10-01 after 2023-12-30)');
  });

  it('makes createCalendar refuse bad data', () => {
    const data = copy();
    data.source = '';
    expect(() => createCalendar(data)).toThrow(/source is missing/);
  });
});
