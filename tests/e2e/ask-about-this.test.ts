import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chatLog, composer, sidePanel, openHydrated, waitForAnswer } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// "Ask about this" (issue 71) in Chromium against `next start`: a selection on a docs page and every code block offer
// it (nothing while nothing is selected); it attaches the passage to the panel's next question, which goes with the
// passage and its page, and the answer cites that page. On a desktop with the mouse, and at 390 px with the keyboard
// alone. The embed's host pages: embed-ask-about-this.test.ts.

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

const open = (path: string, width: number) => openHydrated(browser, path, width);

const askThis = (page: Page) => page.getByRole('button', { name: 'Ask about this', exact: true });
const messageRequest = (page: Page) => page.waitForRequest((request) => request.url().endsWith('/api/paste-assistant-message'));

/**
 * How far a code block's buttons stay from its code's first line, in px: the gap above it where they are over the
 * line's width, else the gap beside it; negative where a button's box overlaps the line's.
 */
async function buttonsClearance(block: Locator): Promise<number> {
  // A block off the screen skips layout (content-visibility, styles/site.css): its boxes are measured once shown, a
  // frame after it is scrolled to (until then its code's lines may have no boxes yet).
  await block.scrollIntoViewIfNeeded();
  return block.evaluate(async (element) => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const line = element.querySelector('pre code')!.getClientRects()[0];
    if (!line || line.width === 0) throw new Error('the code block’s first line has no box to measure');
    const buttons = [...element.querySelectorAll<HTMLElement>('.code-block-copy button')].filter((button) => !button.hidden).map((button) => button.getBoundingClientRect());
    return Math.min(
      ...buttons.map((box) => {
        const isBeside = box.right <= line.left || box.left >= line.right;
        return isBeside ? Math.max(line.left - box.right, box.left - line.right) : line.top - box.bottom;
      }),
    );
  });
}

/** Selects the first `length` characters of the article's first paragraph, as a drag or Shift+arrows leave them. */
async function selectOpening(page: Page, length: number): Promise<string> {
  return page.locator('article p').first().evaluate((paragraph, end) => {
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    const text = walker.nextNode()!;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, Math.min(end, text.textContent!.length));
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  }, length);
}

describe('a selection on a docs page (desktop, mouse)', () => {
  it('offers nothing until text is selected; then attaches the passage, sends it with the question and page, and the answer cites the page', async () => {
    const page = await open('/docs/configuration', 1440);
    expect(await askThis(page).count()).toBe(0);
    const quote = await selectOpening(page, 120);
    expect(quote.length).toBeGreaterThan(50);
    await page.mouse.move(300, 400);
    await page.locator('article').dispatchEvent('pointerup');
    await askThis(page).waitFor();
    await screenshot(page, 'ask-about-selection-desktop');
    // Collapsing the selection takes the button away.
    await page.evaluate(() => window.getSelection()!.removeAllRanges());
    await expect.poll(() => askThis(page).count()).toBe(0);

    await selectOpening(page, 120);
    await page.locator('article').dispatchEvent('pointerup');
    await askThis(page).click();
    const panel = sidePanel(page);
    const attached = panel.getByTestId('quote-context');
    await attached.waitFor();
    expect(await attached.innerText()).toContain('Configuration');
    expect(await attached.innerText()).toContain(quote.trim().slice(0, 40));
    // The reader types the question; the composer has focus already.
    await expect.poll(() => composer(panel).evaluate((box) => box === document.activeElement)).toBe(true);
    const sent = messageRequest(page);
    await page.keyboard.type('What does this mean?');
    await page.keyboard.press('Enter');
    const body = (await sent).postDataJSON();
    // Typing in the panel does not offer the button again for the passage already attached.
    expect(await askThis(page).count()).toBe(0);
    expect(body).toMatchObject({ message: 'What does this mean?', context: { page: '/docs/configuration', quote: quote.trim(), title: 'Configuration' } });
    const answer = await waitForAnswer(panel);
    const sources = await answer.getByRole('list', { name: 'Sources' }).getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(sources.some((href) => href?.startsWith('/docs/configuration'))).toBe(true);
    // The question shows with its passage; the passage is not attached to the next question.
    expect(await chatLog(panel).getByTestId('message-quote').innerText()).toContain(quote.trim().slice(0, 40));
    expect(await panel.getByTestId('quote-context').count()).toBe(0);
    await screenshot(page, 'ask-about-selection-answer-desktop');
    await page.close();
  });
});

describe('code blocks on a desktop', () => {
  it('keep their buttons apart from the code’s first line, however long the line', async () => {
    const page = await open('/docs/configuration', 1440);
    const blocks = page.getByTestId('code-block');
    const count = await blocks.count();
    expect(count).toBeGreaterThan(1);
    // They once floated in the code's top padding, 2 px above a long first line (6 of this page's blocks).
    for (let index = 0; index < count; index += 1) expect(await buttonsClearance(blocks.nth(index))).toBeGreaterThanOrEqual(4);
    await blocks.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'ask-about-code-block-desktop');
    await page.close();
  });
});

describe('at 390 px with the keyboard alone', () => {
  it('Tab from a selection reaches "Ask about this"; Enter attaches it; Enter in the empty box has it explained', async () => {
    const page = await open('/docs/configuration', 390);
    const quote = await selectOpening(page, 80);
    // A selection made with the keys (caret browsing: Shift+arrows) settles on keyup.
    await page.keyboard.press('Shift');
    await askThis(page).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'press Tab, then Enter' }).count()).toBe(1);
    await page.keyboard.press('Tab');
    await expect.poll(() => askThis(page).evaluate((button) => button === document.activeElement)).toBe(true);
    await screenshot(page, 'ask-about-selection-keyboard-390');
    await page.keyboard.press('Enter');
    const panel = sidePanel(page);
    await panel.getByTestId('quote-context').waitFor();
    await expect.poll(() => composer(panel).evaluate((box) => box === document.activeElement)).toBe(true);
    expect(await composer(panel).getAttribute('placeholder')).toMatch(/press Enter to have it explained/);
    await screenshot(page, 'ask-about-selection-attached-390');
    const sent = messageRequest(page);
    await page.keyboard.press('Enter');
    expect((await sent).postDataJSON()).toMatchObject({ message: 'Explain this passage.', context: { page: '/docs/configuration', quote: quote.trim() } });
    await waitForAnswer(panel);
    await screenshot(page, 'ask-about-selection-answer-390');
    await page.close();
  });

  it('every code block has "Ask about this", reached with Tab; it attaches the block’s code, which can be removed', async () => {
    const page = await open('/docs/configuration', 390);
    const blocks = page.getByTestId('code-block');
    const count = await blocks.count();
    expect(count).toBeGreaterThan(1);
    for (let index = 0; index < count; index += 1) {
      expect(await blocks.nth(index).getByRole('button', { name: /^Ask about this\b.*code$/ }).isVisible()).toBe(true);
    }
    const first = blocks.first().getByRole('button', { name: /^Ask about this\b/ });
    const code = await blocks.first().locator('pre code').innerText();
    // The buttons sit apart from the code, not on or against its first line (they once floated on it at 390 px).
    // Measured after the code is read: measuring scrolls each block into view, and one scrolled away skips layout.
    for (let index = 0; index < count; index += 1) expect(await buttonsClearance(blocks.nth(index))).toBeGreaterThanOrEqual(4);
    // Tab until the first block's button has focus: it is in the page's tab order.
    await page.locator('article h1').click();
    for (let presses = 0; presses < 40; presses += 1) {
      await page.keyboard.press('Tab');
      if (await first.evaluate((button) => button === document.activeElement)) break;
    }
    expect(await first.evaluate((button) => button === document.activeElement)).toBe(true);
    await screenshot(page, 'ask-about-code-block-390');
    await page.keyboard.press('Enter');
    const panel = sidePanel(page);
    const attached = panel.getByTestId('quote-context');
    await attached.waitFor();
    expect(await attached.locator('blockquote').innerText()).toBe(code.trim());
    // Removing it is a button too; the next question goes without it.
    await panel.getByRole('button', { name: 'Remove the passage from Configuration' }).click();
    expect(await attached.count()).toBe(0);
    const sent = messageRequest(page);
    await composer(panel).fill('Which variables are required?');
    await composer(panel).press('Enter');
    expect((await sent).postDataJSON().context).toBeUndefined();
    await page.close();
  });
});
