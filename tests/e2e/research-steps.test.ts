import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { answers, ask, chatLog, openSidePanel, stopButton, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// A research run seen as it works (issue 71), in Chromium against `next start` (the slow server: each offline step
// waits E2E_SLOW_DELAY_MS): its steps (what it searched and how many results, what it read) appear in the log one by
// one before the answer, and go once the answer is in; Stop ends the run mid-way. /assistant at 1440 px, the side
// panel at 390 px (the embed shows the same ConversationLog).

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('slowUrl') });
});

afterAll(async () => {
  await browser?.close();
});

const steps = (scope: Page | Locator) => chatLog(scope).getByTestId('research-steps');

async function askResearch(page: Page, scope: Page | Locator, question: string): Promise<void> {
  await scope.getByRole('button', { name: 'Research', exact: true }).click();
  await ask(page, scope, question);
}

describe('research steps in the conversation', () => {
  it('on /assistant: the searches and the pages read appear one by one before the answer, then the answer replaces them', async () => {
    const page = await browser.newPage({ width: 1440, height: 900 });
    await page.goto('/assistant');
    await waitForHydration(page);
    await askResearch(page, page, 'How do I invite the bot to the Slack channel, and which events does it post?');
    await expect.poll(() => steps(page).getByText(/^Searched “.*”: \d+ results?$/).count(), { timeout: 40_000 }).toBeGreaterThan(0);
    // Steps, and no answer yet.
    expect(await answers(page).count()).toBe(0);
    expect(await page.getByTestId('draft-answer').count()).toBe(0);
    await expect.poll(() => steps(page).getByText(/^Read .+: \d+ sections?$/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await answers(page).count()).toBe(0);
    const searched = await steps(page).locator('[data-research-step="search"]').count();
    expect(searched).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'research-steps-1440');
    const answer = await waitForAnswer(page, 1, 90_000);
    await expect.poll(() => answer.textContent()).toMatch(/Summary\./);
    expect(await steps(page).count()).toBe(0);
    await page.close();
  });

  it('in the side panel at 390 px: the steps fit the panel, Stop ends the research run, and Retry researches again', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    await page.goto('/docs');
    const panel = await openSidePanel(page);
    await askResearch(page, panel, 'How do I invite the bot to the Slack channel?');
    await expect.poll(() => steps(panel).getByText(/^Searched “.*”: \d+ results?$/).count(), { timeout: 40_000 }).toBeGreaterThan(0);
    const box = await steps(panel).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await screenshot(page, 'research-steps-panel-390');
    await stopButton(panel).first().click();
    await panel.getByText('You stopped this answer.').waitFor({ timeout: 20_000 });
    expect(await steps(panel).count()).toBe(0);
    expect(await answers(panel).count()).toBe(0);
    await screenshot(page, 'research-stopped-panel-390');
    // Retry researches the question again: it is asked as research, not as a quick question.
    const retried = page.waitForRequest((request) => request.method() === 'POST' && /\/api\/paste-assistant-thread\/thread_\w+\/runs$/.test(request.url()));
    await panel.getByRole('button', { name: 'Retry' }).click();
    expect((await retried).postDataJSON()).toMatchObject({ mode: 'research' });
    await expect.poll(() => steps(panel).getByText(/^Searched “.*”: \d+ results?$/).count(), { timeout: 40_000 }).toBeGreaterThan(0);
    await page.close();
  });
});
