import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installWebApp } from '../src/http/static';

describe('web app serving', () => {
  const app = Fastify();
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'hcp-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>好差评</title>');
    writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log(1)');
    await installWebApp(app, root);
  });
  afterAll(() => app.close());

  it('serves index.html uncached at / and for client-side routes', async () => {
    for (const url of ['/', '/catalog/units/310101']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('好差评');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const res = await app.inject({ url: '/assets/app-1a2b.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('keeps unknown API paths and missing files as 404s', async () => {
    const api = await app.inject({ url: '/api/v1/none' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('NOT_FOUND');
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });
});

describe('web app not built', () => {
  it('says how to build it', async () => {
    const app = Fastify();
    await installWebApp(app, join(tmpdir(), 'no-such-dir'));
    const res = await app.inject({ url: '/' });
    expect(res.body).toContain('npm run build');
    await app.close();
  });
});
