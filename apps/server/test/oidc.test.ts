import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@hcp/db';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createAccount } from '../src/identity/accounts';
import { safeReturnTo } from '../src/identity/oidc';
import { asAdmin, createTestApp, TEST_SECRET } from './helpers/test-app';
import { createTestDatabase, dbKind } from './helpers/test-db';

const PUBLIC_URL = 'http://hcp.test';
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;
const CLIENT = { id: 'hcp-console', secret: 'client-secret-for-tests-0123456789' };
/** Subjects the test provider knows, with the username claim each one carries. */
const PEOPLE: Record<string, string | undefined> = {
  'sub-zhang': 'Zhang.SAN', // mapped case-insensitively to the account zhang.san
  'sub-ghost': 'nobody.here',
  'sub-leaver': 'leaver',
  'sub-anonymous': undefined,
};

/**
 * A real OpenID provider on a loopback port, with its development login and consent pages. By
 * default (as many providers do) the profile claims come from userinfo, not in the ID token.
 */
async function startProvider(
  extra: Record<string, unknown> = {},
): Promise<{ issuer: string; server: Server; paths: string[] }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['preferred_username'] },
    findAccount: (_ctx: unknown, sub: string) =>
      sub in PEOPLE
        ? {
            accountId: sub,
            claims: () => (PEOPLE[sub] ? { sub, preferred_username: PEOPLE[sub] } : { sub }),
          }
        : undefined,
    cookies: { keys: ['provider-cookie-key-for-tests-0123'] },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: true } },
    ...extra,
  });
  const paths: string[] = [];
  const handle = provider.callback();
  server.on('request', (req, res) => {
    paths.push(new URL(req.url ?? '/', issuer).pathname);
    handle(req, res);
  });
  return { issuer, server, paths };
}

/** fetch with a cookie jar, no automatic redirects. */
function browser() {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as object), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  };
}

/**
 * Plays the person at the provider: from the authorization URL through the login and consent
 * pages, posting the forms as the browser would, until the provider sends them back to us.
 */
async function signInAtProvider(authorizationUrl: string, subject: string): Promise<URL> {
  const go = browser();
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop += 1) {
    if (url.startsWith(CALLBACK)) return new URL(url);
    const res = await go(url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    expect(res.status, html).toBe(200);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const form = new URLSearchParams(
      prompt === 'login' ? { prompt, login: subject, password: 'any' } : { prompt: prompt ?? '' },
    );
    const posted = await go(url, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(303);
    url = new URL(posted.headers.get('location')!, url).href;
  }
  throw new Error('the provider never sent the browser back');
}

describe(`single sign-on with OpenID Connect (${dbKind})`, () => {
  let provider: Server;
  let providerPaths: string[];
  let database: Database;
  let app: FastifyInstance;
  /** Our server, configured for the provider at `issuer`. */
  const hcpFor = (issuer: string) =>
    buildApp({
      config: {
        ...loadConfig({
          HCP_OIDC_ISSUER: issuer,
          HCP_OIDC_CLIENT_ID: CLIENT.id,
          HCP_OIDC_CLIENT_SECRET: CLIENT.secret,
        }),
        adminKey: asAdmin.authorization.slice(7),
        logLevel: 'silent',
        publicUrl: PUBLIC_URL,
      },
      database,
      secret: TEST_SECRET,
      web: false,
    });

  beforeAll(async () => {
    const started = await startProvider();
    provider = started.server;
    providerPaths = started.paths;
    database = await createTestDatabase();
    for (const username of ['zhang.san', 'leaver']) {
      await createAccount(
        database.db,
        {
          username,
          displayName: username,
          role: 'sysadmin',
          unitCode: null,
          staffNo: null,
          password: 'Correct-horse-42',
        },
        new Date(),
      );
    }
    await database.db
      .updateTable('accounts')
      .set({ disabled_at: new Date() })
      .where('username', '=', 'leaver')
      .execute();
    app = await hcpFor(started.issuer);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await new Promise((r) => provider?.close(r));
  });

  /** Starts a sign-in at our server: the provider URL and our sealed-attempt cookie. */
  async function start(returnTo = '/console/api-keys', hcp = app) {
    const res = await hcp.inject({ url: `/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}` });
    expect(res.statusCode, res.body).toBe(302);
    const pending = res.cookies.find((c) => c.name === 'hcp_oidc')!;
    expect(pending).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc/' });
    return { location: new URL(res.headers.location as string), cookie: `hcp_oidc=${pending.value}` };
  }
  const callback = (back: URL, cookie: string, accept = 'application/json', hcp = app) =>
    hcp.inject({ url: `${back.pathname}${back.search}`, headers: { cookie, accept } });
  const auditOf = (action: string) =>
    database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  it('tells the login page that single sign-on is on', async () => {
    expect((await app.inject({ url: '/api/v1/auth/config' })).json()).toEqual({ password: true, oidc: true });
  });

  it('signs an existing account in through the provider, with PKCE, state and nonce, into a normal session', async () => {
    const { location, cookie } = await start();
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe(CALLBACK);
    for (const p of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(p)).toBeTruthy();
    expect(cookie).not.toContain(location.searchParams.get('state')!); // sealed, not readable

    const back = await signInAtProvider(location.href, 'sub-zhang');
    providerPaths.length = 0;
    const res = await callback(back, cookie);
    expect(res.statusCode, res.body).toBe(302);
    // The ID token's signature is checked against the provider's keys; the claim came from userinfo.
    expect(providerPaths).toEqual(['/token', '/jwks', '/me']);
    expect(res.headers.location).toBe('/console/api-keys');
    const session = res.cookies.find((c) => c.name === 'hcp_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(res.cookies.find((c) => c.name === 'hcp_oidc')?.value).toBe('');

    const me = await app.inject({
      url: '/api/v1/auth/me',
      headers: { cookie: `hcp_session=${session.value}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().account.username).toBe('zhang.san');
    const logout = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: `hcp_session=${session.value}`, 'x-csrf-token': me.json().csrfToken },
    });
    expect(logout.statusCode).toBe(204);
    expect((await auditOf('auth.login')).at(-1)).toMatchObject({
      via: 'oidc',
      target_id: me.json().account.id,
    });

    // The code and the attempt are single-use: replaying the same callback gets nothing.
    const replay = await callback(back, cookie);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().details.reason).toBe('OIDC_FAILED');
  });

  it('reads the username from the ID token when the provider puts it there', async () => {
    const other = await startProvider({ conformIdTokenClaims: false });
    const hcp = await hcpFor(other.issuer);
    try {
      const { location, cookie } = await start('/console', hcp);
      const back = await signInAtProvider(location.href, 'sub-zhang');
      other.paths.length = 0;
      const res = await callback(back, cookie, 'application/json', hcp);
      expect(res.statusCode, res.body).toBe(302);
      expect(other.paths).toEqual(['/token', '/jwks']); // no userinfo call needed
    } finally {
      await hcp.close();
      await new Promise((r) => other.server.close(r));
    }
  });

  it('refuses people without an active account, and audits it', async () => {
    const unknown = await start();
    const r1 = await callback(await signInAtProvider(unknown.location.href, 'sub-ghost'), unknown.cookie);
    expect(r1.statusCode).toBe(403);
    expect(r1.json().details.reason).toBe('OIDC_REFUSED');
    expect(r1.cookies.find((c) => c.name === 'hcp_session')).toBeUndefined();

    const disabled = await start();
    const r2 = await callback(
      await signInAtProvider(disabled.location.href, 'sub-leaver'),
      disabled.cookie,
      'text/html,application/xhtml+xml',
    );
    expect(r2.statusCode).toBe(403);
    expect(r2.headers['content-type']).toMatch(/^text\/html/);
    expect(r2.body).toContain('/console/login');

    const none = await start();
    const r3 = await callback(await signInAtProvider(none.location.href, 'sub-anonymous'), none.cookie);
    expect(r3.statusCode).toBe(403);

    const refusals = (await auditOf('auth.oidc_refused')).map((e) => e.after);
    expect(refusals).toEqual([
      expect.objectContaining({ username: 'nobody.here', reason: 'unknown' }),
      expect.objectContaining({ username: 'leaver', reason: 'disabled' }),
      expect.objectContaining({ username: null, reason: 'no_claim' }),
    ]);
  });

  it('refuses a callback whose state does not match the sealed attempt, or without one', async () => {
    const { location, cookie } = await start();
    const back = await signInAtProvider(location.href, 'sub-zhang');
    const forged = new URL(back);
    forged.searchParams.set('state', 'not-the-state');
    const wrong = await callback(forged, cookie);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details.reason).toBe('OIDC_STATE');
    const other = await start(); // another attempt's cookie does not fit this answer
    expect((await callback(back, other.cookie)).statusCode).toBe(400);
    expect((await callback(back, '')).statusCode).toBe(400);
    const tampered = cookie.slice(0, -4) + (cookie.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await callback(back, tampered)).statusCode).toBe(400);
    expect((await callback(back, cookie)).statusCode).toBe(302); // the untouched pair still works
  });

  it('returns only to paths of this site', async () => {
    for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example']) {
      const res = await app.inject({ url: `/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(evil)}` });
      expect(res.statusCode, evil).toBe(400);
      expect(res.json().details.field).toBe('querystring.returnTo');
    }
    expect(safeReturnTo('/console/audit?action=auth.login')).toBe('/console/audit?action=auth.login');
    expect(safeReturnTo(undefined)).toBe('/console');
    expect(safeReturnTo('console')).toBeNull();
  });
});

describe('single sign-on when not configured', () => {
  it('has no OIDC routes, and says so to the login page', async () => {
    const t = await createTestApp();
    try {
      expect((await t.app.inject({ url: '/api/v1/auth/config' })).json()).toEqual({
        password: true,
        oidc: false,
      });
      expect((await t.app.inject({ url: '/api/v1/auth/oidc/login' })).statusCode).toBe(404);
      expect((await t.app.inject({ url: '/api/v1/auth/oidc/callback?code=x&state=y' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('reads the settings from the environment, all or nothing', () => {
    const base = {
      HCP_OIDC_ISSUER: 'https://id.sh.gov.cn/oidc/',
      HCP_OIDC_CLIENT_ID: 'hcp',
      HCP_OIDC_CLIENT_SECRET: 's3cret',
    };
    expect(loadConfig(base).oidc).toEqual({
      issuer: 'https://id.sh.gov.cn/oidc',
      clientId: 'hcp',
      clientSecret: 's3cret',
      redirectUri: undefined,
      usernameClaim: 'preferred_username',
    });
    expect(loadConfig({ ...base, HCP_OIDC_USERNAME_CLAIM: 'employee_no' }).oidc?.usernameClaim).toBe(
      'employee_no',
    );
    expect(() => loadConfig({ HCP_OIDC_ISSUER: 'https://id.sh.gov.cn' })).toThrow(/HCP_OIDC_CLIENT_ID/);
    expect(() => loadConfig({ ...base, HCP_OIDC_ISSUER: 'http://id.sh.gov.cn' })).toThrow(
      /must be an https URL/,
    );
    expect(() => loadConfig({ ...base, HCP_OIDC_CLIENT_SECRET: '' })).toThrow(
      /HCP_OIDC_CLIENT_SECRET=<hidden>/,
    );
    expect(loadConfig({}).oidc).toBeUndefined();
  });
});
