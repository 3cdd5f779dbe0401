import type { Unit, UnitInput } from '@hcp/contracts';
import { makeCreditCode } from '@hcp/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

describe(`catalogue writes (${dbKind})`, () => {
  let t: TestApp;
  let street: Unit;
  let otherStreet: Unit;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05 });
    const streets = await t.app.inject({ url: '/api/v1/units?level=street&limit=500' });
    const list = streets.json<{ items: Unit[] }>().items;
    street = list[0]!;
    otherStreet = list.find((s) => s.parentCode !== street.parentCode)!;
  });
  afterAll(() => t.close());

  const put = (path: string, body: unknown, headers: Record<string, string> = asAdmin) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/${path}`, payload: body as object, headers });
  const community = (code: string, over: Partial<UnitInput> = {}): UnitInput => ({
    code,
    name: '测试居民委员会',
    level: 'community',
    kind: 'committee',
    parentCode: street.code,
    creditCode: makeCreditCode(`54${code.slice(0, 6)}MA0${code.slice(-6)}`),
    divisionCode: `${street.divisionCode}${code.slice(-3)}`,
    ...over,
  });

  it('refuses writes without or with a wrong key', async () => {
    expect((await put('units/T1', community('310999000901'), {})).statusCode).toBe(401);
    const wrong = await put('units/T1', community('310999000901'), {
      authorization: 'Bearer wrong-key-wrong-key',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().details).toEqual({ field: 'headers.authorization' });
  });

  it('creates a unit (201), then finds the same write unchanged (200)', async () => {
    const input = community('310999000902');
    const first = await put(`units/${input.code}`, input);
    expect(first.statusCode).toBe(201);
    expect(first.json().path).toBe(`${street.path}${input.code}/`);
    const again = await put(`units/${input.code}`, input);
    expect(again.statusCode).toBe(200);
    const row = await t.database.db
      .selectFrom('units')
      .select(['created_at', 'updated_at'])
      .where('code', '=', input.code)
      .executeTakeFirstOrThrow();
    expect(row.updated_at.getTime()).toBe(row.created_at.getTime());
  });

  it.each([
    ['creditCode', { creditCode: '11310000MB2F0000X1' }],
    ['parentCode', { parentCode: 'NO_SUCH_UNIT' }],
    ['level', { level: 'district' as const, kind: 'government' as const }],
    ['divisionCode', { divisionCode: '440305001001' }],
    ['parentCode', { parentCode: null }],
  ])('refuses a unit whose %s breaks the rules, writing nothing', async (field, over) => {
    const input = community('310999000903', over as Partial<UnitInput>);
    const res = await put(`units/${input.code}`, input);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'UNPROCESSABLE', details: { field } });
    expect((await t.app.inject({ url: `/api/v1/units/${input.code}` })).statusCode).toBe(404);
  });

  it.each([
    ['body.colour', { colour: 'red' }],
    ['body.level', { level: 'planet' }],
    ['body.name', { name: '' }],
  ])('refuses a body with a bad field (%s) with a 400', async (field, over) => {
    const res = await put('units/310999000904', { ...community('310999000904'), ...over });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.field).toBe(field);
  });

  it('refuses a body whose code differs from the path, and malformed JSON', async () => {
    expect((await put('units/OTHER', community('310999000905'))).json().details.field).toBe('body.code');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/units/X',
      payload: '{"code":',
      headers: { ...asAdmin, 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body' } });
  });

  it('moves a unit with its subtree to another parent', async () => {
    const centre = community('310999000906', {
      level: 'street',
      kind: 'service_center',
      parentCode: street.parentCode,
      divisionCode: street.divisionCode,
    });
    expect((await put(`units/${centre.code}`, centre)).statusCode).toBe(201);
    const child = community('310999000907', { parentCode: centre.code });
    expect((await put(`units/${child.code}`, child)).statusCode).toBe(201);

    // The centre moves to another district; its child's path follows in the same transaction.
    const moved = { ...centre, parentCode: otherStreet.parentCode, divisionCode: otherStreet.divisionCode };
    const res = await put(`units/${centre.code}`, moved);
    expect(res.statusCode).toBe(200);
    const newPath = `310000/${otherStreet.parentCode}/${centre.code}/`;
    expect(res.json().path).toBe(newPath);
    const childNow = await t.app.inject({ url: `/api/v1/units/${child.code}` });
    expect(childNow.json().path).toBe(`${newPath}${child.code}/`);
    expect(childNow.json().ancestors.map((a: { code: string }) => a.code)).toEqual([
      '310000',
      otherStreet.parentCode,
      centre.code,
    ]);
  });

  it('refuses to delete a unit that still has children; deletes a leaf', async () => {
    const withChildren = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/units/${street.code}`,
      headers: asAdmin,
    });
    expect(withChildren.statusCode).toBe(422);
    const leaf = community('310999000908');
    await put(`units/${leaf.code}`, leaf);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/units/${leaf.code}`, headers: asAdmin });
    expect(del.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/units/${leaf.code}`, headers: asAdmin }))
        .statusCode,
    ).toBe(404);
  });

  it('writes items strictly: numbers as numbers, promise days only for promised items', async () => {
    const item = {
      code: '11310000TEST000000000000000001',
      baseCode: '000105001000',
      businessCode: null,
      name: '测试事项',
      kind: 'public_service',
      subject: 'both',
      promiseType: 'promised',
      promiseDays: 5,
      unitCode: '310000',
    };
    expect((await put(`items/${item.code}`, { ...item, promiseDays: '5' })).json().details.field).toBe(
      'body.promiseDays',
    );
    expect((await put(`items/${item.code}`, { ...item, promiseDays: null })).json().details.field).toBe(
      'promiseDays',
    );
    expect((await put(`items/${item.code}`, { ...item, unitCode: 'NOPE' })).json().details.field).toBe(
      'unitCode',
    );
    const ok = await put(`items/${item.code}`, item);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: '测试事项', unitName: expect.any(String) });
  });

  it('writes windows and staff with their references checked', async () => {
    const win = { no: 'TEST-W1', name: '1号窗口', hall: '测试大厅', unitCode: street.code };
    expect((await put('windows/TEST-W1', win)).statusCode).toBe(201);
    const staff = { staffNo: 'TEST-S1', name: '张三', unitCode: street.code, windowNo: 'NOPE' };
    expect((await put('staff/TEST-S1', staff)).json().details.field).toBe('windowNo');
    const ok = await put('staff/TEST-S1', { ...staff, windowNo: 'TEST-W1' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().name).toBe('张三');
  });
});

describe(`unit tree integrity (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05 });
  });
  afterAll(() => t.close());

  it('refuses to move a unit under its own descendant', async () => {
    const s = (await t.app.inject({ url: '/api/v1/units?parent=310101&level=street&limit=1' })).json<{
      items: Unit[];
    }>().items[0]!;
    const input = (u: Unit): UnitInput => ({
      code: u.code,
      name: u.name,
      level: u.level,
      kind: u.kind,
      parentCode: u.parentCode,
      creditCode: u.creditCode,
      divisionCode: u.divisionCode,
    });
    // A street-level centre under the street, then the street under its own centre.
    const centre: UnitInput = {
      ...input(s),
      code: 'LOOP-CENTRE',
      kind: 'service_center',
      parentCode: s.code,
      creditCode: null,
    };
    const put = (u: UnitInput) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/units/${u.code}`, headers: asAdmin, payload: u });
    expect((await put(centre)).statusCode).toBe(201);
    const res = await put({ ...input(s), parentCode: 'LOOP-CENTRE' });
    expect(res.statusCode).toBe(422);
    expect(res.json().details).toMatchObject({ field: 'parentCode' });
    expect((await t.app.inject({ url: `/api/v1/units/${s.code}` })).json().path).toBe(s.path);
  });
});
