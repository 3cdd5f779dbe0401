import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, base, poll } from './api';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

interface UnitRow {
  code: string;
  name: string;
}
interface PublicRating {
  commentStatus: string;
  ticket: { id: string; reply: string | null } | null;
}

/** Lower-case letters only, so redaction (phones, ID numbers) can never touch the marker. */
const marker = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(
  '',
);
const COMMENT = `窗口排队太久，没有人引导 ${marker}`;
const REPLY = `已增加引导人员，高峰时段加开窗口 ${marker}`;

describe('public portal in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const district = { code: '310101', name: '黄浦区' };
  let street: UnitRow;
  let community: UnitRow;
  let item: UnitRow;
  let ratingId: string;

  beforeAll(async () => {
    // A community of 黄浦区 with its window and staff member, and any item.
    street = (
      await api<{ items: UnitRow[] }>('GET', `/api/v1/units?parent=${district.code}&level=street&limit=1`)
    ).items[0]!;
    community = (
      await api<{ items: UnitRow[] }>('GET', `/api/v1/units?parent=${street.code}&level=community&limit=1`)
    ).items[0]!;
    const windowNo = `${community.code}-W01`;
    const staff = (
      await api<{ items: { staffNo: string }[] }>('GET', `/api/v1/staff?window=${windowNo}&limit=1`)
    ).items[0]!;
    item = (await api<{ items: UnitRow[] }>('GET', '/api/v1/items?limit=1')).items[0]!;

    // A case done at that window, rated bad with a comment, as the business and channel systems do.
    const caseNo = `E2E-PORTAL-${marker}`;
    const now = Date.now();
    await api('POST', '/api/v1/cases', {
      caseNo,
      itemCode: item.code,
      unitCode: community.code,
      windowNo,
      staffNo: staff.staffNo,
      applicant: { kind: 'person', certType: '111', certNo: '11010519491231002X', name: '李四' },
      acceptedAt: new Date(now - 3_600_000).toISOString(),
      completedAt: new Date(now - 60_000).toISOString(),
      status: 'completed',
      promiseType: 'immediate',
    });
    const rated = await api<{ id: string }>('POST', '/api/v1/evaluations', {
      caseNo,
      round: 1,
      level: 1,
      channel: 'app',
      comment: COMMENT,
    });
    ratingId = rated.id;

    // The bad rating opened a ticket; the community's own system verifies and replies in public.
    const ticketId = await poll(async () => {
      const r = await api<PublicRating>('GET', `/api/v1/public/evaluations/${ratingId}`);
      return r.commentStatus === 'published' ? r.ticket?.id : undefined;
    });
    const unitKey = await api<{ key: string }>('POST', '/api/v1/api-keys', {
      name: `portal e2e ${marker}`,
      channels: [],
      operations: ['tickets:write'],
      unitCode: community.code,
    });
    await api(
      'POST',
      `/api/v1/tickets/${ticketId}/contact`,
      { handlingPath: 'fix_now', note: '已电话联系办事人，核实情况属实' },
      unitKey.key,
    );
    await api('POST', `/api/v1/tickets/${ticketId}/reply`, { text: REPLY }, unitKey.key);
    await poll(async () => {
      const r = await api<PublicRating>('GET', `/api/v1/public/evaluations/${ratingId}`);
      return r.ticket?.reply ?? undefined;
    });

    browser = await launch();
    page = await browser.newPage({
      viewport: { width: 1280, height: 860 },
      locale: 'zh-CN',
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const h1 = () => page.locator('h1').textContent();

  it('opens on the portal home with city-wide figures and no chart code', async () => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${base}/`);
    await page.waitForURL('**/portal');
    await expect.poll(h1).toBe('政务服务好差评公开');
    const figures = page.getByRole('region', { name: '全市总体情况' });
    await figures.getByText('好评率', { exact: true }).waitFor();
    for (const name of ['评价总数', '满意度', '差评回复率', '整改率']) {
      expect(await figures.getByText(name, { exact: true }).count()).toBe(1);
    }
    const ratings = await figures.locator('.figure', { hasText: '评价总数' }).locator('dd').textContent();
    expect(Number(ratings?.replaceAll(',', ''))).toBeGreaterThanOrEqual(1);
    // The bad rating just seeded is waiting for its fix, with its reply shown.
    const awaiting = page.getByRole('list', { name: '待整改的差评' });
    await expect.poll(() => awaiting.textContent()).toContain(COMMENT);
    await expect.poll(() => page.getByRole('list', { name: '最新回复' }).textContent()).toContain(REPLY);
    await shot(page, 'portal-home');
    page.removeAllListeners('request');
    expect(scripts.some((u) => /echarts|zrender/.test(u))).toBe(false);
  });

  it('drills down from the city to a community and opens the rating with its reply', async () => {
    await page.getByRole('list', { name: '市级单位' }).getByRole('link', { name: '上海市人民政府' }).click();
    await expect.poll(h1).toBe('上海市人民政府');
    await page
      .getByRole('list', { name: '各区' })
      .getByRole('link', { name: district.name, exact: true })
      .click();
    await expect.poll(h1).toBe(district.name);
    await page
      .getByRole('list', { name: '各街镇' })
      .getByRole('link', { name: street.name, exact: true })
      .click();
    await expect.poll(h1).toBe(street.name);
    await page
      .getByRole('list', { name: '各村居' })
      .getByRole('link', { name: community.name, exact: true })
      .click();
    await expect.poll(h1).toBe(community.name);
    expect(page.url()).toMatch(new RegExp(`/portal/units/${community.code}$`));
    const trail = page.getByRole('navigation', { name: '位置' });
    await expect.poll(() => trail.textContent()).toContain(street.name);

    // The unit's figures count the rating, and its list shows it with the reply.
    const figures = page.getByRole('region', { name: '评价统计' });
    await expect.poll(() => figures.textContent()).toContain('好评率');
    const card = page
      .getByRole('list', { name: '评价与回复' })
      .getByRole('listitem')
      .filter({ hasText: COMMENT });
    await expect.poll(() => card.textContent()).toContain(REPLY);
    await shot(page, 'portal-community');

    await card.getByRole('link', { name: /^查看详情/ }).click();
    await page.waitForURL(`**/portal/ratings/${ratingId}`);
    await expect.poll(h1).toBe('评价详情');
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain(COMMENT);
    expect(await main.textContent()).toContain(REPLY);
    expect(await main.textContent()).toContain('非常不满意');
    const timeline = page.getByRole('list', { name: '处理进程' });
    const steps = await timeline.locator('li strong').allTextContents();
    expect(steps.slice(0, 2)).toEqual(['提交评价', '生成差评工单']);
    expect(steps).toContain('公开回复');
    expect(await timeline.textContent()).toContain(REPLY);
    await shot(page, 'portal-rating');
  });

  it('filters a unit’s ratings by class, with matching CSV and Atom links', async () => {
    await page.goto(`${base}/portal/units/${community.code}`);
    await page.getByLabel('好评/差评').selectOption('bad');
    await expect.poll(() => page.url()).toContain('class=bad');
    const list = page.getByRole('list', { name: '评价与回复' });
    await expect.poll(() => list.textContent()).toContain(COMMENT);
    const badges = await list.locator('.tag--good, .tag--bad').allTextContents();
    expect(badges.every((b) => b.trim() === '差评')).toBe(true);

    const csv = await page.getByRole('link', { name: /CSV/ }).getAttribute('href');
    expect(csv).toBe(`/api/v1/public/evaluations.csv?unit=${community.code}&class=bad`);
    const body = await (await fetch(`${base}${csv}`)).text();
    expect(body).toContain(COMMENT);
    const atom = await page.getByRole('link', { name: /Atom/ }).getAttribute('href');
    expect(atom).toBe(`/api/v1/public/units/${community.code}/feed.atom`);
    expect((await fetch(`${base}${atom}`)).headers.get('content-type')).toContain('atom');
  });

  it('draws the monthly trend on demand and shows it as a table from the keyboard', async () => {
    await page.goto(`${base}/portal/units/${community.code}`);
    await page.locator('.trend__chart svg').first().waitFor();
    const toggle = page.getByRole('button', { name: '以表格显示' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const table = page.getByRole('region', { name: '近 12 个月评价统计' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(12);
  });

  it('shows an item’s figures and ratings', async () => {
    await page.goto(`${base}/portal/items/${item.code}`);
    await expect.poll(h1).toBe(item.name);
    await page.getByRole('region', { name: '事项评价统计' }).getByText('好评率').first().waitFor();
    const list = page.getByRole('list', { name: '本事项的评价' });
    await expect.poll(() => list.textContent()).toContain(COMMENT);
  });

  it('searches the comments', async () => {
    await page.goto(`${base}/portal/search`);
    await page.getByLabel('搜索评价内容').fill(marker);
    await expect.poll(() => page.url()).toContain(`q=${marker}`);
    const list = page.getByRole('list', { name: '公开评价' });
    await expect.poll(() => list.locator(':scope > li').count()).toBe(1);
    expect(await list.textContent()).toContain(COMMENT);
  });

  it.each([
    ['home', () => '/portal', '待整改的差评'],
    ['unit', () => `/portal/units/${community.code}`, '评价与回复'],
    ['item', () => `/portal/items/${item.code}`, '本事项的评价'],
    ['rating detail', () => `/portal/ratings/${ratingId}`, '处理进程'],
    ['search', () => `/portal/search?q=${marker}`, '公开评价'],
  ])('has no serious or critical accessibility violations on the %s page', async (_, path, list) => {
    await page.goto(`${base}${path()}`);
    await expect.poll(() => page.getByRole('list', { name: list }).textContent()).toContain(marker);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const phone = await browser.newPage({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
    for (const [path, name] of [
      ['/portal', 'portal-home-phone'],
      [`/portal/units/${community.code}`, 'portal-community-phone'],
      [`/portal/ratings/${ratingId}`, 'portal-rating-phone'],
    ] as const) {
      await phone.goto(`${base}${path}`);
      await expect.poll(() => phone.locator('main').textContent()).toContain(marker);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot(phone, name);
    }
    await phone.close();
  });

  it('speaks English when asked', async () => {
    const context = await browser.newContext({ locale: 'en', bypassCSP: AXE_NEEDS_INLINE_SCRIPT });
    const en = await context.newPage();
    await en.goto(`${base}/portal/ratings/${ratingId}`);
    await en.getByLabel('语言').selectOption('en');
    await en.getByRole('heading', { name: 'Rating details', level: 1 }).waitFor();
    await en.getByRole('list', { name: 'Progress' }).getByText('Public reply').waitFor();
    await context.close();
  });
});
