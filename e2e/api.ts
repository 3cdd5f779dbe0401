// What the browser tests share: the running server (from the global setup), API calls as a business
// system or administrator, waiting for the server's background work, and console sign-in.
import type { Page } from 'playwright-core';
import { inject } from 'vitest';

export const base = inject('baseUrl');
export const adminKey = inject('adminKey');

/**
 * Calls the API with a bearer key (the bootstrap administrator key unless another is given);
 * throws on a non-2xx answer, naming the call and the server's body.
 */
export async function api<T>(method: string, path: string, body?: unknown, key = adminKey): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Reads until the value is there (the publisher and the sweeps run every second or so). */
export async function poll<T>(read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the server');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Signs in on the console's login page and waits for the console home. */
export async function signIn(page: Page, a: { username: string; password: string }) {
  await page.goto(`${base}/console/login`);
  await page.getByLabel('用户名').fill(a.username);
  await page.getByLabel('密码', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console$/);
}
