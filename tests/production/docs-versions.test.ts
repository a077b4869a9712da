import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createClient } from '../helpers/server';
import { send } from './helpers/tier';

// Versioned docs under `next start` (issue 38): a published site whose URLs carry the version (/docs/1.x/…,
// /docs/2.x/…), crawled with DOCS_VERSION_PATTERN. The HTTP contract: /api/docs-search takes `version` (in the body
// or as ?version=), an unknown one is a 400 naming the known ones, no version is the current (highest) one; a
// conversation started from a 1.x page cites 1.x pages only; /api/health lists the versions; and a pattern that
// is not a regular expression with one capture group stops start-up with one line.

const ROOT = path.resolve(import.meta.dirname, '../..');
// Nothing of the tier's environment that would reach a model, Slack or a database: the offline model answers.
const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'versions-test-session-secret-0123456789abcdef',
  SITE_URL: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  EMBEDDINGS_BASE_URL: '',
  SLACK_BOT_TOKEN: '',
  SLACK_CHANNEL_ID: '',
  SLACK_API_URL: '',
  SLACK_SIGNING_SECRET: '',
  DATABASE_URL: '',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  DOCS_DIR: '',
  DOCS_CURRENT_VERSION: '',
  MODERATION: 'off',
  LOG_LEVEL: 'warn',
};
const PATTERN = '/docs/(\\d+\\.x)/';

let site: http.Server;
let siteUrl: string;
let server: TNextServer;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Quillbox</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

const PAGES: Record<string, string> = {
  '/docs/2.x/export': page('Exporting booklets', '<h2 id="export-to-pdf">Export to PDF</h2><p>Run <code>quillbox export --format pdf</code> in the notebook folder. The booklet is written to dist/booklet.pdf.</p>'),
  '/docs/2.x/configuration': page('Configuration', '<h2 id="the-configuration-file">The configuration file</h2><p>Quillbox 2 reads quillbox.config.ts at the root of the notebook.</p>'),
  '/docs/1.x/export': page('Exporting booklets', '<h2 id="export-to-pdf">Export to PDF</h2><p>Run <code>quillbox print --pdf</code> in the notebook folder. The booklet is written to out/booklet.pdf.</p>'),
  '/docs/1.x/configuration': page('Configuration', '<h2 id="the-configuration-file">The configuration file</h2><p>Quillbox 1 reads .quillboxrc, a JSON file at the root of the notebook.</p>'),
  '/blog/community-call': page('Monthly community call', '<p>The Quillbox community call is on the first Tuesday of every month.</p>'),
};

beforeAll(async () => {
  const port = await freePort();
  siteUrl = `http://127.0.0.1:${port}`;
  const sitemap = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${Object.keys(PAGES)
    .map((pagePath) => `<url><loc>${siteUrl}${pagePath}</loc></url>`)
    .join('')}</urlset>`;
  site = await new Promise<http.Server>((resolve) => {
    const created = http.createServer((req, res) => {
      const pagePath = (req.url ?? '/').split('?')[0] ?? '/';
      const body = pagePath === '/sitemap.xml' ? sitemap : PAGES[pagePath];
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': pagePath === '/sitemap.xml' ? 'application/xml' : 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    created.listen(port, '127.0.0.1', () => resolve(created));
  });
  server = await startNextServer({ env: { ...BASE_ENV, DOCS_CRAWL_URL: `${siteUrl}/sitemap.xml`, DOCS_VERSION_PATTERN: PATTERN }, isMigrated: true });
  // The crawl runs at start, in the background: wait for its five pages.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { docs?: { crawl?: { pages?: number } } };
    if ((health.docs?.crawl?.pages ?? 0) >= Object.keys(PAGES).length) break;
    if (Date.now() > deadline) throw new Error(`the site was not crawled: ${JSON.stringify(health)}\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
});

type TResult = { url: string; content: string; version?: string };

describe('versioned docs over HTTP', () => {
  it('/api/docs-search?version= searches that version; an unknown one is a 400 naming the known ones', async () => {
    const client = createClient(server.url);
    const unknown = await client.post('/api/docs-search?version=9.x', { prompt: 'export to pdf' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: { code: 'bad_request', message: 'unknown version "9.x"; the versions are 2.x, 1.x' } });

    const old = await client.post('/api/docs-search?version=1.x', { prompt: 'export to pdf' });
    expect(old.status).toBe(200);
    const oldResults = old.body.data as TResult[];
    expect(oldResults[0]).toMatchObject({ url: `${siteUrl}/docs/1.x/export#export-to-pdf`, version: '1.x' });
    expect(oldResults.every((result) => result.version === '1.x' || result.version === undefined)).toBe(true);

    // No version: the current one, the highest the site has. In the body, as the search box sends it.
    const current = await client.post('/api/docs-search', { prompt: 'export to pdf' });
    expect((current.body.data as TResult[])[0]).toMatchObject({ url: `${siteUrl}/docs/2.x/export#export-to-pdf`, version: '2.x' });
    expect((current.body.data as TResult[]).some((result) => result.version === '1.x')).toBe(false);
    const inBody = await client.post('/api/docs-search', { prompt: 'configuration file', version: '1.x' });
    expect((inBody.body.data as TResult[])[0]?.content).toContain('.quillboxrc');
    const bad = await client.post('/api/docs-search', { prompt: 'export', version: '' });
    expect(bad.status).toBe(400);
  });

  it('a conversation started from a 1.x page cites 1.x pages, every run of it', async () => {
    const client = createClient(server.url);
    // The embed's host page: its address carries the version.
    const created = await client.post('/api/paste-assistant-thread', { pageUrl: `${siteUrl}/docs/1.x/configuration` });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.metadata).toMatchObject({ version: '1.x' });
    const threadId = created.body.id as string;
    for (const question of ['How do I export a booklet to PDF?', 'Which configuration file does Quillbox read?']) {
      const run = await send(client, threadId, question);
      expect(run.status).toBe('completed');
      expect(run.metadata).toMatchObject({ version: '1.x' });
    }
    const messages = await client.get(`/api/paste-assistant-messages/${threadId}`);
    const answers = (messages.body.data as { role: string; content: { text: { value: string; annotations: { url: string }[] } }[] }[]).filter((message) => message.role === 'assistant');
    expect(answers).toHaveLength(2);
    const urls = answers.flatMap((answer) => answer.content.flatMap((part) => part.text.annotations.map((annotation) => annotation.url)));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(`${siteUrl}/docs/1.x/`) || url.startsWith(`${siteUrl}/blog/`), url).toBe(true);
    const text = answers.map((answer) => answer.content.map((part) => part.text.value).join('')).join('\n');
    expect(text).toContain('quillbox print --pdf');
    expect(text).not.toContain('quillbox export');
    expect(text).not.toContain('quillbox.config.ts');

    const unknown = await client.post('/api/paste-assistant-thread', { metadata: { version: '0.9' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('unknown version "0.9"; the versions are 2.x, 1.x');
  });

  it('/api/health lists the versions and the current one', async () => {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { docs: { versions?: unknown } };
    expect(health.docs.versions).toEqual({ known: ['2.x', '1.x'], current: '2.x', problems: [] });
  });
});

describe('a DOCS_VERSION_PATTERN that cannot be used', () => {
  it('stops start-up with one line saying why', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...BASE_ENV, DOCS_VERSION_PATTERN: '/docs/\\d+\\.x/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 50_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code, stderr).toBe(1);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DOCS_VERSION_PATTERN: must have exactly one capture group, the version (it has 0)');
  });
});
