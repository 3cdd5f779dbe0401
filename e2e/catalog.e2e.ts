import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

const base = inject('baseUrl');
describe('catalogue browser in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
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

  it('drills down from the city to a district, a street and a community', async () => {
    await page.goto(`${base}/catalog/units`);
    await page
      .getByRole('list', { name: '市级单位列表' })
      .getByRole('link', { name: '上海市人民政府' })
      .click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('上海市人民政府');

    const children = page.getByRole('list', { name: '下级单位列表' });
    await children.getByRole('link', { name: '黄浦区', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('黄浦区');
    await page
      .getByRole('list', { name: '下级单位列表' })
      .getByRole('link', { name: '南京东路街道' })
      .waitFor();
    await shot(page, 'catalog');

    await page
      .getByRole('list', { name: '下级单位列表' })
      .getByRole('link', { name: '南京东路街道' })
      .click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('南京东路街道');
    const breadcrumb = page.getByRole('navigation', { name: '位置' });
    await expect.poll(() => breadcrumb.textContent()).toContain('黄浦区');

    const community = page
      .getByRole('list', { name: '下级单位列表' })
      .getByRole('link', { name: /委员会$/ })
      .first();
    const name = await community.textContent();
    await community.click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(name?.trim());
    expect(page.url()).toMatch(/\/catalog\/units\/\d{12}$/);
  });

  it('has no serious or critical accessibility violations on the unit page', async () => {
    await page.goto(`${base}/catalog/units/310101`);
    await page.getByRole('list', { name: '下级单位列表' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('searches service items by name', async () => {
    await page.goto(`${base}/catalog/items`);
    const list = page.getByTestId('item-list');
    await list.waitFor();
    await page.getByLabel('搜索事项名称').fill('身份证');
    await expect.poll(() => page.url()).toContain('q=');
    await expect
      .poll(async () => (await list.locator('tbody tr').allTextContents()).length)
      .toBeGreaterThan(0);
    const rows = await list.locator('tbody tr').allTextContents();
    expect(rows.every((r) => r.includes('身份证'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('switches to English and remembers it', async () => {
    await page.goto(`${base}/catalog/units/310101`);
    await page.getByLabel('语言').selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.getByRole('list', { name: 'Sub-unit list' }).waitFor();
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const phone = await browser.newPage({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
    await phone.goto(`${base}/catalog/units/310115`);
    await phone.getByRole('list', { name: '下级单位列表' }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone, 'catalog-phone');
    await phone.close();
  });

  it('serves the API docs page', async () => {
    await page.goto(`${base}/api/docs`);
    await page.getByText('Haochaping (好差评) API').first().waitFor();
  });
});
