import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

// Role- and label-based handles on the assistant UI, shared by the browser tests.

export const composer = (scope: Page | Locator) => scope.getByRole('textbox', { name: 'Ask a question about the docs' });
export const chatLog = (scope: Page | Locator) => scope.getByRole('log', { name: 'Conversation with the assistant' });
export const sidePanel = (page: Page) => page.getByRole('dialog', { name: 'Assistant' });

/** Opens the side panel the way a reader would: the header button when the docs layout has one, else Ctrl+I. */
export async function openSidePanel(page: Page): Promise<Locator> {
  const button = page.getByRole('button', { name: 'Ask the assistant' });
  if ((await button.count()) > 0) await button.first().click();
  else await page.keyboard.press('Control+i');
  const panel = sidePanel(page);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

/** Types into the Lexical composer and presses Enter. */
export async function ask(scope: Page | Locator, page: Page, question: string): Promise<void> {
  const box = composer(scope);
  await box.click();
  await page.keyboard.type(question);
  await page.keyboard.press('Enter');
}

/** Waits until the assistant's answer (with its source list) is in the log, and returns the last answer. */
export async function waitForAnswer(scope: Page | Locator, count = 1): Promise<Locator> {
  const answers = chatLog(scope).getByRole('listitem').filter({ has: scope.getByLabel('The assistant said') });
  await expect.poll(() => answers.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return answers.nth(count - 1);
}
