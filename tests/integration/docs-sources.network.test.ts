import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TApp } from '@/lib/app';
import { listDocsPageChecksums } from '@/lib/db/docs-index';
import { getDocsCrawlStatus } from '@/lib/db/docs-crawl';
import type { TDb } from '@/lib/db/types';
import { crawlDocs, type TCrawlOptions } from '@/lib/docs/sources/single-kinds';
import { isAbsoluteDocUrl } from '@/lib/docs/folder/published';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { serveStaticSite, type TStaticSite } from '../../scripts/lib/static-site';
import { makeTempDir } from '../../scripts/lib/temp-dir';
import { SITE_PLACEHOLDER_ORIGIN } from '../../scripts/lib/vitepress-site';
import { createTestApp, FIXTURE_DOCS_DIR } from '../helpers/app';
import { createTestDb } from '../helpers/pglite-template';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The index follows the configuration across restarts, as content/docs/guides/other-sites.mdx promises: one
// database, servers started one after the other with another DOCS_DIR / DOCS_CRAWL_URL, two small static sites
// served on 127.0.0.1 by this test.
// - "With only DOCS_CRAWL_URL set, the assistant answers from that site alone; set DOCS_DIR too to index both."
// - "The server crawls a site at start-up when it has not crawled it yet" (a new or changed DOCS_CRAWL_URL), not
//   at the previous site's next run; a restart with the same site does not crawl before it is due.
// - "Pages of a site that is no longer configured leave the index at start", and the log says how many.
// - "Several sites can be given, separated by commas."
// And the crawl's promises no other test holds: the sitemap named by robots.txt, in the URL's folder, or given
// itself; a page that answers 404 leaves; DOCS_CRAWL_CONTENT_SELECTOR; at most DOCS_CRAWL_CONCURRENCY requests.

type TLine = { level: number; msg: string; removed?: number; local?: number; crawled?: number };

let db: TDb;
let heron: TStaticSite;
let otter: TStaticSite;
const running: TApp[] = [];

function writeSite(name: string, words: string[]): string {
  const root = makeTempDir(`paste-sources-${name}-`);
  mkdirSync(path.join(root, 'guide'), { recursive: true });
  const pages = ['/', '/guide/one.html', '/guide/two.html'];
  pages.forEach((pagePath, index) => {
    const file = pagePath === '/' ? 'index.html' : pagePath.slice(1);
    const word = words[index] ?? 'plain';
    writeFileSync(
      path.join(root, file),
      `<!doctype html><html><head><title>${name} docs</title></head><body><main><h1>${name} ${word}</h1>` +
        `<p>The ${name.toLowerCase()} guide explains the ${word} ${name.toLowerCase()} routine in detail, step by step.</p>` +
        `<h2 id="setup">Setup</h2><p>Set up the ${word} for the ${name.toLowerCase()} before anything else.</p></main></body></html>`,
    );
  });
  writeFileSync(
    path.join(root, 'sitemap.xml'),
    `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
      pages.map((pagePath) => `<url><loc>${SITE_PLACEHOLDER_ORIGIN}${pagePath}</loc></url>`).join('') +
      `</urlset>`,
  );
  return root;
}

/** Starts a server on the shared database with `env`; `lines` gets its log. Stopped by `stop` or afterAll. */
async function start(env: Record<string, string>): Promise<{ app: TApp; lines: TLine[] }> {
  const lines: TLine[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as TLine) } });
  // The database outlives each server, as it does across restarts.
  const shared: TDb = { ...db, close: async () => {} };
  const app = await createTestApp({ env: { DOCS_DIR: '', ...env }, overrides: { db: shared, log } });
  running.push(app);
  return { app, lines };
}

async function stop(app: TApp): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.db.close();
}

async function indexedPaths(): Promise<string[]> {
  return Object.keys(await listDocsPageChecksums({ db })).sort();
}

async function crawled(): Promise<void> {
  await vi.waitFor(
    async () => {
      const status = await getDocsCrawlStatus({ db });
      expect(status.lastRun).not.toBeNull();
    },
    { timeout: 30_000, interval: 50 },
  );
}

const removedLine = (lines: TLine[]) => lines.find((line) => line.msg.startsWith('docs of sources no longer configured left the index'));
const pagesOf = (site: TStaticSite) => [`${site.origin}/`, `${site.origin}/guide/one.html`, `${site.origin}/guide/two.html`];
const requestsTo = (site: TStaticSite) => site.log.filter((entry) => entry.path !== '/robots.txt').length;

beforeAll(async () => {
  heron = await serveStaticSite(writeSite('Heron', ['marsh', 'reed', 'egret']));
  otter = await serveStaticSite(writeSite('Otter', ['river', 'holt', 'kelp']));
  db = await createTestDb();
}, 60_000);

afterAll(async () => {
  for (const app of [...running]) await stop(app);
  await heron?.close();
  await otter?.close();
  await db?.close();
});

describe('the index follows the configured sources across restarts', () => {
  it('DOCS_DIR alone: the folder is indexed', async () => {
    const { app } = await start({ DOCS_DIR: FIXTURE_DOCS_DIR });
    const paths = await indexedPaths();
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((pagePath) => !isAbsoluteDocUrl(pagePath))).toBe(true);
    await stop(app);
  });

  it('then only DOCS_CRAWL_URL: the folder leaves (the log says how many), the site is crawled at start and is the index alone', async () => {
    const before = (await indexedPaths()).length;
    const { app, lines } = await start({ DOCS_CRAWL_URL: `${heron.origin}/` });
    expect(removedLine(lines)).toMatchObject({ removed: before, local: before, crawled: 0 });
    await crawled();
    expect(await indexedPaths()).toEqual(pagesOf(heron).sort());
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log: app.log, embedder: null }, prompt: 'egret heron routine', limit: 3, source: 'site' });
    expect(results[0]?.url).toContain(heron.origin);
    await stop(app);
  });

  it('a restart with the same site does not crawl it again before it is due', async () => {
    const { lastRun } = await getDocsCrawlStatus({ db });
    heron.log.length = 0;
    const { app, lines } = await start({ DOCS_CRAWL_URL: `${heron.origin}/` });
    expect(await app.docsSources.jobs.get('crawl')?.runOnce()).toBeNull();
    expect((await getDocsCrawlStatus({ db })).lastRun).toBe(lastRun);
    expect(requestsTo(heron)).toBe(0);
    expect(removedLine(lines)).toBeUndefined();
    expect(await indexedPaths()).toEqual(pagesOf(heron).sort());
    await stop(app);
  });

  it('a changed DOCS_CRAWL_URL: the old site leaves at start (the log says how many) and the new one is crawled at once', async () => {
    const before = await getDocsCrawlStatus({ db });
    expect(Date.parse(before.nextRun ?? '')).toBeGreaterThan(Date.now() + 30 * 60_000);
    const { app, lines } = await start({ DOCS_CRAWL_URL: `${otter.origin}/` });
    expect(removedLine(lines)).toMatchObject({ removed: 3, local: 0, crawled: 3 });
    await crawled();
    expect(await indexedPaths()).toEqual(pagesOf(otter).sort());
    const after = await getDocsCrawlStatus({ db });
    expect(after.lastRun).not.toBe(before.lastRun);
    expect(after.pages).toBe(3);
    await stop(app);
  });

  it('DOCS_DIR and DOCS_CRAWL_URL: both are indexed, nothing leaves', async () => {
    const { app, lines } = await start({ DOCS_DIR: FIXTURE_DOCS_DIR, DOCS_CRAWL_URL: `${otter.origin}/` });
    expect(removedLine(lines)).toBeUndefined();
    const paths = await indexedPaths();
    expect(paths.filter(isAbsoluteDocUrl)).toEqual(pagesOf(otter).sort());
    expect(paths.filter((pagePath) => !isAbsoluteDocUrl(pagePath)).length).toBeGreaterThan(0);
    await stop(app);
  });

  it('several sites separated by commas: a site added is crawled at once, the others kept', async () => {
    const { app } = await start({ DOCS_CRAWL_URL: `${otter.origin}/, ${heron.origin}/` });
    await crawled();
    expect(await indexedPaths()).toEqual([...pagesOf(otter), ...pagesOf(heron)].sort());
    await stop(app);
  });

  it('no site any more: every crawled page leaves at start, and the log says how many', async () => {
    const { app, lines } = await start({ DOCS_DIR: FIXTURE_DOCS_DIR });
    expect(removedLine(lines)).toMatchObject({ removed: 6, local: 0, crawled: 6 });
    const paths = await indexedPaths();
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter(isAbsoluteDocUrl)).toEqual([]);
    expect((await getDocsCrawlStatus({ db })).pages).toBe(0);
    await stop(app);
  });
});

function page(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body><nav>Chrome nav lighthouse</nav><main>${body}</main></body></html>`;
}

function writeFiles(files: Record<string, string>): string {
  const root = makeTempDir('paste-sources-files-');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const sitemapOf = (paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((pagePath) => `<url><loc>${SITE_PLACEHOLDER_ORIGIN}${pagePath}</loc></url>`).join('')}</urlset>`;

describe('which pages, and how, as other-sites.mdx says', () => {
  const log = createLogger({ level: 'silent' });
  const options = (urls: string[], extra: Partial<TCrawlOptions> = {}): TCrawlOptions => ({
    urls, intervalMinutes: 60, contentSelector: null, maxPages: 100, concurrency: 4, timeoutMs: 6000, maxPageBytes: 300_000, ...extra,
  });

  it("the sitemap named by robots.txt's Sitemap line, else sitemap.xml in the URL's folder, else the URL itself when it is one", async () => {
    const fresh = await createTestDb();
    const site = await serveStaticSite(
      writeFiles({
        'robots.txt': 'User-agent: *\nAllow: /\n',
        'maps/pages.xml': sitemapOf(['/a/one.html']),
        'a/one.html': page('One', '<h1>One</h1><p>Quokka fields are wide.</p>'),
        'b/sitemap.xml': sitemapOf(['/b/two.html']),
        'b/two.html': page('Two', '<h1>Two</h1><p>Wombat burrows are deep.</p>'),
        'c/list.xml': sitemapOf(['/c/three.html']),
        'c/three.html': page('Three', '<h1>Three</h1><p>Numbat termites are many.</p>'),
      }),
    );
    // robots.txt names the sitemap (served with the site's address in it).
    site.overrides.set('/robots.txt', (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nAllow: /\nSitemap: ${site.origin}/maps/pages.xml\n`));
    try {
      expect((await crawlDocs({ deps: { db: fresh, log }, options: options([`${site.origin}/a/`]) })).indexed).toEqual([`${site.origin}/a/one.html`]);
      site.overrides.delete('/robots.txt');
      expect((await crawlDocs({ deps: { db: fresh, log }, options: options([`${site.origin}/b/`]) })).indexed).toEqual([`${site.origin}/b/two.html`]);
      expect((await crawlDocs({ deps: { db: fresh, log }, options: options([`${site.origin}/c/list.xml`]) })).indexed).toEqual([`${site.origin}/c/three.html`]);
    } finally {
      await site.close();
      await fresh.close();
    }
  }, 60_000);

  it('a page that answers 404 leaves the index', async () => {
    const fresh = await createTestDb();
    const site = await serveStaticSite(
      writeFiles({
        'sitemap.xml': sitemapOf(['/one.html', '/two.html']),
        'one.html': page('One', '<h1>One</h1><p>Pangolin scales overlap.</p>'),
        'two.html': page('Two', '<h1>Two</h1><p>Aardvark ears are long.</p>'),
      }),
    );
    try {
      await crawlDocs({ deps: { db: fresh, log }, options: options([`${site.origin}/`]) });
      site.overrides.set('/two.html', (_request, response) => void response.writeHead(404).end());
      const report = await crawlDocs({ deps: { db: fresh, log }, options: options([`${site.origin}/`]) });
      expect(report.removed).toEqual([`${site.origin}/two.html`]);
      expect(Object.keys(await listDocsPageChecksums({ db: fresh }))).toEqual([`${site.origin}/one.html`]);
    } finally {
      await site.close();
      await fresh.close();
    }
  }, 60_000);

  it('DOCS_CRAWL_CONTENT_SELECTOR takes that part of each page; at most DOCS_CRAWL_CONCURRENCY requests at a time', async () => {
    const fresh = await createTestDb();
    const paths = Array.from({ length: 8 }, (_, index) => `/p${index}.html`);
    const files: Record<string, string> = { 'sitemap.xml': sitemapOf(paths) };
    for (const pagePath of paths) {
      files[pagePath.slice(1)] = page(pagePath, `<div class="promo">Promo banner flamingo</div><div class="doc-body"><h1>Page ${pagePath}</h1><p>Capybara ${pagePath} swims.</p></div>`);
    }
    const site = await serveStaticSite(writeFiles(files));
    let inFlight = 0;
    let most = 0;
    for (const pagePath of paths) {
      site.overrides.set(pagePath, (_request, response) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Held until several requests could overlap; released whatever the timing.
        setTimeout(() => {
          inFlight -= 1;
          response.writeHead(200, { 'content-type': 'text/html' }).end(files[pagePath.slice(1)]);
        }, 150);
      });
    }
    try {
      const report = await crawlDocs({ deps: { db: fresh, log }, options: options([`${site.origin}/`], { contentSelector: '.doc-body', concurrency: 2 }) });
      expect(report.indexed).toHaveLength(8);
      expect(most).toBe(2);
      const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db: fresh, log, embedder: null }, prompt: 'capybara swims', limit: 10, source: 'site' });
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((result) => !result.content.includes('flamingo') && !result.content.includes('lighthouse'))).toBe(true);
    } finally {
      await site.close();
      await fresh.close();
    }
  }, 60_000);
});
