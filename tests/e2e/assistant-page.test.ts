import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answers, ask, chatLog, composer, isComposerEnabled, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { E2E_MAX_MESSAGE_CHARS } from './helpers/global-setup';

// /assistant in a real browser against `next start`: threads created by asking, renamed, deleted; votes;
// errors as toasts; the layout at 1440 px and at 375 px.

let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
  page = await browser.newPage({ width: 1440, height: 900 });
});

afterAll(async () => {
  await browser?.close();
});

const threadList = () => page.getByRole('listbox', { name: 'Threads' });
const threadOptions = () => threadList().getByRole('option');
const threadId = () => new URL(page.url()).searchParams.get('thread');

async function openAssistant(path = '/assistant') {
  await page.goto(path);
  await waitForHydration(page);
}

describe('/assistant', () => {
  it('creates a thread by asking; the answer, its sources and the generated title appear without a reload', async () => {
    await openAssistant();
    await expect.poll(() => page.getByRole('heading', { name: 'Ask the docs' }).isVisible()).toBe(true);
    await screenshot(page, 'page-empty-state');

    await ask(page, page, 'How do I run the tests?');
    const answer = await waitForAnswer(page);
    expect(await answer.getByRole('link').count()).toBeGreaterThan(0);
    await expect.poll(threadId).toMatch(/^thread_/);
    await expect.poll(() => threadOptions().count()).toBe(1);
    await expect.poll(() => threadOptions().first().textContent()).toContain('How do I run the tests');
    expect(await threadOptions().first().getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => isComposerEnabled(page)).toBe(true);
    await screenshot(page, 'page-answer-1440');
  });

  it('votes on an answer, and the vote survives a reload', async () => {
    const answer = answers(page).first();
    const helpful = answer.getByRole('button', { name: 'Helpful', exact: true });
    await helpful.click();
    await expect.poll(() => helpful.getAttribute('aria-pressed')).toBe('true');
    await answer.getByRole('button', { name: 'Not helpful' }).click();
    await expect.poll(() => answer.getByRole('button', { name: 'Not helpful' }).getAttribute('aria-pressed')).toBe('true');
    expect(await helpful.getAttribute('aria-pressed')).toBe('false');
    await page.reload();
    await waitForAnswer(page);
    await expect.poll(() => answers(page).first().getByRole('button', { name: 'Not helpful' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('renames a thread inline; the title is saved on the server', async () => {
    await page.getByRole('button', { name: /^Rename thread/ }).click();
    const field = page.getByRole('textbox', { name: 'Thread title' });
    await field.fill('Running the test suite');
    await page.keyboard.press('Enter');
    await expect.poll(() => threadOptions().first().textContent()).toContain('Running the test suite');
    await page.reload();
    await expect.poll(() => threadOptions().first().textContent()).toContain('Running the test suite');
    await expect.poll(() => page.getByRole('heading', { name: 'Running the test suite' }).isVisible()).toBe(true);
  });

  it('keeps threads apart and deletes one after confirmation', async () => {
    const first = threadId();
    await page.getByRole('button', { name: 'New thread' }).click();
    await expect.poll(threadId).toBeNull();
    await ask(page, page, 'How do I connect an AI model?');
    await waitForAnswer(page);
    await expect.poll(() => threadOptions().count()).toBe(2);
    const second = threadId();
    expect(second).not.toBe(first);
    expect(await chatLog(page).getByText('How do I run the tests?', { exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: /^Delete thread/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this thread?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await threadOptions().count()).toBe(2);

    await page.getByRole('button', { name: /^Delete thread/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete thread' }).click();
    await expect.poll(() => threadOptions().count()).toBe(1);
    await expect.poll(threadId).toBeNull();
    await page.reload();
    await expect.poll(() => threadOptions().count()).toBe(1);
    expect(await threadOptions().first().textContent()).toContain('Running the test suite');
  });

  it('shows the server\'s message in a toast when a request fails, and keeps the text', async () => {
    await openAssistant();
    const tooLong = `Please read this: ${'x'.repeat(E2E_MAX_MESSAGE_CHARS)}`;
    await composer(page).click();
    await page.keyboard.insertText(tooLong);
    await page.keyboard.press('Enter');
    const toast = page.getByText(`Messages can be at most ${E2E_MAX_MESSAGE_CHARS} characters; this one has ${tooLong.length}.`);
    await toast.waitFor({ state: 'visible' });
    await expect.poll(() => composer(page).inputValue()).toBe(tooLong);
    // The refused message does not name the thread it would have started.
    await page.waitForTimeout(2000);
    expect(await threadOptions().first().textContent()).toMatch(/^New thread/);
    await screenshot(page, 'error-toast');
  });

  it('collapses the thread list at 375 px and still works', async () => {
    const mobile = await browser.newPage({ width: 375, height: 812 });
    try {
      await mobile.goto('/assistant');
      await waitForHydration(mobile);
      const toggle = mobile.getByRole('button', { name: 'Show threads' });
      await toggle.waitFor({ state: 'visible' });
      expect(await mobile.getByRole('listbox', { name: 'Threads' }).isVisible()).toBe(false);
      await screenshot(mobile, 'mobile-375-empty');
      await toggle.click();
      await mobile.getByRole('listbox', { name: 'Threads' }).waitFor({ state: 'visible' });
      await screenshot(mobile, 'mobile-375-thread-list');
      await mobile.getByRole('listbox', { name: 'Threads' }).getByRole('option', { name: /Running the test suite/ }).click();
      const answer = await waitForAnswer(mobile);
      expect(await mobile.getByRole('listbox', { name: 'Threads' }).isVisible()).toBe(false);
      const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
      expect(await answer.isVisible()).toBe(true);
      await screenshot(mobile, 'mobile-375-conversation');

      await mobile.goto('/docs');
      await waitForHydration(mobile);
      await mobile.keyboard.press('Control+i');
      await mobile.getByRole('dialog', { name: 'Assistant' }).waitFor({ state: 'visible' });
      // Modal from the first frame: while its code loads (a placeholder stands in, aria-busy) and after.
      expect(await mobile.getByRole('dialog', { name: 'Assistant' }).getAttribute('aria-modal')).toBe('true');
      await mobile.getByLabel('Ask a question about the docs').waitFor({ state: 'visible' });
      // Below the first breakpoint the panel is a full-screen sheet over the page.
      const box = (await mobile.getByRole('dialog', { name: 'Assistant' }).boundingBox())!;
      expect(box.width).toBe(375);
      expect(await mobile.getByRole('dialog', { name: 'Assistant' }).getAttribute('aria-modal')).toBe('true');
      await screenshot(mobile, 'mobile-375-panel');
    } finally {
      await mobile.close();
    }
  });
});
