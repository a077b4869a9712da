import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { freePort } from '@/scripts/lib/next-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// The embed on versioned docs (issue 38): a host site publishes Quillbox's 1.x and 2.x docs (/docs/1.x/…,
// /docs/2.x/…); the assistant crawled it with DOCS_VERSION_PATTERN. A conversation takes the version of the page it
// starts from: the script tag's data-version, else the host page's address. Its sources are that version's pages.
// The host is http://localhost:P (another site than the assistant's), crawled as http://127.0.0.1:P.

let assistant: TE2eServer;
let hostServer: http.Server;
let hostUrl: string;
let crawlOrigin: string;
let browser: Browser;

function docsPage(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Quillbox docs</title></head>
<body><main><h1>${title}</h1>${body}</main>${script}</body></html>`;
}

const PAGES: Record<string, string> = {
  '/docs/2.x/export': docsPage('Exporting booklets', '<h2 id="export-to-pdf">Export to PDF</h2><p>Run <code>quillbox export --format pdf</code> in the notebook folder.</p>'),
  '/docs/1.x/export': docsPage('Exporting booklets', '<h2 id="export-to-pdf">Export to PDF</h2><p>Run <code>quillbox print --pdf</code> in the notebook folder.</p>'),
};

beforeAll(async () => {
  const port = await freePort();
  hostUrl = `http://localhost:${port}`;
  crawlOrigin = `http://127.0.0.1:${port}`;
  const sitemap = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${Object.keys(PAGES)
    .map((path) => `<url><loc>${crawlOrigin}${path}</loc></url>`)
    .join('')}</urlset>`;
  hostServer = await new Promise<http.Server>((resolve) => {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const tag = (attributes = '') => `<script src="${assistant.url}/widget.js" ${attributes} async></script>`;
      let body: string | undefined;
      if (path === '/sitemap.xml') body = sitemap;
      // A page of the host's that is no docs page, naming its version on the script tag.
      else if (path === '/release-notes') body = docsPage('Release notes', '<p>What changed.</p>', tag('data-version="1.x"'));
      // A docs page whose address carries its version, with the plain tag.
      else if (path === '/docs/1.x/start') body = docsPage('Start', '<p>Start here.</p>', tag());
      else body = PAGES[path];
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': path === '/sitemap.xml' ? 'application/xml' : 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
  assistant = await startE2eServer({ EMBED_ALLOWED_ORIGINS: hostUrl, DOCS_CRAWL_URL: `${crawlOrigin}/sitemap.xml`, DOCS_VERSION_PATTERN: '/docs/(\\d+\\.x)/' });
  const crawledPages = async () => ((await (await fetch(`${assistant.url}/api/health`)).json()) as { docs?: { crawl?: { pages?: number } } }).docs?.crawl?.pages ?? 0;
  const deadline = Date.now() + 60_000;
  while ((await crawledPages()) < Object.keys(PAGES).length) {
    if (Date.now() > deadline) throw new Error(`The assistant did not crawl the host site: ${JSON.stringify(await (await fetch(`${assistant.url}/api/health`)).json())}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--test-third-party-cookie-phaseout'], headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (hostServer ? hostServer.close(() => resolve()) : resolve()));
  await assistant?.stop();
});

async function openPanel(page: Page): Promise<Frame> {
  await page.waitForFunction(() => (window as unknown as { PasteAssistant?: unknown }).PasteAssistant !== undefined, undefined, { timeout: 15_000 });
  await page.evaluate(() => (window as unknown as { PasteAssistant: { open(): void } }).PasteAssistant.open());
  await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(`${assistant.url}/embed`)), { timeout: 15_000 }).toBe(true);
  const frame = page.frames().find((candidate) => candidate.url().startsWith(`${assistant.url}/embed`))!;
  await frame.getByRole('textbox', { name: 'Ask a question about the docs' }).waitFor();
  return frame;
}

/** Asks in the panel and returns the answer's source links. */
async function askForSources(frame: Frame, question: string): Promise<string[]> {
  const box = frame.getByRole('textbox', { name: 'Ask a question about the docs' });
  await box.fill(question);
  await box.press('Enter');
  const sources = frame.getByRole('list', { name: 'Sources' });
  await sources.waitFor({ timeout: 30_000 });
  return sources.getByRole('link').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
}

describe('the embed on versioned docs', () => {
  it.each([
    ['data-version on the script tag', '/release-notes', 'embed-version-attribute'],
    ['the host page\'s address', '/docs/1.x/start', 'embed-version-address'],
  ])('%s: the conversation is of 1.x, and its sources are 1.x pages', async (_label, path, shot) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(20_000);
    try {
      const page = await context.newPage();
      await page.goto(`${hostUrl}${path}`);
      const frame = await openPanel(page);
      const hrefs = await askForSources(frame, 'How do I export a booklet to PDF?');
      expect(hrefs.length).toBeGreaterThan(0);
      for (const href of hrefs) expect(href.startsWith(`${crawlOrigin}/docs/1.x/`), href).toBe(true);
      const answer = await frame.getByRole('log', { name: 'Conversation with the assistant' }).innerText();
      expect(answer).toContain('quillbox print --pdf');
      expect(answer).not.toContain('quillbox export');
      await screenshot(page, shot);
    } finally {
      await context.close();
    }
  });
});
