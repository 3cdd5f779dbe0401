import { describe, expect, it } from 'vitest';
import { inScope, lockedUntilAfter, sessionIsLive } from './access';

describe('access rules', () => {
  it('scopes by materialized path prefix', () => {
    expect(inScope('310000/310101/', '310000/310101/310101002/')).toBe(true);
    expect(inScope('310000/310101/', '310000/310104/310104001/')).toBe(false);
    expect(inScope('310000/310101/', '310000/3101011/')).toBe(false);
    expect(inScope(null, '310000/310104/')).toBe(true);
  });

  it('locks after five failures with a doubling backoff capped at an hour', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const mins = (n: number) => {
      const until = lockedUntilAfter(n, now);
      return until ? (until.getTime() - now.getTime()) / 60_000 : 0;
    };
    expect([1, 4, 5, 6, 7, 12].map(mins)).toEqual([0, 0, 1, 2, 4, 60]);
  });

  it('ends a session when idle for 30 minutes or at its absolute end', () => {
    const t = new Date('2026-01-01T08:00:00Z');
    const s = { lastSeenAt: t, expiresAt: new Date('2026-01-01T20:00:00Z') };
    expect(sessionIsLive(s, new Date('2026-01-01T08:30:00Z'))).toBe(true);
    expect(sessionIsLive(s, new Date('2026-01-01T08:30:01Z'))).toBe(false);
    expect(
      sessionIsLive({ ...s, lastSeenAt: new Date('2026-01-01T19:59:00Z') }, new Date('2026-01-01T20:00:00Z')),
    ).toBe(false);
  });
});
