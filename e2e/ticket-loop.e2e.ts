import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, base, signIn } from './api';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

const DISTRICT = '310101';
const UNIT = { username: 'hp.tickets', password: 'Huangpu-tickets-42', displayName: '黄浦区工单专员' };
const SUPERVISOR = {
  username: 'hp.supervisor',
  password: 'Huangpu-supervise-42',
  displayName: '黄浦区督办员',
};
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** Calls the API with the bootstrap key (business system / administrator); throws on an unexpected status. */
async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${adminKey}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

interface Counter {
  unitCode: string;
  windowNo: string;
  staffNo: string;
  itemCode: string;
}

/** A staffed window of the district and an item, from the demo catalogue. */
async function counterIn(district: string): Promise<Counter> {
  const windows = await admin<{ items: { no: string; unitCode: string }[] }>(
    'GET',
    `/api/v1/windows?under=${district}&limit=50`,
  );
  const item = await admin<{ items: { code: string }[] }>('GET', '/api/v1/items?limit=1');
  for (const w of windows.json.items) {
    const staff = await admin<{ items: { staffNo: string }[] }>(
      'GET',
      `/api/v1/staff?window=${encodeURIComponent(w.no)}&limit=1`,
    );
    const s = staff.json.items[0];
    if (s)
      return { unitCode: w.unitCode, windowNo: w.no, staffNo: s.staffNo, itemCode: item.json.items[0]!.code };
  }
  throw new Error(`the demo seed has no staffed window under ${district}`);
}

let serial = 0;
/** Pushes a case completed a minute ago and rates it 非常不满意: the server opens a ticket. */
async function badRating(c: Counter, comment: string): Promise<string> {
  serial += 1;
  const caseNo = `E2E-TK-${Date.now()}-${serial}`;
  const now = Date.now();
  await admin('POST', '/api/v1/cases', {
    caseNo,
    itemCode: c.itemCode,
    unitCode: c.unitCode,
    windowNo: c.windowNo,
    staffNo: c.staffNo,
    applicant: {
      kind: 'person',
      certType: '111',
      certNo: '11010519491231002X',
      name: '王小明',
      phone: '13912345678',
    },
    acceptedAt: new Date(now - 3_600_000).toISOString(),
    completedAt: new Date(now - 60_000).toISOString(),
    status: 'completed',
    promiseType: 'immediate',
  });
  const rated = await admin('POST', '/api/v1/evaluations', {
    caseNo,
    round: 1,
    level: 1,
    channel: 'pc',
    comment,
  });
  expect(rated.status).toBe(201);
  return caseNo;
}

async function createAccount(a: typeof UNIT, role: 'unit_admin' | 'supervisor') {
  const res = await admin('POST', '/api/v1/accounts', { ...a, role, unitCode: DISTRICT, staffNo: null });
  expect(res.status).toBe(201);
}

const menu = (page: Page) => page.getByRole('navigation', { name: '控制台导航' });
const stateTag = (page: Page) => page.getByTestId('ticket-state');
const timelineActions = (page: Page) =>
  page
    .getByTestId('ticket-timeline')
    .locator('li')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));

describe('the bad-rating loop in the console, in Chromium', () => {
  let browser: Browser;
  let unitContext: BrowserContext;
  let unit: Page;
  let supervisor: Page;
  let loopCase: string;
  let appealCase: string;
  let explainCase: string;
  let loopUrl: string;
  let appealUrl: string;

  beforeAll(async () => {
    await createAccount(UNIT, 'unit_admin');
    await createAccount(SUPERVISOR, 'supervisor');
    const counter = await counterIn(DISTRICT);
    loopCase = await badRating(counter, '材料被退回三次，每次说法不一样');
    appealCase = await badRating(counter, '窗口人员态度差');
    explainCase = await badRating(counter, '要求当场办结被拒绝');
    browser = await launch();
    unitContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
    unit = await unitContext.newPage();
    const supervisorContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
    supervisor = await supervisorContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the unit administrator the queue, newest first, and opens the ticket from it', async () => {
    await signIn(unit, UNIT);
    expect(await menu(unit).getByRole('menuitem', { name: '差评工单' }).count()).toBe(1);
    expect(await menu(unit).getByRole('menuitem', { name: '督办看板' }).count()).toBe(0);
    await menu(unit).getByRole('menuitem', { name: '差评工单' }).click();
    await unit.waitForURL('**/console/tickets');
    await unit.getByTestId('ticket-list').waitFor();
    expect(await unit.getByLabel('处理状态').inputValue()).toBe('open');

    await unit.getByLabel('排序').selectOption('newest');
    await expect.poll(() => unit.url()).toContain('sort=newest');
    const row = unit.getByTestId('ticket-list').getByRole('row', { name: new RegExp(loopCase) });
    await expect.poll(() => row.textContent()).toContain('待联系核实');
    expect(await row.getByTestId('time-left').textContent()).toMatch(/剩余 \d+ 个工作日|今日到期/);
    expect(await axeViolations(unit)).toEqual([]);
    await shot(unit, 'tickets-queue');

    await row.getByRole('link', { name: loopCase }).click();
    await unit.waitForURL(/\/console\/tickets\/\d+$/);
    loopUrl = unit.url();
    await unit.getByRole('heading', { name: `工单 ${loopCase}` }).waitFor();
    expect(await stateTag(unit).textContent()).toBe('待联系核实');
    expect(await unit.locator('main').textContent()).toContain('材料被退回三次，每次说法不一样');
    expect(await unit.locator('main').textContent()).toContain('非常不满意');
    expect(await timelineActions(unit)).toEqual(['opened']);
    // Only the unit's own actions are offered: contact and appeal, no supervisor forms.
    expect(await unit.getByRole('button', { name: '提交核实结果' }).count()).toBe(1);
    expect(await unit.getByRole('button', { name: '提交申诉' }).count()).toBe(1);
    expect(await unit.getByRole('button', { name: '督办' }).count()).toBe(0);
    expect(await axeViolations(unit)).toEqual([]);
  });

  it('contacts (立行立改), replies and rectifies with a photo, each step on the timeline', async () => {
    await unit.getByRole('radio', { name: '立行立改' }).check();
    await unit.getByLabel('核实情况（内部记录，不公开）').fill('已电话联系申请人，核实情况属实');
    await unit.getByRole('button', { name: '提交核实结果' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('待公开回复');
    expect(await unit.getByRole('status').filter({ hasText: '已提交：联系核实。' }).count()).toBe(1);

    await unit.getByLabel('回复内容').fill('已核实，窗口将一次性告知所需材料。');
    await unit.getByRole('button', { name: '提交回复' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('整改中');

    await unit.getByLabel('整改情况').fill('已培训窗口人员，材料清单张贴上墙。');
    await unit
      .getByLabel('整改材料')
      .setInputFiles({ name: '整改照片.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => unit.getByTestId('rectify-files').textContent()).toContain('整改照片.png');
    await unit.getByRole('button', { name: '提交整改' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('待回访');

    expect(await timelineActions(unit)).toEqual(['opened', 'contact', 'reply', 'rectify']);
    const timeline = (await unit.getByTestId('ticket-timeline').textContent()) ?? '';
    for (const text of [
      '已电话联系申请人，核实情况属实',
      '立行立改',
      '已核实，窗口将一次性告知所需材料。',
      '已培训窗口人员，材料清单张贴上墙。',
      '待联系核实 → 待公开回复',
      '单位管理员',
      '整改照片.png',
    ]) {
      expect(timeline).toContain(text);
    }
    // The photo is kept with the ticket and downloads with the session.
    const link = unit.getByTestId('ticket-attachments').getByRole('link', { name: '整改照片.png' });
    const href = (await link.getAttribute('href'))!;
    const size = await unit.evaluate(
      async (url) => (await (await fetch(url)).arrayBuffer()).byteLength,
      href,
    );
    expect(size).toBe(PNG.length);
    // Nothing more for the unit to do while the applicant is asked to rate again.
    expect(await unit.getByTestId('ticket-actions').count()).toBe(0);
    await shot(unit, 'ticket-revisiting');
  });

  it('closes the ticket when the applicant re-rates 满意 through a round-2 link', async () => {
    const minted = await admin<{ token: string; round: number }>(
      'POST',
      `/api/v1/cases/${encodeURIComponent(loopCase)}/rating-tokens`,
      { round: 2 },
    );
    expect(minted.status).toBe(201);
    expect(minted.json.round).toBe(2);

    const phone = await browser.newPage({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    try {
      await phone.goto(`${base}/r/${minted.json.token}`);
      await phone.getByRole('heading', { name: '服务评价' }).waitFor();
      await phone.getByRole('button', { name: '满意', exact: true }).click();
      await phone.getByRole('button', { name: '提交评价' }).click();
      await phone.getByRole('heading', { name: '感谢您的评价' }).waitFor();
    } finally {
      await phone.close();
    }

    await unit.goto(loopUrl);
    await expect.poll(() => stateTag(unit).textContent()).toBe('已办结');
    expect(await unit.locator('.ticket-headline').textContent()).toContain('回访满意');
    expect(await timelineActions(unit)).toEqual(['opened', 'contact', 'reply', 'rectify', 'revisit_good']);
    const last = unit.getByTestId('ticket-timeline').locator('li').last();
    expect(await last.textContent()).toContain('办事人');
    expect(await last.textContent()).toContain('待回访 → 已办结');
    expect(await last.textContent()).toContain('满意');
    expect(await axeViolations(unit)).toEqual([]);
    await shot(unit, 'ticket-closed');

    // In the queue it is no longer open; the closed filter finds it.
    await unit.goto(`${base}/console/tickets?sort=newest`);
    await unit.getByTestId('ticket-list').waitFor();
    await expect.poll(() => unit.getByTestId('ticket-list').textContent()).toContain(appealCase);
    expect(await unit.getByTestId('ticket-list').textContent()).not.toContain(loopCase);
    await unit.getByLabel('处理状态').selectOption('closed');
    await expect.poll(() => unit.getByTestId('ticket-list').textContent()).toContain(loopCase);
  });

  it('refuses an action on a ticket the supervisor changed meanwhile (If-Match), then takes it', async () => {
    await unit.goto(`${base}/console/tickets?sort=newest`);
    await unit.getByRole('link', { name: appealCase }).click();
    await unit.waitForURL(/\/console\/tickets\/\d+$/);
    appealUrl = unit.url();
    await unit.getByLabel('核实情况（内部记录，不公开）').fill('已联系申请人');
    expect(await unit.locator('.ticket-headline').textContent()).toContain('版本 1');

    // Meanwhile the district's supervisor escalates it (督办) from the workbench, read-only for them.
    await signIn(supervisor, SUPERVISOR);
    const items = await menu(supervisor).getByRole('menuitem').allTextContents();
    expect(items).toEqual(expect.arrayContaining(['差评工单', '督办看板']));
    await supervisor.goto(appealUrl);
    await supervisor.getByRole('heading', { name: `工单 ${appealCase}` }).waitFor();
    expect(await supervisor.getByRole('button', { name: '提交核实结果' }).count()).toBe(0);
    await supervisor.getByLabel('督办意见').fill('请尽快联系申请人');
    await supervisor.getByRole('button', { name: '督办', exact: true }).click();
    await supervisor.getByTestId('escalated').waitFor();
    expect(await supervisor.locator('.ticket-headline').textContent()).toContain('版本 2');

    // The unit's page still shows version 1: the server refuses, the page says so and reloads.
    await unit.getByRole('button', { name: '提交核实结果' }).click();
    await unit.getByTestId('ticket-changed').waitFor();
    expect(await unit.getByTestId('ticket-changed').textContent()).toContain('已被他人更新');
    await expect.poll(() => unit.locator('.ticket-headline').textContent()).toContain('版本 2');
    expect(await unit.getByTestId('escalated').textContent()).toContain('督办');
    expect(await stateTag(unit).textContent()).toBe('待联系核实');
    // What was typed is still there; sent again on the version now shown, it goes through.
    expect(await unit.getByLabel('核实情况（内部记录，不公开）').inputValue()).toBe('已联系申请人');
    await unit.getByRole('button', { name: '提交核实结果' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('待公开回复');
    expect(await timelineActions(unit)).toEqual(['opened', 'escalate', 'contact']);
  });

  it('lets the supervisor decide the unit’s appeal on the board', async () => {
    await unit.getByRole('radio', { name: '误评' }).check();
    await unit.getByLabel('申诉说明（内部记录）').fill('申请人误选了评价等级');
    await unit.getByRole('button', { name: '提交申诉' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('申诉中');

    await menu(supervisor).getByRole('menuitem', { name: '督办看板' }).click();
    await supervisor.waitForURL('**/console/board');
    await supervisor.getByRole('tab', { name: '待裁定申诉' }).click();
    await expect.poll(() => supervisor.url()).toContain('tab=appeals');
    const panel = supervisor.getByRole('tabpanel', { name: '待裁定申诉' });
    const row = panel.getByRole('row', { name: new RegExp(appealCase) });
    await row.getByRole('button', { name: '裁定' }).click();
    const dialog = supervisor.getByRole('dialog', { name: `裁定申诉 ${appealCase}` });
    await expect.poll(() => dialog.textContent()).toContain('申请人误选了评价等级');
    expect(await axeViolations(supervisor)).toEqual([]);
    await dialog.getByRole('button', { name: '提交裁定' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('请选择裁定结果');
    await dialog.getByRole('radio', { name: '申诉不成立' }).check();
    await dialog.getByLabel('裁定理由').fill('评价等级系申请人本人选择，申诉不成立');
    await dialog.getByRole('button', { name: '提交裁定' }).click();
    await expect
      .poll(() => supervisor.getByRole('status').filter({ hasText: appealCase }).textContent())
      .toContain('申诉裁定已提交');
    await expect.poll(() => panel.getByRole('row', { name: new RegExp(appealCase) }).count()).toBe(0);
    await shot(supervisor, 'board-appeals');

    // Back to the step before the appeal, with the decision on the unit's timeline.
    await unit.reload();
    await expect.poll(() => stateTag(unit).textContent()).toBe('待公开回复');
    expect(await timelineActions(unit)).toEqual(['opened', 'escalate', 'contact', 'appeal', 'reject_appeal']);
    expect(await unit.getByTestId('ticket-timeline').textContent()).toContain('评价等级系申请人本人选择');
  });

  it('lets the supervisor sign off an explanation (解释说明) on the board', async () => {
    await unit.goto(`${base}/console/tickets?sort=newest`);
    await unit.getByRole('link', { name: explainCase }).click();
    await unit.waitForURL(/\/console\/tickets\/\d+$/);
    const url = unit.url();
    await unit.getByRole('radio', { name: '解释说明' }).check();
    await unit.getByLabel('核实情况（内部记录，不公开）').fill('申请人要求当场办结，但材料不全');
    await unit.getByRole('button', { name: '提交核实结果' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('待公开回复');
    expect(await unit.locator('main').textContent()).toContain('解释说明将提交督办人员审核');
    await unit.getByLabel('回复内容').fill('依据办事指南，该事项须提交完整材料后方可办结。');
    await unit.getByRole('button', { name: '提交回复' }).click();
    await expect.poll(() => stateTag(unit).textContent()).toBe('待审核');

    await supervisor.goto(`${base}/console/board?tab=signoffs`);
    const panel = supervisor.getByRole('tabpanel', { name: '待审核解释说明' });
    const row = panel.getByRole('row', { name: new RegExp(explainCase) });
    await row.getByRole('button', { name: '审核', exact: true }).click();
    const dialog = supervisor.getByRole('dialog', { name: `审核解释说明 ${explainCase}` });
    await expect.poll(() => dialog.textContent()).toContain('依据办事指南，该事项须提交完整材料后方可办结。');
    // Sending it back needs a note; signing off does not.
    await dialog.getByRole('button', { name: '退回，要求整改' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('退回须填写审核意见');
    await dialog.getByRole('button', { name: '审核通过' }).click();
    await expect
      .poll(() => supervisor.getByRole('status').filter({ hasText: explainCase }).textContent())
      .toContain('审核通过已提交');
    await expect.poll(() => panel.getByRole('row', { name: new RegExp(explainCase) }).count()).toBe(0);

    await unit.goto(url);
    await expect.poll(() => stateTag(unit).textContent()).toBe('待回访');
    expect(await timelineActions(unit)).toEqual(['opened', 'contact', 'reply', 'sign_off']);
    expect(await unit.getByTestId('ticket-timeline').textContent()).toContain('督办人员');
  });

  it('fits a phone screen: the queue and the ticket page', async () => {
    await unit.setViewportSize({ width: 375, height: 740 });
    await unit.goto(`${base}/console/tickets`);
    await unit.getByTestId('ticket-list').waitFor();
    expect(await unit.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await unit.goto(appealUrl);
    await unit.getByRole('heading', { name: `工单 ${appealCase}` }).waitFor();
    expect(await unit.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(unit, 'ticket-phone');
  });
});
