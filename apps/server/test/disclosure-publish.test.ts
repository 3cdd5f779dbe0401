import { createCalendar, redact } from '@hcp/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textGrams } from '../src/disclosure/grams';
import { runPublisher, startPublisher, UNREADABLE_NAME_HIT } from '../src/disclosure/publisher';
import { createProtector } from '../src/security/protector';
import { publish, rateCase, signedIn, ticketFor } from './helpers/disclosure-fixtures';
import type { Counter } from './helpers/intake-fixtures';
import { asAdmin, createTestApp, TEST_SECRET, type TestApp } from './helpers/test-app';
import { dbKind } from './helpers/test-db';

// Monday 2 March 2026, 10:00 in Shanghai: the next working day ends Tuesday 23:59:59.999 +08:00.
const T0 = new Date('2026-03-02T02:00:00Z');
const AT = new Date(T0.getTime() - 3_600_000);
const WORD = '黑幕';

type Headers = Record<string, string>;

/** A staffed window (and an item) inside the subtree at `prefix`. */
async function counterIn(t: TestApp, prefix: string): Promise<Counter> {
  const s = await t.database.db
    .selectFrom('staff')
    .innerJoin('windows', 'windows.no', 'staff.window_no')
    .innerJoin('units', 'units.code', 'windows.unit_code')
    .select(['staff.staff_no', 'windows.no', 'windows.unit_code'])
    .where('units.path', 'like', `${prefix}%`)
    .orderBy('staff.staff_no')
    .limit(1)
    .executeTakeFirstOrThrow();
  const item = await t.database.db
    .selectFrom('items')
    .select('code')
    .orderBy('code')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { unitCode: s.unit_code, windowNo: s.no, staffNo: s.staff_no, itemCode: item.code };
}

describe(`publication and moderation (${dbKind})`, () => {
  let t: TestApp;
  let huangpu: Counter;
  let xuhui: Counter;
  let staffName: string;
  let sup: Headers;
  let supXuhui: Headers;
  let auditor: Headers;
  let unitAdmin: Headers;
  const clock = () => T0;

  beforeAll(async () => {
    t = await createTestApp({ demoScale: 0.05, now: clock, sms: { send: async () => {} } });
    huangpu = await counterIn(t, '310000/310101/');
    xuhui = await counterIn(t, '310000/310104/');
    staffName = (
      await t.database.db
        .selectFrom('staff')
        .select('name')
        .where('staff_no', '=', huangpu.staffNo)
        .executeTakeFirstOrThrow()
    ).name;
    sup = await signedIn(t, 'sup.huangpu', 'supervisor', '310101');
    supXuhui = await signedIn(t, 'sup.xuhui', 'supervisor', '310104');
    auditor = await signedIn(t, 'auditor.city', 'auditor', '310000');
    unitAdmin = await signedIn(t, 'admin.huangpu', 'unit_admin', '310101');
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sensitive-words',
      headers: asAdmin,
      payload: { word: WORD },
    });
    expect(added.statusCode, added.body).toBe(201);
  });
  afterAll(() => t.close());

  const detail = async (id: string) => {
    const res = await t.app.inject({ url: `/api/v1/public/evaluations/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const stored = (id: string) =>
    t.database.db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const itemOf = (subject: string, subjectId: string) =>
    t.database.db
      .selectFrom('moderation_items')
      .selectAll()
      .where('subject', '=', subject as never)
      .where('subject_id', '=', subjectId)
      .executeTakeFirstOrThrow();
  const moderation = (headers: Headers, state = 'pending') =>
    t.app.inject({ url: `/api/v1/moderation?state=${state}&limit=100`, headers });
  const decide = (headers: Headers, id: string, edit?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/moderation/${id}/${edit === undefined ? 'approve' : 'edit'}`,
      headers,
      ...(edit === undefined ? {} : { payload: { text: edit } }),
    });

  it('publishes a rating without text at once, and a comment within one pass with personal data masked', async () => {
    const plain = await rateCase(t, huangpu, AT, { level: 5 });
    expect((await stored(plain.evaluationId)).publication).toBe('published');
    expect(await detail(plain.evaluationId)).toMatchObject({ comment: null, commentStatus: 'none' });

    const name = '李建国';
    const original = `我叫${name}，身份证11010519491231002X，手机139 1234 5678，${staffName}办事很顺利`;
    const rated = await rateCase(t, huangpu, AT, { level: 4, comment: original }, { name });
    expect(await detail(rated.evaluationId)).toMatchObject({ comment: null, commentStatus: 'pending' });

    const counts = await publish(t, clock);
    expect(counts).toEqual({ published: 1, held: 0 });
    const shown = await detail(rated.evaluationId);
    expect(shown.commentStatus).toBe('published');
    const expected = redact(original, { personNames: [name, staffName] }).text;
    expect(shown.comment).toBe(expected);
    for (const secret of [name, '11010519491231002X', '1234 5678', staffName]) {
      expect(shown.comment).not.toContain(secret);
    }
    expect(shown.comment).toContain('李**');
    expect(shown.comment).toContain('办事很顺利');
    const row = await stored(rated.evaluationId);
    expect(row.comment).toBe(original);
    expect([...(row.comment_grams ?? [])].sort()).toEqual(textGrams(expected).sort());
    // Nothing left: a second pass does nothing.
    expect(await publish(t, clock)).toEqual({ published: 0, held: 0 });
  });

  it('holds a text that hits the sensitive-word list until a supervisor of its subtree approves it, once', async () => {
    const original = `窗口有${WORD}，请回电13812345678`;
    const rated = await rateCase(t, huangpu, AT, { level: 2, comment: original });
    expect(await publish(t, clock)).toEqual({ published: 0, held: 1 });
    expect(await detail(rated.evaluationId)).toMatchObject({ comment: null, commentStatus: 'held' });
    const row = await stored(rated.evaluationId);
    expect(row).toMatchObject({ publication: 'held', comment_public: null });
    const item = await itemOf('evaluation_comment', rated.evaluationId);
    expect(item).toMatchObject({ state: 'pending', original, hits: [WORD] });
    expect(item.redacted).toBe(`窗口有${WORD}，请回电138****5678`);
    expect(item.due_at.toISOString()).toBe(createCalendar().addWorkingDays(T0, 1).toISOString());
    expect(item.due_at.toISOString()).toBe('2026-03-03T15:59:59.999Z');
    const id = String(item.id);

    const listed = await moderation(sup);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items.find((i: { id: string }) => i.id === id)).toMatchObject({
      subject: 'evaluation_comment',
      subjectId: rated.evaluationId,
      evaluationId: rated.evaluationId,
      original,
      redacted: item.redacted,
      hits: [WORD],
      state: 'pending',
      unit: { code: huangpu.unitCode },
    });
    expect((await moderation(auditor)).json().items.map((i: { id: string }) => i.id)).toContain(id);
    // Outside the subtree the item does not exist; readers who may not decide are refused.
    expect((await moderation(supXuhui)).json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await decide(supXuhui, id)).statusCode).toBe(404);
    expect((await decide(auditor, id)).statusCode).toBe(403);
    expect((await decide(unitAdmin, id)).statusCode).toBe(403);
    expect((await moderation(unitAdmin)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/moderation' })).statusCode).toBe(401);
    expect((await decide({}, id)).statusCode).toBe(401);

    const approved = await decide(sup, id);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', published: item.redacted });
    expect(approved.json().decidedBy).toBeTruthy();
    expect(await detail(rated.evaluationId)).toMatchObject({
      comment: item.redacted,
      commentStatus: 'published',
    });
    expect((await stored(rated.evaluationId)).comment_grams).toContain('回电');

    const again = await decide(sup, id);
    expect(again.statusCode).toBe(409);
    expect(again.json().details.reason).toBe('ALREADY_DECIDED');
    expect((await decide(sup, id, '改个说法')).statusCode).toBe(409);
    expect((await moderation(sup)).json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await moderation(sup, 'approved')).json().items.map((i: { id: string }) => i.id)).toContain(id);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('target_type', '=', 'moderation_item')
      .execute();
    expect(audit).toContainEqual({ action: 'moderation.approve', target_id: id });
  });

  it('publishes an edit after redacting it again, keeping the original', async () => {
    const name = '赵敏';
    const original = `${WORD}太多了，我是${name}`;
    const rated = await rateCase(t, huangpu, AT, { level: 1, comment: original }, { name });
    await publish(t, clock);
    const item = await itemOf('evaluation_comment', rated.evaluationId);
    const res = await decide(sup, String(item.id), `${name}反映窗口排队时间长，已核实，联系电话021-62345678`);
    expect(res.statusCode, res.body).toBe(200);
    const published = res.json().published as string;
    expect(res.json().state).toBe('edited');
    expect(published).toContain('赵*反映窗口排队时间长');
    expect(published).not.toContain(name);
    expect(published).not.toContain('62345678');
    expect((await detail(rated.evaluationId)).comment).toBe(published);
    const row = await stored(rated.evaluationId);
    expect(row.comment).toBe(original);
    expect((await itemOf('evaluation_comment', rated.evaluationId)).original).toBe(original);
    const found = await t.app.inject({
      url: `/api/v1/public/evaluations?q=${encodeURIComponent('排队时间')}`,
    });
    expect(found.json().items.map((e: { id: string }) => e.id)).toContain(rated.evaluationId);
    expect((await decide(sup, String(item.id), '再改一次')).statusCode).toBe(409);
  });

  it('publishes ticket replies and holds a rectification with a listed word; a newer text replaces a held one', async () => {
    const name = '王小红';
    const rated = await rateCase(t, huangpu, AT, { level: 2, comment: '等太久' }, { name });
    const reply = `${name}您好，已电话13912345678联系您`;
    const ticketId = await ticketFor(t, rated.evaluationId, {
      reply_text: reply,
      reply_publication: 'pending',
      replied_at: T0,
      rectify_text: `整改：${WORD}已清除`,
      rectify_publication: 'pending',
      rectified_at: T0,
    });
    await publish(t, clock);
    let shown = await detail(rated.evaluationId);
    expect(shown.ticket.reply).toBe('王**您好，已电话139****5678联系您');
    expect(shown.ticket.rectification).toBeNull();
    const held = await itemOf('ticket_rectification', ticketId);
    expect(held).toMatchObject({ state: 'pending', hits: [WORD] });
    expect((await decide(sup, String(held.id))).statusCode).toBe(200);
    shown = await detail(rated.evaluationId);
    expect(shown.ticket.rectification).toBe(`整改：${WORD}已清除`);

    // A second rectification (after a bad re-rating) is held again: the same item reopens.
    await ticketFor(t, rated.evaluationId, {
      rectify_text: `二次整改：${WORD}`,
      rectify_publication: 'pending',
      rectify_public: null,
    });
    await publish(t, clock);
    const reopened = await itemOf('ticket_rectification', ticketId);
    expect(reopened).toMatchObject({
      id: held.id,
      state: 'pending',
      original: `二次整改：${WORD}`,
      decided_by: null,
    });
    // Before anyone decides, the unit writes a clean text: it goes out and the stale item goes away.
    await ticketFor(t, rated.evaluationId, { rectify_text: '二次整改完成', rectify_publication: 'pending' });
    await publish(t, clock);
    expect((await detail(rated.evaluationId)).ticket.rectification).toBe('二次整改完成');
    const gone = await t.database.db
      .selectFrom('moderation_items')
      .select('id')
      .where('subject', '=', 'ticket_rectification')
      .where('subject_id', '=', ticketId)
      .execute();
    expect(gone).toEqual([]);
    expect((await decide(sup, String(held.id))).statusCode).toBe(404);
  });

  it('holds a text whose applicant name cannot be opened, so it is never published unmasked', async () => {
    const rated = await rateCase(t, huangpu, AT, { level: 3, comment: '我是孙悟空' }, { name: '孙悟空' });
    await sql`UPDATE cases SET applicant_name_enc = 'v1:broken' WHERE case_no = ${rated.caseNo}`.execute(
      t.database.db,
    );
    expect(await publish(t, clock)).toEqual({ published: 0, held: 1 });
    expect((await itemOf('evaluation_comment', rated.evaluationId)).hits).toEqual([UNREADABLE_NAME_HIT]);
  });

  it('keeps the word list to system administrators, audited', async () => {
    const add = (headers: Headers, word: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/sensitive-words', headers, payload: { word } });
    expect((await add(sup, '假冒')).statusCode).toBe(403);
    expect((await add(asAdmin, WORD)).statusCode).toBe(409);
    expect((await add(asAdmin, '   ')).json().details.field).toBe('body.word');
    expect((await add(asAdmin, '* ·')).json().details.field).toBe('body.word');
    expect((await add(asAdmin, '  假冒 ')).json()).toMatchObject({
      word: '假冒',
      createdBy: 'bootstrap-admin',
    });
    const listed = await t.app.inject({ url: '/api/v1/sensitive-words', headers: auditor });
    expect(listed.json().items.map((w: { word: string }) => w.word)).toEqual(
      expect.arrayContaining([WORD, '假冒']),
    );
    expect((await t.app.inject({ url: '/api/v1/sensitive-words' })).statusCode).toBe(401);
    const del = (headers: Headers, word: string) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/sensitive-words/${encodeURIComponent(word)}`, headers });
    expect((await del(sup, '假冒')).statusCode).toBe(403);
    expect((await del(asAdmin, '假冒')).statusCode).toBe(204);
    expect((await del(asAdmin, '假冒')).statusCode).toBe(404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'sensitive_word')
      .where('target_id', '=', '假冒')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['sensitive_word.add', 'sensitive_word.remove']);
  });

  it('shares the queue between publishers running at once without doing any text twice', async () => {
    for (let i = 0; i < 24; i++) {
      await rateCase(t, i % 2 ? huangpu : xuhui, AT, {
        level: 4,
        comment: i % 3 === 0 ? `第${i}条 ${WORD}` : `第${i}条 办得快`,
      });
    }
    const protector = createProtector(TEST_SECRET);
    const passes = await Promise.all(
      [0, 1, 2].map(() => runPublisher({ db: t.database.db, protector, now: clock, batchSize: 3 })),
    );
    expect(passes.reduce((n, p) => n + p.published, 0)).toBe(16);
    expect(passes.reduce((n, p) => n + p.held, 0)).toBe(8);
    const left = await t.database.db
      .selectFrom('evaluations')
      .select('id')
      .where('publication', '=', 'pending')
      .execute();
    expect(left).toEqual([]);
  });

  it('pages the moderation queue oldest first without repeats', async () => {
    const all = (await moderation(asAdmin)).json().items.map((i: { id: string }) => i.id);
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all).toEqual([...all].sort((a: string, b: string) => Number(a) - Number(b)));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/moderation?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ url, headers: asAdmin });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      paged.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    const bad = await t.app.inject({ url: '/api/v1/moderation?cursor=nonsense!', headers: asAdmin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('querystring.cursor');
    const decided = (await moderation(asAdmin, 'approved')).json().items.map((i: { id: string }) => i.id);
    expect(decided).toEqual([...decided].sort((a: string, b: string) => Number(b) - Number(a)));
  });

  it('runs on its own every interval until stopped', async () => {
    const stop = startPublisher({
      db: t.database.db,
      protector: createProtector(TEST_SECRET),
      now: clock,
      log: { info: () => {}, error: () => {} },
      everyMs: 20,
    });
    try {
      const rated = await rateCase(t, xuhui, AT, { level: 5, comment: '自动发布' });
      let status = '';
      for (let i = 0; i < 200 && status !== 'published'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        status = (await stored(rated.evaluationId)).publication;
      }
      expect(status).toBe('published');
    } finally {
      await stop();
    }
  });
});
