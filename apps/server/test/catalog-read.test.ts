import type { Unit, UnitDetail } from '@hcp/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const DISTRICTS = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310114',
  '310115',
  '310116',
  '310117',
  '310118',
  '310120',
  '310151',
];

describe(`catalogue reads (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05 });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it('lists the 16 districts of Shanghai with their real division codes', async () => {
    const res = await get('/api/v1/units?level=district');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Unit[]; nextCursor: string | null }>();
    expect(body.items.map((u) => u.code)).toEqual(DISTRICTS);
    expect(body.items.find((u) => u.code === '310115')?.name).toBe('浦东新区');
    expect(body.nextCursor).toBeNull();
  });

  it('pages with a keyset cursor without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await get(`/api/v1/units?level=district&limit=5${q}`);
      const body = res.json<{ items: Unit[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(5);
      seen.push(...body.items.map((u) => u.code));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(DISTRICTS);
  });

  it('filters by parent and by name', async () => {
    const streets = (await get('/api/v1/units?parent=310101')).json<{ items: Unit[] }>().items;
    expect(streets.length).toBeGreaterThan(0);
    expect(streets.every((u) => u.parentCode === '310101' && u.path.startsWith('310000/310101/'))).toBe(true);
    const found = (await get(`/api/v1/units?q=${encodeURIComponent('浦东')}`)).json<{ items: Unit[] }>()
      .items;
    expect(found.map((u) => u.code)).toContain('310115');
  });

  it('returns one unit with its ancestors and children count', async () => {
    const street = (await get('/api/v1/units?parent=310104&level=street&limit=1')).json<{ items: Unit[] }>()
      .items[0]!;
    const res = await get(`/api/v1/units/${street.code}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json<UnitDetail>();
    expect(detail.ancestors.map((a) => a.code)).toEqual(['310000', '310104']);
    const children = (await get(`/api/v1/units?parent=${street.code}&limit=500`)).json<{ items: Unit[] }>()
      .items;
    expect(detail.childrenCount).toBe(children.length);
  });

  it('answers an unknown unit with a 404 body naming it, in the caller language', async () => {
    const zh = await get('/api/v1/units/NOPE', { 'x-request-id': 'req-42' });
    expect(zh.statusCode).toBe(404);
    expect(zh.headers['x-request-id']).toBe('req-42');
    expect(zh.json()).toMatchObject({ code: 'NOT_FOUND', details: { unit: 'NOPE' }, requestId: 'req-42' });
    expect(zh.json().message).toContain('不存在');
    const en = await get('/api/v1/units/NOPE', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().message).toBe('unit NOPE not found');
  });

  it.each([
    ['/api/v1/units?level=galaxy', 'querystring.level'],
    ['/api/v1/units?limit=0', 'querystring.limit'],
    ['/api/v1/units?colour=red', 'querystring.colour'],
    ['/api/v1/units?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['/api/v1/items?kind=bribery', 'querystring.kind'],
  ])('refuses %s with a 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
  });

  it('lists items, windows and staff of a unit subtree', async () => {
    const items = (await get('/api/v1/items?under=310000&limit=3')).json<{ items: { unitName: string }[] }>();
    expect(items.items).toHaveLength(3);
    const windows = (await get('/api/v1/windows?under=310101&limit=500')).json<{
      items: { unitCode: string }[];
    }>();
    expect(windows.items.length).toBeGreaterThan(0);
    const inSubtree = (await get('/api/v1/units?parent=310101&limit=500')).json<{ items: Unit[] }>();
    expect(inSubtree.items.length).toBeGreaterThan(0);
    const missing = await get('/api/v1/items?under=NOPE');
    expect(missing.statusCode).toBe(404);
  });

  it('masks staff names for the public and shows them to administrators', async () => {
    const pub = (await get('/api/v1/staff?limit=5')).json<{ items: { staffNo: string; name: string }[] }>();
    expect(pub.items.length).toBe(5);
    for (const s of pub.items) expect(s.name).toMatch(/^.\*+$/u);
    const admin = (await get('/api/v1/staff?limit=5', asAdmin)).json<{ items: { name: string }[] }>();
    expect(admin.items.some((s) => !s.name.includes('*'))).toBe(true);
    const one = (await get(`/api/v1/staff/${pub.items[0]!.staffNo}`)).json<{ name: string }>();
    expect(one.name).toBe(pub.items[0]!.name);
  });

  it('serves channels with national codes and the rating catalogue in force', async () => {
    const channels = (await get('/api/v1/channels')).json<{ id: string; pf: number }[]>();
    expect(channels).toHaveLength(10);
    expect(channels.find((c) => c.id === 'window_pad')?.pf).toBe(4);
    const catalog = (await get('/api/v1/rating-catalog')).json<{
      version: string;
      indicators: { channelType: string }[];
      reasons: { category: string }[];
    }>();
    expect(catalog.version).toBe('2021.1');
    expect(catalog.indicators.filter((i) => i.channelType === 'offline').length).toBe(4);
    expect(catalog.reasons.filter((r) => r.category === 'staff').length).toBe(6);
  });

  it('reports health and readiness', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).json()).toEqual({ status: 'ready', database: dbKind });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
