import { describe, expect, it } from 'vitest';
import { isBadLevel, isChoiceComplete, newIdempotencyKey, ratingContent } from './rating-draft';

describe('rating choice', () => {
  it('treats 1 and 2 as bad ratings', () => {
    expect([1, 2, 3, 4, 5, null].map(isBadLevel)).toEqual([true, true, false, false, false, false]);
  });

  it('needs a reason or a comment for a bad rating only', () => {
    expect(isChoiceComplete({ level: null, reasons: [], comment: '' })).toBe(false);
    expect(isChoiceComplete({ level: 4, reasons: [], comment: '' })).toBe(true);
    expect(isChoiceComplete({ level: 2, reasons: [], comment: '   ' })).toBe(false);
    expect(isChoiceComplete({ level: 2, reasons: ['slow'], comment: '' })).toBe(true);
    expect(isChoiceComplete({ level: 1, reasons: [], comment: '等了很久' })).toBe(true);
  });

  it('builds the body part: reasons only for bad ratings, comment trimmed or left out', () => {
    expect(ratingContent({ level: 5, reasons: ['x'], comment: ' ' })).toEqual({ level: 5 });
    expect(ratingContent({ level: 3, reasons: [], comment: ' 好 ' })).toEqual({ level: 3, comment: '好' });
    expect(ratingContent({ level: 1, reasons: ['a', 'b'], comment: '' })).toEqual({
      level: 1,
      reasons: ['a', 'b'],
    });
    expect(() => ratingContent({ level: 2, reasons: [], comment: '' })).toThrow();
  });
});

describe('newIdempotencyKey', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  it('uses randomUUID where there is one', () => {
    expect(newIdempotencyKey()).toMatch(UUID);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
  it('builds a v4 UUID from random bytes outside secure contexts', () => {
    const key = newIdempotencyKey({ getRandomValues: (a) => crypto.getRandomValues(a) });
    expect(key).toMatch(UUID);
  });
});
