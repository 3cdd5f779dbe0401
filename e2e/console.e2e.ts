import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

const base = inject('baseUrl');
const adminKey = inject('adminKey');
const ACCOUNT = { username: 'huangpu.e2e', password: 'Huangpu-console-42', displayName: '黄浦区管理员' };

describe('console: sign-in, API keys and the audit log in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    // A district's unit administrator, provisioned through the API with the bootstrap key.
    const res = await fetch(`${base}/api/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ACCOUNT, role: 'unit_admin', unitCode: '310101' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
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

  it('sends a visitor to the login page, and signs in there', async () => {
    await page.goto(`${base}/console/api-keys`);
    await page.waitForURL(/\/console\/login\?returnTo=/);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await shot(page, 'console-login');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('用户名').fill(ACCOUNT.username);
    await page.getByLabel('密码', { exact: true }).fill('Wrong-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');

    await page.getByLabel('密码', { exact: true }).fill(ACCOUNT.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/console/api-keys');
    await expect.poll(() => page.getByTestId('console-user').textContent()).toContain(ACCOUNT.displayName);
    // A unit administrator's menu: no catalogue editing (system administrators only).
    const menu = page.getByRole('navigation', { name: '控制台导航' });
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(
      expect.arrayContaining(['用户与角色', 'API 密钥', '审计日志']),
    );
    expect(await menu.getByText('目录维护').count()).toBe(0);
  });

  it('issues an API key and shows its secret once', async () => {
    await page.getByRole('button', { name: '签发密钥' }).click();
    const dialog = page.getByRole('dialog', { name: '签发密钥' });
    await dialog.getByLabel('名称').fill('黄浦区自助终端');
    expect(await dialog.getByLabel('单位代码').inputValue()).toBe('310101');
    await dialog.getByText('提交评价').click();
    await dialog.getByText('自助终端', { exact: true }).click();
    await dialog.getByRole('button', { name: '签发' }).click();

    const secret = page.getByTestId('issued-secret');
    await expect.poll(() => secret.textContent()).toMatch(/^hcp_[a-z0-9]{12}_[A-Za-z0-9_-]{32,}$/);
    const key = (await secret.textContent())!;
    await shot(page, 'console-api-key');
    await page.getByRole('button', { name: '我已保存' }).click();
    await expect.poll(() => secret.count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    const row = page.getByTestId('api-key-list').getByRole('row', { name: /黄浦区自助终端/ });
    await expect.poll(() => row.textContent()).toContain('310101');
    expect(await axeViolations(page)).toEqual([]);

    // The key works, with the scope it was given.
    const probe = await fetch(`${base}/api/v1/cases/NOPE`, { headers: { authorization: `Bearer ${key}` } });
    expect(probe.status).toBe(403);
  });

  it('shows that action in the audit log, reached from the menu by keyboard', async () => {
    const item = page
      .getByRole('navigation', { name: '控制台导航' })
      .getByRole('menuitem', { name: '审计日志' });
    await item.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/console/audit-log');
    const list = page.getByTestId('audit-list');
    await list.waitFor();
    await expect.poll(() => list.locator('tbody').textContent()).toContain('api_key.create');
    expect(await list.locator('tbody').textContent()).toContain('auth.login');

    await page.getByLabel('操作', { exact: true }).fill('api_key.create');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.url()).toContain('action=api_key.create');
    await expect
      .poll(async () => new Set(await list.locator('tbody th').allTextContents()))
      .toEqual(new Set(['api_key.create']));
    const csv = await page.getByTestId('audit-csv').getAttribute('href');
    expect(csv).toBe('/api/v1/audit-log.csv?action=api_key.create');
    await shot(page, 'console-audit-log');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('fits a phone screen, with the menu behind a button', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    const toggle = page.getByRole('button', { name: '菜单' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('menuitem', { name: '用户与角色' }).click();
    await page.waitForURL('**/console/accounts');
    await page.getByTestId('account-list').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, 'console-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('signs out, after which the console asks to sign in again', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/console/login');
    await page.goto(`${base}/console`);
    await page.waitForURL(/\/console\/login\?returnTo=(%2F|\/)console$/);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });
});

describe('console: catalogue editing by a system administrator', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    const res = await fetch(`${base}/api/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'city.sysadmin',
        displayName: '系统管理员',
        role: 'sysadmin',
        unitCode: null,
        password: 'City-sysadmin-42',
      }),
    });
    expect(res.status).toBe(201);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    await page.goto(`${base}/console/login`);
    await page.getByLabel('用户名').fill('city.sysadmin');
    await page.getByLabel('密码', { exact: true }).fill('City-sysadmin-42');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/console$/);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates a window, shows the server refusing a bad one, and deletes it', async () => {
    await page
      .getByRole('navigation', { name: '控制台导航' })
      .getByRole('menuitem', { name: '目录维护' })
      .click();
    await page.getByRole('tab', { name: '窗口' }).click();
    const panel = page.getByRole('tabpanel', { name: '窗口' });
    await panel.getByTestId('windows-list').waitFor();
    await panel.getByRole('button', { name: '新增' }).click();
    const dialog = page.getByRole('dialog', { name: '新增' });
    await dialog.getByLabel('窗口号').fill('310101-E2E');
    await dialog.getByLabel('窗口名称').fill('测试窗口');
    await dialog.getByLabel('所在大厅').fill('一楼大厅');
    await dialog.getByLabel('单位代码').fill('399999');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('unitCode');

    await dialog.getByLabel('单位代码').fill('310101');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => panel.getByRole('status').first().textContent()).toContain('310101-E2E');
    await shot(page, 'console-catalog');
    const check = await fetch(`${base}/api/v1/windows/310101-E2E`);
    expect(await check.json()).toMatchObject({ name: '测试窗口', unitCode: '310101' });

    await panel.getByLabel('按名称搜索', { exact: true }).fill('测试窗口');
    const row = panel.getByRole('row', { name: /310101-E2E/ });
    await row.getByRole('button', { name: '删除' }).click();
    await page.getByRole('dialog', { name: '删除 310101-E2E' }).getByRole('button', { name: '删除' }).click();
    await expect.poll(async () => (await fetch(`${base}/api/v1/windows/310101-E2E`)).status).toBe(404);
  });
});
