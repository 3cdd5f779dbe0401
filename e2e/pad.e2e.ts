import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as admin, base } from './api';
import { axeViolations } from './axe';
import { AXE_NEEDS_INLINE_SCRIPT, launch, shot } from './browser';

interface StoredEvaluation {
  caseNo: string;
  level: number;
  channel: string;
  reasons: string[];
  comment: string | null;
}

/** The stored ratings of a case. */
const evaluationsOf = (caseNo: string) =>
  admin<StoredEvaluation[]>('GET', `/api/v1/cases/${caseNo}/evaluations`);

interface Staffed {
  staffNo: string;
  windowNo: string;
  unitCode: string;
}

let serial = 0;
/** Pushes a case completed just now at the staffed window, as the business system does. */
async function pushCompletedCase(staff: Staffed, itemCode: string): Promise<string> {
  serial += 1;
  const caseNo = `E2E-${Date.now()}-${serial}`;
  const now = Date.now();
  await admin('POST', '/api/v1/cases', {
    caseNo,
    itemCode,
    unitCode: staff.unitCode,
    windowNo: staff.windowNo,
    staffNo: staff.staffNo,
    applicant: { kind: 'person', certType: '111', certNo: `31010119900101${serial}`, name: '张三' },
    acceptedAt: new Date(now - 3_600_000).toISOString(),
    completedAt: new Date(now).toISOString(),
    status: 'completed',
    promiseType: 'immediate',
  });
  return caseNo;
}

describe('window pad and rating link in Chromium', () => {
  let browser: Browser;
  let padContext: BrowserContext;
  let pad: Page;
  let staff: Staffed;
  let itemCode: string;
  let itemName: string;

  beforeAll(async () => {
    const staffPage = await admin<{ items: (Staffed & { windowNo: string | null })[] }>(
      'GET',
      '/api/v1/staff?limit=100',
    );
    const found = staffPage.items.find((s) => s.windowNo);
    if (!found) throw new Error('the demo seed has no staff member at a window');
    staff = { staffNo: found.staffNo, windowNo: found.windowNo!, unitCode: found.unitCode };
    const items = await admin<{ items: { code: string; name: string }[] }>('GET', '/api/v1/items?limit=1');
    itemCode = items.items[0]!.code;
    itemName = items.items[0]!.name;

    browser = await launch();
    padContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
    });
    pad = await padContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Asks the pad to rate a fresh case and waits for its rating screen. */
  async function requestRatingOnPad(): Promise<string> {
    await pad.getByText('已连接').waitFor();
    const caseNo = await pushCompletedCase(staff, itemCode);
    const sent = await admin<{ requestId: string; delivered: number }>(
      'POST',
      `/api/v1/windows/${staff.windowNo}/rating-requests`,
      { caseNo },
    );
    expect(sent.delivered).toBeGreaterThanOrEqual(1);
    await pad.getByRole('heading', { name: '请对本次服务进行评价' }).waitFor();
    await expect.poll(() => pad.locator('main').textContent()).toContain(itemName);
    return caseNo;
  }

  it('pairs a pad, receives the rating request and stores a good rating', async () => {
    const created = await admin<{ padId: string; pairingCode: string; windowNo: string }>(
      'POST',
      `/api/v1/windows/${staff.windowNo}/pads`,
      { name: 'E2E pad' },
    );
    expect(created.pairingCode).toMatch(/^\d{6}$/);

    await pad.goto(`${base}/pad`);
    await pad.getByRole('heading', { name: '配对评价器' }).waitFor();
    expect(await pad.getByRole('navigation').count()).toBe(0); // no site header on the pad
    await shot(pad, 'pad-pairing');
    await pad.getByLabel('配对码').fill(created.pairingCode);
    await pad.getByRole('button', { name: '配对' }).click();
    await pad.getByText('请在办理完成后对本次服务进行评价').waitFor();
    await pad.getByText('已连接').waitFor();
    const stored = await pad.evaluate(() => JSON.parse(localStorage.getItem('hcp.pad') ?? 'null'));
    expect(stored).toMatchObject({ padId: created.padId, windowNo: staff.windowNo });
    expect(stored.padToken).toMatch(/^pk_/);
    await shot(pad, 'pad-waiting');

    const caseNo = await requestRatingOnPad();
    await expect.poll(() => pad.locator('main').textContent()).toContain(staff.staffNo);
    for (const name of ['非常满意', '满意', '基本满意', '不满意', '非常不满意']) {
      expect(await pad.getByRole('button', { name, exact: true }).count()).toBe(1);
    }
    await shot(pad, 'pad-rating');

    await pad.getByRole('button', { name: '满意', exact: true }).click();
    await pad.getByRole('heading', { name: '感谢您的评价' }).waitFor();
    const stored1 = await evaluationsOf(caseNo);
    expect(stored1).toHaveLength(1);
    expect(stored1[0]).toMatchObject({ caseNo, level: 4, channel: 'window_pad' });

    // About 4 s later the pad is ready for the next applicant.
    await pad.getByText('请在办理完成后对本次服务进行评价').waitFor({ timeout: 8000 });
  });

  it('asks for a reason on a bad rating and stores it with the reason', async () => {
    const caseNo = await requestRatingOnPad();
    await pad.getByRole('button', { name: '不满意', exact: true }).click();
    const submit = pad.getByRole('button', { name: '提交评价' });
    await submit.waitFor();
    await pad.getByText('请至少选择一项原因，或填写意见后提交。').waitFor();
    expect(await submit.isDisabled()).toBe(true);

    const chip = pad.locator('[data-reason]').first();
    await chip.waitFor();
    const reason = await chip.getAttribute('data-reason');
    await chip.click();
    await expect.poll(() => chip.getAttribute('aria-pressed')).toBe('true');
    expect(await submit.isDisabled()).toBe(false);
    expect(await axeViolations(pad)).toEqual([]);
    await shot(pad, 'pad-rating-bad');

    await submit.click();
    await pad.getByRole('heading', { name: '感谢您的评价' }).waitFor();
    const stored = await evaluationsOf(caseNo);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ level: 2, channel: 'window_pad', reasons: [reason] });
  });

  it('has no serious accessibility violations on the plain rating screen', async () => {
    await requestRatingOnPad();
    expect(await axeViolations(pad)).toEqual([]);
  });

  it('keeps a rating made offline and uploads it exactly once when back online', async () => {
    const caseNo = await requestRatingOnPad();
    await padContext.setOffline(true);
    try {
      await pad.getByRole('button', { name: '满意', exact: true }).click();
      await pad.getByRole('heading', { name: '感谢您的评价' }).waitFor();
      await pad.getByTestId('pad-pending').getByText('1 条评价待上传').waitFor();
      await shot(pad, 'pad-offline-thanks');
      const queued = await pad.evaluate(() => JSON.parse(localStorage.getItem('hcp.pad.queue') ?? '[]'));
      expect(queued).toHaveLength(1);
      expect(queued[0].body).toMatchObject({ caseNo, level: 4, channel: 'window_pad' });
      expect(await evaluationsOf(caseNo)).toHaveLength(0);
    } finally {
      await padContext.setOffline(false);
    }
    await expect.poll(() => evaluationsOf(caseNo).then((e) => e.length), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => pad.getByTestId('pad-pending').count(), { timeout: 5000 }).toBe(0);
    expect(await pad.evaluate(() => localStorage.getItem('hcp.pad.queue'))).toBeNull();
    const stored = await evaluationsOf(caseNo);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ level: 4, channel: 'window_pad' });
  });

  it('rates by a QR-code link on a phone, once', async () => {
    const caseNo = await pushCompletedCase(staff, itemCode);
    const { token } = await admin<{ token: string }>('POST', `/api/v1/cases/${caseNo}/rating-tokens`, {});
    const phoneContext = await browser.newContext({
      bypassCSP: AXE_NEEDS_INLINE_SCRIPT,
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    const phone = await phoneContext.newPage();
    try {
      await phone.goto(`${base}/r/${token}?via=qr`);
      await phone.getByRole('heading', { name: '服务评价' }).waitFor();
      const facts = await phone.locator('dl').textContent();
      expect(facts).toContain(itemName);
      expect(facts).toContain(staff.windowNo);
      expect(facts).toContain(staff.staffNo);
      expect(await phone.getByRole('navigation').count()).toBe(0);
      expect(await phone.getByRole('button', { name: '提交评价' }).isDisabled()).toBe(true);

      await phone.getByRole('button', { name: '非常满意', exact: true }).click();
      await phone.getByLabel('意见或建议（选填）').fill('窗口服务很耐心');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await axeViolations(phone)).toEqual([]);
      await shot(phone, 'rate-phone');

      await phone.getByRole('button', { name: '提交评价' }).click();
      await phone.getByRole('heading', { name: '感谢您的评价' }).waitFor();
      const stored = await evaluationsOf(caseNo);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ level: 5, channel: 'qrcode', comment: '窗口服务很耐心' });

      await phone.reload();
      await phone.getByRole('heading', { name: '该评价链接已使用或已过期' }).waitFor();
      await phone.goto(`${base}/r/rt_${'x'.repeat(30)}`);
      await phone.getByRole('heading', { name: '评价链接无效' }).waitFor();
    } finally {
      await phoneContext.close();
    }
  });
});
