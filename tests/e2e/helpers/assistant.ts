import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

// Role- and label-based handles on the assistant UI, shared by the browser tests.

export const composer = (scope: Page | Locator) => scope.getByRole('textbox', { name: 'Ask a question about the docs' });
export const chatLog = (scope: Page | Locator) => scope.getByRole('log', { name: 'Conversation with the assistant' });
export const sidePanel = (page: Page) => page.getByRole('dialog', { name: 'Assistant' });
export const stopButton = (scope: Page | Locator) => scope.getByRole('button', { name: /^Stop/ });

/** Resolves once React has hydrated the page (the panel's keyboard shortcut and buttons work from then on). */
export async function waitForHydration(page: Page): Promise<void> {
  // Set by AppShell's effect, which runs after every effect below it (the panel's shortcut listener included). Polled
  // across a navigation too (the dashboard's sign-in replaces the document): between two documents there is no root
  // element yet, which is "not hydrated", not an error (maintainers-write-answer failed so under CI's load).
  await page.waitForFunction(() => document.documentElement?.dataset.hydrated === 'true');
}

/** A new page at `path`, `width` wide (a phone's 844 px tall under 600 px, else 900), once hydrated. */
export async function openHydrated(browser: { newPage(viewport?: { width: number; height: number }): Promise<Page> }, path: string, width: number): Promise<Page> {
  const page = await browser.newPage({ width, height: width < 600 ? 844 : 900 });
  await page.goto(path);
  await waitForHydration(page);
  return page;
}

/** Opens the side panel the way a reader would: the header button when the docs layout has one, else Ctrl+I. */
export async function openSidePanel(page: Page): Promise<Locator> {
  await waitForHydration(page);
  const button = page.getByRole('button', { name: 'Ask the assistant' });
  if ((await button.count()) > 0) await button.first().click();
  else await page.keyboard.press('Control+i');
  const panel = sidePanel(page);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

/** Types into the composer and presses Enter. */
export async function ask(page: Page, scope: Page | Locator, question: string): Promise<void> {
  await composer(scope).click();
  await page.keyboard.type(question);
  await page.keyboard.press('Enter');
}

const pageOf = (scope: Page | Locator): Page => ('page' in scope && typeof scope.page === 'function' ? scope.page() : (scope as Page));

/**
 * The assistant's finished answers in the log: those with their Copy button (a failed run's explanation has
 * none, and an answer still being written has none either, though a code block in it has "Copy code block").
 */
export const answers = (scope: Page | Locator) =>
  chatLog(scope).getByRole('listitem').filter({ has: pageOf(scope).getByRole('button', { name: 'Copy', exact: true }) });

/** Waits until the log holds `count` answers and returns the last one. */
export async function waitForAnswer(scope: Page | Locator, count = 1, timeout = 20_000): Promise<Locator> {
  await expect.poll(() => answers(scope).count(), { timeout }).toBeGreaterThanOrEqual(count);
  const answer = answers(scope).nth(count - 1);
  // The markdown renderer loads with the first message (components/assistant/LazyMarkdown.tsx): until then the
  // answer is plain text, without its links.
  await expect.poll(() => answer.locator('[data-markdown="pending"]').count(), { timeout }).toBe(0);
  return answer;
}

/** Whether the composer accepts input (it is disabled while a run is active). */
export async function isComposerEnabled(scope: Page | Locator): Promise<boolean> {
  return composer(scope).isEnabled();
}
