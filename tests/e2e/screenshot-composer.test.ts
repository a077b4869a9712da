import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chatLog, composer, waitForAnswer, waitForHydration } from './helpers/assistant';
import { axeBlocking } from './helpers/axe';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';

// Screenshots in the composer (issue 71) in Chromium against `next start`: at 1440 and 390 px wide, a reader picks a
// PNG ("Attach a screenshot", by mouse on the desktop and by keyboard on the phone), sees its thumbnail, removes it,
// pastes a larger one (a paste event holding a File, as the clipboard gives one), and sends it alone. The request
// carries it redrawn at ≤ 2000 px, the server reads its text offline, the answer cites the page that explains the
// error, and the sent message shows the screenshot.

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/screenshots/missing-scope.png');
const FIXTURE_BASE64 = readFileSync(FIXTURE).toString('base64');
/** The fixture's own size (1280×220): pasted here three times as large, as a 4K screen's capture is. */
const PASTED_SCALE = 3;

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

async function open(width: number): Promise<Page> {
  const page = await browser.newPage({ width, height: width < 600 ? 844 : 900 });
  await page.goto('/assistant');
  await waitForHydration(page);
  return page;
}

const attachButton = (page: Page) => page.getByRole('button', { name: 'Attach a screenshot' });
const attached = (page: Page) => page.getByRole('img', { name: /^Screenshot \d to send$/ });

/** Pastes the fixture drawn `scale` times as large into the composer, as a clipboard holding an image file does. */
async function pasteScaledFixture(page: Page, scale: number): Promise<void> {
  await composer(page).evaluate(
    async (box, { base64, scale }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width * scale;
      canvas.height = bitmap.height * scale;
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((made) => resolve(made!), 'image/png'));
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([blob], 'clipboard.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
    },
    { base64: FIXTURE_BASE64, scale },
  );
}

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(base64: string): { width: number; height: number } {
  const bytes = Buffer.from(base64, 'base64');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.each([
  { width: 1440, name: 'desktop', isKeyboard: false },
  { width: 390, name: 'phone', isKeyboard: true },
])('a screenshot in the composer ($name, $width px)', ({ width, name, isKeyboard }) => {
  it('picks, shows, removes, pastes and sends a screenshot; the answer cites the page its text is about, and the message shows it', async () => {
    const page = await open(width);

    // Picked: the button opens the file picker, by mouse or from the keyboard.
    const chooser = page.waitForEvent('filechooser');
    if (isKeyboard) {
      await attachButton(page).focus();
      await page.keyboard.press('Enter');
    } else {
      await attachButton(page).click();
    }
    await (await chooser).setFiles(FIXTURE);
    await attached(page).first().waitFor();
    expect(await attached(page).count()).toBe(1);
    expect(await axeBlocking(page)).toEqual([]);
    await screenshot(page, `screenshot-composer-attached-${name}`);

    // Removed with its button.
    await page.getByRole('button', { name: 'Remove screenshot 1' }).click();
    await expect.poll(() => attached(page).count()).toBe(0);

    // Pasted: a capture three times the fixture's size.
    await pasteScaledFixture(page, PASTED_SCALE);
    await attached(page).first().waitFor();

    const sent = page.waitForRequest((request) => request.url().endsWith('/api/paste-assistant-message') && request.method() === 'POST');
    await composer(page).focus();
    await page.keyboard.press('Enter');
    const body = (await sent).postDataJSON() as { message?: string; images: { mediaType: string; data: string }[] };
    expect(body.message ?? '').toBe('');
    expect(body.images).toHaveLength(1);
    expect(body.images[0]!.mediaType).toBe('image/png');
    // Redrawn at the size OCR needs: the longest side 2000 px, the proportions kept.
    expect(pngSize(body.images[0]!.data)).toEqual({ width: 2000, height: Math.round((220 * 2000) / 1280) });

    // The server read it (offline) and answered from the page that explains the error.
    const answer = await waitForAnswer(page, 1, 90_000);
    const sources = await answer.getByRole('list', { name: 'Sources' }).getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    expect(sources.some((href) => href.startsWith('/docs/guides/slack') || href === '/docs/troubleshooting#nothing-arrives-in-slack'), sources.join(', ')).toBe(true);

    // The reader's message shows the screenshot, and the text read in it.
    const shown = chatLog(page).getByRole('img', { name: 'Screenshot 1 sent with the question' });
    await shown.waitFor();
    expect(await shown.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(2000);
    expect(await chatLog(page).innerText()).toContain('missing_scope');
    expect(await attached(page).count()).toBe(0);
    expect(await axeBlocking(page)).toEqual([]);
    await shown.scrollIntoViewIfNeeded();
    await screenshot(page, `screenshot-composer-sent-${name}`);
    await page.close();
  });
});
