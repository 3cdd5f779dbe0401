import { describe, expect, it } from 'vitest';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';
import { CHANNEL_OPTIONS, OUTCOMES, TICKET_STATE_OPTIONS, TIMELINE_KINDS } from './vocab';

// The portal builds these keys at run time (`portal.channel.${id}`), which the i18n key scan cannot see.
const keys = [
  ...CHANNEL_OPTIONS.map((c) => ['channel', c]),
  ...TICKET_STATE_OPTIONS.map((s) => ['ticketState', s]),
  ...TIMELINE_KINDS.map((k) => ['timeline', k]),
  ...OUTCOMES.map((o) => ['outcome', o]),
  ...['district', 'street', 'community'].map((l) => ['unit', 'next', l]),
  ...['upheld', 'rejected'].map((o) => ['detail', 'appealOutcome', o]),
];

/** The message at a path under `portal`, or undefined. */
function lookup(messages: { portal: object }, path: string[]): unknown {
  return path.reduce<unknown>(
    (node, part) => (node as Record<string, unknown> | undefined)?.[part],
    messages.portal,
  );
}

describe('portal vocabulary messages', () => {
  it.each(keys.map((k) => k.join('.')))('has portal.%s in every locale', (key) => {
    const path = key.split('.');
    expect(typeof lookup(zhCN, path)).toBe('string');
    expect(typeof lookup(en, path)).toBe('string');
  });

  it('lists the ten channels and eight ticket states', () => {
    expect(CHANNEL_OPTIONS).toHaveLength(10);
    expect(TICKET_STATE_OPTIONS).toHaveLength(8);
  });
});
