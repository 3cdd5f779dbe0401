import { resolveTransition, TICKET_STATES, type TicketAction, type TicketState } from '@hcp/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, makeCase, pushCase, rate } from './helpers/intake-fixtures';
import { logIn, type SessionHeaders, signIn } from './helpers/sessions';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

// 2024-09-29 was a Sunday made a working day (调休) before the National Day week (10-01…07).
let clock = new Date('2024-09-29T02:00:00Z');
const DAY = 86_400_000;

describe(`tickets: the bad-rating closed loop (${dbKind})`, () => {
  let t: TestApp;
  let counter: Counter;
  let unit: SessionHeaders;
  let supervisor: SessionHeaders;
  let otherDistrict: SessionHeaders;
  let staff: SessionHeaders;
  let auditor: SessionHeaders;

  /** A counter (window, staff, item) inside the district with this code. */
  async function counterIn(district: string): Promise<Counter> {
    const row = await t.database.db
      .selectFrom('staff')
      .innerJoin('windows', 'windows.no', 'staff.window_no')
      .innerJoin('units', 'units.code', 'windows.unit_code')
      .select(['staff.staff_no', 'windows.no', 'windows.unit_code'])
      .where('units.path', 'like', `%/${district}/%`)
      .orderBy('staff.staff_no')
      .limit(1)
      .executeTakeFirstOrThrow();
    const item = await t.database.db
      .selectFrom('items')
      .select('code')
      .orderBy('code')
      .limit(1)
      .executeTakeFirstOrThrow();
    return { unitCode: row.unit_code, windowNo: row.no, staffNo: row.staff_no, itemCode: item.code };
  }

  async function relogin() {
    unit = await logIn(t, 'hp.unit');
    supervisor = await logIn(t, 'hp.supervisor');
    otherDistrict = await logIn(t, 'xh.unit');
    staff = await logIn(t, 'hp.staff');
    auditor = await logIn(t, 'auditor');
  }

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock });
    counter = await counterIn('310101');
    unit = await signIn(t, { username: 'hp.unit', role: 'unit_admin', unitCode: '310101' }, clock);
    supervisor = await signIn(
      t,
      { username: 'hp.supervisor', role: 'supervisor', unitCode: '310101' },
      clock,
    );
    otherDistrict = await signIn(t, { username: 'xh.unit', role: 'unit_admin', unitCode: '310104' }, clock);
    staff = await signIn(
      t,
      { username: 'hp.staff', role: 'staff', unitCode: counter.unitCode, staffNo: counter.staffNo },
      clock,
    );
    auditor = await signIn(t, { username: 'auditor', role: 'auditor', unitCode: '310000' }, clock);
  });
  afterAll(() => t.close());

  /** Pushes a completed case and rates it bad; returns the ticket id. */
  async function badRating(level = 1) {
    const c = makeCase(counter, new Date(clock.getTime() - 60_000));
    expect((await pushCase(t, c)).statusCode).toBe(201);
    const r = await rate(t, { caseNo: c.caseNo, round: 1, level, channel: 'pc', comment: '材料被退回三次' });
    expect(r.statusCode).toBe(201);
    const ticket = await t.database.db
      .selectFrom('tickets')
      .selectAll()
      .where('evaluation_id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    return { id: String(ticket.id), caseNo: c.caseNo, ticket };
  }

  const act = (id: string, segment: string, body: object, as: SessionHeaders = unit, extra: object = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/${segment}`,
      headers: { ...as, ...extra },
      payload: body,
    });
  const get = (id: string, as: SessionHeaders = unit) =>
    t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: as });

  const contact = (id: string, handlingPath = 'fix_now', as = unit) =>
    act(id, 'contact', { handlingPath, note: '已电话联系申请人，核实情况属实' }, as);
  const reply = (id: string, as = unit) => act(id, 'reply', { text: '已核实，窗口将简化材料核验流程。' }, as);
  const rectify = (id: string, as = unit) =>
    act(id, 'rectify', { text: '已培训窗口人员，材料一次性告知。' }, as);

  it('opens a ticket with the rating, with working-day deadlines that skip National Day', async () => {
    clock = new Date('2024-09-29T02:00:00Z');
    const sunday = await badRating();
    clock = new Date('2024-09-30T02:00:00Z');
    const monday = await badRating();
    await relogin();
    const a = (await get(sunday.id)).json();
    const b = (await get(monday.id)).json();
    expect(a.state).toBe('pending_contact');
    // Opened on the working Sunday: 09-30, then 10-08…10-11 → reply due on Friday 10-11.
    expect(a.deadlines.contact).toBe('2024-09-30T15:59:59.999Z');
    expect(a.deadlines.reply).toBe('2024-10-11T15:59:59.999Z');
    // Opened on 09-30: 10-08…10-11 and the working Saturday 10-12 → reply due 10-12.
    expect(b.deadlines.contact).toBe('2024-10-08T15:59:59.999Z');
    expect(b.deadlines.reply).toBe('2024-10-12T15:59:59.999Z');
    expect(b.dueAt).toBe(b.deadlines.contact);
    expect(a.events.map((e: { action: string }) => e.action)).toEqual(['opened']);
    const news = await t.database.db
      .selectFrom('outbox')
      .select('topic')
      .where('topic', '=', 'ticket.opened')
      .execute();
    expect(news.length).toBeGreaterThanOrEqual(2);
  });

  it('runs the whole loop: contact, reply, rectify, re-rating closes it, all on the timeline', async () => {
    clock = new Date('2024-10-08T02:00:00Z');
    await relogin();
    const { id, caseNo } = await badRating();
    expect((await contact(id)).json().state).toBe('pending_reply');
    expect((await reply(id)).json().state).toBe('rectifying');
    const done = await rectify(id);
    expect(done.statusCode).toBe(200);
    expect(done.json().state).toBe('revisiting');
    // The re-rating invitation went to the outbox, with a link but no phone number.
    const sms = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'sms.revisit')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(sms.payload.caseNo).toBe(caseNo);
    const token = /\/r\/(rt_[A-Za-z0-9_-]+)/.exec(String(sms.payload.text))![1]!;
    expect(JSON.stringify(sms.payload)).not.toContain('13912345678');

    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/my/ticket',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(mine.json()).toMatchObject({ ticketId: id, state: 'revisiting', canReRate: true });

    const again = await rate(t, { caseNo, round: 2, level: 4, channel: 'sms' }, { auth: `Bearer ${token}` });
    expect(again.statusCode).toBe(201);
    const closed = (await get(id)).json();
    expect(closed).toMatchObject({ state: 'closed', outcome: 'satisfied', revisitLevel: 4, dueAt: null });
    expect(closed.events.map((e: { action: string }) => e.action)).toEqual([
      'opened',
      'contact',
      'reply',
      'rectify',
      'revisit_good',
    ]);
    expect(closed.events[2]).toMatchObject({
      fromState: 'pending_reply',
      toState: 'rectifying',
      role: 'unit_admin',
    });
  });

  it('refuses a re-rating before the fix is offered, and reopens the ticket on a bad one', async () => {
    const { id, caseNo } = await badRating();
    const early = await rate(t, { caseNo, round: 2, level: 5, channel: 'pc' });
    expect(early.statusCode).toBe(422);
    expect(early.json().details.reason).toBe('ROUND_NOT_OPEN');
    const mint = (round: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseNo}/rating-tokens`,
        headers: asAdmin,
        payload: { round },
      });
    expect((await mint(2)).json().details.reason).toBe('ROUND_NOT_OPEN');
    await contact(id);
    await reply(id);
    await rectify(id);
    // While the revisit is open a channel may also mint the re-rating link, valid until its deadline.
    const minted = await mint(2);
    expect(minted.statusCode, minted.body).toBe(201);
    expect(new Date(minted.json().expiresAt).toISOString()).toBe((await get(id)).json().dueAt);
    expect(
      (await rate(t, { caseNo, round: 2, level: 2, channel: 'pc', comment: '问题依旧' })).statusCode,
    ).toBe(201);
    const reopened = (await get(id)).json();
    expect(reopened).toMatchObject({ state: 'reopened', escalationLevel: 1 });
    const second = await rectify(id);
    expect(second.json()).toMatchObject({ state: 'closed', outcome: 'rectified_again' });
  });

  /** Walks a fresh ticket to a state through the API. */
  async function ticketIn(state: TicketState): Promise<{ id: string; caseNo: string }> {
    const tk = await badRating();
    const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
      const r = await p;
      expect(r.statusCode, r.body).toBe(200);
    };
    const explain = state === 'pending_signoff';
    if (state === 'pending_contact') return tk;
    if (state === 'appealing') {
      await ok(act(tk.id, 'appeal', { reason: 'malicious', text: '申请人同一时段连续差评' }));
      return tk;
    }
    await ok(contact(tk.id, explain ? 'explain' : 'fix_now'));
    if (state === 'pending_reply') return tk;
    await ok(reply(tk.id));
    if (state === 'pending_signoff' || state === 'rectifying') return tk;
    await ok(rectify(tk.id));
    if (state === 'revisiting') return tk;
    if (state === 'reopened') {
      expect(
        (await rate(t, { caseNo: tk.caseNo, round: 2, level: 1, channel: 'pc', comment: '没有改进' }))
          .statusCode,
      ).toBe(201);
      return tk;
    }
    expect((await rate(t, { caseNo: tk.caseNo, round: 2, level: 5, channel: 'pc' })).statusCode).toBe(201);
    return tk; // closed
  }

  const ROUTES: {
    segment: string;
    body: object;
    as: () => SessionHeaders;
    action: TicketAction;
    party: 'unit' | 'supervisor';
  }[] = [
    {
      segment: 'contact',
      body: { handlingPath: 'fix_now', note: '已联系' },
      as: () => unit,
      action: 'contact',
      party: 'unit',
    },
    { segment: 'reply', body: { text: '公开回复内容' }, as: () => unit, action: 'reply', party: 'unit' },
    { segment: 'rectify', body: { text: '整改情况' }, as: () => unit, action: 'rectify', party: 'unit' },
    {
      segment: 'appeal',
      body: { reason: 'mistaken', text: '误评' },
      as: () => unit,
      action: 'appeal',
      party: 'unit',
    },
    { segment: 'sign-off', body: {}, as: () => supervisor, action: 'sign_off', party: 'supervisor' },
    {
      segment: 'reject-explanation',
      body: { note: '理由不成立' },
      as: () => supervisor,
      action: 'reject_explanation',
      party: 'supervisor',
    },
    {
      segment: 'appeal-decision',
      body: { decision: 'upheld', note: '查实恶意' },
      as: () => supervisor,
      action: 'uphold_appeal',
      party: 'supervisor',
    },
    {
      segment: 'appeal-decision',
      body: { decision: 'rejected', note: '不予支持' },
      as: () => supervisor,
      action: 'reject_appeal',
      party: 'supervisor',
    },
    {
      segment: 'escalate',
      body: { note: '督办' },
      as: () => supervisor,
      action: 'escalate',
      party: 'supervisor',
    },
  ];

  it('allows exactly the transitions in the table from every state, and refuses every other with 409', async () => {
    clock = new Date('2024-10-08T02:00:00Z');
    await relogin();
    for (const state of TICKET_STATES) {
      for (const r of ROUTES) {
        const tk = await ticketIn(state);
        const before = (await get(tk.id)).json();
        let allowed = true;
        let to: TicketState = state;
        try {
          to = resolveTransition(
            {
              state,
              handlingPath: before.handlingPath,
              stateBeforeAppeal: state === 'appealing' ? 'pending_contact' : null,
            },
            r.action,
            r.party,
          ).to;
        } catch {
          allowed = false;
        }
        const res = await act(tk.id, r.segment, r.body, r.as());
        expect(res.statusCode, `${state} --${r.segment}--> ${res.body}`).toBe(allowed ? 200 : 409);
        const after = (await get(tk.id)).json();
        expect(after.state, `${state} --${r.segment}`).toBe(allowed ? to : state);
        expect(after.events.length).toBe(before.events.length + (allowed ? 1 : 0));
      }
    }
  });

  it('lets only the right party act, and hides other districts’ tickets (404)', async () => {
    const { id } = await badRating();
    expect((await act(id, 'sign-off', {}, unit)).statusCode).toBe(403);
    expect((await contact(id, 'fix_now', supervisor)).statusCode).toBe(403);
    expect((await contact(id, 'fix_now', auditor)).statusCode).toBe(403);
    expect((await get(id, auditor)).statusCode).toBe(200);
    expect((await get(id, otherDistrict)).statusCode).toBe(404);
    expect((await contact(id, 'fix_now', otherDistrict)).statusCode).toBe(404);
    expect((await get(id, staff)).statusCode).toBe(200);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tickets?state=open',
      headers: otherDistrict,
    });
    expect(list.json().items).toEqual([]);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lets exactly one of two concurrent replies through', async () => {
    const { id } = await badRating();
    await contact(id);
    const [a, b] = await Promise.all([reply(id), reply(id)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = (await get(id)).json().events.filter((e: { action: string }) => e.action === 'reply');
    expect(events).toHaveLength(1);
  });

  it('refuses an action on a version the caller did not see (If-Match)', async () => {
    const { id } = await badRating();
    const v = (await get(id)).json().version;
    await contact(id);
    const stale = await act(id, 'reply', { text: '回复' }, unit, { 'if-match': String(v) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().details.reason).toBe('TICKET_CHANGED');
    expect((await act(id, 'reply', { text: '回复' }, unit, { 'if-match': String(v + 1) })).statusCode).toBe(
      200,
    );
  });

  it('needs a plan and a due date for fix_plan, and uses the plan’s date as the deadline', async () => {
    const { id } = await badRating();
    const noPlan = await contact(id, 'fix_plan');
    expect(noPlan.statusCode).toBe(422);
    expect(noPlan.json().details.field).toBe('planText');
    const ok = await act(id, 'contact', {
      handlingPath: 'fix_plan',
      note: '已联系',
      planText: '调整排队系统',
      planDue: '2024-10-20',
    });
    expect(ok.statusCode).toBe(200);
    await reply(id);
    expect((await get(id)).json().dueAt).toBe('2024-10-20T15:59:59.999Z');
  });

  it('takes appeals only within 3 working days; an upheld appeal closes the ticket and marks the rating', async () => {
    clock = new Date('2024-10-08T02:00:00Z');
    await relogin();
    const late = await badRating();
    const early = await badRating();
    expect((await act(early.id, 'appeal', { reason: 'malicious', text: '恶意' })).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 4 * DAY);
    await relogin();
    const refused = await act(late.id, 'appeal', { reason: 'malicious', text: '恶意' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details.reason).toBe('APPEAL_WINDOW_CLOSED');
    const upheld = await act(early.id, 'appeal-decision', { decision: 'upheld', note: '查实' }, supervisor);
    expect(upheld.json()).toMatchObject({
      state: 'closed',
      outcome: 'appeal_upheld',
      appealOutcome: 'upheld',
    });
  });

  it('returns to the state before the appeal when the appeal is rejected', async () => {
    const { id } = await badRating();
    await contact(id);
    await act(id, 'appeal', { reason: 'mistaken', text: '误评' });
    const back = await act(id, 'appeal-decision', { decision: 'rejected', note: '不成立' }, supervisor);
    expect(back.json()).toMatchObject({ state: 'pending_reply', appealOutcome: 'rejected' });
    expect(back.json().actions).not.toContain('appeal');
    const again = await act(id, 'appeal', { reason: 'mistaken', text: '再次申诉' });
    expect(again.statusCode).toBe(409);
    expect(again.json().details.reason).toBe('ALREADY_APPEALED');
  });

  it('keeps rectification attachments with the ticket and checks the ids', async () => {
    const { id } = await badRating();
    await contact(id);
    await reply(id);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/attachments?name=${encodeURIComponent('整改照片.png')}`,
      headers: { ...unit, 'content-type': 'image/png' },
      payload: png,
    });
    expect(up.statusCode, up.body).toBe(201);
    const bad = await act(id, 'rectify', { text: '整改', attachmentIds: ['999999'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.field).toBe('attachmentIds');
    const ok = await act(id, 'rectify', { text: '整改', attachmentIds: [up.json().id] });
    expect(ok.json().attachments).toHaveLength(1);
    const down = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${id}/attachments/${up.json().id}`,
      headers: auditor,
    });
    expect(down.rawPayload.equals(png)).toBe(true);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/tickets/${id}/attachments/${up.json().id}`,
          headers: otherDistrict,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('lists the queue by deadline with keyset pages, and filters overdue and state', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/tickets?state=open&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url: q, headers: supervisor })).json();
      for (const it of page.items) {
        expect(seen.has(it.id)).toBe(false);
        seen.add(it.id);
        expect(it.state).not.toBe('closed');
      }
      cursor = page.nextCursor;
    } while (cursor);
    const open = await t.database.db
      .selectFrom('tickets')
      .select('id')
      .where('state', '<>', 'closed')
      .execute();
    expect(seen.size).toBe(open.length);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?cursor=abc', headers: unit });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('querystring.cursor');
    const overdue = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/tickets?overdue=true&limit=200',
        headers: supervisor,
      })
    ).json();
    for (const it of overdue.items) expect(it.overdue).toBe(true);
  });

  it('lets a sysadmin set a region’s deadlines, used by tickets opened afterwards', async () => {
    const rule = {
      contactDays: 2,
      replyDays: 3,
      rectifyDays: 10,
      appealDays: 3,
      appealDecisionDays: 5,
      signoffDays: 5,
      revisitNaturalDays: 7,
      remindHours: 24,
    };
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/deadline-rules/310101',
      headers: asAdmin,
      payload: rule,
    });
    expect(put.statusCode, put.body).toBe(200);
    clock = new Date('2024-10-14T02:00:00Z'); // Monday
    await relogin();
    const { id } = await badRating();
    expect((await get(id)).json().deadlines.contact).toBe('2024-10-16T15:59:59.999Z');
    const byUnit = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/deadline-rules/default',
      headers: unit,
      payload: rule,
    });
    expect(byUnit.statusCode).toBe(403);
  });
});
