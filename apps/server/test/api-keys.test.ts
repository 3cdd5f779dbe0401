import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/identity/accounts';
import { type Counter, makeCase, pushCase, rate } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

let clock = new Date('2026-03-02T02:00:00Z');

describe(`system API keys (${dbKind})`, () => {
  let t: TestApp;
  let inside: Counter;
  let outside: Counter;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock, sms: { send: async () => {} } });
    const counterUnder = async (prefix: string, not = false): Promise<Counter> => {
      const r = await t.database.db
        .selectFrom('staff')
        .innerJoin('windows', 'windows.no', 'staff.window_no')
        .innerJoin('units', 'units.code', 'windows.unit_code')
        .select(['staff.staff_no', 'windows.no', 'windows.unit_code'])
        .where('units.path', not ? 'not like' : 'like', `${prefix}%`)
        .orderBy('staff.staff_no')
        .limit(1)
        .executeTakeFirstOrThrow();
      const item = await t.database.db.selectFrom('items').select('code').limit(1).executeTakeFirstOrThrow();
      return { unitCode: r.unit_code, windowNo: r.no, staffNo: r.staff_no, itemCode: item.code };
    };
    inside = await counterUnder('310000/310101/');
    outside = await counterUnder('310000/310101/', true);
  });
  afterAll(() => t.close());

  const issue = async (body: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: asAdmin,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; key: string }>();
  };
  const huangpuKey = () =>
    issue({
      name: '黄浦区业务系统',
      channels: ['app'],
      operations: ['cases:write', 'evaluations:write'],
      unitCode: '310101',
    });

  it('shows a key once and stores only its HMAC', async () => {
    const k = await huangpuKey();
    expect(k.key).toMatch(/^hcp_[a-z0-9]{12}_/);
    const stored = JSON.stringify(await t.database.db.selectFrom('api_keys').selectAll().execute());
    expect(stored).not.toContain(k.key.split('_').at(-1));
    const list = await t.app.inject({ url: '/api/v1/api-keys', headers: asAdmin });
    expect(JSON.stringify(list.json())).not.toContain('secret');
  });

  it('acts only inside its unit subtree, on its channels and operations', async () => {
    const { key } = await huangpuKey();
    const auth = `Bearer ${key}`;
    const mine = makeCase(inside, clock);
    const push = (c: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { authorization: auth }, payload: c });
    expect((await push(mine)).statusCode).toBe(201);
    const theirs = makeCase(outside, clock);
    const refused = await push(theirs);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details.field).toBe('unitCode');

    expect(
      (await rate(t, { caseNo: mine.caseNo, round: 1, level: 5, channel: 'app' }, { auth })).statusCode,
    ).toBe(201);
    const other = makeCase(inside, clock);
    await push(other);
    expect(
      (await rate(t, { caseNo: other.caseNo, round: 1, level: 5, channel: 'pc' }, { auth })).statusCode,
    ).toBe(403);
    const foreign = makeCase(outside, clock);
    await pushCase(t, foreign);
    const outsideRating = await rate(
      t,
      { caseNo: foreign.caseNo, round: 1, level: 5, channel: 'app' },
      { auth },
    );
    expect(outsideRating.statusCode).toBe(422);
    expect(outsideRating.json().details.field).toBe('caseNo');
    expect(
      (await t.app.inject({ url: `/api/v1/cases/${foreign.caseNo}`, headers: { authorization: auth } }))
        .statusCode,
    ).toBe(404);

    const token = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${mine.caseNo}/rating-tokens`,
      headers: { authorization: auth },
      payload: {},
    });
    expect(token.statusCode).toBe(403);
    const unit = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/units/310101',
      headers: { authorization: auth },
    });
    expect(unit.statusCode).toBe(403);
  });

  it('rotates with an overlap in which both keys work, then only the new one', async () => {
    const old = await huangpuKey();
    const rot = await t.app.inject({
      method: 'POST',
      url: `/api/v1/api-keys/${old.id}/rotate`,
      headers: asAdmin,
      payload: { overlapHours: 1 },
    });
    expect(rot.statusCode).toBe(201);
    const fresh = rot.json<{ key: string }>();
    const probe = (key: string) =>
      t.app.inject({ url: '/api/v1/cases/NOPE', headers: { authorization: `Bearer ${key}` } });
    expect((await probe(old.key)).statusCode).toBe(404);
    expect((await probe(fresh.key)).statusCode).toBe(404);
    clock = new Date(clock.getTime() + 61 * 60_000);
    expect((await probe(old.key)).statusCode).toBe(401);
    expect((await probe(fresh.key)).statusCode).toBe(404);
    const row = await t.database.db
      .selectFrom('api_keys')
      .select(['last_used_at', 'replaced_by'])
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
    expect(row.replaced_by).not.toBeNull();
  });

  it('stops a revoked key at once and audits issue, rotation and revocation', async () => {
    const k = await huangpuKey();
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${k.id}`, headers: asAdmin }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/v1/cases/NOPE', headers: { authorization: `Bearer ${k.key}` } }))
        .statusCode,
    ).toBe(401);
    const log = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'api_key')
      .execute();
    const actions = new Set(log.map((l) => l.action));
    expect(actions).toEqual(new Set(['api_key.create', 'api_key.rotate', 'api_key.revoke']));
  });

  it('lets a unit admin manage the keys of its own subtree only', async () => {
    await createAccount(
      t.database.db,
      {
        username: 'huangpu.keys',
        displayName: '黄浦密钥管理员',
        role: 'unit_admin',
        unitCode: '310101',
        staffNo: null,
        password: 'Correct-horse-42',
      },
      clock,
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'huangpu.keys', password: 'Correct-horse-42' },
    });
    const cookie = `hcp_session=${login.cookies.find((c) => c.name === 'hcp_session')!.value}`;
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };
    const body = { name: '黄浦区自助终端', channels: ['kiosk'], operations: ['evaluations:write'] };
    const post = (unitCode: string | null) =>
      t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { ...body, unitCode } });
    const own = await post('310101');
    expect(own.statusCode).toBe(201);
    for (const unitCode of ['310104', null]) {
      const r = await post(unitCode);
      expect(r.statusCode).toBe(422);
      expect(r.json().details.field).toBe('unitCode');
    }
    const cityWide = await issue({
      name: '全市',
      channels: ['app'],
      operations: ['cases:write'],
      unitCode: null,
    });
    const xuhui = await issue({
      name: '徐汇',
      channels: ['app'],
      operations: ['cases:write'],
      unitCode: '310104',
    });
    const list = await t.app.inject({ url: '/api/v1/api-keys', headers: { cookie } });
    const ids = list.json().map((k: { id: string }) => k.id);
    expect(ids).toContain(own.json().id);
    expect(ids).not.toContain(cityWide.id);
    expect(ids).not.toContain(xuhui.id);
    for (const k of [cityWide, xuhui]) {
      const rotate = await t.app.inject({
        method: 'POST',
        url: `/api/v1/api-keys/${k.id}/rotate`,
        headers,
        payload: {},
      });
      expect(rotate.statusCode).toBe(404);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${k.id}`, headers })).statusCode,
      ).toBe(404);
    }
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${own.json().id}`, headers }))
        .statusCode,
    ).toBe(204);
  });
});
