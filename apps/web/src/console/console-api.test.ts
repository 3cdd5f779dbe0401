import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditCsvUrl, identityApi, oidcLoginUrl, setCsrfToken, whenUnauthorized } from './console-api';

/** Replaces fetch with one answering `status`, recording each request. */
function fakeFetch(status: number, body: unknown = {}) {
  const calls: { url: string; method: string; headers: Headers }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers) });
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return calls;
}

describe('the console API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(undefined);
    whenUnauthorized(() => {});
  });

  it('sends the session CSRF token on state-changing calls only', async () => {
    const calls = fakeFetch(204);
    setCsrfToken('csrf-123');
    await identityApi.revokeApiKey('abcdefabcdef');
    await identityApi.disableAccount('7');
    await identityApi.apiKeys().catch(() => undefined);
    expect(calls.map((c) => [c.method, c.headers.get('x-csrf-token')])).toEqual([
      ['DELETE', 'csrf-123'],
      ['POST', 'csrf-123'],
      ['GET', null],
    ]);
  });

  it('reports a lost session (401) except where 401 is the answer itself', async () => {
    const lost = vi.fn();
    whenUnauthorized(lost);
    fakeFetch(401, { code: 'UNAUTHENTICATED', message: '未登录' });
    await expect(identityApi.me()).rejects.toMatchObject({ status: 401 });
    await expect(identityApi.login({ username: 'a.b', password: 'x' })).rejects.toMatchObject({
      status: 401,
    });
    expect(lost).not.toHaveBeenCalled();
    await expect(identityApi.apiKeys()).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('builds the CSV and single sign-on links', () => {
    expect(auditCsvUrl({ action: 'auth.login', actorId: '', from: '2026-01-01T00:00:00.000Z' })).toBe(
      '/api/v1/audit-log.csv?action=auth.login&from=2026-01-01T00%3A00%3A00.000Z',
    );
    expect(auditCsvUrl({})).toBe('/api/v1/audit-log.csv');
    expect(oidcLoginUrl('/console/api-keys?x=1')).toBe(
      '/api/v1/auth/oidc/login?returnTo=%2Fconsole%2Fapi-keys%3Fx%3D1',
    );
  });
});
