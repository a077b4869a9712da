import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ask, composer, openSidePanel, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// Research mode (issue 71) in a real browser against `next start`: the composer's "Research" toggle sends the next
// question as a research question, whose answer (offline: a summary, then sections by page, each saying which part of
// the question it answers) replaces a quick one; the toggle is off again once it is sent. At 1440 px and at 390 px.

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

const researchToggle = (scope: Page | ReturnType<Page['getByRole']>) => scope.getByRole('button', { name: 'Research', exact: true });

describe('the Research control', () => {
  it('on /assistant: pressed, it sends the question as research; the answer is organised by page', async () => {
    const page = await browser.newPage({ width: 1440, height: 900 });
    await page.goto('/assistant');
    await waitForHydration(page);
    const toggle = researchToggle(page);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/paste-assistant-message') && request.method() === 'POST');
    await ask(page, page, 'How do I run the tests, and how do I configure the model?');
    expect(JSON.parse((await sent).postData() ?? '{}')).toMatchObject({ mode: 'research' });
    const answer = await waitForAnswer(page, 1, 40_000);
    await expect.poll(() => answer.textContent()).toMatch(/Summary\. I searched \d+ times? and read \d+ pages? whole/);
    expect(await answer.getByText(/^Answers: “/).count()).toBeGreaterThan(0);
    expect(await answer.getByRole('link').count()).toBeGreaterThan(0);
    // One research question at a time: the toggle is off again for the next.
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await screenshot(page, 'research-answer-1440');
    await page.close();
  });

  it('in the side panel at 390 px: the toggle fits beside the send button and researches', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    await page.goto('/docs');
    const panel = await openSidePanel(page);
    const toggle = researchToggle(panel);
    await toggle.click();
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/paste-assistant-message') && request.method() === 'POST');
    await ask(page, panel, 'How do I invite the bot to the Slack channel?');
    expect(JSON.parse((await sent).postData() ?? '{}')).toMatchObject({ mode: 'research' });
    const answer = await waitForAnswer(panel, 1, 40_000);
    await expect.poll(() => answer.textContent()).toMatch(/Summary\./);
    const box = await composer(panel).boundingBox();
    const toggleBox = await toggle.boundingBox();
    expect(box && toggleBox && toggleBox.x + toggleBox.width <= 390).toBe(true);
    expect(box && box.width >= 150).toBe(true);
    await screenshot(page, 'research-panel-390');
    await page.close();
  });
});
