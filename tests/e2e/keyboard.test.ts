import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { isComposerEnabled, sidePanel, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, type TBrowser } from './helpers/browser';

// Keyboard only, end to end: no clicks anywhere in this file.

let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
  page = await browser.newPage({ width: 1440, height: 900 });
});

afterAll(async () => {
  await browser?.close();
});

/** Describes the focused element by its role-ish tag and accessible label or text. */
const focused = () =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const label = element.getAttribute('aria-label') ?? element.getAttribute('title') ?? element.innerText ?? '';
    return `${element.tagName.toLowerCase()}:${label.trim().replace(/\s+/g, ' ')}`;
  });

/** Presses Tab (or Shift+Tab) until the focused element matches, failing after `limit` presses. */
async function tabTo(pattern: RegExp, { limit = 40, back = false } = {}): Promise<void> {
  for (let index = 0; index < limit; index += 1) {
    if (pattern.test(await focused())) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Focus never reached ${pattern} (last: ${await focused()})`);
}

describe('keyboard only', () => {
  it('docs page: open the panel, ask, follow a source, close the panel', async () => {
    await page.goto('/docs/configuration');
    await waitForHydration(page);
    await page.keyboard.press('Control+i');
    await sidePanel(page).waitFor({ state: 'visible' });
    await expect.poll(focused).toMatch(/^textarea:Ask a question about the docs/);

    await page.keyboard.type('How do I configure Slack?');
    await page.keyboard.press('Enter');
    const answer = await waitForAnswer(sidePanel(page));
    // Focus is back in the message box once the answer is in.
    await expect.poll(() => isComposerEnabled(sidePanel(page))).toBe(true);
    await expect.poll(focused).toMatch(/^textarea:Ask a question about the docs/);

    const href = (await answer.getByRole('list', { name: 'Sources' }).getByRole('link').first().getAttribute('href'))!;
    const title = (await answer.getByRole('list', { name: 'Sources' }).getByRole('link').first().innerText()).trim();
    await tabTo(new RegExp(`^a:${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), { back: true });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => `${url.pathname}${url.hash}` === href);

    await tabTo(/^textarea:Ask a question about the docs/);
    await page.keyboard.press('Escape');
    await sidePanel(page).waitFor({ state: 'detached' });
  });

  it('/assistant: select, rename and delete threads', async () => {
    await page.goto('/assistant');
    await waitForHydration(page);
    await page.getByRole('listbox', { name: 'Threads' }).waitFor({ state: 'visible' });
    await tabTo(/^button:.*How do I configure Slack/);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('thread')).toMatch(/^thread_/);
    await waitForAnswer(page);

    await tabTo(/^button:Rename thread/);
    await page.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/^input:/);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Slack by keyboard');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('option', { name: /Slack by keyboard/ }).count()).toBe(1);
    await expect.poll(focused).toBe('button:Rename thread: Slack by keyboard');

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Delete thread: Slack by keyboard');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Delete this thread?' });
    await dialog.waitFor({ state: 'visible' });
    await tabTo(/^button:Delete thread$/);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('option', { name: /Slack by keyboard/ }).count()).toBe(0);
  });
});
