import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as admin, base, signIn } from './api';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

const STAFF = { username: 'window.staff', password: 'Window-staff-42', displayName: '窗口人员' };
const UNIT_ADMIN = {
  username: 'window.admin',
  password: 'Window-admin-42',
  displayName: '窗口所在单位管理员',
};

interface Counter {
  staffNo: string;
  windowNo: string;
  /** The unit the window belongs to (the staff account is scoped to it). */
  unitCode: string;
  itemCode: string;
}

/** A staff member at a window of a district, from the demo catalogue, and an item to handle there. */
async function staffedWindowIn(district: string): Promise<Counter> {
  const staff = await admin<{ items: { staffNo: string; windowNo: string | null }[] }>(
    'GET',
    `/api/v1/staff?under=${district}&limit=100`,
  );
  const found = staff.items.find((s) => s.windowNo);
  if (!found) throw new Error(`the demo seed has no staff member at a window under ${district}`);
  const window = await admin<{ unitCode: string }>('GET', `/api/v1/windows/${found.windowNo}`);
  const items = await admin<{ items: { code: string }[] }>('GET', '/api/v1/items?limit=1');
  return {
    staffNo: found.staffNo,
    windowNo: found.windowNo!,
    unitCode: window.unitCode,
    itemCode: items.items[0]!.code,
  };
}

let serial = 0;
/** Pushes a case completed a minute ago at the window and rates it through the API; returns its number. */
async function rateAt(
  c: Counter,
  rating: { level: number; reasons?: string[]; comment?: string; account?: string },
) {
  serial += 1;
  const caseNo = `E2E-WIN-${Date.now()}-${serial}`;
  const now = Date.now();
  await admin('POST', '/api/v1/cases', {
    caseNo,
    itemCode: c.itemCode,
    unitCode: c.unitCode,
    windowNo: c.windowNo,
    staffNo: c.staffNo,
    applicant: { kind: 'person', certType: '111', certNo: '11010519491231002X', name: '李四' },
    acceptedAt: new Date(now - 3_600_000).toISOString(),
    completedAt: new Date(now - 60_000).toISOString(),
    status: 'completed',
    promiseType: 'immediate',
  });
  await admin('POST', '/api/v1/evaluations', { caseNo, round: 1, channel: 'pc', ...rating });
  return caseNo;
}

const feedState = (page: Page) => page.getByTestId('feed-state');
const caseNos = (page: Page) =>
  page
    .getByTestId('window-feed')
    .locator('article')
    .evaluateAll((as) => as.map((a) => a.getAttribute('data-case-no')));

describe('a staff member’s window feed in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let counter: Counter;
  let reason: { code: string; nameZh: string };
  let earlierCase: string;

  beforeAll(async () => {
    counter = await staffedWindowIn('310105');
    const catalog = await admin<{ reasons: { code: string; nameZh: string }[] }>(
      'GET',
      '/api/v1/rating-catalog',
    );
    reason = catalog.reasons[0]!;
    // A rating from before the page opens: the list shows it, it is not "new".
    earlierCase = await rateAt(counter, { level: 4 });
    for (const [a, role] of [
      [STAFF, 'staff'],
      [UNIT_ADMIN, 'unit_admin'],
    ] as const) {
      await admin('POST', '/api/v1/accounts', {
        ...a,
        role,
        unitCode: counter.unitCode,
        staffNo: role === 'staff' ? counter.staffNo : null,
      });
    }
    browser = await launch();
    page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens the staff member’s own window from the menu, with its latest ratings', async () => {
    await signIn(page, STAFF);
    const item = page
      .getByRole('navigation', { name: '控制台导航' })
      .getByRole('menuitem', { name: '窗口实时评价' });
    await item.click();
    await page.waitForURL('**/console/window');
    await page.getByRole('heading', { name: `窗口 ${counter.windowNo}` }).waitFor();
    await expect.poll(() => feedState(page).textContent()).toContain('实时更新中');
    expect(await feedState(page).getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => caseNos(page)).toContain(earlierCase);
    const earlier = page.locator(`article[data-case-no="${earlierCase}"]`);
    expect(await earlier.getByRole('heading').textContent()).toMatch(/★★★★☆\s*满意\s*$/);
    expect(await earlier.getByText('新', { exact: true }).count()).toBe(0);
    expect(await page.getByTestId('window-info').textContent()).toBeTruthy();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a rating given through the API on top, without reloading, and announces it', async () => {
    // Marks this document: a reload would lose the mark.
    await page.evaluate(() => {
      (window as unknown as { feedMark: number }).feedMark = 42;
    });
    const badCase = await rateAt(counter, { level: 2, reasons: [reason.code], comment: '等候时间太长' });
    const bad = page.locator(`article[data-case-no="${badCase}"]`);
    await bad.waitFor();
    expect((await caseNos(page))[0]).toBe(badCase);
    const text = (await bad.textContent()) ?? '';
    for (const part of ['差评', '一网通办PC端', reason.nameZh]) expect(text).toContain(part);
    expect(await bad.getByRole('heading').textContent()).toMatch(/★★☆☆☆\s*不满意\s*$/);
    expect(await bad.getByText('新', { exact: true }).count()).toBe(1);
    expect(await bad.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect
      .poll(() => page.getByTestId('feed-announcer').textContent())
      .toContain(`收到新评价：不满意，一网通办PC端，办件 ${badCase}`);
    expect(await page.getByTestId('feed-announcer').getAttribute('aria-live')).toBe('polite');

    expect(await bad.getByTestId('window-rating-flag').count()).toBe(0);

    // Rated from the handling staff member's own account: stored, and flagged (staff_self).
    const selfCase = await rateAt(counter, { level: 5, account: counter.staffNo });
    await expect.poll(async () => (await caseNos(page))[0]).toBe(selfCase);
    expect(await caseNos(page)).toEqual(expect.arrayContaining([badCase, earlierCase]));
    const self = page.locator(`article[data-case-no="${selfCase}"]`);
    expect(await self.getByRole('heading').textContent()).toMatch(/★★★★★\s*非常满意\s*$/);
    expect(await self.getByTestId('window-rating-flag').textContent()).toContain('已标记');
    expect(await self.textContent()).toContain('疑似办理人员本人评价');
    await expect
      .poll(() => page.getByTestId('feed-announcer').textContent())
      .toContain(`收到新评价：非常满意，一网通办PC端，办件 ${selfCase}，已标记`);
    expect(await page.evaluate(() => (window as unknown as { feedMark?: number }).feedMark)).toBe(42);
    expect(await feedState(page).textContent()).toContain('实时更新中');
    await shot(page, 'window-feed');
    expect(await axeViolations(page)).toEqual([]);

    // A phone at the counter: no sideways scrolling at 375 px.
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, 'window-feed-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lets a unit administrator watch a window of the unit by number', async () => {
    const adminPage = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    try {
      await signIn(adminPage, UNIT_ADMIN);
      await adminPage.goto(`${base}/console/window`);
      await adminPage.getByLabel('窗口号').fill(counter.windowNo);
      await adminPage.getByRole('button', { name: '查看' }).click();
      await expect.poll(() => adminPage.url()).toContain(`window=${counter.windowNo}`);
      await expect.poll(() => feedState(adminPage).textContent()).toContain('实时更新中');
      await expect.poll(() => caseNos(adminPage)).toContain(earlierCase);
      const liveCase = await rateAt(counter, { level: 3 });
      await expect.poll(async () => (await caseNos(adminPage))[0]).toBe(liveCase);

      // A window outside the administrator's unit does not exist for them.
      const outside = await staffedWindowIn('310101');
      await adminPage.getByLabel('窗口号').fill(outside.windowNo);
      await adminPage.getByRole('button', { name: '查看' }).click();
      await expect.poll(() => feedState(adminPage).textContent()).toContain('已停止更新');
      await expect.poll(() => adminPage.getByRole('alert').first().textContent()).toContain('不存在');
      expect(await adminPage.getByTestId('window-feed').count()).toBe(0);
    } finally {
      await adminPage.close();
    }
  });
});
