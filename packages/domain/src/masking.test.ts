import { describe, expect, it } from 'vitest';
import { maskName } from './masking';

describe('maskName', () => {
  it('keeps the first character and stars the rest', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('李小龙')).toBe('李**');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('Alice')).toBe('A****');
  });

  it('hides a one-character name entirely and leaves an empty one empty', () => {
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('');
    expect(maskName('   ')).toBe('');
  });

  it('trims surrounding space first', () => {
    expect(maskName('  张三 ')).toBe('张*');
  });

  it('counts characters outside the BMP as one', () => {
    // 𠀋 is U+2000B, two UTF-16 code units.
    expect(maskName('𠀋三')).toBe('𠀋*');
    expect(maskName('张𠀋')).toBe('张*');
    expect(maskName('𠀋')).toBe('*');
  });
});
