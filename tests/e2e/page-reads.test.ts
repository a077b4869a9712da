import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, type TBrowser } from './helpers/browser';

// Page reads as Chromium sends them (components/docs/use-page-read.ts): a docs page counts one, answered 200; the
// home page and the 404 page, laid out like docs pages, send nothing (the home page's `{"path":"/"}` was a 400 in
// the console of every visit).

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

/** The page-read posts the page makes while `route` loads and settles: their bodies and statuses. */
async function readsOf(page: Page, route: string): Promise<{ body: string | null; status: number | undefined }[]> {
  const reads: Promise<{ body: string | null; status: number | undefined }>[] = [];
  const onRequest = (request: Request) => {
    if (new URL(request.url()).pathname !== '/api/docs-page-read') return;
    reads.push(request.response().then((response) => ({ body: request.postData(), status: response?.status() })));
  };
  page.on('request', onRequest);
  try {
    await page.goto(route, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    // The read is sent from an effect after hydration: a moment for it to leave.
    await page.waitForTimeout(500);
    return await Promise.all(reads);
  } finally {
    page.off('request', onRequest);
  }
}

describe('page reads from the browser', () => {
  it('a docs page sends one read, answered 200; the home page and the 404 page send none', async () => {
    const page = await browser.newPage();
    try {
      expect(await readsOf(page, '/')).toEqual([]);
      expect(await readsOf(page, '/docs/no-such-page')).toEqual([]);
      expect(await readsOf(page, '/docs/configuration')).toEqual([{ body: JSON.stringify({ path: '/docs/configuration' }), status: 200 }]);
    } finally {
      await page.close();
    }
  });
});
