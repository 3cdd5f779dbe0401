import { base32Decode, hotp, totpStep } from '@hcp/domain/totp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/identity/accounts';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const PASSWORD = 'Correct-horse-42';
let clock = new Date('2026-03-02T02:00:00Z');
const later = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

describe(`accounts, sessions and the audit log (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock });
    await createAccount(
      t.database.db,
      {
        username: 'huangpu.admin',
        displayName: '黄浦管理员',
        role: 'unit_admin',
        unitCode: '310101',
        staffNo: null,
        password: PASSWORD,
      },
      clock,
    );
    await createAccount(
      t.database.db,
      {
        username: 'xuhui.admin',
        displayName: '徐汇管理员',
        role: 'unit_admin',
        unitCode: '310104',
        staffNo: null,
        password: PASSWORD,
      },
      clock,
    );
    await createAccount(
      t.database.db,
      {
        username: 'auditor',
        displayName: '审计员',
        role: 'auditor',
        unitCode: '310000',
        staffNo: null,
        password: PASSWORD,
      },
      clock,
    );
  });
  afterAll(() => t.close());

  const login = (username: string, password = PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const session = async (username: string) => {
    const res = await login(username);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'hcp_session')!;
    return { cookie: `hcp_session=${cookie.value}`, csrf: res.json().csrfToken as string, raw: cookie };
  };
  const accountId = async (username: string) =>
    String(
      (
        await t.database.db
          .selectFrom('accounts')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).id,
    );

  it('signs in with a secure session cookie and answers who is signed in', async () => {
    const s = await session('huangpu.admin');
    expect(s.raw).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.json()).toMatchObject({
      account: { username: 'huangpu.admin', role: 'unit_admin', unitCode: '310101' },
      csrfToken: s.csrf,
    });
    const stored = JSON.stringify(await t.database.db.selectFrom('sessions').selectAll().execute());
    expect(stored).not.toContain(s.cookie.split('=')[1]);
    const hash = (
      await t.database.db
        .selectFrom('accounts')
        .select('password_hash')
        .where('username', '=', 'huangpu.admin')
        .executeTakeFirstOrThrow()
    ).password_hash;
    expect(hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const s = await session('huangpu.admin');
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().details.reason).toBe('CSRF');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(
      401,
    );
  });

  it('ends a session after 30 idle minutes', async () => {
    const s = await session('xuhui.admin');
    later(29 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(
      200,
    );
    later(29 * 60_000); // activity above moved last-seen forward
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(
      200,
    );
    later(31 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(
      401,
    );
  });

  it('locks an account after five failures with a growing backoff, the same answer for unknown users', async () => {
    await createAccount(
      t.database.db,
      {
        username: 'victim',
        displayName: 'V',
        role: 'unit_admin',
        unitCode: '310101',
        staffNo: null,
        password: PASSWORD,
      },
      clock,
    );
    const unknown = await login('nobody-here', 'whatever-123');
    for (let i = 0; i < 5; i += 1) {
      const r = await login('victim', 'Wrong-password-1');
      expect(r.statusCode).toBe(401);
      expect(r.json().message).toBe(unknown.json().message);
    }
    const locked = await login('victim');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(60);
    later(61_000);
    expect((await login('victim', 'Wrong-password-1')).statusCode).toBe(401);
    const again = await login('victim');
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBe(120);
    later(121_000);
    expect((await login('victim')).statusCode).toBe(200);
  });

  it('lets a unit admin reset passwords only inside its subtree (404 outside)', async () => {
    const s = await session('huangpu.admin');
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const outside = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${await accountId('xuhui.admin')}/password`,
      headers,
      payload: { password: 'New-password-99' },
    });
    expect(outside.statusCode).toBe(404);
    const weak = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${await accountId('victim')}/password`,
      headers,
      payload: { password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const inside = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${await accountId('victim')}/password`,
      headers,
      payload: { password: 'New-password-99' },
    });
    expect(inside.statusCode).toBe(204);
    expect((await login('victim', 'New-password-99')).statusCode).toBe(200);
  });

  it('creates accounts only as a system administrator, and records every change in the audit log', async () => {
    const s = await session('huangpu.admin');
    const body = {
      username: 'new.staff',
      displayName: '新人',
      role: 'unit_admin',
      unitCode: '310101',
      password: 'Good-password-1',
    };
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: asAdmin,
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('password');
    const a = await session('auditor');
    const log = await t.app.inject({
      url: '/api/v1/audit-log?action=account.create',
      headers: { cookie: a.cookie },
    });
    expect(log.statusCode).toBe(200);
    const entry = log.json().items.find((e: { target_id: string }) => e.target_id === created.json().id);
    expect(entry).toMatchObject({
      actor_kind: 'system',
      actor_id: 'bootstrap-admin',
      role: 'sysadmin',
      via: 'key',
      action: 'account.create',
    });
    expect(JSON.stringify(entry)).not.toContain('Good-password-1');
    const actions = log.json().items.map((e: { action: string }) => e.action);
    expect(new Set(actions)).toEqual(new Set(['account.create']));
    const all = await t.app.inject({ url: '/api/v1/audit-log?limit=500', headers: { cookie: a.cookie } });
    const kinds = new Set(all.json().items.map((e: { action: string }) => e.action));
    for (const k of [
      'auth.login',
      'auth.login_failed',
      'auth.login_locked',
      'auth.logout',
      'account.password_reset',
    ])
      expect(kinds).toContain(k);
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: asAdmin,
      payload: { ...body, username: 'plain.staff', role: 'supervisor', password: PASSWORD },
    });
    const sv = await session(staff.json().username);
    expect(
      (await t.app.inject({ url: '/api/v1/audit-log', headers: { cookie: sv.cookie } })).statusCode,
    ).toBe(403);
  });

  it('adds a TOTP second factor: enrol, then codes required, never accepted twice, reset by an admin', async () => {
    await createAccount(
      t.database.db,
      {
        username: 'two.factor',
        displayName: 'TF',
        role: 'unit_admin',
        unitCode: '310101',
        staffNo: null,
        password: PASSWORD,
      },
      clock,
    );
    const s = await session('two.factor');
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri } = setup.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toContain(`secret=${secret}`);
    const code = () => hotp(base32Decode(secret), totpStep(clock));
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/enable',
      headers,
      payload: { code: code() === '000000' ? '111111' : '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/totp/enable',
          headers,
          payload: { code: code() },
        })
      ).statusCode,
    ).toBe(204);

    const noCode = await login('two.factor');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().details).toMatchObject({ field: 'otp', reason: 'OTP_REQUIRED' });
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'two.factor', password: PASSWORD, otp: code() },
    });
    expect(replay.statusCode).toBe(401); // the enrolment already used this step's code
    later(30_000);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'two.factor', password: PASSWORD, otp: code() },
    });
    expect(ok.statusCode).toBe(200);
    const stored = await t.database.db
      .selectFrom('accounts')
      .select('totp_secret_enc')
      .where('username', '=', 'two.factor')
      .executeTakeFirstOrThrow();
    expect(stored.totp_secret_enc).not.toContain(secret);

    const reset = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${await accountId('two.factor')}/totp`,
      headers: asAdmin,
    });
    expect(reset.statusCode).toBe(204);
    expect((await login('two.factor')).statusCode).toBe(200);
  });

  it('lists accounts: everything for a sysadmin, the own subtree for a unit admin, with search and paging', async () => {
    const all = await t.app.inject({ url: '/api/v1/accounts?limit=500', headers: asAdmin });
    expect(all.statusCode).toBe(200);
    const names = all.json().items.map((a: { username: string }) => a.username);
    expect(names).toEqual(expect.arrayContaining(['huangpu.admin', 'xuhui.admin', 'auditor']));
    expect(names).toEqual([...names].sort());
    expect(JSON.stringify(all.json())).not.toMatch(/argon2|password_hash/);
    const s = await session('huangpu.admin');
    const mine = await t.app.inject({ url: '/api/v1/accounts?limit=500', headers: { cookie: s.cookie } });
    const units = new Set(mine.json().items.map((a: { unitCode: string }) => a.unitCode));
    expect(mine.json().items.map((a: { username: string }) => a.username)).toContain('huangpu.admin');
    expect([...units].every((u) => String(u).startsWith('310101'))).toBe(true);
    const first = await t.app.inject({ url: '/api/v1/accounts?limit=1&q=admin', headers: asAdmin });
    expect(first.json().items).toHaveLength(1);
    const next = await t.app.inject({
      url: `/api/v1/accounts?limit=1&q=admin&cursor=${first.json().nextCursor}`,
      headers: asAdmin,
    });
    expect(next.json().items[0].username > first.json().items[0].username).toBe(true);
    const a = await session('auditor');
    expect((await t.app.inject({ url: '/api/v1/accounts', headers: { cookie: a.cookie } })).statusCode).toBe(
      403,
    );
  });

  it('disables an account at once (sessions end, no sign-in), and enables it again, inside the subtree only', async () => {
    await createAccount(
      t.database.db,
      {
        username: 'leaver',
        displayName: 'L',
        role: 'unit_admin',
        unitCode: '310101',
        staffNo: null,
        password: PASSWORD,
      },
      clock,
    );
    const leaver = await session('leaver');
    const s = await session('huangpu.admin');
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const post = (url: string, h: Record<string, string> = headers) =>
      t.app.inject({ method: 'POST', url, headers: h });
    const id = await accountId('leaver');
    expect((await post(`/api/v1/accounts/${await accountId('xuhui.admin')}/disable`)).statusCode).toBe(404);
    expect((await post(`/api/v1/accounts/${await accountId('huangpu.admin')}/disable`)).statusCode).toBe(422);
    expect((await post(`/api/v1/accounts/${id}/disable`)).statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: leaver.cookie } })).statusCode,
    ).toBe(401);
    const refused = await login('leaver');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toBe((await login('nobody-here', 'whatever-123')).json().message);
    const listed = await t.app.inject({ url: '/api/v1/accounts?q=leaver', headers: asAdmin });
    expect(listed.json().items[0]).toMatchObject({ username: 'leaver', disabled: true });
    expect((await post(`/api/v1/accounts/${id}/enable`)).statusCode).toBe(204);
    expect((await login('leaver')).statusCode).toBe(200);
    const log = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .where('action', 'like', 'account.%')
      .orderBy('id')
      .execute();
    expect(log.map((l) => l.action)).toEqual(['account.disable', 'account.enable']);
  });

  it('shows a unit admin only the audit entries of its subtree, and exports the log as CSV', async () => {
    await session('xuhui.admin');
    const s = await session('huangpu.admin');
    const mine = await t.app.inject({ url: '/api/v1/audit-log?limit=500', headers: { cookie: s.cookie } });
    expect(mine.statusCode).toBe(200);
    const huangpu = await accountId('huangpu.admin');
    const xuhui = await accountId('xuhui.admin');
    const ids = mine
      .json()
      .items.flatMap((e: { actor_id: string; target_id: string }) => [e.actor_id, e.target_id]);
    expect(ids).toContain(huangpu);
    expect(ids).not.toContain(xuhui);
    const everything = await t.app.inject({ url: '/api/v1/audit-log?limit=500', headers: asAdmin });
    expect(everything.json().items.length).toBeGreaterThan(mine.json().items.length);

    const csv = await t.app.inject({
      url: `/api/v1/audit-log.csv?action=auth.login&actorId=${huangpu}`,
      headers: asAdmin,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-log-/);
    const lines = csv.body.trim().split('\r\n');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(lines[0]!.replace(/^\uFEFF/, '')).toBe(
      'id,at,actor_kind,actor_id,role,via,ip,action,target_type,target_id,before,after,request_id',
    );
    expect(lines.length).toBeGreaterThan(1);
    expect(
      lines.slice(1).every((l) => l.includes(',auth.login,account,') && l.includes(`,${huangpu},`)),
    ).toBe(true);
    // Anonymous failures are recorded with actor '-': a spreadsheet must not read a cell as a formula.
    const failed = await t.app.inject({
      url: '/api/v1/audit-log.csv?action=auth.login_failed',
      headers: asAdmin,
    });
    expect(failed.body).toContain(",anonymous,'-,");
    const future = await t.app.inject({
      url: '/api/v1/audit-log.csv?from=2099-01-01T00:00:00Z',
      headers: asAdmin,
    });
    expect(future.body.trim().split('\r\n')).toHaveLength(1);
    const scoped = await t.app.inject({ url: '/api/v1/audit-log.csv', headers: { cookie: s.cookie } });
    expect(scoped.body.trim().split('\r\n').length).toBe(
      (await t.app.inject({ url: '/api/v1/audit-log?limit=500', headers: { cookie: s.cookie } })).json().items
        .length + 1,
    );
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });
});
