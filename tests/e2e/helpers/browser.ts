import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@/scripts/lib/chromium';
import { makeTempDir, removeTempDir } from '@/scripts/lib/temp-dir';

// Debian's Chromium, headless, with a fresh profile per test file and nothing that phones home.

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../__screenshots__');

export type TBrowser = { context: BrowserContext; newPage(viewport?: { width: number; height: number }): Promise<Page>; close(): Promise<void> };

/** `locale` sets the browser's language (navigator.languages, Accept-Language); Chromium's default otherwise. */
export async function launchBrowser({ baseURL, locale }: { baseURL: string; locale?: string }): Promise<TBrowser> {
  const userDataDir = makeTempDir('pa-e2e-profile-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    baseURL,
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    ...(locale ? { locale } : {}),
  });
  // A wait's limit, not a speed check: the browser tier's expect.poll limit (vitest.e2e.config.mts), for the same
  // reason. At 15 s, "You stopped this answer." rendered too late once under CI's load (reader-features, Retry after Stop).
  context.setDefaultTimeout(30_000);
  return {
    context,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      await context.close();
      removeTempDir(userDataDir);
    },
  };
}

/** Saves a PNG under tests/e2e/__screenshots__ (an artifact, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}
