import { describe, expect, it } from 'vitest';
import { abuseFlags, canAdvance, checkEvaluationContent, ratingWindowState } from './intake';
import { DEFAULT_RATING_CATALOG } from './rating-catalog';

describe('case status', () => {
  it('moves only forward', () => {
    expect(canAdvance('pending', 'completed')).toBe(true);
    expect(canAdvance('completed', 'completed')).toBe(true);
    expect(canAdvance('completed', 'in_progress')).toBe(false);
    expect(canAdvance('in_progress', 'pending')).toBe(false);
  });
});

describe('rating window', () => {
  const acceptedAt = new Date('2024-09-01T02:00:00Z');
  const completedAt = new Date('2024-09-02T02:00:00Z');
  it('is open from acceptance to 7 natural days after completion', () => {
    expect(ratingWindowState({ acceptedAt, completedAt: null }, new Date('2024-08-31T00:00:00Z'), 7)).toBe(
      'not_accepted',
    );
    expect(ratingWindowState({ acceptedAt, completedAt: null }, new Date('2025-01-01T00:00:00Z'), 7)).toBe(
      'open',
    );
    expect(ratingWindowState({ acceptedAt, completedAt }, new Date('2024-09-09T02:00:00Z'), 7)).toBe('open');
    expect(ratingWindowState({ acceptedAt, completedAt }, new Date('2024-09-09T02:00:01Z'), 7)).toBe(
      'closed',
    );
    expect(ratingWindowState({ acceptedAt, completedAt }, new Date('2024-09-09T02:00:01Z'), 8)).toBe('open');
  });
});

describe('evaluation content', () => {
  const cat = DEFAULT_RATING_CATALOG;
  const staffReason = cat.reasons.find((r) => r.category === 'staff')!.code;
  it('needs a reason or comment for a bad rating only', () => {
    expect(checkEvaluationContent({ level: 2 }, cat, 'offline').map((p) => p.code)).toEqual([
      'REASON_REQUIRED',
    ]);
    expect(checkEvaluationContent({ level: 1, comment: '  ' }, cat, 'offline')).toHaveLength(1);
    expect(checkEvaluationContent({ level: 1, comment: '排队太久' }, cat, 'offline')).toEqual([]);
    expect(checkEvaluationContent({ level: 2, reasons: [staffReason] }, cat, 'offline')).toEqual([]);
    expect(checkEvaluationContent({ level: 3 }, cat, 'online')).toEqual([]);
  });
  it('refuses reasons outside the catalogue, repeated reasons, and indicators of the other channel type', () => {
    const p = checkEvaluationContent(
      { level: 1, reasons: ['bribery', staffReason, staffReason], indicators: { attitude: 1, usability: 2 } },
      cat,
      'offline',
    );
    expect(p.map((x) => [x.field, x.code])).toEqual([
      ['reasons.0', 'UNKNOWN_REASON'],
      ['reasons.2', 'DUPLICATE_REASON'],
      ['indicators.usability', 'UNKNOWN_INDICATOR'],
    ]);
  });
});

describe('abuse flags', () => {
  it('flags bursts of top ratings per source and ratings by the handling staff', () => {
    const e = { level: 5 as const, deviceId: 'pad-1', account: 'u1', ip: '1.2.3.4' };
    expect(abuseFlags(e, { device: 9, account: 0, ip: 0 }, false)).toEqual([]);
    expect(abuseFlags(e, { device: 10, account: 10, ip: 10 }, false)).toEqual([
      'burst_device',
      'burst_account',
      'burst_ip',
    ]);
    expect(abuseFlags({ ...e, level: 4 }, { device: 50, account: 50, ip: 50 }, true)).toEqual(['staff_self']);
  });
});
