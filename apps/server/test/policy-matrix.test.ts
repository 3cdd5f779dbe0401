import { KEY_OPERATIONS } from '@hcp/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowed, POLICIES, type Principal, policyKey } from '../src/http/policy';
import { findCounter, makeCase, pushCase } from './helpers/intake-fixtures';
import { type SessionHeaders, signIn } from './helpers/sessions';
import { ADMIN_KEY, asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const clock = new Date('2026-03-02T02:00:00Z');

/** Routes registered only when configured (OIDC), so absent from a default app. */
const CONDITIONAL = new Set(['GET /api/v1/auth/oidc/login', 'GET /api/v1/auth/oidc/callback']);
/** Server-sent event streams never end: only refusals are checked on them. */
const STREAMS = new Set(['GET /api/v1/pads/me/stream', 'GET /api/v1/windows/:windowNo/events']);

const PARAMS: Record<string, string> = {
  id: '999999',
  key: 'NO-SUCH-KEY',
  code: '310101',
  caseNo: 'NO-SUCH-CASE',
  token: 'rt_no-such-token-0000000000000000',
  format: 'svg',
  windowNo: 'NO-SUCH-WINDOW',
  padId: 'no-such-pad',
  unitCode: '310101',
  word: 'no-such-word',
  attachmentId: '1',
};

interface Caller {
  name: string;
  principals: Principal[];
  headers: Record<string, string>;
}

describe(`every route × every kind of caller matches the policy table (${dbKind})`, () => {
  let t: TestApp;
  const callers: Caller[] = [];

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => clock });
    callers.push({ name: 'anonymous', principals: ['anyone'], headers: {} });
    const counter = await findCounter(t);
    for (const role of ['staff', 'unit_admin', 'supervisor', 'auditor', 'sysadmin'] as const) {
      const s: SessionHeaders = await signIn(
        t,
        {
          username: `matrix.${role}`,
          role,
          unitCode: role === 'sysadmin' ? null : role === 'staff' ? counter.unitCode : '310101',
          staffNo: role === 'staff' ? counter.staffNo : null,
        },
        clock,
      );
      callers.push({ name: `${role} account`, principals: ['anyone', 'account', role], headers: s });
    }
    callers.push({ name: 'bootstrap key', principals: ['anyone', 'sysadmin'], headers: asAdmin });
    // A key with every operation, but for another district: allowed by the table, scoped by the route.
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: asAdmin,
      payload: { name: '徐汇区系统', channels: ['app'], operations: [...KEY_OPERATIONS], unitCode: '310104' },
    });
    expect(key.statusCode, key.body).toBe(201);
    callers.push({
      name: 'key of another district',
      principals: ['anyone', 'key', ...KEY_OPERATIONS.map((op) => `op:${op}` as Principal)],
      headers: { authorization: `Bearer ${key.json().key}` },
    });
    const c = makeCase(counter, clock);
    await pushCase(t, c);
    const token = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.caseNo}/rating-tokens`,
      headers: asAdmin,
      payload: {},
    });
    callers.push({
      name: 'rating token',
      principals: ['anyone', 'token'],
      headers: { authorization: `Bearer ${token.json().token}` },
    });
    const pad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/windows/${counter.windowNo}/pads`,
      headers: asAdmin,
      payload: {},
    });
    const paired = await t.app.inject({
      method: 'POST',
      url: '/api/v1/pads/pair',
      payload: { pairingCode: pad.json().pairingCode },
    });
    callers.push({
      name: 'window pad',
      principals: ['anyone', 'pad'],
      headers: { authorization: `Bearer ${paired.json().padToken}` },
    });
  });
  afterAll(() => t.close());

  it('has an entry for every API route and no entry for a route that does not exist', () => {
    // Registration throws for a route without an entry (installPolicies), so the app starting at all
    // proves the first half; the second half keeps the table honest.
    for (const entry of Object.keys(POLICIES)) {
      if (CONDITIONAL.has(entry)) continue;
      const [method, url] = entry.split(' ') as [string, string];
      expect(t.app.hasRoute({ method: method as 'GET', url }), entry).toBe(true);
    }
    expect(ADMIN_KEY).toBeTruthy();
  });

  it('answers every caller as the table says: allowed ones pass the gate, others get 401 or 403', async () => {
    // Logging out ends the session the later calls use, so those routes go last.
    const entries = Object.entries(POLICIES)
      .filter(([k]) => !CONDITIONAL.has(k))
      .sort(([a], [b]) => Number(a.includes('/logout')) - Number(b.includes('/logout')));
    let checked = 0;
    const wrong: string[] = [];
    for (const [entry, policy] of entries) {
      const [method, pattern] = entry.split(' ') as [string, string];
      const url = pattern.replace(/:([A-Za-z]+)/g, (_, p: string) => PARAMS[p] ?? 'x');
      for (const caller of callers) {
        const ok = allowed(policy, caller.principals);
        if (ok && STREAMS.has(entry)) continue;
        const res = await t.app.inject({
          method: method as 'GET',
          url,
          headers: caller.headers,
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        const what = `${caller.name} → ${policyKey(method, pattern)}: ${res.statusCode} ${res.body.slice(0, 200)}`;
        const good = ok
          ? res.statusCode !== 401 && res.statusCode !== 403
          : res.statusCode === (caller.principals.length === 1 ? 401 : 403);
        if (!good) wrong.push(`${ok ? 'allowed' : 'denied'}: ${what}`);
        checked += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(Object.keys(POLICIES).length * 8);
  });
});
