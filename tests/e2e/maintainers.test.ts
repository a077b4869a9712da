import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signSlackRequest } from '@/lib/slack/events';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, startFakeSlack, type TFakeSlack, type TFakeSlackCall } from '../production/helpers/fake-slack';
import { createClient } from '../helpers/server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { ask, openSidePanel, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, SCREENSHOT_DIR, type TBrowser } from './helpers/browser';
import { OFFLINE_ENV } from './helpers/server';
import { axeBlocking } from './helpers/axe';

// The maintainers' loop in Chromium against `next start`, with Slack faked on 127.0.0.1: a reader's 👎 with a
// reason; a maintainer's reply in the Slack thread (a signed Events API callback) shows up in the reader's open
// panel as a labelled maintainer bubble; the dashboard renders its charts behind the token, on desktop and phone;
// the reply is proposed as a maintainers' answer, edited and approved on the dashboard, read on its own page,
// retracted and rejected, with an axe scan of the dashboard and of the answer's page.

const SIGNING_SECRET = 'e2e-slack-signing-secret-000000';
const TOKEN = 'e2e-maintainer-token-0123456789';
const GAP = 'How do I frobnicate the xyzzy plugh?';



let slack: TFakeSlack;
let server: TNextServer;
let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  slack = await startFakeSlack();
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-e2e-'),
    env: {
      ...OFFLINE_ENV,
      SLACK_BOT_TOKEN: FAKE_SLACK_TOKEN,
      SLACK_CHANNEL_ID: FAKE_SLACK_CHANNEL,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      MAINTAINER_TOKEN: TOKEN,
    },
  });
  browser = await launchBrowser({ baseURL: server.url });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  await slack?.close();
});

async function slackCalls(): Promise<TFakeSlackCall[]> {
  return ((await (await fetch(`${slack.controlUrl}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls;
}

/** The Slack parent of the conversation where `question` was asked: the thread_ts of the reply that carried it. */
async function parentTsOf(question: string): Promise<string> {
  let ts: string | null = null;
  await expect
    .poll(
      async () => {
        ts = (await slackCalls()).find((call) => call.threadTs !== null && call.text?.includes(question))?.threadTs ?? null;
        return ts;
      },
      { timeout: 15_000 },
    )
    .not.toBeNull();
  return ts as unknown as string;
}

async function replyFromSlack(threadTs: string, text: string) {
  const body = JSON.stringify({
    type: 'event_callback',
    event_id: `EvE2E${Date.now()}`,
    authorizations: [{ user_id: 'U0BOT', is_bot: true }],
    event: { type: 'message', channel: FAKE_SLACK_CHANNEL, user: 'U0DANA', text, ts: `${Math.floor(Date.now() / 1000)}.000200`, thread_ts: threadTs },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${server.url}/api/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signSlackRequest({ secret: SIGNING_SECRET, timestamp, body }) },
    body,
  });
  expect(response.status).toBe(200);
}

describe('maintainers’ loop in the browser', () => {
  it('a thumbs-down takes a reason, and a maintainer’s reply from Slack shows in the open panel as a maintainer bubble', async () => {
    await page.goto('/docs/configuration');
    const panel = await openSidePanel(page);
    await ask(page, panel, GAP);
    const answer = await waitForAnswer(panel);

    await answer.getByRole('button', { name: 'Not helpful' }).click();
    const reason = panel.getByLabel('What was missing or wrong? (optional)');
    await reason.fill('The docs say nothing about frobnicating.');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => panel.getByText('Thanks: the maintainers see your feedback.').isVisible()).toBe(true);
    // The reason reached Slack with the vote.
    await expect.poll(async () => (await slackCalls()).some((call) => call.text?.includes('The docs say nothing about frobnicating.')), { timeout: 15_000 }).toBe(true);

    const threadTs = await parentTsOf(GAP);
    await replyFromSlack(threadTs, 'Good question! It is not in the docs yet: see <https://example.com/frobnicate|our notes>, we are adding a page.');
    // The reader keeps the panel open; the reply arrives within the conversation's idle re-read (10 s).
    const bubble = panel.getByTestId('maintainer-reply');
    await bubble.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await bubble.getByText('Good question! It is not in the docs yet').isVisible()).toBe(true);
    expect(await panel.getByText('Maintainer reply', { exact: true }).isVisible()).toBe(true);
    // Readers learn that a maintainer replied, not who (the name stays on the dashboard's transcript).
    expect(await panel.getByLabel('A maintainer of these docs replied').count()).toBe(1);
    expect(await panel.textContent()).not.toMatch(/U0DANA/);
    expect(await bubble.getByRole('link', { name: /our notes/ }).getAttribute('href')).toBe('https://example.com/frobnicate');
    // Set apart from the assistant's answers: a border and background of its own.
    const style = await bubble.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { borderLeftWidth: computed.borderLeftWidth, background: computed.backgroundColor };
    });
    expect(Number.parseFloat(style.borderLeftWidth)).toBeGreaterThanOrEqual(2);
    expect(style.background).not.toBe('rgba(0, 0, 0, 0)');
    // No thumbs for a maintainer: still just the one answer's feedback buttons.
    expect(await panel.getByRole('button', { name: 'Not helpful' }).count()).toBe(1);
    await bubble.scrollIntoViewIfNeeded();
    await screenshot(page, 'maintainer-reply-panel');
  });

  it('the dashboard asks for the token, then renders its charts with tables, on desktop and at phone width', async () => {
    // More of a week to chart: questions (one not covered) and a site search that found nothing.
    const reader = createClient(server.url);
    for (const question of ['How do I configure Slack?', 'xyzzy plugh frobnicate?', 'What is SESSION_SECRET for?']) {
      const thread = (await reader.post('/api/paste-assistant-thread')).body as { id: string };
      expect((await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: question })).status).toBe(200);
    }
    await reader.post('/api/docs-search', { prompt: 'qwertyuiopzz' });

    const response = await page.goto('/maintainers');
    expect(response?.status()).toBe(401);
    await page.getByLabel('Maintainer token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Maintainers’ dashboard' }).waitFor();
    await page.getByRole('heading', { name: 'Per day', exact: true }).waitFor();
    // The token is not in the page or the browser's storage; the cookie is httpOnly.
    expect(await page.content()).not.toContain(TOKEN);
    const cookies = await browser.context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'pa_maintainer')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('pa_maintainer');

    await page.getByLabel('Period', { exact: true }).selectOption('7');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/days=7/);
    // The four of "Per day"; the grades' chart is tests/e2e/grades.test.ts's.
    expect(await page.getByRole('region', { name: 'Per day', exact: true }).locator('svg[data-chart]').count()).toBe(4);
    expect(await page.locator('svg[data-chart]').count()).toBe(5);
    for (const name of ['Questions per day', 'Answered vs not covered', 'Helpful and not helpful', 'Searches with no result']) {
      expect(await page.getByRole('img', { name: new RegExp(`^${name} \\d`) }).count(), name).toBe(1);
    }
    expect(await page.locator('svg[data-chart="Questions per day"] rect').count()).toBeGreaterThanOrEqual(1);
    const unanswered = page.getByRole('region', { name: 'Top unanswered questions' });
    expect(await unanswered.getByText(/frobnicate/).first().isVisible()).toBe(true);
    expect(await unanswered.getByRole('link', { name: /^transcript/ }).first().getAttribute('href')).toMatch(/\/maintainers\/threads\/thread_\w+\?exp=\d+&sig=/);
    expect(await page.getByRole('region', { name: 'Why readers rated an answer not helpful' }).getByText('The docs say nothing about frobnicating.').isVisible()).toBe(true);
    // The numbers as a table, a click away.
    await page.getByText('Show the numbers').first().click();
    expect(await page.getByRole('table', { name: /Questions per day, per day/ }).isVisible()).toBe(true);
    await page.getByText('Show the numbers').first().click();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-dashboard-desktop.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('heading', { name: 'Per day', exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const chartWidth = await page.locator('svg[data-chart="Questions per day"]').evaluate((element) => element.getBoundingClientRect().width);
    expect(chartWidth).toBeGreaterThan(250);
    expect(chartWidth).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'maintainers-dashboard-phone.png'), fullPage: true });
  });
  it('proposes the maintainer’s reply as an answer: edited and approved on the dashboard, read on its page, then retracted and rejected', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/maintainers');
    await waitForHydration(page);
    const section = page.getByRole('region', { name: 'Maintainers’ answers' });
    const proposed = section.getByTestId('answers-proposed').getByTestId('maintainer-answer').filter({ hasText: 'frobnicate the xyzzy plugh' });
    await proposed.waitFor({ timeout: 15_000 });
    // The reply as the reader saw it, without the maintainer's name or Slack id.
    expect(await proposed.getByText('It is not in the docs yet').isVisible()).toBe(true);
    expect(await proposed.textContent()).not.toMatch(/U0DANA|Maintainer U0DANA/);
    expect(await axeBlocking(page)).toEqual([]);

    await proposed.getByRole('button', { name: 'Edit' }).click();
    const editor = section.getByTestId('maintainer-answer').filter({ has: page.getByLabel('Answer') });
    await editor.getByLabel('Answer').fill('Frobnicating the xyzzy plugh is not in the docs yet: run plugh --frobnicate, and mail docs@example.com for help.');
    expect(await axeBlocking(page)).toEqual([]);
    await editor.getByRole('button', { name: 'Save and approve' }).click();
    const approved = section.getByTestId('answers-approved').getByTestId('maintainer-answer').filter({ hasText: 'frobnicate the xyzzy plugh' });
    await approved.waitFor();
    // The edit is masked as it is published.
    expect(await approved.getByText('run plugh --frobnicate, and mail [email removed] for help.').isVisible()).toBe(true);
    const href = await approved.getByRole('link', { name: 'Read it on the site' }).getAttribute('href');
    expect(href).toMatch(/^\/docs\/answers\/\d+$/);
    await screenshot(page, 'maintainers-answers-dashboard');

    const reader = await browser.newPage();
    const response = await reader.goto(href!);
    expect(response?.status()).toBe(200);
    await reader.getByRole('heading', { level: 1, name: /frobnicate the xyzzy plugh/ }).waitFor();
    expect(await reader.getByText(/^Answered by the maintainers \(\d{4}-\d{2}-\d{2}\)$/).isVisible()).toBe(true);
    expect(await reader.getByText('run plugh --frobnicate').isVisible()).toBe(true);
    expect(await axeBlocking(reader)).toEqual([]);
    await screenshot(reader, 'maintainers-answer-page');

    await approved.getByRole('button', { name: 'Retract' }).click();
    const back = section.getByTestId('answers-proposed').getByTestId('maintainer-answer').filter({ hasText: 'frobnicate the xyzzy plugh' });
    await back.waitFor();
    expect((await reader.goto(href!))?.status()).toBe(404);
    await back.getByRole('button', { name: 'Reject' }).click();
    await section.getByTestId('answers-rejected').getByTestId('maintainer-answer').filter({ hasText: 'frobnicate the xyzzy plugh' }).waitFor();
    expect((await reader.goto(href!))?.status()).toBe(404);
    await reader.close();
  });
});
