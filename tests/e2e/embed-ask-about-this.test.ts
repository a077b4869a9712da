import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { freePort } from '@/scripts/lib/next-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';
import { findDrawnButton } from './helpers/shadow-button';

// "Ask about this" on the embed's host pages (issue 71): widget.js sees the host page's selection and offers the button
// (in its closed shadow root, found as assistive technology finds it: the accessibility tree), nothing while nothing
// is selected; the panel gets the passage with the page's address and title, attached to the reader's next question.
// The host is http://localhost:P, another site than the assistant's.

let assistant: TE2eServer;
let hostServer: http.Server;
let hostUrl: string;
let browser: Browser;

const PASSAGE = 'Each session may send twenty messages per minute. Past that, requests get status 429 with Retry-After.';

function hostPage(tag: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host limits guide</title><link rel="icon" href="data:,"></head>
<body><h1>Limits</h1><p id="passage">${PASSAGE}</p><p>More text of the host page.</p>${tag}</body></html>`;
}

beforeAll(async () => {
  const hostPort = await freePort();
  hostUrl = `http://localhost:${hostPort}`;
  assistant = await startE2eServer({ EMBED_ALLOWED_ORIGINS: hostUrl });
  const routes: Record<string, string> = {
    '/guide': hostPage(`<script src="${assistant.url}/widget.js" async></script>`),
    '/off': hostPage(`<script src="${assistant.url}/widget.js" data-ask-selection="off" async></script>`),
  };
  hostServer = await new Promise<http.Server>((resolve) => {
    const server = http.createServer((req, res) => {
      const body = routes[(req.url ?? '/').split('?')[0] ?? '/'];
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    server.listen(hostPort, '127.0.0.1', () => resolve(server));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--test-third-party-cookie-phaseout'], headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (hostServer ? hostServer.close(() => resolve()) : resolve()));
  await assistant?.stop();
});


async function selectPassage(page: Page): Promise<void> {
  await page.locator('#passage').evaluate((paragraph) => {
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  });
}

async function embedFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(`${assistant.url}/embed`)), { timeout: 15_000 }).toBe(true);
  return page.frames().find((frame) => frame.url().startsWith(`${assistant.url}/embed`))!;
}

const ASK_THIS = /^Ask about this$/;

describe('a selection on a host page', () => {
  it('offers "Ask about this" only while text is selected; the panel gets the passage, the page’s address and title with the next question', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${hostUrl}/guide`);
    await expect.poll(() => findDrawnButton(page, /^Ask AI/)).not.toBeNull();
    expect(await findDrawnButton(page, ASK_THIS)).toBeNull();
    await selectPassage(page);
    await page.mouse.move(200, 300);
    await page.mouse.up().catch(() => undefined);
    await page.locator('#passage').dispatchEvent('pointerup');
    await expect.poll(() => findDrawnButton(page, ASK_THIS)).not.toBeNull();
    await screenshot(page, 'embed-ask-about-selection-desktop');
    await page.evaluate(() => window.getSelection()!.removeAllRanges());
    await expect.poll(() => findDrawnButton(page, ASK_THIS)).toBeNull();

    await selectPassage(page);
    await page.locator('#passage').dispatchEvent('pointerup');
    await expect.poll(() => findDrawnButton(page, ASK_THIS)).not.toBeNull();
    const button = (await findDrawnButton(page, ASK_THIS))!;
    await page.mouse.click(button.x + button.width / 2, button.y + button.height / 2);
    const frame = await embedFrame(page);
    const attached = frame.getByTestId('quote-context');
    await attached.waitFor({ timeout: 20_000 });
    expect(await attached.innerText()).toContain('Host limits guide');
    expect(await attached.locator('blockquote').innerText()).toBe(PASSAGE);
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/paste-assistant-message'));
    const box = frame.getByRole('textbox', { name: 'Ask a question about the docs' });
    await box.fill('What happens after that?');
    await box.press('Enter');
    expect((await sent).postDataJSON()).toMatchObject({
      message: 'What happens after that?',
      context: { quote: PASSAGE, url: `${hostUrl}/guide`, title: 'Host limits guide' },
    });
    await frame.getByTestId('message-quote').waitFor();
    await screenshot(page, 'embed-ask-about-selection-sent');
    await context.close();
  });

  it('at 390 px, Tab from a selection reaches the button and Enter asks; data-ask-selection="off" offers nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${hostUrl}/guide`);
    await expect.poll(() => findDrawnButton(page, /^Ask AI/)).not.toBeNull();
    await selectPassage(page);
    await page.keyboard.press('Shift');
    await expect.poll(() => findDrawnButton(page, ASK_THIS)).not.toBeNull();
    await page.keyboard.press('Tab');
    await screenshot(page, 'embed-ask-about-selection-keyboard-390');
    await page.keyboard.press('Enter');
    const frame = await embedFrame(page);
    await frame.getByTestId('quote-context').waitFor({ timeout: 20_000 });
    await screenshot(page, 'embed-ask-about-selection-attached-390');

    const off = await context.newPage();
    await off.goto(`${hostUrl}/off`);
    await expect.poll(() => findDrawnButton(off, /^Ask AI/)).not.toBeNull();
    await selectPassage(off);
    await off.locator('#passage').dispatchEvent('pointerup');
    await off.waitForTimeout(700);
    expect(await findDrawnButton(off, ASK_THIS)).toBeNull();
    await context.close();
  });
});
