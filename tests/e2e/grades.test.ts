import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createClient } from '../helpers/server';
import { launchBrowser, SCREENSHOT_DIR, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';
import { axeBlocking } from './helpers/axe';

// Issue 69, item 3, in Chromium against `next start`: conversations asked through the API (the offline model), then
// the dashboard's "Where answers go wrong" — the answered rate, the chart per day with the re-index marked, the tables
// by topic, source kind and door, the week's worst answers with why — on desktop and at 390 px; one of them made an
// eval case by choosing the page that should have answered, and the cases downloaded as npm run eval's JSONL.

const TOKEN = 'e2e-grades-maintainer-token-0123';



let server: TE2eServer;
let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  // Graded as soon as the dashboard reads them (GRADE_IDLE_MINUTES=0), so that the test need not wait half an hour;
  // the background grading round (first after RUN_SWEEP_SECONDS) does not run while the conversations are made, so
  // that no answer is graded before its reader's vote or next question.
  server = await startE2eServer({ MAINTAINER_TOKEN: TOKEN, GRADE_IDLE_MINUTES: '0', RUN_SWEEP_SECONDS: '600' });
  browser = await launchBrowser({ baseURL: server.url });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('where answers go wrong, on the maintainers’ dashboard', () => {
  it('shows the grades with charts and tables on desktop and at 390 px, and turns an answer into an eval case', async () => {
    const ask = async (reader: ReturnType<typeof createClient>, question: string, threadId?: string) => {
      const id = threadId ?? ((await reader.post('/api/paste-assistant-thread')).body as { id: string }).id;
      expect((await reader.post('/api/paste-assistant-message', { threadId: id, message: question })).status).toBe(200);
      const messages = (await reader.get(`/api/paste-assistant-messages/${id}?order=desc&limit=1`)).body as { data: { id: string }[] };
      return { threadId: id, answerId: messages.data[0]!.id };
    };
    await ask(createClient(server.url), 'How do I connect the assistant to Slack?');
    await ask(createClient(server.url), 'xyzzy plugh frobnicate?');
    const voter = createClient(server.url);
    const voted = await ask(voter, 'How do I set the session secret?');
    expect((await voter.post('/api/paste-assistant-message-vote', { threadId: voted.threadId, messageId: voted.answerId, vote: 'down', reason: 'Too vague.' })).status).toBe(200);
    const rephraser = createClient(server.url);
    const first = await ask(rephraser, 'How do I embed the assistant on my site?');
    await ask(rephraser, 'How can I put the assistant widget on another site?', first.threadId);

    await page.setViewportSize({ width: 1280, height: 900 });
    expect((await page.goto('/maintainers?days=7'))?.status()).toBe(401);
    await page.getByLabel('Maintainer token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const section = page.getByRole('region', { name: 'Where answers go wrong' });
    await section.waitFor();
    expect(await section.getByTestId('answered-rate').textContent()).toMatch(/^\d+%$/);
    expect(await section.getByText(/^\d of 5 graded · \d partly · \d not$/).count()).toBe(1);
    const chart = page.locator('svg[data-chart="Answer grades per day"]');
    expect(await chart.count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Answer grades per day \d/ }).count()).toBe(1);
    // The docs were indexed when this server started: today is marked, in the chart, its legend and its table.
    const today = new Date().toISOString().slice(0, 10);
    expect(await chart.locator(`line[data-mark="${today}"]`).count()).toBe(1);
    expect(await section.getByText(/Dashed lines: .+ docs re-indexed/).isVisible()).toBe(true);
    for (const name of ['Answered by topic (the first page cited)', 'Answered by source kind', 'Answered by door']) {
      expect(await section.getByRole('table', { name }).isVisible(), name).toBe(true);
    }
    expect(await section.getByRole('table', { name: 'Answered by door' }).getByRole('cell', { name: 'Site' }).isVisible()).toBe(true);
    // The worst answers, with why: not covered and voted down, then the rephrased one.
    const worst = section.getByTestId('worst-answer');
    expect(await worst.count()).toBe(3);
    expect(await worst.filter({ hasText: 'xyzzy plugh frobnicate?' }).getByText('the answer said the docs don’t cover it').isVisible()).toBe(true);
    expect(await worst.filter({ hasText: 'How do I set the session secret?' }).getByText('voted down').isVisible()).toBe(true);
    expect(await worst.filter({ hasText: 'How do I embed the assistant on my site?' }).getByText('asked again in other words within minutes').isVisible()).toBe(true);
    expect(await axeBlocking(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-grades-desktop.png'), fullPage: true });
    await section.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-grades-section-desktop.png') });

    // One answer made an eval case: the page that should have answered, chosen from the docs' pages.
    const target = worst.filter({ hasText: 'xyzzy plugh frobnicate?' });
    await target.getByRole('button', { name: /Make an eval case/ }).click();
    const select = target.getByLabel('The page that should have answered');
    const option = await select.locator('option', { hasText: 'Troubleshooting' }).first().getAttribute('value');
    expect(option).toBeTruthy();
    await select.selectOption(option!);
    await target.getByRole('button', { name: 'Save the eval case' }).click();
    await target.getByText('Kept as an eval case.').waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await section.waitFor();
    const cases = section.getByRole('list', { name: 'Eval cases' });
    expect(await cases.getByText('“xyzzy plugh frobnicate?”').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const chartWidth = await chart.evaluate((element) => element.getBoundingClientRect().width);
    expect(chartWidth).toBeGreaterThan(250);
    expect(chartWidth).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-grades-phone.png'), fullPage: true });
    await section.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-grades-section-phone.png') });

    const href = await section.getByRole('link', { name: 'Download the eval cases (JSONL)' }).getAttribute('href');
    expect(href).toBe('/api/maintainers/eval-cases?format=jsonl');
    const jsonl = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(JSON.parse(jsonl.trim())).toEqual({ question: 'xyzzy plugh frobnicate?', expected: [option] });
  });
});
