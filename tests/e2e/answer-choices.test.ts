import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { answers, ask, chatLog, openSidePanel, openHydrated, waitForAnswer } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// Clarifying choices (issue 71 item 4) in Chromium against `next start`: a question whose best matches are pages about
// different things nearly equally (on this site's docs, "delete all data and start over": the FAQ and Embedded mode)
// gets an answer with one button per page under it; a tap (or Enter) asks again naming the page, and the buttons are
// gone from the answer once one is taken. /assistant on a desktop with the mouse; the side panel at 390 px with the
// keyboard alone.

const QUESTION = 'delete all data and start over';

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

const open = (path: string, width: number) => openHydrated(browser, path, width);

const choiceGroup = (scope: Page | Locator) => scope.getByRole('group', { name: 'Ask about one of them' });
const messageRequest = (page: Page) => page.waitForRequest((request) => request.url().endsWith('/api/paste-assistant-message'));

describe('choices under an answer', () => {
  it('/assistant (desktop, mouse): one button per page; a click asks again naming it; the buttons go', async () => {
    const page = await open('/assistant', 1440);
    await ask(page, page, QUESTION);
    const first = await waitForAnswer(page);
    const group = choiceGroup(first);
    await group.waitFor();
    const names = await group.getByRole('button').evaluateAll((buttons) => buttons.map((button) => [button.getAttribute('aria-label'), button.textContent]));
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names.length).toBeLessThanOrEqual(3);
    for (const [label, text] of names) expect(label).toBe(`Ask about ${text}`);
    // The answer says so in one line, naming each.
    for (const [, text] of names) expect(await first.innerText()).toContain(text as string);
    await group.scrollIntoViewIfNeeded();
    await screenshot(page, 'answer-choices-desktop');

    const [, chosen] = names[1] as [string, string];
    const sent = messageRequest(page);
    await group.getByRole('button', { name: `Ask about ${chosen}` }).click();
    expect((await sent).postDataJSON()).toMatchObject({ message: `${chosen}: ${QUESTION}` });
    await waitForAnswer(page, 2);
    // Taken: the first answer has its buttons no more, and the question asked shows in the log.
    expect(await choiceGroup(answers(page).first()).count()).toBe(0);
    expect(await chatLog(page).innerText()).toContain(`${chosen}: ${QUESTION}`);
    await page.close();
  });

  it('the side panel at 390 px, keyboard alone: Tab reaches the choices, Enter asks', async () => {
    const page = await open('/docs/configuration', 390);
    const panel = await openSidePanel(page);
    await ask(page, panel, QUESTION);
    const first = await waitForAnswer(panel);
    await choiceGroup(first).waitFor();
    await choiceGroup(first).scrollIntoViewIfNeeded();
    await screenshot(page, 'answer-choices-390');
    // Every button fits the phone's width.
    const boxes = await choiceGroup(first).getByRole('button').evaluateAll((buttons) => buttons.map((button) => button.getBoundingClientRect().right));
    for (const right of boxes) expect(right).toBeLessThanOrEqual(390);
    const target = choiceGroup(first).getByRole('button').first();
    const label = (await target.getAttribute('aria-label')) ?? '';
    let isFocused = false;
    for (let step = 0; step < 60 && !isFocused; step += 1) {
      await page.keyboard.press('Tab');
      isFocused = await target.evaluate((button) => button === document.activeElement);
    }
    expect(isFocused).toBe(true);
    const sent = messageRequest(page);
    await page.keyboard.press('Enter');
    expect((await sent).postDataJSON()).toMatchObject({ message: `${label.replace(/^Ask about /, '')}: ${QUESTION}` });
    await waitForAnswer(panel, 2);
    expect(await choiceGroup(answers(panel).first()).count()).toBe(0);
    await page.close();
  });

  it('an answer with one page well ahead has no choices', async () => {
    const page = await open('/assistant', 1440);
    await ask(page, page, 'How do I set SESSION_SECRET?');
    const first = await waitForAnswer(page);
    expect(await choiceGroup(first).count()).toBe(0);
    await page.close();
  });
});
