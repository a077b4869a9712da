import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// The side panel in a browser whose language is French (locale fr-FR: navigator.languages and Accept-Language):
// its own words are French, and a French question, answered offline, opens with a French note that it quotes the
// English docs, with its sources as usual.

let browser: TBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl'), locale: 'fr-FR' });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('the side panel in a French browser', () => {
  it('speaks French, and answers a French question with the note and its sources', async () => {
    await page.goto('/docs/configuration');
    await waitForHydration(page);
    await page.keyboard.press('Control+i');
    const panel = page.getByRole('dialog', { name: 'Assistant' });
    await panel.waitFor();
    await expect.poll(() => panel.getByRole('heading', { name: 'Interrogez la documentation' }).isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Fermer l’assistant' }).count()).toBe(1);
    expect(await panel.getByRole('link', { name: 'Ouvrir toutes les conversations' }).count()).toBe(1);
    const box = panel.getByRole('textbox', { name: 'Posez une question sur la documentation' });
    await box.click();
    await page.keyboard.type('Comment est-ce que je configure les notifications Slack ?');
    await page.keyboard.press('Enter');
    // The answer's action bar, in French, appears once it is complete.
    await panel.getByRole('button', { name: 'Copier', exact: true }).waitFor({ timeout: 30_000 });
    expect(await panel.getByText('La documentation est en anglais : cette réponse la cite telle quelle.').count()).toBe(1);
    const sources = panel.getByRole('list', { name: 'Sources' });
    expect(await sources.getByRole('link').first().getAttribute('href')).toMatch(/^\/docs\/guides\/slack#/);
    expect(await panel.getByText('Cette réponse vous aide-t-elle ?').count()).toBe(1);
    await screenshot(page, 'panel-french');
  });
});
