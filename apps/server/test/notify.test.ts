import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inTransaction } from '@hcp/db';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/identity/accounts';
import { type DispatcherDeps, runDispatcher, startDispatcher } from '../src/notify/dispatcher';
import { fanOutBatch } from '../src/notify/fan-out';
import { enqueue } from '../src/notify/outbox';
import { createProtector } from '../src/security/protector';
import { findCounter, makeCase, pushCase } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, TEST_SECRET, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

let clock = new Date('2026-03-02T02:00:00Z');
const later = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

/** A request the local receiver got. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1: records every request and answers per path. */
class Receiver {
  received: Received[] = [];
  /** Status per path (default 200) and an optional delay before answering. */
  status = new Map<string, number>();
  delayMs = 0;
  /** Paths that never answer (to test the timeout). */
  hang = new Set<string>();
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (this.hang.has(path)) return;
      setTimeout(() => {
        res.statusCode = this.status.get(path) ?? 200;
        res.end(res.statusCode < 300 ? 'ok' : 'receiver is down');
      }, this.delayMs);
    });
  });
  url = '';
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  at(path: string) {
    return this.received.filter((r) => r.path === path);
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const huangpuTicket = (caseNo: string, topic = 'ticket.opened') => ({
  topic,
  payload: {
    ticketId: '1',
    caseNo,
    unitCode: '310101002',
    unitPath: '310000/310101/310101002/',
    state: 'pending_contact',
  },
});

describe(`outbox, dispatcher and webhooks (${dbKind})`, () => {
  let t: TestApp;
  const receiver = new Receiver();
  const sms: { phone: string; text: string }[] = [];
  const emails: { to: string; subject: string; text: string }[] = [];
  let deps: DispatcherDeps;
  let keyAuth: string;

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock, sms: { send: async () => {} } });
    await receiver.start();
    deps = {
      db: t.database.db,
      now: () => clock,
      protector: createProtector(TEST_SECRET),
      sms: {
        send: async (phone, text) => {
          sms.push({ phone, text });
        },
      },
      email: {
        send: async (to, subject, text) => {
          emails.push({ to, subject, text });
        },
      },
      webhookTimeoutMs: 2000,
    };
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: asAdmin,
      payload: { name: '业务系统', channels: [], operations: ['cases:write'], unitCode: null },
    });
    keyAuth = `Bearer ${key.json<{ key: string }>().key}`;
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });
  // Each test starts with no subscriptions, no deliveries and nothing left to dispatch.
  afterEach(async () => {
    receiver.status.clear();
    receiver.delayMs = 0;
    await t.database.db.deleteFrom('deliveries').execute();
    await t.database.db
      .updateTable('outbox')
      .set({ dispatched_at: clock })
      .where('dispatched_at', 'is', null)
      .execute();
    await t.database.db.updateTable('webhook_subscriptions').set({ active: false }).execute();
  });

  const subscribe = async (path: string, topics: string[], unitCode?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: asAdmin,
      payload: { url: `${receiver.url}${path}`, topics, ...(unitCode ? { unitCode } : {}) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; secret: string; unitCode: string | null; active: boolean }>();
  };
  const deliveryOf = (target: string) =>
    t.database.db.selectFrom('deliveries').selectAll().where('target', '=', target).orderBy('id').execute();

  it('delivers a message enqueued in a transaction to its subscriber, signed with the secret shown once', async () => {
    const sub = await subscribe('/signed', ['ticket.*']);
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(sub.active).toBe(true);
    const stored = JSON.stringify(
      await t.database.db.selectFrom('webhook_subscriptions').selectAll().execute(),
    );
    expect(stored).not.toContain(sub.secret);
    const list = await t.app.inject({ url: '/api/v1/webhooks', headers: asAdmin });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ id: string }[]>().map((w) => w.id)).toContain(sub.id);
    expect(list.body).not.toContain(sub.secret);

    await inTransaction(t.database.db, (trx) =>
      enqueue(trx, [huangpuTicket('C-SIGNED'), { topic: 'case.imported', payload: { caseNo: 'C-SIGNED' } }]),
    );
    const counts = await runDispatcher(deps);
    expect(counts).toMatchObject({ dispatched: 2, created: 1, delivered: 1, retried: 0, dead: 0 });

    const [got] = receiver.at('/signed');
    expect(receiver.at('/signed')).toHaveLength(1);
    const [delivery] = await deliveryOf(`webhook:${sub.id}`);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 1, last_status: 200, last_error: null });
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-hcp-delivery']).toBe(String(delivery!.id));
    const timestamp = got!.headers['x-hcp-timestamp'] as string;
    expect(timestamp).toBe(String(Math.floor(clock.getTime() / 1000)));
    const expected = createHmac('sha256', sub.secret).update(`${timestamp}.${got!.body}`).digest('hex');
    expect(got!.headers['x-hcp-signature']).toBe(`sha256=${expected}`);
    const forged = createHmac('sha256', 'another secret').update(`${timestamp}.${got!.body}`).digest('hex');
    expect(got!.headers['x-hcp-signature']).not.toBe(`sha256=${forged}`);
    const body = JSON.parse(got!.body);
    expect(body).toEqual({
      id: String(delivery!.outbox_id),
      topic: 'ticket.opened',
      createdAt: expect.any(String),
      payload: huangpuTicket('C-SIGNED').payload,
    });

    // Nothing is sent twice: the next pass finds nothing to do.
    expect(await runDispatcher(deps)).toMatchObject({ dispatched: 0, created: 0, delivered: 0 });
    expect(receiver.at('/signed')).toHaveLength(1);
  });

  it("sends a unit-scoped subscription only its subtree's events, and unscoped ones everything", async () => {
    const scoped = await subscribe('/scoped', ['ticket.opened', 'ticket.closed'], '310101');
    expect(scoped.unitCode).toBe('310101');
    await subscribe('/all', ['*']);
    await inTransaction(t.database.db, (trx) =>
      enqueue(trx, [
        huangpuTicket('C-IN'),
        { topic: 'ticket.opened', payload: { caseNo: 'C-OUT', unitPath: '310000/310104/310104003/' } },
        // A longer code with the same digits is not inside 310101's subtree.
        { topic: 'ticket.opened', payload: { caseNo: 'C-TRAP', unitPath: '310000/3101019/' } },
        { topic: 'ticket.closed', payload: { caseNo: 'C-NOUNIT' } },
        huangpuTicket('C-OTHER-TOPIC', 'ticket.reply'),
      ]),
    );
    await runDispatcher(deps);
    const caseNos = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body).payload.caseNo);
    expect(caseNos('/scoped')).toEqual(['C-IN']);
    expect(caseNos('/all').sort()).toEqual(['C-IN', 'C-NOUNIT', 'C-OTHER-TOPIC', 'C-OUT', 'C-TRAP']);
  });

  it('retries a failing receiver with backoff, gives up after 8 attempts, and delivers on replay', async () => {
    const sub = await subscribe('/flaky', ['ticket.escalate']);
    receiver.status.set('/flaky', 503);
    await inTransaction(t.database.db, (trx) => enqueue(trx, [huangpuTicket('C-FLAKY', 'ticket.escalate')]));

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect(await runDispatcher(deps)).toMatchObject({ delivered: 0, retried: 1, dead: 0 });
      expect(receiver.at('/flaky')).toHaveLength(attempt);
      const [d] = await deliveryOf(`webhook:${sub.id}`);
      expect(d).toMatchObject({ state: 'pending', attempts: attempt, last_status: 503 });
      expect(d!.last_error).toBe('HTTP 503: receiver is down');
      const wait = d!.next_attempt_at.getTime() - clock.getTime();
      waits.push(wait);
      // 30 s × 2^(attempt − 1) with ±20 % jitter.
      const base = 30_000 * 2 ** (attempt - 1);
      expect(wait).toBeGreaterThanOrEqual(base * 0.8);
      expect(wait).toBeLessThanOrEqual(base * 1.2);
      // Not due yet: a pass just before the retry time sends nothing.
      later(wait - 1000);
      await runDispatcher(deps);
      expect(receiver.at('/flaky')).toHaveLength(attempt);
      later(1000);
    }
    expect(waits[6]).toBeGreaterThan(waits[0]! * 40);

    expect(await runDispatcher(deps)).toMatchObject({ retried: 0, dead: 1 });
    const [dead] = await deliveryOf(`webhook:${sub.id}`);
    expect(dead).toMatchObject({ state: 'dead', attempts: 8, last_status: 503 });
    later(24 * 3_600_000);
    await runDispatcher(deps);
    expect(receiver.at('/flaky')).toHaveLength(8);

    const listed = await t.app.inject({ url: '/api/v1/deliveries?state=dead', headers: asAdmin });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ id: String(dead!.id), topic: 'ticket.escalate', state: 'dead', attempts: 8 }),
    ]);

    receiver.status.set('/flaky', 204);
    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/v1/deliveries/${dead!.id}/replay`,
      headers: asAdmin,
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/deliveries/${dead!.id}/replay`,
      headers: asAdmin,
    });
    expect(again.statusCode).toBe(409);

    expect(await runDispatcher(deps)).toMatchObject({ delivered: 1 });
    expect(receiver.at('/flaky')).toHaveLength(9);
    expect((await deliveryOf(`webhook:${sub.id}`))[0]).toMatchObject({
      state: 'delivered',
      attempts: 1,
      last_status: 204,
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'delivery.replay')
      .execute();
    expect(audit).toEqual([{ action: 'delivery.replay', target_id: String(dead!.id) }]);
  });

  it('replays every dead delivery of a target at once', async () => {
    const down = await subscribe('/down', ['ticket.overdue']);
    const up = await subscribe('/up', ['ticket.overdue']);
    receiver.status.set('/down', 500);
    receiver.status.set('/up', 500);
    await inTransaction(t.database.db, (trx) =>
      enqueue(trx, [huangpuTicket('C-D1', 'ticket.overdue'), huangpuTicket('C-D2', 'ticket.overdue')]),
    );
    expect(await runDispatcher(deps, { maxAttempts: 1 })).toMatchObject({ dead: 4 });
    receiver.status.clear();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/deliveries/replay-dead?target=webhook:${down.id}`,
      headers: asAdmin,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ replayed: 2 });
    expect(await runDispatcher(deps)).toMatchObject({ delivered: 2 });
    expect((await deliveryOf(`webhook:${up.id}`)).map((d) => d.state)).toEqual(['dead', 'dead']);
    const all = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deliveries/replay-dead',
      headers: asAdmin,
    });
    expect(all.json()).toEqual({ replayed: 2 });
  });

  it('counts a timeout, a refused connection and a redirect as failures', async () => {
    const hang = await subscribe('/hang', ['ticket.due_soon']);
    receiver.hang.add('/hang');
    const moved = await subscribe('/moved', ['ticket.due_soon']);
    receiver.status.set('/moved', 302);
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: asAdmin,
      payload: { url: `http://127.0.0.1:${port}/`, topics: ['ticket.due_soon'] },
    });
    expect(refused.statusCode).toBe(201);
    await inTransaction(t.database.db, (trx) => enqueue(trx, [huangpuTicket('C-FAIL', 'ticket.due_soon')]));
    expect(await runDispatcher({ ...deps, webhookTimeoutMs: 200 })).toMatchObject({
      delivered: 0,
      retried: 3,
    });
    const failure = async (id: string) => {
      const [d] = await deliveryOf(`webhook:${id}`);
      return { state: d!.state, status: d!.last_status, error: d!.last_error };
    };
    expect(await failure(hang.id)).toEqual({ state: 'pending', status: null, error: 'timed out' });
    expect(await failure(moved.id)).toEqual({
      state: 'pending',
      status: 302,
      error: 'HTTP 302: receiver is down',
    });
    expect(await failure(refused.json().id)).toEqual({
      state: 'pending',
      status: null,
      error: 'fetch failed (ECONNREFUSED)',
    });
  });

  it("never delivers a rolled-back transaction's message", async () => {
    await subscribe('/rollback', ['*']);
    await expect(
      inTransaction(t.database.db, async (trx) => {
        await enqueue(trx, [huangpuTicket('C-ROLLBACK', 'ticket.rectify')]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM outbox WHERE payload->>'caseNo' = 'C-ROLLBACK'`.execute(t.database.db);
    expect(rows.rows[0]!.n).toBe(0);
    expect(await runDispatcher(deps)).toMatchObject({ dispatched: 0, delivered: 0 });
    expect(receiver.at('/rollback')).toHaveLength(0);
  });

  it('delivers each message exactly once with two dispatchers running at once', async () => {
    const sub = await subscribe('/race', ['ticket.reply']);
    receiver.delayMs = 15;
    const n = 40;
    await inTransaction(t.database.db, (trx) =>
      enqueue(
        trx,
        Array.from({ length: n }, (_, i) => huangpuTicket(`C-RACE-${i}`, 'ticket.reply')),
      ),
    );
    const small = { batchSize: 4, fanOutBatchSize: 5 };
    const [a, b] = await Promise.all([runDispatcher(deps, small), runDispatcher(deps, small)]);
    expect(a.dispatched + b.dispatched).toBe(n);
    expect(a.created + b.created).toBe(n);
    expect(a.delivered + b.delivered).toBe(n);
    const ids = receiver.at('/race').map((r) => JSON.parse(r.body).payload.caseNo);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    const rows = await deliveryOf(`webhook:${sub.id}`);
    expect(rows.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
  });

  it('sends sms.* to the case phone and email.* to the address, never to webhooks', async () => {
    await subscribe('/everything', ['*']);
    const counter = await findCounter(t);
    const withPhone = makeCase(counter, clock);
    const noPhone = makeCase(counter, clock, {
      applicant: { kind: 'person', certType: '111', certNo: '11010519491231002X', name: '李四' },
    });
    expect((await pushCase(t, withPhone)).statusCode).toBe(201);
    expect((await pushCase(t, noPhone)).statusCode).toBe(201);
    const text = '【好差评】您的差评已整改，请再次评价';
    await inTransaction(t.database.db, (trx) =>
      enqueue(trx, [
        { topic: 'sms.revisit', payload: { caseNo: withPhone.caseNo, text } },
        { topic: 'sms.revisit', payload: { caseNo: noPhone.caseNo, text } },
        {
          topic: 'email.overdue',
          payload: { to: 'supervisor@example.gov.cn', subject: '工单超期', text: '工单 1 已超期' },
        },
      ]),
    );
    const outbox = JSON.stringify(await t.database.db.selectFrom('outbox').select('payload').execute());
    expect(outbox).not.toContain('13912345678');

    // Three messages here, plus the invitation the completed case with a phone got on its push.
    expect(await runDispatcher(deps)).toMatchObject({ created: 4, delivered: 3, dead: 1 });
    expect(sms.filter((s) => s.text === text)).toEqual([{ phone: '13912345678', text }]);
    expect(sms.filter((s) => s.text.includes('已办结'))).toHaveLength(1);
    expect(emails).toEqual([{ to: 'supervisor@example.gov.cn', subject: '工单超期', text: '工单 1 已超期' }]);
    expect(receiver.at('/everything')).toHaveLength(0);
    const smsRows = await deliveryOf('sms');
    expect(smsRows.map((d) => d.state).sort()).toEqual(['dead', 'delivered', 'delivered']);
    expect(smsRows.find((d) => d.state === 'dead')).toMatchObject({
      attempts: 1,
      last_error: `case ${noPhone.caseNo} has no phone number`,
    });
  });

  it('a deactivated subscription gets nothing new, and its pending deliveries go dead', async () => {
    const sub = await subscribe('/gone', ['ticket.closed']);
    await inTransaction(t.database.db, (trx) => enqueue(trx, [huangpuTicket('C-GONE-1', 'ticket.closed')]));
    // Fanned out but not yet sent: deactivate it now.
    expect(await fanOutBatch(t.database.db, clock)).toEqual({ messages: 1, deliveries: 1 });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${sub.id}`, headers: asAdmin });
    expect(del.statusCode, del.body).toBe(204);
    const twice = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${sub.id}`,
      headers: asAdmin,
    });
    expect(twice.statusCode).toBe(404);
    await inTransaction(t.database.db, (trx) => enqueue(trx, [huangpuTicket('C-GONE-2', 'ticket.closed')]));
    expect(await runDispatcher(deps)).toMatchObject({ dispatched: 1, created: 0, dead: 1 });
    expect(receiver.at('/gone')).toHaveLength(0);
    expect((await deliveryOf(`webhook:${sub.id}`))[0]!.last_error).toBe('webhook subscription deactivated');
    const list = await t.app.inject({ url: '/api/v1/webhooks', headers: asAdmin });
    expect(list.json<{ id: string; active: boolean }[]>().find((w) => w.id === sub.id)?.active).toBe(false);
  });

  it('runs on an interval and stops only after the running pass has finished', async () => {
    const sub = await subscribe('/interval', ['ticket.contact']);
    receiver.delayMs = 300;
    await inTransaction(t.database.db, (trx) => enqueue(trx, [huangpuTicket('C-TICK', 'ticket.contact')]));
    const log = { info: () => {}, error: () => {} };
    const stop = startDispatcher({ ...deps, log }, { everyMs: 20 });
    while (receiver.at('/interval').length === 0) await new Promise((r) => setTimeout(r, 10));
    // The receiver is still answering: stop must wait for the pass to record the delivery.
    await stop();
    expect((await deliveryOf(`webhook:${sub.id}`))[0]!.state).toBe('delivered');
    await inTransaction(t.database.db, (trx) => enqueue(trx, [huangpuTicket('C-AFTER', 'ticket.contact')]));
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.at('/interval')).toHaveLength(1);
  });

  const countSubscriptions = async () =>
    (await t.database.db.selectFrom('webhook_subscriptions').select('id').execute()).length;

  it('is for system administrators only', async () => {
    const before = await countSubscriptions();
    await createAccount(
      t.database.db,
      {
        username: 'auditor.notify',
        displayName: '审计员',
        role: 'auditor',
        unitCode: '310000',
        staffNo: null,
        password: 'Correct-horse-42',
      },
      clock,
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'auditor.notify', password: 'Correct-horse-42' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.headers['set-cookie'] as string | string[];
    const session = { cookie: (Array.isArray(cookie) ? cookie[0]! : cookie).split(';')[0]! };
    const calls = [
      { method: 'POST' as const, url: '/api/v1/webhooks', payload: { url: 'http://x.test/', topics: ['*'] } },
      { method: 'GET' as const, url: '/api/v1/webhooks' },
      { method: 'DELETE' as const, url: '/api/v1/webhooks/wh_0123456789abcdef' },
      { method: 'GET' as const, url: '/api/v1/deliveries' },
      { method: 'POST' as const, url: '/api/v1/deliveries/1/replay' },
      { method: 'POST' as const, url: '/api/v1/deliveries/replay-dead' },
    ];
    for (const c of calls) {
      expect((await t.app.inject({ ...c, headers: { authorization: keyAuth } })).statusCode, c.url).toBe(403);
      expect((await t.app.inject(c)).statusCode, c.url).toBe(401);
      if (c.method === 'GET') expect((await t.app.inject({ ...c, headers: session })).statusCode).toBe(403);
    }
    expect(await countSubscriptions()).toBe(before);
  });

  it('refuses bad input with 400 or 422 naming the field', async () => {
    const before = await countSubscriptions();
    const post = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: asAdmin, payload });
    const cases: [object, number, string][] = [
      [{ url: 'ftp://x.test/', topics: ['*'] }, 400, 'body.url'],
      [{ url: 'http://x.test/', topics: [] }, 400, 'body.topics'],
      [{ url: 'http://x.test/', topics: ['Ticket Opened'] }, 400, 'body.topics.0'],
      [{ url: 'http://x.test/', topics: ['*'], secret: 'mine' }, 400, 'body.secret'],
      [{ topics: ['*'] }, 400, 'body.url'],
      [{ url: 'http://x.test/', topics: ['ticket.*', 'sms.*'] }, 422, 'topics.1'],
      [{ url: 'http://x.test/', topics: ['*'], unitCode: 'NOSUCHUNIT' }, 422, 'unitCode'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().details.field, JSON.stringify(payload)).toBe(field);
    }
    const gets: [string, string, number, string][] = [
      ['GET', '/api/v1/deliveries?state=lost', 400, 'querystring.state'],
      ['GET', '/api/v1/deliveries?limit=0', 400, 'querystring.limit'],
      ['GET', '/api/v1/deliveries?cursor=nonsense', 400, 'cursor'],
      ['POST', '/api/v1/deliveries/replay-dead?target=fax', 400, 'querystring.target'],
      ['POST', '/api/v1/deliveries/abc/replay', 400, 'params.id'],
      ['DELETE', '/api/v1/webhooks/not-an-id', 400, 'params.id'],
    ];
    for (const [method, url, status, field] of gets) {
      const res = await t.app.inject({ method: method as 'GET', url, headers: asAdmin });
      expect(res.statusCode, url).toBe(status);
      expect(res.json().details.field, url).toBe(field);
    }
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deliveries/999999/replay',
      headers: asAdmin,
    });
    expect(missing.statusCode).toBe(404);
    expect(await countSubscriptions()).toBe(before);
  });
});
