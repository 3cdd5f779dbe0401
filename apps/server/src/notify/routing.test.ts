import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './deliver-due';
import { isAdapterTopic, targetsOf, topicMatches } from './routing';

describe('outbox routing', () => {
  const subs = [
    { id: 'wh_all', topics: ['*'], unitPath: null },
    { id: 'wh_tickets', topics: ['ticket.*'], unitPath: null },
    { id: 'wh_opened_huangpu', topics: ['ticket.opened'], unitPath: '310000/310101/' },
  ];

  it('matches topics exactly or by a prefix ending in *', () => {
    expect(topicMatches('ticket.opened', 'ticket.opened')).toBe(true);
    expect(topicMatches('ticket.opened', 'ticket.opened_again')).toBe(false);
    expect(topicMatches('ticket.*', 'ticket.due_soon')).toBe(true);
    expect(topicMatches('ticket.*', 'tickets.x')).toBe(false);
    expect(topicMatches('*', 'anything.at_all')).toBe(true);
  });

  it('routes by topic and unit subtree; messages without a unit reach unscoped subscriptions only', () => {
    expect(targetsOf('ticket.opened', { unitPath: '310000/310101/310101002/' }, subs)).toEqual([
      'webhook:wh_all',
      'webhook:wh_tickets',
      'webhook:wh_opened_huangpu',
    ]);
    expect(targetsOf('ticket.opened', { unitPath: '310000/310104/' }, subs)).toEqual([
      'webhook:wh_all',
      'webhook:wh_tickets',
    ]);
    expect(targetsOf('ticket.opened', {}, subs)).toEqual(['webhook:wh_all', 'webhook:wh_tickets']);
    expect(targetsOf('case.imported', { unitPath: '310000/310101/' }, subs)).toEqual(['webhook:wh_all']);
  });

  it('sends sms.* and email.* to their adapter only, never to a webhook', () => {
    expect(targetsOf('sms.revisit', { caseNo: 'C1', text: '…' }, subs)).toEqual(['sms']);
    expect(targetsOf('email.overdue', { to: 'a@b.cn', subject: 's', text: 't' }, subs)).toEqual(['email']);
    expect(isAdapterTopic('sms.*')).toBe(true);
    expect(isAdapterTopic('ticket.sms')).toBe(false);
  });

  it('backs off 30 s × 2^(n−1) with ±20 % jitter, capped at one hour', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(7, () => 0.5)).toBe(1_920_000);
    expect(retryDelayMs(1, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, () => 0.999_999)).toBeLessThanOrEqual(36_000);
    expect(retryDelayMs(8, () => 0.999_999)).toBe(3_600_000);
    expect(retryDelayMs(20, () => 0)).toBe(3_600_000);
  });
});
