import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// A docs page's "Page actions" menu in Chromium against `next start`: the stand-in button loads Paste's menu
// and opens it, on a desktop and a phone; the page is copied as its markdown twin through the real clipboard,
// "View as Markdown" opens the twin, and the chat links carry the page's URL and a question. Nothing is loaded
// from another site (the chats are plain links).

let browser: TBrowser;
let baseUrl: string;
const foreignRequests: string[] = [];

beforeAll(async () => {
  baseUrl = inject('fastUrl');
  browser = await launchBrowser({ baseURL: baseUrl });
  browser.context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
});

afterAll(async () => {
  await browser?.close();
});

const PAGE = '/docs/guides/slack';

describe.each([
  { device: 'desktop', width: 1440, height: 900 },
  { device: 'phone', width: 390, height: 844 },
])('the page actions menu on a $device', ({ device, width, height }) => {
  it('opens from its button, inside the screen, and its links carry the page URL and a question', async () => {
    const page = await browser.newPage({ width, height });
    await page.goto(PAGE);
    await waitForHydration(page);
    await page.getByRole('button', { name: /Page actions/ }).click();
    const menu = page.getByRole('menu', { name: 'Page actions' });
    await menu.waitFor();
    const items = menu.getByRole('menuitem');
    expect(await items.allInnerTexts()).toEqual(['Copy page as Markdown', 'View as Markdown', 'Open in ChatGPT', 'Open in Claude']);
    // The menu took the pressed button's place and focus went to its first item, for the keyboard.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Copy page as Markdown');
    const box = await menu.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= width && box.y + box.height <= height, JSON.stringify(box)).toBe(true);
    await screenshot(page, `page-actions-${device}`);

    expect(await items.nth(1).getAttribute('href')).toBe(`${PAGE}.md`);
    const pageUrl = `${baseUrl}${PAGE}`;
    for (const [index, site] of [
      [2, 'https://chatgpt.com/'],
      [3, 'https://claude.ai/new'],
    ] as const) {
      const url = new URL((await items.nth(index).getAttribute('href')) ?? '');
      expect(`${url.origin}${url.pathname}`).toBe(site);
      expect(url.searchParams.get('q')).toBe(`Read ${pageUrl} (as markdown: ${pageUrl}.md) so that I can ask you questions about "Slack setup".`);
      expect(await items.nth(index).getAttribute('target')).toBe('_blank');
      expect(await items.nth(index).getAttribute('rel')).toMatch(/noopener/);
    }
    await page.close();
  });

  it('copies the page as its markdown twin, and "View as Markdown" opens the twin', async () => {
    const page = await browser.newPage({ width, height });
    await page.goto(PAGE);
    await waitForHydration(page);
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await page.getByRole('button', { name: /Page actions/ }).click();
    await page.getByRole('menuitem', { name: 'Copy page as Markdown' }).click();
    await page.getByText('Copied the page as Markdown').waitFor();
    const twin = await (await fetch(`${baseUrl}${PAGE}.md`)).text();
    expect(twin).toMatch(/^# Slack setup\n/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(twin);

    await page.getByRole('button', { name: /Page actions/ }).click();
    await page.getByRole('menuitem', { name: 'View as Markdown' }).click();
    await page.waitForURL(`${baseUrl}${PAGE}.md`);
    // Chromium shows a text document in one <pre>, as it was sent.
    expect(await page.evaluate(() => document.contentType)).toBe('text/markdown');
    expect(await page.locator('pre').textContent()).toBe(twin);
    await page.close();
  });
});

describe('the page actions menu and other sites', () => {
  it('loaded nothing from another site while it was used', () => {
    expect(foreignRequests).toEqual([]);
  });
});
