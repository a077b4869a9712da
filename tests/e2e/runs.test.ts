import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ask, chatLog, isComposerEnabled, stopButton, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { E2E_SLOW_DELAY_MS } from './helpers/global-setup';

// Runs that stay pending: the "slow" server's offline model waits OFFLINE_MODEL_DELAY_MS before each of its
// two responses and the message route gives up waiting after 1 s, so the browser really polls a pending run.

let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('slowUrl') });
  page = await browser.newPage({ width: 1440, height: 900 });
});

afterAll(async () => {
  await browser?.close();
});

describe('pending runs', () => {
  it('resumes after a reload mid-run and the answer arrives', async () => {
    await page.goto('/assistant');
    await waitForHydration(page);
    await ask(page, page, 'How do I configure Slack?');
    await stopButton(page).waitFor({ state: 'visible' });
    await expect.poll(() => new URL(page.url()).searchParams.get('thread')).toMatch(/^thread_/);
    expect(await isComposerEnabled(page)).toBe(false);
    await screenshot(page, 'run-pending');

    // Reload while the run is still going (the model holds each of its two responses for E2E_SLOW_DELAY_MS).
    // The proof that the reload landed mid-run is the page's own: Stop shows before it and again after it,
    // which only a run the server still holds as active can bring back. A clock would be a guess under load.
    await page.waitForTimeout(500);
    expect(await stopButton(page).isVisible()).toBe(true);
    await page.reload();
    await waitForHydration(page);
    await stopButton(page).waitFor({ state: 'visible' });
    expect(await chatLog(page).getByText('How do I configure Slack?', { exact: true }).isVisible()).toBe(true);

    const answer = await waitForAnswer(page, 1, E2E_SLOW_DELAY_MS * 4);
    expect(await answer.getByText('Sources').isVisible()).toBe(true);
    await expect.poll(() => stopButton(page).count()).toBe(0);
    await expect.poll(() => isComposerEnabled(page)).toBe(true);
  });

  it('Stop cancels the run; Retry asks again and gets the answer', async () => {
    await page.getByRole('button', { name: 'New thread' }).click();
    await ask(page, page, 'How do I connect an AI model?');
    await stopButton(page).click();
    const stopped = chatLog(page).getByText('You stopped this answer.');
    await stopped.waitFor({ state: 'visible' });
    await expect.poll(() => isComposerEnabled(page)).toBe(true);
    await screenshot(page, 'run-stopped');

    // The cancelled run stays cancelled: no answer turns up later.
    await page.waitForTimeout(E2E_SLOW_DELAY_MS * 2 + 500);
    await page.reload();
    await stopped.waitFor({ state: 'visible' });
    expect(await chatLog(page).getByRole('button', { name: 'Copy', exact: true }).count()).toBe(0);

    await chatLog(page).getByRole('button', { name: 'Retry' }).click();
    await stopButton(page).waitFor({ state: 'visible' });
    // The slow server waits before each of its two model calls, then writes the answer a word at a time.
    await waitForAnswer(page, 1, E2E_SLOW_DELAY_MS * 10);
    expect(await stopped.count()).toBe(0);
  }, 120_000);
});
