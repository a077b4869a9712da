import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answers, ask, chatLog, composer, openSidePanel, sidePanel, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// The assistant beside the docs: ask from a docs page, read the answer and its sources, follow a source to
// its heading without leaving the app, and find the same thread after moving to other pages.

let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** A heading's distance from the top of the viewport, or null when it is not on the page. */
const headingTop = (id: string) =>
  page.evaluate((target) => document.getElementById(target)?.getBoundingClientRect().top ?? null, id);

describe('side panel on a docs page', () => {
  it('answers a question with a source link that navigates in-site to the heading, keeping the thread', async () => {
    await page.goto('/docs/configuration');
    const panel = await openSidePanel(page);
    await expect.poll(() => panel.getByRole('heading', { name: 'Ask the docs' }).isVisible()).toBe(true);
    // This server has no Slack and the offline model: the privacy note says so, and names neither.
    // The note is exact once the panel has the server's intro (GET /api/assistant-intro); until then it is generic.
    const note = panel.getByText(/your messages are stored on this site/);
    await note.waitFor({ state: 'visible' });
    expect(await note.textContent()).toMatch(/no AI model sees them/);
    expect(await note.textContent()).not.toMatch(/Slack/);
    await screenshot(page, 'panel-empty-state');

    await panel.getByRole('button', { name: 'How do I configure Slack?' }).click();
    const answer = await waitForAnswer(panel);
    expect(await chatLog(panel).getByText('How do I configure Slack?', { exact: true }).count()).toBe(1);
    // The answer says what it searched for, and carries no note meant for the site's operator.
    expect(await answer.getByText(/Searched the docs for/).isVisible()).toBe(true);
    expect(await answer.getByText(/Offline answer/).count()).toBe(0);
    const source = answer.getByRole('list', { name: 'Sources' }).getByRole('link').first();
    const href = (await source.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/docs(\/[\w/-]+)?#[\w-]+$/);
    await screenshot(page, 'panel-answer');

    await page.evaluate(() => Object.assign(window, { __noReloadMarker: true }));
    await source.click();
    await page.waitForURL((url) => `${url.pathname}${url.hash}` === href);
    // Client-side navigation: the page was not reloaded.
    expect(await page.evaluate(() => (window as unknown as { __noReloadMarker?: boolean }).__noReloadMarker)).toBe(true);
    const anchor = href.split('#')[1]!;
    await expect.poll(() => headingTop(anchor)).not.toBeNull();
    const top = (await headingTop(anchor))!;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(page.viewportSize()!.height / 2);

    // The panel, and its thread, survived the navigation.
    expect(await sidePanel(page).isVisible()).toBe(true);
    expect(await answers(sidePanel(page)).count()).toBe(1);
    expect(await chatLog(sidePanel(page)).getByText('How do I configure Slack?', { exact: true }).isVisible()).toBe(true);
  });

  it('finds the same thread after a full page load of another docs page', async () => {
    await page.goto('/docs/api');
    const panel = await openSidePanel(page);
    await waitForAnswer(panel);
    expect(await chatLog(panel).getByText('How do I configure Slack?', { exact: true }).isVisible()).toBe(true);

    // A follow-up lands in the same thread.
    await ask(page, panel, 'How do I send a message through the API?');
    const second = await waitForAnswer(panel, 2);
    expect(await second.getByRole('link').count()).toBeGreaterThan(0);
  });

  it('starts a new thread from the panel header', async () => {
    await page.goto('/docs');
    const panel = await openSidePanel(page);
    await waitForAnswer(panel);
    await panel.getByRole('button', { name: 'New thread' }).click();
    await expect.poll(() => panel.getByRole('heading', { name: 'Ask the docs' }).isVisible()).toBe(true);
    expect(await chatLog(panel).count()).toBe(0);
    await expect.poll(() => composer(panel).evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('Escape closes the panel and Ctrl+I opens it again', async () => {
    await page.goto('/docs');
    await waitForHydration(page);
    const panel = await openSidePanel(page);
    await expect.poll(() => composer(panel).evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await sidePanel(page).waitFor({ state: 'detached' });
    await page.keyboard.press('Control+i');
    await sidePanel(page).waitFor({ state: 'visible' });
    await page.keyboard.press('Control+i');
    await sidePanel(page).waitFor({ state: 'detached' });
  });
});

describe('when the panel’s code cannot be loaded (the network, or a chunk gone after a deploy)', () => {
  it('the page stays, the panel says so instead of the error taking the whole page down, and trying again loads it', async () => {
    const other = await browser.newPage();
    await other.goto('/docs/configuration');
    await waitForHydration(other);
    // React reports the failed load once it has handled it: caught by the panel's boundary (console), or, without
    // one, uncaught (the page's error event) after unmounting every page.
    const reported = new Promise<void>((resolve) => {
      // Next's chunk loader says "Failed to load chunk"; the browser's import() of the docs pages' own client's modules,
      // "Failed to fetch dynamically imported module".
      const onMessage = (text: string) => /Failed to load chunk|Failed to fetch dynamically imported module/.test(text) && resolve();
      other.on('console', (message) => onMessage(message.text()));
      other.on('pageerror', (error) => onMessage(`${error.name}: ${error.message}`));
    });
    // The page's scripts are all loaded by now: what is asked for from here on is the panel's.
    const SCRIPTS = /\/(_next\/static\/chunks|_docs-client)\//;
    await other.route(SCRIPTS, (route) => route.abort());
    await other.getByRole('button', { name: 'Ask the assistant' }).first().click();
    await reported;
    expect(await other.getByRole('heading', { level: 1, name: 'Configuration' }).isVisible()).toBe(true);
    expect(await sidePanel(other).getByRole('alert').textContent()).toMatch(/could not be loaded/);
    // It can be closed, the page whole again, and opened again to the same notice.
    await sidePanel(other).getByRole('button', { name: 'Close' }).click();
    await sidePanel(other).waitFor({ state: 'detached' });
    await other.getByRole('button', { name: 'Ask the assistant' }).first().click();
    // The connection is back: trying again fetches the code anew (a failed lazy load is not kept).
    await other.unroute(SCRIPTS);
    await sidePanel(other).getByRole('button', { name: 'Try again' }).click();
    // The panel's code is fetched anew, under a new URL where the browser kept the failed import (Chromium 150 does:
    // scripts/build-docs-client.mjs). A failure says what the panel shows instead (the notice again, or nothing).
    await other
      .getByRole('textbox', { name: 'Ask a question about the docs' })
      .waitFor()
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nthe panel shows: ${await sidePanel(other).innerText().catch(() => '(no panel)')}`);
      });
    expect(await other.getByRole('heading', { level: 1, name: 'Configuration' }).isVisible()).toBe(true);
    await other.close();
  });
});
