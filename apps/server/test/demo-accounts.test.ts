import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../src/seed/demo-accounts';
import { createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

describe(`demo accounts of a fresh embedded demo (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05 });
  });
  afterAll(() => t.close());

  it('creates one account per role that signs in with the printed password, kept in a private file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hcp-demo-'));
    const demo = await seedDemoAccounts(t.database.db, dir, new Date());
    expect(demo.usernames).toEqual(['admin', 'supervisor', 'pudong.admin', 'auditor']);
    expect(statSync(demo.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(demo.file, 'utf8')).toContain(demo.password);
    for (const username of demo.usernames) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: demo.password },
      });
      expect(res.statusCode, username).toBe(200);
    }
    const me = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'pudong.admin', password: demo.password },
    });
    expect(me.json().account).toMatchObject({ role: 'unit_admin', unitCode: '310115' });
  });
});
