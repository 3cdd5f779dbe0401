import type { RoleId } from '@hcp/domain';
import { createAccount } from '../../src/identity/accounts';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'Correct-horse-42';

/** Headers of a signed-in session: the cookie and the CSRF token every write needs. */
export interface SessionHeaders {
  cookie: string;
  'x-csrf-token': string;
  [header: string]: string;
}

/** Creates an account with a role over a unit subtree and signs it in. */
export async function signIn(
  t: TestApp,
  a: { username: string; role: RoleId; unitCode: string | null; staffNo?: string | null },
  now: Date,
): Promise<SessionHeaders> {
  await createAccount(
    t.database.db,
    {
      username: a.username,
      displayName: a.username,
      role: a.role,
      unitCode: a.unitCode,
      staffNo: a.staffNo ?? null,
      password: TEST_PASSWORD,
    },
    now,
  );
  return logIn(t, a.username);
}

/** Signs an existing account in again (sessions end after 30 idle minutes of the test clock). */
export async function logIn(t: TestApp, username: string): Promise<SessionHeaders> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: TEST_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hcp_session')!;
  return { cookie: `hcp_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
}
