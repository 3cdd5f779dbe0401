import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar';
import { DEFAULT_DEADLINE_RULE, openingDeadlines, stepDeadline } from './deadlines';
import {
  availableActions,
  resolveTransition,
  TICKET_ACTIONS,
  TICKET_STATES,
  type TicketState,
  TRANSITIONS,
} from './transitions';

describe('the ticket transition table', () => {
  it('names only known states and actions, and every action has a row', () => {
    for (const t of TRANSITIONS) {
      for (const s of t.from) expect(TICKET_STATES).toContain(s);
      if (!['same', 'resume'].includes(t.to)) expect(TICKET_STATES).toContain(t.to);
    }
    for (const a of TICKET_ACTIONS) expect(TRANSITIONS.some((t) => t.action === a)).toBe(true);
  });

  it('reaches every state from pending_contact, and only closed has no way out', () => {
    const seen = new Set<TicketState>(['pending_contact']);
    const queue: TicketState[] = ['pending_contact'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const t of TRANSITIONS.filter((x) => x.from.includes(s))) {
        const to = t.to === 'same' ? s : t.to === 'resume' ? 'pending_contact' : t.to;
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...TICKET_STATES].sort());
    for (const s of TICKET_STATES) {
      const out = TRANSITIONS.filter((t) => t.from.includes(s) && t.to !== 'same');
      expect(out.length === 0, s).toBe(s === 'closed');
    }
  });

  it('picks the row by handling path, resumes after a rejected appeal, and refuses the rest', () => {
    expect(
      resolveTransition(
        { state: 'pending_reply', handlingPath: 'explain', stateBeforeAppeal: null },
        'reply',
        'unit',
      ).to,
    ).toBe('pending_signoff');
    expect(
      resolveTransition(
        { state: 'pending_reply', handlingPath: 'fix_now', stateBeforeAppeal: null },
        'reply',
        'unit',
      ).to,
    ).toBe('rectifying');
    expect(
      resolveTransition(
        { state: 'appealing', handlingPath: 'fix_plan', stateBeforeAppeal: 'rectifying' },
        'reject_appeal',
        'supervisor',
      ).to,
    ).toBe('rectifying');
    expect(() =>
      resolveTransition({ state: 'closed', handlingPath: null, stateBeforeAppeal: null }, 'reply', 'unit'),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() =>
      resolveTransition(
        { state: 'pending_signoff', handlingPath: 'explain', stateBeforeAppeal: null },
        'sign_off',
        'unit',
      ),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(
      availableActions(
        { state: 'pending_contact', handlingPath: null, stateBeforeAppeal: null },
        'unit',
      ).sort(),
    ).toEqual(['appeal', 'contact']);
  });
});

describe('ticket deadlines', () => {
  const cal = createCalendar();
  it('counts 1/5/15 working days from the opening, across National Day 2024', () => {
    const d = openingDeadlines(new Date('2024-09-30T02:00:00Z'), DEFAULT_DEADLINE_RULE, cal);
    expect(d.contactDue.toISOString()).toBe('2024-10-08T15:59:59.999Z');
    expect(d.replyDue.toISOString()).toBe('2024-10-12T15:59:59.999Z');
    expect(d.appealDue.toISOString()).toBe('2024-10-10T15:59:59.999Z');
    expect(d.rectifyDue.toISOString()).toBe('2024-10-25T15:59:59.999Z');
  });
  it('gives the revisit 7 natural days and a plan its own date', () => {
    const now = new Date('2024-10-01T00:00:00Z');
    const facts = {
      ...openingDeadlines(now, DEFAULT_DEADLINE_RULE, cal),
      handlingPath: 'fix_plan' as const,
      planDue: new Date('2024-11-01T15:59:59.999Z'),
    };
    expect(stepDeadline('revisiting', facts, now, DEFAULT_DEADLINE_RULE, cal)?.toISOString()).toBe(
      '2024-10-08T00:00:00.000Z',
    );
    expect(stepDeadline('rectifying', facts, now, DEFAULT_DEADLINE_RULE, cal)).toEqual(facts.planDue);
    expect(stepDeadline('closed', facts, now, DEFAULT_DEADLINE_RULE, cal)).toBeNull();
  });
});
