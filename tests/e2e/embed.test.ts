import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { freePort } from '@/scripts/lib/next-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';
import { axeBlocking } from './helpers/axe';
import { findDrawnButton } from './helpers/shadow-button';

// The assistant embedded in another site with one script tag (issue 22), in Chromium with third-party cookies
// blocked. The host pages are served from http://localhost:P (another site than the assistant's
// http://127.0.0.1:P2); a third site, http://localhost:P3, is not on EMBED_ALLOWED_ORIGINS. The launcher sits
// in a closed shadow root, out of reach of page scripts and selectors, so the test finds it as a reader's
// assistive technology does: in the accessibility tree (CDP), and clicks where it is drawn.


let assistant: TE2eServer;
let hostServer: http.Server;
let strangerServer: http.Server;
let hostUrl: string;
let strangerUrl: string;
let browser: Browser;

const HOSTILE_CSS = `
  * { all: unset !important; }
  html { font-size: 64px !important; }
  body { font-size: 48px !important; }
  button { display: none !important; }
  iframe { display: none !important; width: 1px !important; }
  div { position: relative !important; z-index: 1 !important; }
`;

function hostPage({ title, css = '', tag }: { title: string; css?: string; tag: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="data:,"><style>${css}</style></head>
<body><h1>${title}</h1><p>A docs page of another site.</p><input id="search" aria-label="Search">
${tag}</body></html>`;
}

beforeAll(async () => {
  const hostPort = await freePort();
  const strangerPort = await freePort();
  hostUrl = `http://localhost:${hostPort}`;
  strangerUrl = `http://localhost:${strangerPort}`;
  // The offline answer is written a word at a time, so that it streams.
  assistant = await startE2eServer({ EMBED_ALLOWED_ORIGINS: hostUrl, OFFLINE_MODEL_PIECE_MS: '10' });
  const tag = `<script src="${assistant.url}/widget.js" async></script>`;
  const routes = {
    '/': hostPage({ title: 'Host docs', tag }),
    '/hostile': hostPage({ title: 'Hostile host', css: HOSTILE_CSS, tag }),
    '/options': hostPage({
      title: 'Options',
      tag: `<script src="${assistant.url}/widget.js" data-button-text="Help me" data-position="bottom-left" data-theme="dark" data-color="red" data-shortcut="${'x'.repeat(300)}" async></script>`,
    }),
    '/no-launcher': hostPage({ title: 'Own button', tag: `<script src="${assistant.url}/widget.js" data-launcher="off" async></script>` }),
  };
  const host = await new Promise<http.Server>((resolve) => {
    const server = http.createServer((req, res) => {
      const body = routes[((req.url ?? '/').split('?')[0] ?? '/') as keyof typeof routes];
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    server.listen(hostPort, '127.0.0.1', () => resolve(server));
  });
  hostServer = host;
  strangerServer = await new Promise<http.Server>((resolve) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(hostPage({ title: 'Not allowed', tag }));
    });
    server.listen(strangerPort, '127.0.0.1', () => resolve(server));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--test-third-party-cookie-phaseout'], headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (hostServer ? hostServer.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (strangerServer ? strangerServer.close(() => resolve()) : resolve()));
  await assistant?.stop();
});

async function newContext(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(20_000);
  return context;
}

type TOpenedPage = { page: Page; consoleLines: string[] };

async function openHost(context: BrowserContext, path = '/', origin = hostUrl): Promise<TOpenedPage> {
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    (window as unknown as { readyEvents: number }).readyEvents = 0;
    window.addEventListener('paste-assistant:ready', () => (window as unknown as { readyEvents: number }).readyEvents++);
  });
  await page.goto(`${origin}${path}`);
  return { page, consoleLines };
}

/** The launcher as the accessibility tree has it (closed shadow roots included): its name and where it is drawn. */
const findLauncher = (page: Page, name: RegExp = /ask/i) => findDrawnButton(page, name);

/** `name`: the launcher's accessible name, which follows the browser's language (English: "Ask …"). */
async function clickLauncher(page: Page, name?: RegExp): Promise<void> {
  await expect.poll(() => findLauncher(page, name), { timeout: 15_000 }).not.toBeNull();
  const launcher = (await findLauncher(page, name))!;
  await page.mouse.click(launcher.x + launcher.width / 2, launcher.y + launcher.height / 2);
}

async function embedFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(`${assistant.url}/embed`)), { timeout: 15_000 }).toBe(true);
  return page.frames().find((frame) => frame.url().startsWith(`${assistant.url}/embed`))!;
}

async function openPanel(page: Page): Promise<Frame> {
  await clickLauncher(page);
  const frame = await embedFrame(page);
  await frame.getByRole('textbox', { name: 'Ask a question about the docs' }).waitFor();
  return frame;
}

async function ask(frame: Frame, question: string): Promise<void> {
  const box = frame.getByRole('textbox', { name: 'Ask a question about the docs' });
  await box.fill(question);
  await box.press('Enter');
}

describe('the assistant embedded in another site (third-party cookies blocked)', () => {
  let context: BrowserContext;
  let opened: TOpenedPage;
  let frame: Frame;

  beforeAll(async () => {
    context = await newContext();
    opened = await openHost(context);
  });
  afterAll(async () => {
    await context.close();
  });

  it('one tag adds a launcher named "Ask…", the API and the ready event, with nothing in the console', async () => {
    await expect.poll(() => findLauncher(opened.page)).not.toBeNull();
    expect((await findLauncher(opened.page))!.name).toMatch(/Ask/);
    expect(await opened.page.evaluate(() => typeof (window as unknown as { PasteAssistant?: { open?: unknown } }).PasteAssistant?.open)).toBe('function');
    expect(await opened.page.evaluate(() => (window as unknown as { readyEvents: number }).readyEvents)).toBe(1);
    // Nothing of the panel is loaded before the reader shows interest.
    expect(opened.page.frames()).toHaveLength(1);
    expect(opened.consoleLines).toEqual([]);
    await screenshot(opened.page, 'embed-host-desktop');
  });

  it('opens the panel, streams an answer with sources that open in the top window, as absolute URLs', async () => {
    // The run's event stream, read with the session token in a header (EventSource cannot send one).
    const streams: { status: number; type: string | null; hasToken: boolean }[] = [];
    opened.page.on('response', (response) => {
      if (!/\/run\/[^/]+\/events/.test(response.url())) return;
      void response.request().allHeaders().then((headers) => {
        streams.push({ status: response.status(), type: response.headers()['content-type'] ?? null, hasToken: 'x-embed-token' in headers });
      });
    });
    frame = await openPanel(opened.page);
    await ask(frame, 'How do I install the assistant?');
    const sources = frame.getByRole('list', { name: 'Sources' });
    await sources.waitFor({ timeout: 30_000 });
    const links = await sources.getByRole('link').evaluateAll((anchors) => anchors.map((anchor) => ({ href: anchor.getAttribute('href'), target: anchor.getAttribute('target') })));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.href).toMatch(new RegExp(`^${assistant.url.replace(/[.:/]/g, '\\$&')}/docs`));
      expect(link.target).toBe('_top');
    }
    expect(streams.length).toBeGreaterThan(0);
    expect(streams[0]).toEqual({ status: 200, type: expect.stringMatching(/^text\/event-stream/), hasToken: true });
    await screenshot(opened.page, 'embed-panel-answer-desktop');
  });

  it('keeps the thread across a reload of the host page', async () => {
    await opened.page.reload();
    frame = await openPanel(opened.page);
    await frame.getByText('How do I install the assistant?').first().waitFor();
    await frame.getByRole('list', { name: 'Sources' }).waitFor();
  });

  it('closes from the panel and from the API, and asks from the host’s own code', async () => {
    await frame.getByRole('button', { name: 'Close the assistant' }).click();
    await expect.poll(() => opened.page.evaluate(() => (window as unknown as { PasteAssistant: { isOpen: boolean } }).PasteAssistant.isOpen)).toBe(false);
    await opened.page.evaluate(() => (window as unknown as { PasteAssistant: { open(options: { question: string }): void } }).PasteAssistant.open({ question: 'What is offline mode?' }));
    await frame.getByText('What is offline mode?').first().waitFor();
    await opened.page.evaluate(() => (window as unknown as { PasteAssistant: { close(): void } }).PasteAssistant.close());
    await expect.poll(() => opened.page.evaluate(() => (window as unknown as { PasteAssistant: { isOpen: boolean } }).PasteAssistant.isOpen)).toBe(false);
  });

  it('another browser context (another reader) sees none of it', async () => {
    const other = await newContext();
    try {
      const { page } = await openHost(other);
      const otherFrame = await openPanel(page);
      await otherFrame.getByRole('button', { name: 'Show threads' }).click();
      await otherFrame.getByRole('navigation', { name: 'Threads' }).waitFor();
      await expect.poll(() => otherFrame.getByText('How do I install the assistant?').count()).toBe(0);
      expect(await otherFrame.getByText('What is offline mode?').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('axe finds no critical or serious issue inside the panel', async () => {
    await opened.page.evaluate(() => (window as unknown as { PasteAssistant: { open(): void } }).PasteAssistant.open());
    // At rest: the answer asked from the host's code in an earlier test may still be running (the composer disabled).
    await expect.poll(() => frame.getByRole('textbox', { name: 'Ask a question about the docs' }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await axeBlocking(frame)).toEqual([]);
  });
});

describe('the host page', () => {
  it('with hostile global CSS still shows a usable launcher and panel', async () => {
    const context = await newContext();
    try {
      const { page } = await openHost(context, '/hostile');
      const frame = await openPanel(page);
      expect(await frame.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }))).toEqual({ width: 400, height: 800 });
      await ask(frame, 'How do I configure Slack?');
      await frame.getByRole('list', { name: 'Sources' }).waitFor({ timeout: 30_000 });
      // The panel's text is drawn at its own size, not the host's 64px root font.
      const fontSize = await frame.getByRole('heading', { name: 'Assistant' }).evaluate((heading) => getComputedStyle(heading).fontSize);
      expect(Number.parseFloat(fontSize)).toBeLessThan(30);
      await screenshot(page, 'embed-hostile-css');
    } finally {
      await context.close();
    }
  });

  it('at phone width gets a full-screen panel', async () => {
    const context = await newContext({ width: 390, height: 844 });
    try {
      const { page } = await openHost(context);
      await screenshot(page, 'embed-host-phone');
      const frame = await openPanel(page);
      expect(await frame.evaluate(() => window.innerWidth)).toBe(390);
      await ask(frame, 'How do I configure Slack?');
      await frame.getByRole('list', { name: 'Sources' }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'embed-panel-phone');
    } finally {
      await context.close();
    }
  });

  it('ignores unknown and oversize options with one console line, and takes the valid ones', async () => {
    const context = await newContext();
    try {
      const { page, consoleLines } = await openHost(context, '/options');
      await expect.poll(() => findLauncher(page)).not.toBeNull();
      const launcher = (await findLauncher(page))!;
      expect(launcher.name).toMatch(/^Help me.*Ask/);
      expect(launcher.x).toBeLessThan(100);
      expect(consoleLines.filter((line) => line.includes('Paste Assistant'))).toHaveLength(1);
      expect(consoleLines.join('\n')).toMatch(/data-color/);
      expect(consoleLines.join('\n')).toMatch(/data-shortcut/);
      expect(consoleLines.filter((line) => line.startsWith('pageerror'))).toEqual([]);
      // data-theme="dark": the panel is drawn dark whatever the reader's system says.
      const frame = await openPanel(page);
      await expect.poll(() => frame.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
      await screenshot(page, 'embed-panel-dark');
    } finally {
      await context.close();
    }
  });

  it('with the launcher off opens from its own button through the API', async () => {
    const context = await newContext();
    try {
      const { page } = await openHost(context, '/no-launcher');
      await page.waitForFunction(() => (window as unknown as { readyEvents: number }).readyEvents === 1);
      expect(await findLauncher(page)).toBeNull();
      await page.evaluate(() => (window as unknown as { PasteAssistant: { open(): void } }).PasteAssistant.open());
      const frame = await embedFrame(page);
      await frame.getByRole('textbox', { name: 'Ask a question about the docs' }).waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('a site that is not allowed', () => {
  it('gets no launcher and no panel (one console line), and its requests are refused with 403', async () => {
    const context = await newContext();
    try {
      const { page, consoleLines } = await openHost(context, '/', strangerUrl);
      await expect.poll(() => consoleLines.some((line) => line.includes('is not allowed to embed'))).toBe(true);
      expect(await findLauncher(page)).toBeNull();
      expect(await page.evaluate(() => 'PasteAssistant' in window)).toBe(false);

      // Framing /embed by hand: the browser refuses (frame-ancestors), so the frame never shows the assistant.
      await page.evaluate(
        (src) =>
          new Promise<void>((resolve) => {
            const frame = document.createElement('iframe');
            frame.addEventListener('load', () => resolve());
            frame.src = src;
            document.body.appendChild(frame);
          }),
        `${assistant.url}/embed`,
      );
      const embedded = page.frames().find((frame) => frame.url().startsWith(`${assistant.url}/embed`));
      if (embedded) expect(await embedded.getByRole('textbox').count()).toBe(0);

      // Requests straight to the API: each answered 403 origin_not_allowed. (no-cors, so that the browser sends
      // them as they are; the page cannot read any answer either way.)
      const statuses: Record<string, number> = {};
      page.on('response', (response) => {
        if (response.url().startsWith(`${assistant.url}/api/`)) statuses[`${response.request().method()} ${new URL(response.url()).pathname}`] = response.status();
      });
      await page.evaluate(async (base) => {
        const send = (path: string, init: RequestInit) => fetch(`${base}${path}`, { ...init, mode: 'no-cors' }).catch(() => null);
        await send('/api/paste-assistant-thread', { method: 'GET' });
        await send('/api/paste-assistant-thread', { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain' } });
        await send('/api/embed/session', { method: 'POST', body: JSON.stringify({ origin: location.origin }), headers: { 'Content-Type': 'text/plain' } });
      }, assistant.url);
      await expect.poll(() => Object.keys(statuses).length).toBe(3);
      expect(statuses).toEqual({
        'GET /api/paste-assistant-thread': 403,
        'POST /api/paste-assistant-thread': 403,
        'POST /api/embed/session': 403,
      });
      const body = await (await fetch(`${assistant.url}/api/paste-assistant-thread`, { headers: { origin: strangerUrl } })).json();
      expect(body.error.code).toBe('origin_not_allowed');
    } finally {
      await context.close();
    }
  });
});

describe('the embedded panel in a French browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    context.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await context.close();
  });

  it('shows its own words in French, and a French question gets the note that the docs are quoted in English', async () => {
    const opened = await openHost(context);
    // The launcher speaks French too ("Demander à l’IA": the widget's labels per language, from the tables).
    await clickLauncher(opened.page, /^Demander/);
    const frame = await embedFrame(opened.page);
    const box = frame.getByRole('textbox', { name: 'Posez une question sur la documentation' });
    await box.waitFor();
    expect(await frame.getByRole('main', { name: 'Assistant de la documentation' }).count()).toBe(1);
    expect(await frame.getByRole('button', { name: 'Nouvelle conversation' }).count()).toBe(1);
    await box.click();
    await opened.page.keyboard.type('Comment installer l’assistant ?');
    await opened.page.keyboard.press('Enter');
    await frame.getByText('La documentation est en anglais : cette réponse la cite telle quelle.').waitFor({ timeout: 30_000 });
    await frame.getByRole('list', { name: 'Sources' }).waitFor();
    await screenshot(opened.page, 'embed-panel-french');
  });
});
