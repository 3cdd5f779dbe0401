import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_PER_MINUTE } from '../src/http/hardening';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';

describe('hardening: headers, rate limits, CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      hardening: { rateLimit: { perIp: 5, perCaller: 8 }, corsOrigins: ['https://portal.example.gov.cn'] },
    });
  });
  afterAll(() => t.close());

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('limits anonymous callers per IP and key holders per key, with the usual error body', async () => {
    const anon = async (ip: string) =>
      (await t.app.inject({ url: '/api/v1/channels', remoteAddress: ip })).statusCode;
    const a = [];
    for (let i = 0; i < 6; i += 1) a.push(await anon('10.9.9.1'));
    expect(a).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await anon('10.9.9.2')).toBe(200);
    const limited = await t.app.inject({
      url: '/api/v1/channels',
      remoteAddress: '10.9.9.1',
      headers: { 'accept-language': 'en' },
    });
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 5 } });
    expect(limited.json().message).toMatch(/too many requests/);
    // The same address with a key counts against the key, not the address.
    const keyed = [];
    for (let i = 0; i < 9; i += 1) {
      keyed.push(
        (await t.app.inject({ url: '/api/v1/channels', remoteAddress: '10.9.9.1', headers: asAdmin }))
          .statusCode,
      );
    }
    expect(keyed).toEqual([...Array(8).fill(200), 429]);
  });

  it(`limits sign-in attempts to ${LOGIN_PER_MINUTE} a minute per IP`, async () => {
    const codes = [];
    for (let i = 0; i < LOGIN_PER_MINUTE + 1; i += 1) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.9.9.3',
        payload: { username: 'nobody', password: 'Wrong-pass-1' },
      });
      codes.push(res.statusCode);
    }
    expect(codes.at(-1)).toBe(429);
    expect(codes.slice(0, LOGIN_PER_MINUTE).every((c) => c === 401)).toBe(true);
  });

  it('allows only configured origins', async () => {
    const ok = await t.app.inject({
      url: '/healthz',
      remoteAddress: '10.9.9.4',
      headers: { origin: 'https://portal.example.gov.cn' },
    });
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn');
    const other = await t.app.inject({
      url: '/healthz',
      remoteAddress: '10.9.9.5',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
