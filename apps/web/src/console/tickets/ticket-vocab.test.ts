import { HANDLING_PATHS, TICKET_ACTIONS, TICKET_OUTCOMES, TICKET_STATES } from '@hcp/domain';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import {
  actionForms,
  eventActor,
  eventFacts,
  isStateFilter,
  shanghaiToday,
  stateQuery,
  timeLeft,
} from './ticket-vocab';
import type { Ticket } from './tickets-api';

type Event = Ticket['events'][number];
const event = (over: Partial<Event>): Event => ({
  id: '1',
  at: '2024-10-08T02:00:00.000Z',
  action: 'contact',
  fromState: 'pending_contact',
  toState: 'pending_reply',
  actorKind: 'account',
  actorId: '5',
  role: 'unit_admin',
  payload: {},
  ...over,
});

describe('ticket vocabulary', () => {
  it('words the time left from working days, red only when overdue', () => {
    const due = '2024-10-11T15:59:59.999Z';
    expect(timeLeft({ workingDaysLeft: 3, overdue: false, dueAt: due })).toEqual({
      key: 'tickets.time.daysLeft',
      n: 3,
      overdue: false,
    });
    expect(timeLeft({ workingDaysLeft: 0, overdue: false, dueAt: due }).key).toBe('tickets.time.dueToday');
    expect(timeLeft({ workingDaysLeft: -2, overdue: true, dueAt: due })).toEqual({
      key: 'tickets.time.overdueBy',
      n: 2,
      overdue: true,
    });
    expect(timeLeft({ workingDaysLeft: 0, overdue: true, dueAt: due })).toMatchObject({
      key: 'tickets.time.overdue',
      overdue: true,
    });
    expect(timeLeft({ workingDaysLeft: null, overdue: false, dueAt: null }).key).toBe('tickets.time.none');
  });

  it('maps the state filter to the query (all → no filter)', () => {
    expect(stateQuery('open')).toEqual(['open']);
    expect(stateQuery('appealing')).toEqual(['appealing']);
    expect(stateQuery('all')).toBeUndefined();
    expect(isStateFilter('rectifying')).toBe(true);
    expect(isStateFilter('open')).toBe(true);
    expect(isStateFilter('nonsense')).toBe(false);
    expect(isStateFilter(['open'])).toBe(false);
  });

  it('shows a form for each action the server allows, one form for paired actions', () => {
    expect(actionForms(['contact', 'appeal'])).toEqual(['contact', 'appeal']);
    expect(actionForms(['sign_off', 'reject_explanation', 'escalate'])).toEqual(['review', 'escalate']);
    expect(actionForms(['uphold_appeal', 'reject_appeal', 'escalate'], ['decide'])).toEqual(['decide']);
    expect(actionForms(['escalate'], ['decide'])).toEqual([]);
    expect(actionForms(['revisit_good', 'remind'])).toEqual([]);
  });

  it('lists the texts an event carries', () => {
    expect(
      eventFacts(
        event({
          payload: {
            handlingPath: 'fix_plan',
            note: '已电话联系',
            planText: '调整排队系统',
            planDue: '2024-10-20',
          },
        }),
      ),
    ).toEqual([
      { label: 'tickets.event.handlingPath', value: 'tickets.handlingPath.fix_plan', translate: true },
      { label: 'tickets.event.plan', value: '调整排队系统', long: true },
      { label: 'tickets.event.planDue', value: '2024-10-20' },
      { label: 'tickets.event.note', value: '已电话联系', long: true },
    ]);
    expect(
      eventFacts(event({ action: 'rectify', payload: { text: '已培训', attachmentIds: ['3', '4'] } })),
    ).toEqual([
      { label: 'tickets.event.text', value: '已培训', long: true },
      { label: 'tickets.event.attachments', value: '2' },
    ]);
    const named = eventFacts(
      event({ action: 'rectify', payload: { text: '已培训', attachmentIds: ['3'] } }),
      (ids) => ids.map((id) => `file-${id}`).join(', '),
    );
    expect(named[1]).toEqual({ label: 'tickets.event.attachments', value: 'file-3' });
    expect(eventFacts(event({ action: 'revisit_good', payload: { level: 4, evaluationId: '9' } }))).toEqual([
      { label: 'tickets.event.level', value: 'rating.level4', translate: true },
    ]);
    expect(eventFacts(event({ action: 'escalate', payload: { reason: 'overdue', level: 1 } }))).toEqual([
      { label: 'tickets.event.why', value: 'tickets.event.overdue', translate: true },
    ]);
    expect(
      eventFacts(event({ action: 'appeal', payload: { reason: 'malicious', text: '连续差评' } })),
    ).toEqual([
      { label: 'tickets.event.appealReason', value: 'tickets.appealReason.malicious', translate: true },
      { label: 'tickets.event.text', value: '连续差评', long: true },
    ]);
    expect(eventFacts(event({ action: 'opened', payload: { evaluationId: '9' } }))).toEqual([]);
  });

  it('names who acted', () => {
    expect(eventActor(event({}))).toEqual({ key: 'tickets.event.account', params: { id: '5' } });
    expect(eventActor(event({ actorKind: 'applicant' })).key).toBe('tickets.event.applicant');
    expect(eventActor(event({ actorKind: 'sweep', actorId: 'sweep:tickets' })).key).toBe(
      'tickets.event.sweep',
    );
    expect(eventActor(event({ actorKind: 'system', actorId: 'intake' }))).toEqual({
      key: 'tickets.event.system',
      params: { id: 'intake' },
    });
  });

  it('knows today in Shanghai, which is tomorrow in UTC after 16:00', () => {
    expect(shanghaiToday(new Date('2024-09-29T15:59:00Z'))).toBe('2024-09-29');
    expect(shanghaiToday(new Date('2024-09-29T16:00:00Z'))).toBe('2024-09-30');
  });
});

describe('ticket labels', () => {
  // The pages build these keys from values (tickets.state.<state>…), which the i18n key scan cannot see.
  const ROUTES = [
    'contact',
    'reply',
    'rectify',
    'appeal',
    'sign-off',
    'reject-explanation',
    'appeal-decision',
    'escalate',
  ];
  const groups: [keyof typeof zhCN.tickets, readonly string[]][] = [
    ['state', [...TICKET_STATES, 'open']],
    ['handlingPath', HANDLING_PATHS],
    ['outcome', TICKET_OUTCOMES],
    ['action', [...TICKET_ACTIONS, 'opened']],
    ['route', ROUTES],
    ['appealReason', ['malicious', 'mistaken']],
  ];
  it.each(groups)('names every %s in both locales', (group, values) => {
    for (const locale of [zhCN, en]) {
      const labels = locale.tickets[group] as Record<string, string>;
      for (const v of values) expect(typeof labels[v], `${group}.${v}`).toBe('string');
    }
  });
});
