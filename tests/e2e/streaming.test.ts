import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { ask, chatLog, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { E2E_SLOW_DELAY_MS } from './helpers/global-setup';

// The answer as it is written, in a real browser: the UI follows the run's event stream (EventSource) and
// shows the text growing; when the stream is refused it falls back to polling. Against the "slow" server,
// whose offline model waits before each response and then writes its answer a word at a time.

let browser: TBrowser;
let page: Page;
let requests: Request[] = [];

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('slowUrl') });
  page = await browser.newPage({ width: 1440, height: 900 });
  page.on('request', (request) => requests.push(request));
});

afterAll(async () => {
  await browser?.close();
});

const draft = () => chatLog(page).getByTestId('draft-answer');
const runPolls = () => requests.filter((request) => request.method() === 'GET' && /\/run\/run_[A-Za-z0-9]+$/.test(new URL(request.url()).pathname));
const streams = () => requests.filter((request) => new URL(request.url()).pathname.endsWith('/events'));

describe('the answer as it is written', () => {
  it('grows in the conversation while the model writes it, over the event stream, with no polling', async () => {
    await page.goto('/assistant');
    await waitForHydration(page);
    requests = [];
    await ask(page, page, 'How do I configure Slack?');

    // Seen at several lengths before it is finished.
    await draft().waitFor({ state: 'visible', timeout: E2E_SLOW_DELAY_MS * 4 });
    const lengths: number[] = [];
    for (let sample = 0; sample < 4; sample += 1) {
      lengths.push(((await draft().textContent().catch(() => '')) ?? '').length);
      await page.waitForTimeout(150);
    }
    expect(lengths.filter((length) => length > 0).length).toBeGreaterThanOrEqual(2);
    expect(new Set(lengths).size).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'answer-streaming');

    const answer = await waitForAnswer(page, 1, E2E_SLOW_DELAY_MS * 4);
    expect(await answer.getByText('Sources').isVisible()).toBe(true);
    await expect.poll(() => draft().count()).toBe(0);
    const sent = requests.find((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/paste-assistant-message');
    expect(JSON.parse(sent?.postData() ?? '{}')).toMatchObject({ wait: false });
    expect(streams().length).toBeGreaterThanOrEqual(1);
    expect(runPolls()).toHaveLength(0);
  });

  it('falls back to polling when the event stream is refused, and still shows the answer growing', async () => {
    await page.route('**/events*', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'No streams today' } }) }),
    );
    try {
      await page.getByRole('button', { name: 'New thread' }).click();
      requests = [];
      await ask(page, page, 'How do I connect an AI model?');
      // Polling the messages shows the saved part of the answer before the run ends.
      await draft().waitFor({ state: 'visible', timeout: E2E_SLOW_DELAY_MS * 4 });
      await waitForAnswer(page, 1, E2E_SLOW_DELAY_MS * 4);
      expect(streams().length).toBeGreaterThanOrEqual(1);
      expect(runPolls().length).toBeGreaterThanOrEqual(1);
    } finally {
      await page.unroute('**/events*');
    }
  });
});
