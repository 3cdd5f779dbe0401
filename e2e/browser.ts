import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ARTIFACTS = 'e2e/artifacts';

/** Debian's Chromium, with the flags this closed network needs (no background calls home). */
export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves a full-page screenshot under e2e/artifacts. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/**
 * The server's CSP (script-src 'self') rightly blocks inline scripts; axe-core is injected as one,
 * so pages under test let test tooling through. The app itself never needs this.
 */
export const AXE_NEEDS_INLINE_SCRIPT = true;
