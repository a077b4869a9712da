import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OFFLINE_LINES, type TOfflineLines } from '@/lib/model/offline/lines';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// The side panel in a browser whose language is French (locale fr-FR: navigator.languages and Accept-Language):
// its own words are French, and a French question, answered offline, opens with a French note that it quotes the
// English docs, with its sources as usual; the header's button, the answer's own lines, Share and the log's label are
// French too.

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
    // The docs header's button, from its few labels (not the panel's tables).
    await expect.poll(() => page.getByRole('button', { name: 'Demander à l’assistant' }).count()).toBe(1);
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
    // The offline answer's own lines are French too; the quoted docs stay English. Which lines it has (the lead's few
    // words when it may not answer, closest sections, not covered, Related) is the search's to decide; that it is French, and no English line, is this
    // test's. The panel's text goes in the failure message: a CI run once failed here with no trace of the answer.
    const text = await panel.innerText();
    // "Related" (a heading of its own line) is also an English word of the quoted docs: it counts only as a whole line.
    const panelLines = new Set(text.split('\n').map((line) => line.trim()));
    const isOpening = (lines: TOfflineLines) =>
      [lines.lowConfidence, lines.closestOne, lines.closestMany, lines.answerNo, lines.notCovered].some((line) => text.includes(line)) || panelLines.has(lines.related);
    expect(isOpening(OFFLINE_LINES.fr), `no French opening in the panel:\n${text}`).toBe(true);
    expect(isOpening(OFFLINE_LINES.en), `an English opening in the panel:\n${text}`).toBe(false);
    // The Share button loads with the first answer (a lazy part of the log): waited for, then counted.
    await expect.poll(() => panel.getByRole('button', { name: 'Partager cette conversation : copier un lien en lecture seule' }).count()).toBe(1);
    expect(await panel.getByRole('log', { name: 'Conversation avec l’assistant' }).count()).toBe(1);
    const sources = panel.getByRole('list', { name: 'Sources' });
    expect(await sources.getByRole('link').first().getAttribute('href', { timeout: 5_000 }), `no Slack source in the panel:\n${text}`).toMatch(/^\/docs\/guides\/slack#/);
    expect(await panel.getByText('Cette réponse vous aide-t-elle ?').count()).toBe(1);
    await screenshot(page, 'panel-french');
  });
});
