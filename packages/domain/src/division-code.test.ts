import { describe, expect, it } from 'vitest';
import { divisionLevelOf, isDivisionWithin, isValidDivisionCode } from './division-code';

describe('isValidDivisionCode', () => {
  it('accepts 6-, 9- and 12-digit codes', () => {
    for (const code of ['310000', '310100', '310101', '310115', '310101002', '310115125', '310101002001']) {
      expect(isValidDivisionCode(code), code).toBe(true);
    }
  });

  it('rejects other lengths, non-digits and impossible codes', () => {
    for (const code of [
      '',
      '31000',
      '3100000',
      '31010100',
      '31010100201',
      '3101010020011',
      '31010A',
      ' 310101',
      '000000', // no province 00
      '990000', // no province 99
      '310001', // county part under a '00' prefecture part
      '310101000', // street part 000 only restates the district
      '310101002000', // community part 000 only restates the street
    ]) {
      expect(isValidDivisionCode(code), code).toBe(false);
    }
  });
});

describe('divisionLevelOf', () => {
  it('names the level', () => {
    expect(divisionLevelOf('310000')).toBe('province');
    expect(divisionLevelOf('310100')).toBe('prefecture');
    expect(divisionLevelOf('310101')).toBe('county');
    expect(divisionLevelOf('310101002')).toBe('street');
    expect(divisionLevelOf('310101002001')).toBe('community');
    expect(divisionLevelOf('31010')).toBeNull();
  });
});

describe('isDivisionWithin', () => {
  it('nests street in district, district in city, community in street', () => {
    expect(isDivisionWithin('310101002', '310101')).toBe(true);
    expect(isDivisionWithin('310101', '310000')).toBe(true);
    expect(isDivisionWithin('310101', '310100')).toBe(true);
    expect(isDivisionWithin('310101002001', '310101002')).toBe(true);
    expect(isDivisionWithin('310101002001', '310000')).toBe(true);
  });

  it('is reflexive', () => {
    expect(isDivisionWithin('310000', '310000')).toBe(true);
    expect(isDivisionWithin('310101002', '310101002')).toBe(true);
  });

  it('refuses siblings, reversed pairs and other provinces', () => {
    expect(isDivisionWithin('310104', '310101')).toBe(false);
    expect(isDivisionWithin('310104001', '310101')).toBe(false);
    expect(isDivisionWithin('310101', '310101002')).toBe(false);
    expect(isDivisionWithin('310000', '310101')).toBe(false);
    expect(isDivisionWithin('320101', '310000')).toBe(false);
    // Shares the digits '31' but 310100's significant prefix is 3101.
    expect(isDivisionWithin('310230', '310100')).toBe(false);
  });

  it('is false when either code is invalid', () => {
    expect(isDivisionWithin('31010', '310000')).toBe(false);
    expect(isDivisionWithin('310101', '31')).toBe(false);
  });
});
