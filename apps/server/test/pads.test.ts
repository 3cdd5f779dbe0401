import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, findCounter, makeCase, pushCase } from './helpers/intake-fixtures';
import { signIn } from './helpers/sessions';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const T0 = new Date('2026-03-02T02:00:00Z');

/** Reads server-sent events from a streaming response until `want` matches one, or the timeout. */
async function nextEvent(
  body: ReadableStream<Uint8Array>,
  want: (event: string, data: unknown) => boolean,
  ms = 5000,
) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now())),
      ]);
      if (!chunk || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let split = buffer.indexOf('\n\n');
      while (split >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data && want(event, JSON.parse(data))) return { event, data: JSON.parse(data) };
        split = buffer.indexOf('\n\n');
      }
    }
    return null;
  } finally {
    reader.releaseLock();
  }
}

describe(`window rating pads (${dbKind})`, () => {
  let t: TestApp;
  let base: string;
  let counter: Counter;
  let clock = T0;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock, sms: { send: async () => {} } });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    counter = await findCounter(t);
  });
  afterAll(() => t.close());

  const api = (
    path: string,
    init: { method?: string; auth?: string; cookie?: string; body?: unknown } = {},
  ) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.auth ? { authorization: init.auth } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const pairNewPad = async (windowNo = counter.windowNo) => {
    const reg = await api(`/api/v1/windows/${windowNo}/pads`, {
      method: 'POST',
      auth: asAdmin.authorization,
      body: { name: '1号窗口评价器' },
    });
    expect(reg.status).toBe(201);
    const { pairingCode, padId } = (await reg.json()) as { pairingCode: string; padId: string };
    const paired = await api('/api/v1/pads/pair', { method: 'POST', body: { pairingCode } });
    expect(paired.status).toBe(200);
    const body = (await paired.json()) as { padToken: string; windowNo: string };
    expect(body.windowNo).toBe(windowNo);
    return { padId, pairingCode, auth: `Bearer ${body.padToken}` };
  };

  it('pairs once with a code; the code is then spent', async () => {
    const pad = await pairNewPad();
    expect(
      (await api('/api/v1/pads/pair', { method: 'POST', body: { pairingCode: pad.pairingCode } })).status,
    ).toBe(404);
    const me = await api('/api/v1/pads/me', { auth: pad.auth });
    expect(await me.json()).toMatchObject({ padId: pad.padId, windowNo: counter.windowNo });
    expect((await api('/api/v1/pads/me', { auth: 'Bearer pk_not-a-real-pad-token-000' })).status).toBe(401);
  });

  it('revokes a pad at once', async () => {
    const pad = await pairNewPad();
    expect((await api('/api/v1/pads/me', { auth: pad.auth })).status).toBe(200);
    expect(
      (await api(`/api/v1/pads/${pad.padId}`, { method: 'DELETE', auth: asAdmin.authorization })).status,
    ).toBe(204);
    expect((await api('/api/v1/pads/me', { auth: pad.auth })).status).toBe(401);
    expect(
      (await api(`/api/v1/pads/${pad.padId}`, { method: 'DELETE', auth: asAdmin.authorization })).status,
    ).toBe(404);
  });

  it('refuses an expired pairing code', async () => {
    const reg = await api(`/api/v1/windows/${counter.windowNo}/pads`, {
      method: 'POST',
      auth: asAdmin.authorization,
      body: {},
    });
    const { pairingCode } = (await reg.json()) as { pairingCode: string };
    clock = new Date(T0.getTime() + 11 * 60_000);
    const res = await api('/api/v1/pads/pair', { method: 'POST', body: { pairingCode } });
    clock = T0;
    expect(res.status).toBe(410);
  });

  it('lets the window’s own staff watch its feed, and no other staff', async () => {
    const own = await signIn(
      t,
      { username: 'window.staff', role: 'staff', unitCode: counter.unitCode, staffNo: counter.staffNo },
      clock,
    );
    const other = await t.database.db
      .selectFrom('staff')
      .select(['staff_no', 'unit_code'])
      .where('window_no', '<>', counter.windowNo)
      .where('window_no', 'is not', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    const stranger = await signIn(
      t,
      { username: 'other.staff', role: 'staff', unitCode: other.unit_code, staffNo: other.staff_no },
      clock,
    );
    const c = makeCase(counter, clock);
    await pushCase(t, c);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: asAdmin,
      payload: { caseNo: c.caseNo, round: 1, level: 5, channel: 'pc' },
    });
    const recent = (as: Record<string, string>) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/windows/${counter.windowNo}/evaluations?limit=5`,
        headers: as,
      });
    const mine = await recent(own);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()[0]).toMatchObject({ caseNo: c.caseNo, windowNo: counter.windowNo });
    expect((await recent(stranger)).statusCode).toBe(404);
    const feed = await api(`/api/v1/windows/${counter.windowNo}/events`, { cookie: own.cookie });
    expect(feed.headers.get('content-type')).toContain('text/event-stream');
    await feed.body?.cancel();
    expect(
      (await api(`/api/v1/windows/${counter.windowNo}/events`, { cookie: stranger.cookie })).status,
    ).toBe(404);
  });

  it('pushes the window business system request to the pad, takes its rating, and tells the console', async () => {
    const pad = await pairNewPad();
    const stream = await api('/api/v1/pads/me/stream', { auth: pad.auth });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const feed = await api(`/api/v1/windows/${counter.windowNo}/events`, { auth: asAdmin.authorization });
    const c = makeCase(counter, clock);
    await pushCase(t, c);

    const ask = await api(`/api/v1/windows/${counter.windowNo}/rating-requests`, {
      method: 'POST',
      auth: asAdmin.authorization,
      body: { caseNo: c.caseNo },
    });
    expect(ask.status).toBe(202);
    expect(((await ask.json()) as { delivered: number }).delivered).toBeGreaterThanOrEqual(1);
    const pushed = await nextEvent(
      stream.body!,
      (e, d) => e === 'rating-request' && (d as { caseNo: string }).caseNo === c.caseNo,
    );
    expect(pushed?.data).toMatchObject({ caseNo: c.caseNo, round: 1, staffNo: counter.staffNo });

    const rated = await api('/api/v1/evaluations', {
      method: 'POST',
      auth: pad.auth,
      body: { caseNo: c.caseNo, round: 1, level: 4, channel: 'window_pad' },
    });
    expect(rated.status).toBe(201);
    expect(await rated.json()).toMatchObject({ channel: 'window_pad', windowNo: counter.windowNo });
    const row = await t.database.db
      .selectFrom('evaluations')
      .select(['device_id', 'actor_id'])
      .where('case_no', '=', c.caseNo)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ device_id: pad.padId, actor_id: `pad:${pad.padId}` });
    const seen = await nextEvent(
      feed.body!,
      (e, d) => e === 'evaluation' && (d as { caseNo: string }).caseNo === c.caseNo,
    );
    expect(seen?.data).toMatchObject({ level: 4 });
    await stream.body!.cancel();
    await feed.body!.cancel();
  });

  it("refuses a pad rating another window's case, or on another channel", async () => {
    const pad = await pairNewPad();
    const otherWindow = await t.database.db
      .selectFrom('windows')
      .select('no')
      .where('no', '<>', counter.windowNo)
      .limit(1)
      .executeTakeFirstOrThrow();
    const c = makeCase(counter, clock, { windowNo: otherWindow.no, staffNo: undefined });
    await pushCase(t, c);
    const foreign = await api('/api/v1/evaluations', {
      method: 'POST',
      auth: pad.auth,
      body: { caseNo: c.caseNo, round: 1, level: 5, channel: 'window_pad' },
    });
    expect(foreign.status).toBe(403);
    const mine = makeCase(counter, clock);
    await pushCase(t, mine);
    const wrong = await api('/api/v1/evaluations', {
      method: 'POST',
      auth: pad.auth,
      body: { caseNo: mine.caseNo, round: 1, level: 5, channel: 'pc' },
    });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { details: { field: string } }).details.field).toBe('channel');
    const ask = await api(`/api/v1/windows/${counter.windowNo}/rating-requests`, {
      method: 'POST',
      auth: asAdmin.authorization,
      body: { caseNo: c.caseNo },
    });
    expect(ask.status).toBe(422);
  });
});
