// The rendered portal never shows personal data: a case with a real-looking ID number, phone and
// name is rated with a comment and answered with a reply that both contain them; every portal page
// that shows the rating is then read as text and searched for each secret.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, base, poll } from './api';
import { launch } from './browser';

/** A valid 18-digit resident ID (GB 11643 check digit) that no real person holds in this test. */
function idNumber(): string {
  const body = `11010119900307${String(Math.floor(Math.random() * 900) + 100)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

const CERT = idNumber();
const PHONE = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const NAME = '欧阳明远';
const EMAIL = 'ouyang.mingyuan@example.cn';
const SECRETS = [CERT, PHONE, NAME, EMAIL, NAME.slice(2)];

describe('the rendered portal leaks no personal data', () => {
  let browser: Browser;
  let page: Page;
  let ratingId: string;
  let unitCode: string;

  beforeAll(async () => {
    const staff = (
      await api<{ items: { staffNo: string; windowNo: string | null; unitCode: string }[] }>(
        'GET',
        '/api/v1/staff?limit=50',
      )
    ).items.find((s) => s.windowNo)!;
    const item = (await api<{ items: { code: string }[] }>('GET', '/api/v1/items?limit=1')).items[0]!;
    unitCode = staff.unitCode;
    const caseNo = `E2E-PRIV-${Date.now()}`;
    const now = Date.now();
    await api('POST', '/api/v1/cases', {
      caseNo,
      itemCode: item.code,
      unitCode: staff.unitCode,
      windowNo: staff.windowNo,
      staffNo: staff.staffNo,
      applicant: { kind: 'person', certType: '111', certNo: CERT, name: NAME, phone: PHONE },
      acceptedAt: new Date(now - 3_600_000).toISOString(),
      completedAt: new Date(now - 60_000).toISOString(),
      status: 'completed',
      promiseType: 'immediate',
    });
    ratingId = (
      await api<{ id: string }>('POST', '/api/v1/evaluations', {
        caseNo,
        round: 1,
        level: 1,
        channel: 'app',
        comment: `我是${NAME}，身份证${CERT}，电话${PHONE}，邮箱${EMAIL}，材料被退回三次`,
      })
    ).id;
    const ticketId = await poll(async () => {
      const r = await api<{ commentStatus: string; ticket: { id: string } | null }>(
        'GET',
        `/api/v1/public/evaluations/${ratingId}`,
      );
      return r.commentStatus === 'published' ? r.ticket?.id : undefined;
    });
    const key = await api<{ key: string }>('POST', '/api/v1/api-keys', {
      name: 'privacy e2e',
      channels: [],
      operations: ['tickets:write'],
      unitCode: staff.unitCode,
    });
    await api(
      'POST',
      `/api/v1/tickets/${ticketId}/contact`,
      { handlingPath: 'fix_now', note: '已联系' },
      key.key,
    );
    await api(
      'POST',
      `/api/v1/tickets/${ticketId}/reply`,
      { text: `${NAME}您好，已按您留的电话${PHONE}回访，窗口已整改。` },
      key.key,
    );
    await poll(async () => {
      const r = await api<{ ticket: { reply: string | null } | null }>(
        'GET',
        `/api/v1/public/evaluations/${ratingId}`,
      );
      return r.ticket?.reply ?? undefined;
    });
    browser = await launch();
    page = await browser.newPage({ locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the redacted comment and reply, and none of the secrets, on every page that lists them', async () => {
    const pages = [
      `/portal/ratings/${ratingId}`,
      `/portal/units/${unitCode}`,
      '/portal',
      `/portal/search?q=${encodeURIComponent('材料被退回')}`,
    ];
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.getByText('材料被退回三次').first().waitFor({ timeout: 15_000 });
      const text = await page.locator('body').innerText();
      const html = await page.content();
      for (const secret of SECRETS) {
        expect(text.includes(secret), `${secret} visible on ${path}`).toBe(false);
        expect(html.includes(secret), `${secret} in the HTML of ${path}`).toBe(false);
      }
    }
    // The detail page does show the redacted reply (the test is not passing on an empty page).
    await page.goto(`${base}/portal/ratings/${ratingId}`);
    await page.getByText('窗口已整改').first().waitFor({ timeout: 15_000 });
  });
});
