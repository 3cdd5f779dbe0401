import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdCursor } from '../src/disclosure/cursor';
import { textGrams } from '../src/disclosure/grams';
import { listPublicEvaluations } from '../src/disclosure/public-evaluations';
import { resolveFilters } from '../src/disclosure/public-query';
import { forgetGramStats, textPlan } from '../src/disclosure/text-plan';
import { publish, rateCase, ticketEvent, ticketFor, xmlProblems } from './helpers/disclosure-fixtures';
import type { Counter } from './helpers/intake-fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

const T0 = new Date('2026-03-02T02:00:00Z');
const AT = new Date(T0.getTime() - 3_600_000);
// Ratings are dated from 2026-02-01 00:00 Shanghai, one every six hours, in id order.
const BASE = Date.parse('2026-02-01T00:00:00+08:00');
const HOUR = 3_600_000;
const CHANNELS = ['pc', 'app', 'window_pad', 'kiosk', 'wechat'] as const;
const LEVELS = [5, 4, 3, 2, 1, 5, 4] as const;

interface Seeded {
  id: string;
  i: number;
  counter: Counter;
  path: string;
  item: string;
  level: number;
  channel: string;
  comment: string | null;
  at: Date;
  ticket: null | { state: string; replied: boolean };
}

describe(`public rating API (${dbKind})`, () => {
  let t: TestApp;
  const seeded: Seeded[] = [];
  let counters: { counter: Counter; path: string }[];
  let items: string[];
  let timelineId: string;
  let street: string;
  let district: string;
  let otherDistrict: string;

  /** A staffed window in the unit with this code. */
  async function counterAt(unitCode: string, itemCode: string) {
    const s = await t.database.db
      .selectFrom('staff')
      .innerJoin('windows', 'windows.no', 'staff.window_no')
      .innerJoin('units', 'units.code', 'windows.unit_code')
      .select(['staff.staff_no', 'windows.no', 'units.path'])
      .where('units.code', '=', unitCode)
      .orderBy('staff.staff_no')
      .limit(1)
      .executeTakeFirstOrThrow();
    return {
      counter: { unitCode, windowNo: s.no, staffNo: s.staff_no, itemCode },
      path: s.path,
    };
  }

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: () => T0, sms: { send: async () => {} } });
    const db = t.database.db;
    items = (await db.selectFrom('items').select('code').orderBy('code').limit(2).execute()).map(
      (r) => r.code,
    );
    // Two communities of one street, a community of another street (same district), one of another district.
    const staffed = await db
      .selectFrom('units')
      .innerJoin('windows', 'windows.unit_code', 'units.code')
      .innerJoin('staff', 'staff.window_no', 'windows.no')
      .select(['units.code', 'units.path'])
      .distinct()
      .orderBy('units.path')
      .execute();
    const segments = (path: string) => path.split('/').filter(Boolean);
    // a, b: two communities of one street; c: elsewhere in the same district; d: another district.
    const a = staffed.find((u) => segments(u.path).length === 4)!;
    const [, districtCode, streetCode] = segments(a.path);
    const b = staffed.find((u) => u !== a && segments(u.path)[2] === streetCode)!;
    const c = staffed.find(
      (u) => segments(u.path)[1] === districtCode && segments(u.path)[2] !== streetCode,
    )!;
    const d = staffed.find((u) => segments(u.path)[1] !== districtCode && segments(u.path).length > 2)!;
    counters = [];
    for (const u of [a, b, c, d]) counters.push(await counterAt(u.code, items[0]!));
    street = streetCode!;
    district = districtCode!;
    otherDistrict = segments(d.path)[1]!;
    const comments: Record<number, string> = {
      0: '窗口服务很热情',
      3: '=SUM(A1) 等了很久',
      5: '100%满意_好',
      7: 'WiFi太慢，窗口服务一般',
      10: '服务很慢',
    };
    let bad = 0;
    const ticketPlan = [
      { state: 'closed', replied: true },
      { state: 'rectifying', replied: true },
      { state: 'pending_reply', replied: false },
    ];
    for (let i = 0; i < 28; i++) {
      const { counter, path } = counters[i % 4]!;
      const item = i % 3 === 0 ? items[1]! : items[0]!;
      const level = LEVELS[i % 7]!;
      const channel = CHANNELS[i % 5]!;
      const comment = comments[i] ?? (level <= 2 ? `不满意 第${i}条` : null);
      const rated = await rateCase(
        t,
        { ...counter, itemCode: item },
        AT,
        { level, channel, ...(comment ? { comment } : {}) },
        { name: `测试${i}` },
      );
      let ticket: Seeded['ticket'] = null;
      if (level <= 2) {
        const plan = ticketPlan[bad++ % ticketPlan.length]!;
        await ticketFor(t, rated.evaluationId, {
          state: plan.state,
          closed_at: plan.state === 'closed' ? T0 : null,
          outcome: plan.state === 'closed' ? 'satisfied' : null,
          replied_at: plan.replied ? T0 : null,
          reply_text: plan.replied ? `已回复第${i}条` : null,
          reply_publication: plan.replied ? 'pending' : null,
        });
        ticket = plan;
      }
      seeded.push({
        id: rated.evaluationId,
        i,
        counter,
        path,
        item,
        level,
        channel,
        comment,
        at: new Date(BASE + i * 6 * HOUR),
        ticket,
      });
    }
    for (const s of seeded) {
      await sql`UPDATE evaluations SET created_at = ${s.at} WHERE id = ${s.id}`.execute(db);
    }
    await publish(t, () => T0);

    // A rating with the whole closed loop, for the timeline.
    const story = await rateCase(t, counters[0]!.counter, AT, { level: 1, comment: '态度差' });
    timelineId = story.evaluationId;
    await sql`UPDATE evaluations SET created_at = ${new Date(BASE + 28 * 6 * HOUR)} WHERE id = ${timelineId}`.execute(
      db,
    );
    const ticketId = await ticketFor(t, story.evaluationId, {
      state: 'closed',
      handling_path: 'fix_now',
      contacted_at: T0,
      replied_at: T0,
      reply_text: '已向您致歉',
      reply_publication: 'pending',
      rectified_at: T0,
      rectify_text: '已加强培训',
      rectify_publication: 'pending',
      revisit_level: 4,
      outcome: 'satisfied',
      closed_at: T0,
    });
    const step = (m: number) => new Date(T0.getTime() + m * 60_000);
    await ticketEvent(t, ticketId, 'contact', 'pending_contact', 'pending_reply', step(1), {
      note: '内部联系记录',
    });
    await ticketEvent(t, ticketId, 'remind', 'pending_reply', 'pending_reply', step(2));
    await ticketEvent(t, ticketId, 'reply', 'pending_reply', 'rectifying', step(3), { text: '已向您致歉' });
    await ticketEvent(t, ticketId, 'rectify', 'rectifying', 'revisiting', step(4), { text: '已加强培训' });
    await ticketEvent(t, ticketId, 'revisit_good', 'revisiting', 'closed', step(5), { level: 4 });
    await publish(t, () => T0);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ url });
  /** Every id a query returns, following nextCursor to the end. */
  async function allIds(query: string, limit = 100): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res = await get(
        `/api/v1/public/evaluations?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      const page = res.json();
      ids.push(...page.items.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('too many pages');
  }
  const seededIds = (pick: (s: Seeded) => boolean) =>
    seeded
      .filter(pick)
      .map((s) => s.id)
      .sort((a, b) => Number(b) - Number(a));
  const onlySeeded = (ids: string[]) => ids.filter((id) => seeded.some((s) => s.id === id));

  it('answers every filter with exactly the matching ratings, newest first', async () => {
    const [a, b, c, d] = counters.map((x) => x.counter);
    const cases: [string, (s: Seeded) => boolean][] = [
      ['', () => true],
      [`unit=${a!.unitCode}`, (s) => s.counter === a],
      [`unit=${street}`, (s) => s.counter === a || s.counter === b],
      [`unit=${district}`, (s) => s.counter !== d],
      [`unit=${otherDistrict}`, (s) => s.counter === d],
      ['unit=310000', () => true],
      [`item=${items[1]}`, (s) => s.item === items[1]],
      [`window=${c!.windowNo}`, (s) => s.counter === c],
      [`staffNo=${b!.staffNo}`, (s) => s.counter === b],
      ['channel=kiosk', (s) => s.channel === 'kiosk'],
      ['level=2', (s) => s.level === 2],
      ['class=bad', (s) => s.level <= 2],
      ['class=good', (s) => s.level >= 3],
      ['from=2026-02-02&to=2026-02-03', (s) => s.i >= 4 && s.i <= 11],
      ['from=2026-02-02T06:00:00%2B08:00&to=2026-02-02T12:00:00', (s) => s.i >= 5 && s.i <= 6],
      ['from=2026-02-05T22:00:00Z', (s) => s.i >= 21],
      ['to=2026-02-01', (s) => s.i <= 3],
      ['from=2030-01-01', () => false],
      ['to=2020-01-01', () => false],
      ['from=2026-02-07T00:00:00%2B08:00&to=2026-02-07T05:59:59.999%2B08:00', (s) => s.i === 24],
      ['replied=true', (s) => s.ticket?.replied === true],
      ['replied=false', (s) => s.ticket?.replied === false],
      ['ticketState=closed', (s) => s.ticket?.state === 'closed'],
      ['ticketState=open', (s) => s.ticket !== null && s.ticket.state !== 'closed'],
      ['ticketState=rectifying', (s) => s.ticket?.state === 'rectifying'],
      ['q=%E7%AA%97%E5%8F%A3%E6%9C%8D%E5%8A%A1', (s) => !!s.comment?.includes('窗口服务')],
      ['q=wifi', (s) => !!s.comment?.includes('WiFi')],
      ['q=%E6%85%A2', (s) => !!s.comment?.includes('慢')],
      ['q=%25', (s) => !!s.comment?.includes('%')],
      ['q=_', (s) => !!s.comment?.includes('_')],
      // Combinations: each with its own index path, the rest as filters.
      [`unit=${district}&class=bad`, (s) => s.counter !== d && s.level <= 2],
      [
        `unit=${street}&item=${items[0]}&channel=pc`,
        (s) => (s.counter === a || s.counter === b) && s.item === items[0] && s.channel === 'pc',
      ],
      [
        `unit=${district}&ticketState=open&from=2026-02-03`,
        (s) => s.counter !== d && s.ticket !== null && s.ticket.state !== 'closed' && s.i >= 8,
      ],
      [`level=5&window=${a!.windowNo}&to=2026-02-06`, (s) => s.level === 5 && s.counter === a && s.i <= 23],
    ];
    for (const [query, pick] of cases) {
      const expected = seededIds(pick);
      expect(onlySeeded(await allIds(query)), query).toEqual(expected);
    }
    // The timeline's rating is the only one outside the seeded set.
    expect(await allIds('')).toContain(timelineId);
  });

  it('answers q the same through the gram index and by scanning, and picks by gram statistics', async () => {
    const queries = ['窗口服务', 'wifi', '服务', '很慢', '不满意', '100%', '满意_好', '没有这句话', '慢'];
    const has = (s: Seeded, q: string) => !!s.comment?.toLowerCase().includes(q.toLowerCase());
    for (const plan of ['index', 'scan'] as const) {
      for (const q of queries) {
        for (const unit of [undefined, district]) {
          const f = await resolveFilters(t.database.db, { q, ...(unit ? { unit } : {}) });
          const page = await listPublicEvaluations(t.database.db, { ...f, textPlan: plan }, 100);
          const expected = seededIds((s) => has(s, q) && (!unit || s.counter !== counters[3]!.counter));
          expect(onlySeeded(page.items.map((e) => e.id)), `${plan} ${q} ${unit}`).toEqual(expected);
        }
      }
    }
    // Before any statistics every query of two or more characters takes the gram index; one
    // character has no gram.
    const db = t.database.db;
    expect(await textPlan(db, textGrams('不满意'))).toBe('index');
    expect(await textPlan(db, textGrams('慢'))).toBe('scan');
    await sql`ANALYZE evaluations`.execute(db);
    forgetGramStats(db);
    // '满意' is in most seeded comments: a bound of a few rows says scan, a large one says index.
    expect(await textPlan(db, textGrams('不满意'), { maxRows: 1 })).toBe('scan');
    expect(await textPlan(db, textGrams('不满意'), { maxRows: 1_000_000 })).toBe('index');
    // A gram that is not listed is bounded by the rarest listed one.
    expect(await textPlan(db, ['龘龘'], { maxRows: 1_000_000 })).toBe('index');
  });

  it('pages by keyset without gaps or repeats, and with filters too', async () => {
    for (const query of ['', `unit=${district}`, 'class=bad', 'q=%E6%85%A2']) {
      const whole = await allIds(query, 100);
      for (const limit of [1, 3, 7]) {
        expect(await allIds(query, limit), `${query} limit ${limit}`).toEqual(whole);
      }
    }
    const first = (await get('/api/v1/public/evaluations?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(encodeIdCursor(first.items[1].id));
    const last = (await get('/api/v1/public/evaluations?limit=100')).json();
    expect(last.nextCursor).toBeNull();
  });

  it('refuses malformed values with 400 naming the field, and unknown things with 404', async () => {
    const field = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      return res.json().details.field;
    };
    const list = '/api/v1/public/evaluations';
    for (const cursor of ['%21%21%21', 'eA', Buffer.from('0012').toString('base64url'), 'MTIz=', 'MTIzx']) {
      expect(await field(`${list}?cursor=${cursor}`)).toBe('querystring.cursor');
    }
    expect(await field(`${list}?level=6`)).toBe('querystring.level');
    expect(await field(`${list}?class=fine`)).toBe('querystring.class');
    expect(await field(`${list}?limit=0`)).toBe('querystring.limit');
    expect(await field(`${list}?limit=101`)).toBe('querystring.limit');
    expect(await field(`${list}?from=2026-02-30`)).toBe('querystring.from');
    expect(await field(`${list}?from=yesterday`)).toBe('querystring.from');
    expect(await field(`${list}?to=2026-02-01T25:00:00`)).toBe('querystring.to');
    expect(await field(`${list}?from=2026-02-03&to=2026-02-01`)).toBe('querystring.to');
    expect(await field(`${list}?replied=maybe`)).toBe('querystring.replied');
    expect(await field(`${list}?ticketState=lost`)).toBe('querystring.ticketState');
    expect(await field(`${list}?channel=fax`)).toBe('querystring.channel');
    expect(await field(`${list}?q=`)).toBe('querystring.q');
    expect(await field(`${list}?q=%20%20`)).toBe('querystring.q');
    expect(await field(`${list}?q=${'长'.repeat(51)}`)).toBe('querystring.q');
    expect(await field(`${list}?unit=a/b`)).toBe('querystring.unit');
    expect(await field(`${list}?sort=id`)).toBe('querystring.sort');
    expect(await field('/api/v1/public/evaluations.csv?limit=5')).toBe('querystring.limit');
    expect(await field('/api/v1/public/evaluations/abc')).toBe('params.id');
    for (const url of [
      `${list}?unit=999999`,
      `${list}?item=NOSUCHITEM`,
      `${list}?window=NOSUCHWINDOW`,
      `${list}?staffNo=NOSUCHSTAFF`,
      '/api/v1/public/evaluations/999999999',
      '/api/v1/public/units/999999/feed.atom',
      '/api/v1/public/evaluations.csv?unit=999999',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
  });

  it('shows one rating with the public steps of its ticket, and only published text', async () => {
    const res = await get(`/api/v1/public/evaluations/${timelineId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    const e = res.json();
    expect(e).toMatchObject({
      id: timelineId,
      level: 1,
      class: 'bad',
      comment: '态度差',
      commentStatus: 'published',
      ticket: {
        state: 'closed',
        replied: true,
        reply: '已向您致歉',
        rectification: '已加强培训',
        revisitLevel: 4,
      },
    });
    expect(e.timeline.map((x: { kind: string }) => x.kind)).toEqual([
      'rated',
      'ticket_opened',
      'contacted',
      'replied',
      'rectified',
      'revisit_offered',
      're_rated',
      'closed',
    ]);
    expect(e.timeline.find((x: { kind: string }) => x.kind === 'replied').text).toBe('已向您致歉');
    expect(e.timeline.find((x: { kind: string }) => x.kind === 'rectified').text).toBe('已加强培训');
    expect(e.timeline.find((x: { kind: string }) => x.kind === 're_rated').level).toBe(4);
    expect(e.timeline[0]).toMatchObject({ kind: 'rated', level: 1, text: null });
    expect(res.body).not.toContain('内部联系记录');

    // A reply still waiting for the publisher is not shown.
    await ticketFor(t, timelineId, { reply_text: '新的回复', reply_publication: 'pending' });
    const pending = (await get(`/api/v1/public/evaluations/${timelineId}`)).json();
    expect(pending.ticket.reply).toBeNull();
    expect(pending.timeline.find((x: { kind: string }) => x.kind === 'replied').text).toBeNull();
    await publish(t, () => T0);
    expect((await get(`/api/v1/public/evaluations/${timelineId}`)).json().ticket.reply).toBe('新的回复');
  });

  it('exports CSV with a BOM, a header and the same rows as the list', async () => {
    const res = await get(`/api/v1/public/evaluations.csv?unit=${district}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body.startsWith('\uFEFFid,createdAt,level,class,channel,isDefault,itemCode,itemName,')).toBe(
      true,
    );
    const rows = parse(res.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(await allIds(`unit=${district}`));
    const all = parse((await get('/api/v1/public/evaluations.csv')).body.slice(1), {
      columns: true,
    }) as Record<string, string>[];
    expect(all.map((r) => r.id)).toEqual(await allIds(''));
    const withFormula = seeded.find((s) => s.comment?.startsWith('='))!;
    expect(all.find((r) => r.id === withFormula.id)!.comment).toBe(`'${withFormula.comment}`);
    const closed = seeded.find((s) => s.ticket?.state === 'closed')!;
    expect(all.find((r) => r.id === closed.id)).toMatchObject({
      ticketState: 'closed',
      reply: `已回复第${closed.i}条`,
    });
    const percent = seeded.find((s) => s.comment?.includes('%'))!;
    expect(all.find((r) => r.id === percent.id)).toMatchObject({
      comment: '100%满意_好',
      level: String(percent.level),
    });
    const bad = parse((await get('/api/v1/public/evaluations.csv?class=bad')).body.slice(1), {
      columns: true,
    }) as Record<string, string>[];
    expect(bad.map((r) => r.id)).toEqual(await allIds('class=bad'));
  });

  it('serves a well-formed Atom feed of a unit subtree', async () => {
    const res = await get(`/api/v1/public/units/${street}/feed.atom`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(xmlProblems(res.body)).toEqual([]);
    expect(res.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const entryIds = [...res.body.matchAll(/<entry>\s*<id>[^<]*\/evaluations\/(\d+)<\/id>/g)].map(
      (m) => m[1],
    );
    expect(entryIds).toEqual(await allIds(`unit=${street}`));
    for (const tag of ['id', 'title', 'updated', 'author']) expect(res.body).toContain(`<${tag}>`);
    // Text that would break XML is escaped.
    expect(xmlProblems('<?xml version="1.0"?><a>x & y</a>')).not.toEqual([]);
    const withPercent = await get(`/api/v1/public/units/${counters[1]!.counter.unitCode}/feed.atom`);
    expect(xmlProblems(withPercent.body)).toEqual([]);
    expect(withPercent.body).toContain('100%满意_好');
  });

  it('marks list answers cacheable for 30 seconds', async () => {
    const res = await get('/api/v1/public/evaluations?limit=1');
    expect(res.headers['cache-control']).toBe('public, max-age=30');
  });
});
