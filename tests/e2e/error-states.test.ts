import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { ask, chatLog, composer, isComposerEnabled, stopButton, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { E2E_SLOW_DELAY_MS } from './helpers/global-setup';

// The assistant's error states in a real browser against `next start`: a link to a thread this browser cannot
// read, a thread deleted in another tab and then used (or found gone by the open tab's own reads), and a message
// sent twice (Enter twice, two tabs). The "slow" server keeps a run active for seconds (its offline model waits
// E2E_SLOW_DELAY_MS per step), so a second tab really meets the first tab's run. Pages of one browser context
// share the session cookie: tabs.

const NOT_AVAILABLE = 'This conversation is not available';
const BUSY = /still answering in this conversation \(perhaps in another tab\)/;
// Generous: an answer is a few of those steps, and under the other CI lanes' load it took over 15 s. The tests
// get room for two answers in a row. Limits, not speed checks.
const ANSWER_TIMEOUT = E2E_SLOW_DELAY_MS * 12;
vi.setConfig({ testTimeout: 150_000 });

let browser: TBrowser;
let baseUrl: string;

beforeAll(async () => {
  baseUrl = inject('slowUrl');
  browser = await launchBrowser({ baseURL: baseUrl });
});

afterAll(async () => {
  await browser?.close();
});

/** A thread made by another browser (no cookie: a session of its own), with a question in it. */
async function createForeignThread(question: string): Promise<string> {
  const created = await fetch(`${baseUrl}/api/paste-assistant-thread`, { method: 'POST' });
  const cookie = created.headers.get('set-cookie')?.split(';')[0] ?? '';
  const thread = (await created.json()) as { id: string };
  const sent = await fetch(`${baseUrl}/api/paste-assistant-message`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ threadId: thread.id, message: question, wait: false }),
  });
  expect(sent.status).toBe(200);
  return thread.id;
}

/** A thread of this browser's session, made through the context's own cookie jar. */
async function createOwnThread(): Promise<string> {
  const response = await browser.context.request.post('/api/paste-assistant-thread');
  expect(response.status()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

/** The error toasts on screen (Paste's Toaster renders them in a live region). */
const toastTexts = (page: Page) => page.locator('[data-paste-element="TOAST"]').allInnerTexts();

/** The thread's messages as the server has them, oldest first (the session's own cookie). */
async function serverMessages(threadId: string): Promise<{ role: string; text: string }[]> {
  const response = await browser.context.request.get(`/api/paste-assistant-messages/${threadId}?limit=100`);
  expect(response.status()).toBe(200);
  const list = (await response.json()) as { data: { role: string; content: { text: { value: string } }[] }[] };
  return list.data.map((message) => ({ role: message.role, text: message.content.map((part) => part.text.value).join('') }));
}

const selectedThread = (page: Page) => new URL(page.url()).searchParams.get('thread');

/** A new tab on /assistant with one question answered: the tab and its thread's id. */
async function answeredThread(): Promise<{ page: Page; threadId: string }> {
  const page = await browser.newPage();
  await page.goto('/assistant');
  await waitForHydration(page);
  await ask(page, page, 'How do I configure Slack?');
  await waitForAnswer(page, 1, ANSWER_TIMEOUT);
  const threadId = selectedThread(page);
  expect(threadId).toMatch(/^thread_/);
  return { page, threadId: threadId as string };
}

async function expectNotAvailable(page: Page, timeout?: number) {
  const notice = page.getByRole('status').filter({ hasText: NOT_AVAILABLE });
  await notice.waitFor({ state: 'visible', timeout });
  expect(await notice.innerText()).toMatch(/deleted, or it was started in another browser/);
  // Settled: no skeleton still loading, the composer usable, and the selection cleared.
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
  expect(await isComposerEnabled(page)).toBe(true);
  await expect.poll(() => selectedThread(page)).toBeNull();
}

describe('a link to a thread this browser cannot read', () => {
  it("another browser's thread shows a clear not-available state, not its messages, and a new question starts afresh", async () => {
    const secret = 'A question asked in another browser';
    const foreign = await createForeignThread(secret);
    const page = await browser.newPage();
    await page.goto(`/assistant?thread=${foreign}`);
    await waitForHydration(page);
    await expectNotAvailable(page);
    expect(await page.getByText(secret).count()).toBe(0);
    // Said once, in the page, not as the server's technical message in a toast.
    expect((await toastTexts(page)).join('\n')).not.toMatch(/No thread found|thread_/);
    await screenshot(page, 'error-foreign-thread');

    // Recovery: asking starts a new thread of this browser's own.
    await ask(page, page, 'How do I run the tests?');
    await expect.poll(() => selectedThread(page)).toMatch(/^thread_/);
    expect(selectedThread(page)).not.toBe(foreign);
    await page.getByText(NOT_AVAILABLE).waitFor({ state: 'detached' });
    await waitForAnswer(page, 1, ANSWER_TIMEOUT);
    await page.close();
  });

  it('a mistyped thread link shows the same state, with no validation message in a toast', async () => {
    const page = await browser.newPage();
    await page.goto('/assistant?thread=not-a-thread');
    await waitForHydration(page);
    await expectNotAvailable(page);
    expect((await toastTexts(page)).join('\n')).not.toMatch(/must be a thread id/);
    await screenshot(page, 'error-mistyped-thread');
    await page.close();
  });

  it('the side panel remembering a thread that is gone says so too', async () => {
    const foreign = await createForeignThread('Another browser again');
    const page = await browser.newPage();
    await page.goto('/docs');
    await page.evaluate((id) => window.sessionStorage.setItem('paste-assistant:panel-thread', id), foreign);
    await page.reload();
    await waitForHydration(page);
    await page.keyboard.press('Control+i');
    const panel = page.getByRole('dialog', { name: 'Assistant' });
    await panel.getByText(NOT_AVAILABLE).waitFor({ state: 'visible' });
    expect(await panel.getByText('Another browser again').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => window.sessionStorage.getItem('paste-assistant:panel-thread'))).toBeNull();
    await screenshot(page, 'error-panel-missing-thread');
    await page.close();
  });
});

describe('a thread deleted in another tab', () => {
  it('sending to it says the conversation is gone, keeps the text, and sending again starts a new thread', async () => {
    const { page: first, threadId } = await answeredThread();
    const threads = first.getByRole('navigation', { name: 'Threads' });
    const title = ((await (await browser.context.request.get(`/api/paste-assistant-thread/${threadId}`)).json()) as { metadata: { threadTitle: string } })
      .metadata.threadTitle;
    await threads.getByText(title, { exact: true }).waitFor({ state: 'visible' });

    // The first tab reads its messages again every 10 s (a maintainer's reply) and on focus. A read that lands
    // between the deletion and the send tells the tab first: the notice comes before the send, which then starts a
    // new thread (stop 52's CI, under load). This test is about the send finding the thread gone, so the first
    // tab's reads of this thread are held until the send has been answered; then they go through.
    const heldReads: Route[] = [];
    const isThreadRead = (url: URL) =>
      url.pathname === `/api/paste-assistant-messages/${threadId}` || url.pathname.startsWith(`/api/paste-assistant-thread/${threadId}/`);
    await first.route(isThreadRead, (route) => (route.request().method() === 'GET' ? void heldReads.push(route) : route.fallback()));

    // The other tab deletes it.
    const second = await browser.newPage();
    await second.goto(`/assistant?thread=${threadId}`);
    await waitForHydration(second);
    await second.getByRole('button', { name: /^Delete thread/ }).click();
    await second.getByRole('alertdialog').getByRole('button', { name: 'Delete thread' }).click();
    await expect.poll(() => selectedThread(second)).toBeNull();
    await second.close();

    // The first tab still shows it, and the reader sends.
    const followUp = 'And how do I run the tests?';
    await ask(first, first, followUp);
    await expectNotAvailable(first);
    for (const route of heldReads.splice(0)) await route.continue();
    await first.unroute(isThreadRead);
    expect(await chatLog(first).count()).toBe(0);
    expect((await toastTexts(first)).join('\n')).not.toMatch(/No thread found|thread_/);
    // The text is back in the composer, and the deleted thread has left the list.
    await expect.poll(() => composer(first).inputValue()).toContain(followUp);
    await expect.poll(() => threads.getByText(title, { exact: true }).count()).toBe(0);
    await screenshot(first, 'error-deleted-thread');

    // Recovery: Enter again sends it in a new thread, answered.
    await composer(first).click();
    await first.keyboard.press('End');
    await first.keyboard.press('Enter');
    await expect.poll(() => selectedThread(first)).toMatch(/^thread_/);
    expect(selectedThread(first)).not.toBe(threadId);
    await waitForAnswer(first, 1, ANSWER_TIMEOUT);
    expect(await chatLog(first).getByText(followUp, { exact: true }).count()).toBe(1);
    await first.close();
  });
});

describe('a thread deleted elsewhere while its tab sits open', () => {
  it('the open tab learns it from its own reads (no send), says so, and the next message starts a new thread', async () => {
    const { page, threadId } = await answeredThread();

    // Deleted by the same reader elsewhere (another tab, the API): the page is not told, it finds out.
    const deleted = await browser.context.request.delete(`/api/paste-assistant-thread/${threadId}`);
    expect(deleted.status()).toBe(200);
    // At its next poll for a maintainer's reply (every 10 s), the tab reads the thread again and meets the 404.
    await expectNotAvailable(page, 30_000);
    expect((await toastTexts(page)).join('\n')).not.toMatch(/No thread found|thread_/);

    const next = 'And how do I run the tests?';
    await ask(page, page, next);
    await expect.poll(() => selectedThread(page)).toMatch(/^thread_/);
    expect(selectedThread(page)).not.toBe(threadId);
    await waitForAnswer(page, 1, ANSWER_TIMEOUT);
    expect(await chatLog(page).getByText(next, { exact: true }).count()).toBe(1);
    await page.close();
  });
});

describe('a message sent twice', () => {
  it('Enter pressed twice fast sends one message', async () => {
    const page = await browser.newPage();
    await page.goto('/assistant');
    await waitForHydration(page);
    const sends: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/paste-assistant-message')) sends.push(request.postData() ?? '');
    });
    const question = 'How do I connect an AI model?';
    await composer(page).click();
    await page.keyboard.type(question);
    // Two Enter key presses in the same task: faster than any reader, before React re-renders.
    await composer(page).evaluate((root) => {
      for (let i = 0; i < 2; i += 1) root.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    await page.keyboard.press('Enter');
    await waitForAnswer(page, 1, ANSWER_TIMEOUT);
    expect(sends).toHaveLength(1);
    expect(await chatLog(page).getByText(question, { exact: true }).count()).toBe(1);
    const threadId = selectedThread(page)!;
    expect((await serverMessages(threadId)).filter((message) => message.role === 'user')).toEqual([{ role: 'user', text: question }]);
    await page.close();
  });

  it('two tabs sending on one thread: one message is taken, the other tab is told why and follows the answer', async () => {
    const threadId = await createOwnThread();
    const first = await browser.newPage();
    const second = await browser.newPage();
    for (const tab of [first, second]) {
      await tab.goto(`/assistant?thread=${threadId}`);
      await waitForHydration(tab);
      await tab.getByRole('heading', { name: 'Ask the docs' }).waitFor({ state: 'visible' });
    }

    const taken = 'How do I configure Slack?';
    const refused = 'How do I deploy to production?';
    await ask(first, first, taken);
    await stopButton(first).waitFor({ state: 'visible' });
    // The second tab has not heard of the run yet: its composer is open, and it sends.
    expect(await isComposerEnabled(second)).toBe(true);
    await ask(second, second, refused);

    await second.getByText(BUSY).waitFor({ state: 'visible' });
    // In a toast (which also shows that the toast selector of the other tests finds toasts).
    expect((await toastTexts(second)).join('\n')).toMatch(BUSY);
    // Its text is kept, and it follows the first tab's run instead: the question appears, then the answer.
    await expect.poll(() => composer(second).inputValue()).toContain(refused);
    await chatLog(second).getByText(taken, { exact: true }).waitFor({ state: 'visible' });
    expect(await chatLog(second).getByText(refused, { exact: true }).count()).toBe(0);
    await screenshot(second, 'error-two-tabs-409');

    await waitForAnswer(first, 1, ANSWER_TIMEOUT);
    await waitForAnswer(second, 1, ANSWER_TIMEOUT);
    await expect.poll(() => isComposerEnabled(second)).toBe(true);
    // One message in the thread, on the server and in both tabs.
    expect((await serverMessages(threadId)).filter((message) => message.role === 'user')).toEqual([{ role: 'user', text: taken }]);
    for (const tab of [first, second]) {
      expect(await chatLog(tab).getByText(taken, { exact: true }).count()).toBe(1);
      expect(await chatLog(tab).getByText(refused, { exact: true }).count()).toBe(0);
    }
    await first.close();
    await second.close();
  });
});
