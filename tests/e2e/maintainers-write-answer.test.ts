import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createClient } from '../helpers/server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, SCREENSHOT_DIR, type TBrowser } from './helpers/browser';
import { OFFLINE_ENV } from './helpers/server';

// Issue 56, item 5, in Chromium at phone width against `next start`: a maintainer signs in, writes a question and
// its answer on the dashboard and approves it in one step; it is listed as approved, written on the dashboard,
// with its page, which a reader's search finds; a second one is saved as a proposal and approved from the list.

const TOKEN = 'e2e-maintainer-token-0123456789';

let server: TNextServer;
let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  server = await startNextServer({ dataDir: await createSeededDataDir('pa-e2e-'), env: { ...OFFLINE_ENV, MAINTAINER_TOKEN: TOKEN } });
  browser = await launchBrowser({ baseURL: server.url });
  page = await browser.newPage({ width: 390, height: 844 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('writing a maintainers’ answer on the dashboard (phone width)', () => {
  it('writes and approves an answer, lists it with its origin, and search finds it; a proposal is approved from the list', async () => {
    expect((await page.goto('/maintainers'))?.status()).toBe(401);
    await page.getByLabel('Maintainer token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Maintainers’ dashboard' }).waitFor();
    await waitForHydration(page);

    const section = page.getByRole('region', { name: 'Maintainers’ answers' });
    const form = section.getByRole('form', { name: 'Write an answer' });
    await form.getByLabel('Question').fill('Can the Glimmerquill stepper skip optional steps?');
    await form.getByLabel('Answer (Markdown)').fill('Yes: mark a step `optional` and the **Glimmerquill** stepper offers *Skip*.');
    await form.getByRole('button', { name: 'Approve and publish' }).click();

    const approved = section.getByTestId('answers-approved').getByTestId('maintainer-answer').filter({ hasText: 'Glimmerquill stepper skip' });
    await approved.waitFor();
    expect(await approved.getByText(/^Written on the dashboard · proposed \d{4}-\d{2}-\d{2} · approved \d{4}-\d{2}-\d{2}/).isVisible()).toBe(true);
    // The form is empty again, ready for the next answer.
    expect(await form.getByLabel('Question').inputValue()).toBe('');
    const href = await approved.getByRole('link', { name: 'Read it on the site' }).getAttribute('href');
    expect(href).toMatch(/^\/docs\/answers\/\d+$/);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await section.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-write-answer-phone.png') });

    const reader = createClient(server.url);
    const hits = (await reader.post('/api/docs-search', { prompt: 'Glimmerquill stepper optional step skip', limit: 10 })).body.data as { kind: string; url: string }[];
    expect(hits.filter((hit) => hit.kind === 'answer').map((hit) => hit.url)).toEqual([href]);
    const answerPage = await browser.newPage({ width: 390, height: 844 });
    expect((await answerPage.goto(href!))?.status()).toBe(200);
    expect(await answerPage.getByText(/^Answered by the maintainers \(\d{4}-\d{2}-\d{2}\)$/).isVisible()).toBe(true);
    await answerPage.close();

    // Saved as a proposal, then approved from the list.
    await form.getByLabel('Question').fill('Does the Glimmerquill stepper work vertically?');
    await form.getByLabel('Answer (Markdown)').fill('Yes, with `orientation="vertical"`.');
    await form.getByRole('button', { name: 'Save as proposal' }).click();
    const proposed = section.getByTestId('answers-proposed').getByTestId('maintainer-answer').filter({ hasText: 'stepper work vertically' });
    await proposed.waitFor();
    expect(await proposed.getByText(/^Written on the dashboard · proposed/).isVisible()).toBe(true);
    await proposed.getByRole('button', { name: 'Approve' }).click();
    await section.getByTestId('answers-approved').getByTestId('maintainer-answer').filter({ hasText: 'stepper work vertically' }).waitFor();

    // The same question again: the route's 409 says which answer to edit instead.
    await form.getByLabel('Question').fill('Can the Glimmerquill stepper skip optional steps?');
    await form.getByLabel('Answer (Markdown)').fill('Another answer.');
    await form.getByRole('button', { name: 'Approve and publish' }).click();
    await section.getByText(/\(409\): Answer \d+ already has this question/).waitFor();
  });
});
