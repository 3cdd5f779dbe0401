import { describe, expect, it } from 'vitest';
import { idCheckChar, isLuhnValid, isValidIdNumber, luhnCheckDigit } from './checks';

describe('isValidIdNumber', () => {
  it('accepts 18-digit numbers whose MOD 11-2 check character and birth date are right', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber(`44030420000229123${idCheckChar('44030420000229123')}`)).toBe(true);
  });

  it('rejects a wrong check character or an impossible birth date', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    // 1900 was not a leap year; month 13 does not exist; 1899 is out of range.
    for (const first17 of ['44030419000229123', '11010519491331002', '11010518991231002']) {
      expect(isValidIdNumber(first17 + idCheckChar(first17))).toBe(false);
    }
  });

  it('accepts old 15-digit numbers with a real 19yy birth date only', () => {
    expect(isValidIdNumber('110105491231002')).toBe(true);
    expect(isValidIdNumber('110105491332002')).toBe(false);
    expect(isValidIdNumber('11010549123100')).toBe(false);
  });
});

describe('Luhn', () => {
  it('computes and checks the mod 10 check digit', () => {
    expect(luhnCheckDigit('622202123456789012')).toBe('8');
    expect(isLuhnValid('6222021234567890128')).toBe(true);
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('4111 1111 1111 1111')).toBe(false);
  });
});
