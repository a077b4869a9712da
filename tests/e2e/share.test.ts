import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ask, openSidePanel, sidePanel, waitForAnswer } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// Share links in Chromium against `next start`: the panel's Share button copies a link to the conversation (the
// real clipboard), the link opens the read-only page in another browser (no session) with the question, the
// answer and its sources, at phone width without sideways scrolling; Share pressed again shows the same link (one live
// link per conversation); Stop sharing makes the link answer 410, and Share after it shows a new link.
// And reading a docs page counts one read for the maintainers.

let browser: TBrowser;
let stranger: TBrowser;
let baseUrl: string;

beforeAll(async () => {
  baseUrl = inject('fastUrl');
  browser = await launchBrowser({ baseURL: baseUrl });
  stranger = await launchBrowser({ baseURL: baseUrl });
});

afterAll(async () => {
  await browser?.close();
  await stranger?.close();
});

describe('share a conversation', () => {
  it('the Share button copies a link; the shared page renders at phone width for someone else; Stop sharing revokes it', async () => {
    const page = await browser.newPage({ width: 1440, height: 900 });
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/docs-page-read')) reads.push(request.postData() ?? '');
    });
    await page.goto('/docs/guides/slack');
    const panel = await openSidePanel(page);
    await expect.poll(() => reads).toEqual([JSON.stringify({ path: '/docs/guides/slack' })]);
    const question = 'How do I set up Slack for sharing?';
    await ask(page, panel, question);
    await waitForAnswer(panel);

    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await sidePanel(page).getByRole('button', { name: /Share this conversation/ }).click();
    await sidePanel(page).getByText('Link copied.', { exact: false }).waitFor();
    const url = await page.evaluate(() => navigator.clipboard.readText());
    expect(url).toMatch(/\/shared\/[A-Za-z0-9_-]{32}$/);
    expect(await sidePanel(page).getByRole('textbox', { name: 'Link to this conversation' }).inputValue()).toBe(url);
    await screenshot(page, 'share-button');

    // Pressed again: the same link, copied and shown again.
    await page.evaluate(() => navigator.clipboard.writeText('between'));
    await sidePanel(page).getByRole('button', { name: /Share this conversation/ }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(await sidePanel(page).getByRole('textbox', { name: 'Link to this conversation' }).inputValue()).toBe(url);

    const phone = await stranger.newPage({ width: 390, height: 844 });
    const response = await phone.goto(new URL(url).pathname);
    expect(response?.status()).toBe(200);
    await phone.getByRole('heading', { level: 1 }).waitFor();
    const log = phone.getByRole('log', { name: 'The shared conversation' });
    expect(await log.innerText()).toContain(question);
    expect(await log.getByRole('list', { name: 'Sources' }).getByRole('link').count()).toBeGreaterThan(0);
    expect(await phone.locator('meta[name="robots"]').getAttribute('content')).toMatch(/noindex/);
    // Nothing wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'shared-conversation-phone');

    await sidePanel(page).getByRole('button', { name: 'Stop sharing' }).click();
    await sidePanel(page).getByText('no longer work', { exact: false }).waitFor();
    const gone = await phone.goto(new URL(url).pathname);
    expect(gone?.status()).toBe(410);
    // Shared again after stopping: a new link, shown in the panel.
    await sidePanel(page).getByRole('button', { name: /Share this conversation/ }).click();
    await sidePanel(page).getByText('Link copied.', { exact: false }).waitFor();
    const renewed = await sidePanel(page).getByRole('textbox', { name: 'Link to this conversation' }).inputValue();
    expect(renewed).toMatch(/\/shared\/[A-Za-z0-9_-]{32}$/);
    expect(renewed).not.toBe(url);
    await page.close();
    await phone.close();
  });
});
