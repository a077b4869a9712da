import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answers, chatLog, openSidePanel, sidePanel, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// A docs page in a production build runs its own client (components/docs/client/), not Next's runtime: the
// page's HTML names one module and its imports, and moving between docs pages happens in place (the panel and
// its thread stay), with the address, the title, the history and the current page in the navigation kept as a
// page load would leave them. A page that is not a docs page, or data that cannot be had, is a page load.

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

async function openDocs(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ width, height: 900 });
  await page.goto(path);
  await waitForHydration(page);
  return page;
}

const markWindow = (page: Page) => page.evaluate(() => Object.assign(window, { __sameDocument: true }));
const isSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
const currentNavLink = (page: Page) => page.locator('aside [aria-current="page"]').first().textContent();
const heading = (page: Page) => page.locator('main h1').first().textContent();

/** Searches from the header and opens the Slack setup page's result, until that page's heading shows. */
async function openSlackSetupFromSearch(page: Page): Promise<void> {
  await page.getByRole('combobox', { name: 'Search the docs' }).fill('slack signing secret');
  // A page's result (until the results arrive, the list holds only "Ask the assistant about …").
  const option = page.getByRole('listbox', { name: 'Search results' }).getByRole('option').filter({ hasText: 'Slack setup' }).first();
  await option.waitFor();
  await option.click();
  await page.waitForURL((url) => url.pathname === '/docs/guides/slack');
  await expect.poll(() => heading(page)).toBe('Slack setup');
}

describe("a docs page's own client", () => {
  it("loads no script of Next's: its module and what it imports, from /_docs-client/", async () => {
    const page = await browser.newPage({ width: 1280, height: 900 });
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto('/docs/configuration');
    await waitForHydration(page);
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(1);
    expect(scripts.filter((path) => !path.startsWith('/_docs-client/'))).toEqual([]);
    expect(await page.locator('#__NEXT_DATA__').count()).toBe(0);
    // Its files are named by their content: kept by the browser for good.
    const response = await page.request.get(scripts[0]!);
    expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    await page.close();
  });

  it('opens a search result in place, and Back and Forward move between the two pages', async () => {
    const page = await openDocs('/docs/configuration');
    await markWindow(page);
    await openSlackSetupFromSearch(page);
    expect(await page.title()).toMatch(/^Slack setup · /);
    expect(await currentNavLink(page)).toBe('Slack setup');
    // The markdown twin's link in <head> names the new page.
    expect(await page.locator('head link[rel="alternate"][type="text/markdown"]').getAttribute('href')).toBe('/docs/guides/slack.md');
    expect(await page.locator('head link[rel="alternate"][type="text/markdown"]').count()).toBe(1);
    // Screen readers hear where they are now.
    await expect.poll(() => page.locator('#pa-route-announcer').textContent()).toMatch(/^Slack setup · /);
    expect(await isSameDocument(page)).toBe(true);

    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/docs/configuration');
    await expect.poll(() => heading(page)).toBe('Configuration');
    expect(await page.title()).toMatch(/^Configuration · /);
    expect(await currentNavLink(page)).toBe('Configuration');
    await page.goForward();
    await page.waitForURL((url) => url.pathname === '/docs/guides/slack');
    await expect.poll(() => heading(page)).toBe('Slack setup');
    expect(await isSameDocument(page)).toBe(true);
    await page.close();
  });

  it("keeps the panel's thread while its source links move between docs pages, at a phone's width too", async () => {
    for (const width of [1280, 390]) {
      const page = await openDocs('/docs/api', width);
      const panel = await openSidePanel(page);
      await panel.getByRole('textbox', { name: 'Ask a question about the docs' }).fill('How do I configure Slack?');
      await page.keyboard.press('Enter');
      const answer = await waitForAnswer(panel);
      await markWindow(page);
      const source = answer.getByRole('list', { name: 'Sources' }).getByRole('link').first();
      const href = (await source.getAttribute('href')) ?? '';
      await source.click();
      await page.waitForURL((url) => `${url.pathname}${url.hash}` === href);
      expect(await isSameDocument(page)).toBe(true);
      expect(await sidePanel(page).isVisible()).toBe(true);
      expect(await answers(sidePanel(page)).count()).toBe(1);
      expect(await chatLog(sidePanel(page)).getByText('How do I configure Slack?', { exact: true }).isVisible()).toBe(true);
      await screenshot(page, `docs-client-source-${width}`);
      await page.close();
    }
  });

  it('goes to a page that is not a docs page with a page load, and that page works', async () => {
    const page = await openDocs('/docs/configuration');
    await openSidePanel(page);
    await markWindow(page);
    await sidePanel(page).getByRole('link', { name: 'Open all threads' }).click();
    await page.waitForURL((url) => url.pathname === '/assistant');
    await waitForHydration(page);
    expect(await isSameDocument(page)).toBe(false);
    expect(await page.getByRole('textbox', { name: 'Ask a question about the docs' }).isVisible()).toBe(true);
    await page.close();
  });

  it('falls back to a page load when the next page\'s data cannot be fetched: the reader still gets there', async () => {
    const page = await openDocs('/docs/configuration');
    await page.route('**/_next/data/**', (route) => route.abort('connectionreset'));
    await markWindow(page);
    await openSlackSetupFromSearch(page);
    expect(await isSameDocument(page)).toBe(false);
    await page.close();
  });
});
