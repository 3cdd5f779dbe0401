import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckChar,
  creditCodeError,
  isValidCreditCode,
  makeCreditCode,
} from './credit-code';

// Publicly registered codes (the textbook example and three well-known companies); each was also
// checked by hand against the GB 32100-2015 formula.
const REAL_CODES = [
  '91350100M000100Y43', // the example commonly cited with the standard
  '914403001922038216', // 华为技术有限公司 (check character 6)
  '9144030071526726XG', // 深圳市腾讯计算机系统有限公司 (check character G)
  '91110108551385082Q', // 北京小米科技有限责任公司 (check character Q)
];

describe('credit code alphabet', () => {
  it('has the 31 characters of GB 32100, without I O S V Z', () => {
    expect(CREDIT_CODE_CHARSET).toHaveLength(31);
    for (const ch of 'IOSVZ') expect(CREDIT_CODE_CHARSET).not.toContain(ch);
    expect(new Set(CREDIT_CODE_CHARSET).size).toBe(31);
  });
});

describe('creditCodeCheckChar', () => {
  it('reproduces the check character of real codes', () => {
    for (const code of REAL_CODES) expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it('maps a remainder of 0 to the character 0, not to 31', () => {
    // All zeros sum to 0, so 31 - 0 = 31 must become 0.
    expect(creditCodeCheckChar('0'.repeat(17))).toBe('0');
  });

  it('computes a hand-worked example', () => {
    // Only position 1 is 1 (weight 1): 31 - 1 = 30 → 'Y'. Only position 2 is 1 (weight 3): 28 → 'W'.
    expect(creditCodeCheckChar(`1${'0'.repeat(16)}`)).toBe('Y');
    expect(creditCodeCheckChar(`01${'0'.repeat(15)}`)).toBe('W');
  });

  it('throws on a wrong length or a character outside the alphabet', () => {
    expect(() => creditCodeCheckChar('9135010')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100M000100I4')).toThrow(/character 'I'/);
    expect(() => creditCodeCheckChar('91350100m000100Y4')).toThrow(RangeError);
  });
});

describe('isValidCreditCode / creditCodeError', () => {
  it('accepts real codes', () => {
    for (const code of REAL_CODES) {
      expect(isValidCreditCode(code)).toBe(true);
      expect(creditCodeError(code)).toBeNull();
    }
  });

  it('rejects every single-character substitution of a real code', () => {
    const code = REAL_CODES[0]!;
    for (let i = 0; i < 18; i++) {
      for (const ch of CREDIT_CODE_CHARSET) {
        if (ch === code.charAt(i)) continue;
        const mutated = code.slice(0, i) + ch + code.slice(i + 1);
        expect(creditCodeError(mutated)).toBe('check character');
      }
    }
  });

  it('rejects a swap of two adjacent different characters', () => {
    // 91350100M000100Y43 → swap positions 9 and 10 (M,0).
    expect(isValidCreditCode('913501000M00100Y43')).toBe(false);
  });

  it('names the reason', () => {
    expect(creditCodeError('')).toBe('length');
    expect(creditCodeError('91350100M000100Y4')).toBe('length');
    expect(creditCodeError('91350100M000100Y433')).toBe('length');
    expect(creditCodeError('91350100m000100Y43')).toBe('character');
    expect(creditCodeError('91350100M000100S43')).toBe('character');
    expect(creditCodeError('91350100M000100Y44')).toBe('check character');
  });
});

describe('makeCreditCode', () => {
  it('produces valid codes', () => {
    const code = makeCreditCode('11310000MB2F30018');
    expect(code).toHaveLength(18);
    expect(isValidCreditCode(code)).toBe(true);
    expect(makeCreditCode(REAL_CODES[1]!.slice(0, 17))).toBe(REAL_CODES[1]);
  });

  it('refuses a bad body', () => {
    expect(() => makeCreditCode('11310000MB2F3001O')).toThrow(RangeError);
  });
});
