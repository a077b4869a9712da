import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ask, chatLog, openSidePanel, waitForAnswer } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// "Research this (about 30 s)" (issue 71) in Chromium against `next start`, in the side panel at 390 px: a quick answer
// that found nothing it trusts offers it; one tap asks for a research run of the same stored question (POST …/runs, as
// Retry does: the question shows once), whose answer follows the quick one; the research answer offers it no more
// (whatever it found: it says it is a research answer).

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

describe('Research this', () => {
  it('under a quick answer not covered: one tap researches the same question, which is not sent again', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    await page.goto('/docs');
    const panel = await openSidePanel(page);
    const question = 'xyzzy plugh frobnicate?';
    await ask(page, panel, question);
    await waitForAnswer(panel, 1, 40_000);
    const offer = panel.getByRole('button', { name: 'Research this (about 30 s)' });
    await offer.waitFor({ timeout: 20_000 });
    await screenshot(page, 'research-offer-panel-390');
    const rerun = page.waitForRequest((request) => request.method() === 'POST' && /\/api\/paste-assistant-thread\/thread_\w+\/runs$/.test(request.url()));
    await offer.click();
    expect((await rerun).postDataJSON()).toMatchObject({ messageId: expect.stringMatching(/^msg_/), mode: 'research' });
    // Research finds nothing either (the question is no docs' words): its answer says what it searched, and offers no second research.
    const second = await waitForAnswer(panel, 2, 60_000);
    expect((await second.textContent())?.length).toBeGreaterThan(20);
    expect(await chatLog(panel).getByText(question, { exact: true }).count()).toBe(1);
    expect(await offer.count()).toBe(0);
    await screenshot(page, 'research-offer-answered-390');
    await page.close();
  });
});
