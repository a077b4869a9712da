import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { freePort } from '@/scripts/lib/next-server';
import { READER_TOKEN_SECRET, signReaderToken } from '../helpers/reader-tokens';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// The embed takes a reader token from the host site (issue 57): widget.js's data-reader-token and
// PasteAssistant.setReaderToken pass a JWT the host signed to the /embed frame by postMessage, and the frame exchanges
// it for its session's reader (POST /api/reader/session under its embed session token), so the panel's answers use
// the pages of the token's audiences. The host is http://localhost:P, another site than the assistant's
// http://127.0.0.1:P2, in Chromium with third-party cookies blocked (as embed.test.ts): no cookie can carry it.
// The canary: DOCS_AUDIENCES gives guides/discord.mdx to `staff`; only that page says Ed25519.

const CANARY = 'Ed25519';
const CANARY_PATH = '/docs/guides/discord';
// Not naming the canary: the offline answer repeats the question it searched for.
const QUESTION = 'How is the signature of each Discord interaction request verified with the public key?';

let assistant: TE2eServer;
let hostServer: http.Server;
let hostUrl: string;
let browser: Browser;
const hostPages = new Map<string, string>();

function hostPage(attributes: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner portal</title><link rel="icon" href="data:,"></head>
<body><h1>Partner portal</h1><script src="${assistant.url}/widget.js" ${attributes} async></script></body></html>`;
}

beforeAll(async () => {
  const port = await freePort();
  hostUrl = `http://localhost:${port}`;
  assistant = await startE2eServer({ EMBED_ALLOWED_ORIGINS: hostUrl, DOCS_AUDIENCES: 'staff=guides/discord.mdx', READER_TOKEN_SECRET });
  const attribute = (token: string) => `data-reader-token="${token}"`;
  hostPages.set('/public', hostPage(''));
  hostPages.set('/staff', hostPage(attribute(await signReaderToken({ sub: 'alice', audiences: ['staff'] }))));
  hostPages.set('/expired', hostPage(attribute(await signReaderToken({ sub: 'alice', audiences: ['staff'], seconds: -120 }))));
  hostPages.set('/forged', hostPage(attribute(await signReaderToken({ sub: 'alice', audiences: ['staff'], secret: 'a-forger-does-not-know-the-secret-0123456789' }))));
  hostServer = await new Promise<http.Server>((resolve) => {
    const server = http.createServer((req, res) => {
      const body = hostPages.get((req.url ?? '/').split('?')[0] ?? '/');
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--test-third-party-cookie-phaseout'], headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (hostServer ? hostServer.close(() => resolve()) : resolve()));
  await assistant?.stop();
});

/** A reader of the host site: a fresh browser context (no storage, no session) with the host page open. */
async function openHost(path: string): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  // Every address the page and its frame ask for: a reader token never travels in one.
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    (window as unknown as { readerEvents: string[] }).readerEvents = [];
    window.addEventListener('paste-assistant:reader', (event) =>
      (window as unknown as { readerEvents: string[] }).readerEvents.push((event as CustomEvent<{ status: string }>).detail.status),
    );
  });
  await page.goto(`${hostUrl}${path}`);
  await page.waitForFunction(() => typeof (window as unknown as { PasteAssistant?: unknown }).PasteAssistant === 'object');
  return { context, page, requests };
}

async function openPanel(page: Page): Promise<Frame> {
  await page.evaluate(() => (window as unknown as { PasteAssistant: { open(): void } }).PasteAssistant.open());
  await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(`${assistant.url}/embed`)), { timeout: 15_000 }).toBe(true);
  const frame = page.frames().find((candidate) => candidate.url().startsWith(`${assistant.url}/embed`))!;
  await frame.getByRole('textbox', { name: 'Ask a question about the docs' }).waitFor();
  return frame;
}

const readerEvents = (page: Page) => page.evaluate(() => (window as unknown as { readerEvents: string[] }).readerEvents);

/** Asks in the panel; returns the `count`th finished answer's text and its sources' addresses. */
async function askInPanel(frame: Frame, count = 1): Promise<{ text: string; sources: string[] }> {
  const box = frame.getByRole('textbox', { name: 'Ask a question about the docs' });
  await expect.poll(() => box.isEnabled()).toBe(true);
  await box.fill(QUESTION);
  await box.press('Enter');
  const answers = frame
    .getByRole('log', { name: 'Conversation with the assistant' })
    .getByRole('listitem')
    .filter({ has: frame.getByRole('button', { name: 'Copy', exact: true }) });
  await expect.poll(() => answers.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
  const answer = answers.nth(count - 1);
  await expect.poll(() => answer.locator('[data-markdown="pending"]').count()).toBe(0);
  const sources = await answer.getByRole('link').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  return { text: (await answer.textContent()) ?? '', sources };
}

const citesCanary = (sources: string[]) => sources.some((href) => href.startsWith(`${assistant.url}${CANARY_PATH}`));

describe('the embed with a reader token from the host site (third-party cookies blocked)', () => {
  it('without a token, answers from the public pages only: the canary page is never cited', async () => {
    const { context, page } = await openHost('/public');
    try {
      const frame = await openPanel(page);
      const answer = await askInPanel(frame);
      expect(answer.text).not.toContain(CANARY);
      expect(citesCanary(answer.sources)).toBe(false);
      expect(await readerEvents(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('with data-reader-token granting staff, the answer cites the staff page; the token is in no URL', async () => {
    const { context, page, requests } = await openHost('/staff');
    try {
      // The frame's first session token, as the assistant issued it before the reader signed in.
      const issued = page.waitForResponse((response) => response.url() === `${assistant.url}/api/embed/session`);
      const frame = await openPanel(page);
      const first = ((await (await issued).json()) as { token: string }).token;
      const answer = await askInPanel(frame);
      expect(citesCanary(answer.sources), JSON.stringify(answer.sources)).toBe(true);
      expect(await readerEvents(page)).toEqual(['signed-in']);
      // Signing in gave the frame a new session token, which widget.js keeps for it (no storage in the frame here);
      // the first one, which a page of the host could have planted, is a signed-out reader's (issue 67).
      const kept = await page.evaluate((key) => localStorage.getItem(key), `paste-assistant:session:${assistant.url}`);
      expect(kept).toMatch(/^pae1\./);
      expect(kept).not.toBe(first);
      const readerWith = async (token: string) =>
        ((await (await fetch(`${assistant.url}/api/reader/status`, { headers: { 'x-embed-token': token, origin: hostUrl } })).json()) as { reader: { subject: string } | null }).reader;
      expect(await readerWith(kept!)).toMatchObject({ subject: 'alice' });
      expect(await readerWith(first)).toBeNull();
      const token = /data-reader-token="([^"]+)"/.exec(hostPages.get('/staff')!)![1]!;
      for (const url of requests) expect(url).not.toContain(token.split('.')[2]);
      await screenshot(page, 'embed-reader-token-staff');
    } finally {
      await context.close();
    }
  });

  for (const path of ['/expired', '/forged']) {
    it(`with the ${path.slice(1)} token, says it could not sign the reader in and stays public`, async () => {
      const { context, page } = await openHost(path);
      try {
        const frame = await openPanel(page);
        await frame.getByRole('status').filter({ hasText: 'couldn’t sign you in' }).waitFor();
        const answer = await askInPanel(frame);
        expect(answer.text).not.toContain(CANARY);
        expect(citesCanary(answer.sources)).toBe(false);
        expect(await readerEvents(page)).toEqual(['refused']);
        if (path === '/expired') await screenshot(page, 'embed-reader-token-refused');
      } finally {
        await context.close();
      }
    });
  }

  it('setReaderToken passes a fresh token to an open panel, and setReaderToken(null) signs the reader out', async () => {
    const { context, page } = await openHost('/public');
    try {
      const frame = await openPanel(page);
      const before = await askInPanel(frame, 1);
      expect(citesCanary(before.sources)).toBe(false);

      const fresh = await signReaderToken({ sub: 'bob', audiences: ['staff'], seconds: 600 });
      await page.evaluate((token) => (window as unknown as { PasteAssistant: { setReaderToken(token: string | null): void } }).PasteAssistant.setReaderToken(token), fresh);
      await expect.poll(() => readerEvents(page)).toEqual(['signed-in']);
      const after = await askInPanel(frame, 2);
      expect(citesCanary(after.sources), JSON.stringify(after.sources)).toBe(true);

      await page.evaluate(() => (window as unknown as { PasteAssistant: { setReaderToken(token: string | null): void } }).PasteAssistant.setReaderToken(null));
      await expect.poll(() => readerEvents(page)).toEqual(['signed-in', 'signed-out']);
      const signedOut = await askInPanel(frame, 3);
      expect(citesCanary(signedOut.sources)).toBe(false);
    } finally {
      await context.close();
    }
  });
});
