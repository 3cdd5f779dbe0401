import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as admin, base, signIn } from './api';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

const HUANGPU = {
  username: 'access.huangpu',
  password: 'Access-huangpu-42',
  displayName: '黄浦区单位管理员',
  unitCode: '310101',
};
const XUHUI = {
  username: 'access.xuhui',
  password: 'Access-xuhui-42',
  displayName: '徐汇区单位管理员',
  unitCode: '310104',
};
const COMMENT = '徐汇区窗口让我跑了三趟';

/** Pushes a case handled at a staffed window of the district and rates it 非常不满意 with a comment. */
async function badRatingIn(district: string): Promise<string> {
  const staff = await admin<{ items: { staffNo: string; windowNo: string | null }[] }>(
    'GET',
    `/api/v1/staff?under=${district}&limit=100`,
  );
  const s = staff.items.find((x) => x.windowNo);
  if (!s) throw new Error(`the demo seed has no staff member at a window under ${district}`);
  const window = await admin<{ unitCode: string }>('GET', `/api/v1/windows/${s.windowNo}`);
  const items = await admin<{ items: { code: string }[] }>('GET', '/api/v1/items?limit=1');
  const caseNo = `E2E-ACCESS-${Date.now()}`;
  const now = Date.now();
  await admin('POST', '/api/v1/cases', {
    caseNo,
    itemCode: items.items[0]!.code,
    unitCode: window.unitCode,
    windowNo: s.windowNo,
    staffNo: s.staffNo,
    applicant: { kind: 'person', certType: '111', certNo: '11010519491231002X', name: '王五' },
    acceptedAt: new Date(now - 3_600_000).toISOString(),
    completedAt: new Date(now - 60_000).toISOString(),
    status: 'completed',
    promiseType: 'immediate',
  });
  await admin('POST', '/api/v1/evaluations', { caseNo, round: 1, level: 1, channel: 'pc', comment: COMMENT });
  return caseNo;
}

/** The ticket queue with every state, once it has answered (a table, or the "no tickets" line). */
async function openQueue(page: Page) {
  await page.goto(`${base}/console/tickets?state=all&sort=newest`);
  await page.getByTestId('ticket-list').or(page.getByText('没有符合条件的工单。')).first().waitFor();
  return (await page.locator('main').textContent()) ?? '';
}

describe('a district’s unit administrator cannot see another district’s ticket (Chromium)', () => {
  let browser: Browser;
  let huangpu: BrowserContext;
  let xuhui: BrowserContext;
  let hp: Page;
  let xh: Page;
  let caseNo: string;
  let ticketId: string;
  let version: number;

  beforeAll(async () => {
    for (const a of [HUANGPU, XUHUI]) {
      await admin('POST', '/api/v1/accounts', { ...a, role: 'unit_admin', staffNo: null });
    }
    caseNo = await badRatingIn(XUHUI.unitCode);
    const tickets = await admin<{ items: { id: string; caseNo: string; state: string; version: number }[] }>(
      'GET',
      `/api/v1/tickets?unit=${XUHUI.unitCode}&sort=newest&limit=200`,
    );
    const ticket = tickets.items.find((t) => t.caseNo === caseNo);
    if (!ticket) throw new Error(`no ticket opened for ${caseNo}`);
    expect(ticket.state).toBe('pending_contact');
    ticketId = ticket.id;
    version = ticket.version;

    browser = await launch();
    const options = {
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    };
    huangpu = await browser.newContext(options);
    xuhui = await browser.newContext(options);
    hp = await huangpu.newPage();
    xh = await xuhui.newPage();
    await signIn(hp, HUANGPU);
    await signIn(xh, XUHUI);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists the ticket in the Xuhui queue and not in the Huangpu one', async () => {
    expect(await openQueue(xh)).toContain(caseNo);
    const hpQueue = await openQueue(hp);
    expect(hpQueue).not.toContain(caseNo);
    expect(hpQueue).not.toContain(COMMENT);
    await shot(hp, 'access-queue');
  });

  it('shows Huangpu a not-found message, never the ticket, when it opens the ticket’s address', async () => {
    await hp.goto(`${base}/console/tickets/${ticketId}`);
    await hp
      .getByRole('alert')
      .filter({ hasText: `工单 ${ticketId} 不存在` })
      .waitFor();
    const main = (await hp.locator('main').textContent()) ?? '';
    expect(main).not.toContain(caseNo);
    expect(main).not.toContain(COMMENT);
    expect(await hp.getByTestId('ticket-state').count()).toBe(0);
    expect(await hp.getByRole('heading', { name: `工单 ${caseNo}` }).count()).toBe(0);
    expect(await axeViolations(hp)).toEqual([]);
    await shot(hp, 'access-not-found');

    // The same address shows Xuhui the ticket.
    await xh.goto(`${base}/console/tickets/${ticketId}`);
    await xh.getByRole('heading', { name: `工单 ${caseNo}` }).waitFor();
    expect(await xh.locator('main').textContent()).toContain(COMMENT);
  });

  it('answers 404 to Huangpu’s session for reading and acting on the ticket, 200 to Xuhui’s', async () => {
    const url = `${base}/api/v1/tickets/${ticketId}`;
    const read = await hp.request.get(url);
    expect(read.status()).toBe(404);
    expect(await read.text()).not.toContain(caseNo);
    // fetch from the page itself, with the session cookie the browser holds.
    expect(await hp.evaluate(async (u) => (await fetch(u)).status, `/api/v1/tickets/${ticketId}`)).toBe(404);

    // A well-formed action with the session's CSRF token, so only the scope can refuse it.
    const me = (await (await hp.request.get(`${base}/api/v1/auth/me`)).json()) as { csrfToken: string };
    const contact = await hp.request.post(`${url}/contact`, {
      headers: { 'X-CSRF-Token': me.csrfToken },
      data: { handlingPath: 'fix_now', note: '越权尝试' },
    });
    expect(contact.status()).toBe(404);
    const after = await admin<{ state: string; version: number }>('GET', `/api/v1/tickets/${ticketId}`);
    expect(after).toMatchObject({ state: 'pending_contact', version });

    const own = await xh.request.get(url);
    expect(own.status()).toBe(200);
    expect(((await own.json()) as { caseNo: string }).caseNo).toBe(caseNo);
  });
});
