import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocsCrawlStatus } from '@/lib/db/docs-crawl';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { crawlDocs, type TCrawlOptions } from '@/lib/docs/sources/single-kinds';
import { CRAWLER_USER_AGENT } from '@/lib/docs/sources/crawl/fetch';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { buildVitepressSite } from '../../scripts/lib/vitepress-site';
import { createTestDb } from '../helpers/pglite-template';
import { serveStaticSite, type TStaticSite } from '../../scripts/lib/static-site';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The crawler against a real static-site generator's output: a folder built by VitePress in this test (cached
// in the temp folder), served on 127.0.0.1 with ETags. Its default theme's chrome must stay out of the index,
// sources must point at the site's pages and anchors, an unchanged page costs a 304 and no re-indexing, and
// every failure keeps the previous index.

let db: TDb;
let site: TStaticSite;
let options: TCrawlOptions;
const log = createLogger({ level: 'silent' });
const crawl = () => crawlDocs({ deps: { db, log }, options });
const top = async (prompt: string) => {
  const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt, limit: 3, source: 'site' });
  return results[0]?.url ?? null;
};
const page = (pathname: string) => `${site.origin}${pathname}`;
// The default theme with a sidebar, as a docs site has: the chrome that links every page and must not be indexed.
const SITE_CONFIG = {
  title: 'Ferry',
  themeConfig: {
    sidebar: [{ text: 'Guide', items: ['routing', 'weather', 'cargo'].map((name) => ({ text: `Sidebar ${name}`, link: `/guide/${name}` })) }],
  },
};
const buildSite = () => buildVitepressSite({ pages: path.resolve('tests/fixtures/crawl-site'), label: 'crawl-test', config: SITE_CONFIG });

beforeAll(async () => {
  const out = await buildSite();
  site = await serveStaticSite(out);
  db = await createTestDb();
  options = { urls: [`${site.origin}/`], intervalMinutes: 60, contentSelector: null, maxPages: 100, concurrency: 3, timeoutMs: 6000, maxPageBytes: 300_000 };
}, 240_000);

afterAll(async () => {
  await site?.close();
  await db?.close();
});

describe('crawling a VitePress site', () => {
  it('indexes every page of the sitemap, without the theme chrome, linking to the anchors the pages have', async () => {
    const report = await crawl();
    expect(report.failed).toEqual([]);
    expect(report.indexed.sort()).toEqual([page('/'), page('/guide/cargo.html'), page('/guide/routing.html'), page('/guide/weather.html')].sort());
    expect(site.log.every((entry) => entry.userAgent === CRAWLER_USER_AGENT)).toBe(true);

    expect(await top('saffron pier')).toBe(page('/guide/routing.html#routing-ports'));
    expect(await top('turquoise kiosk')).toBe(page('/#buy-tickets'));
    expect(await top('kelp horn fog')).toBe(page('/guide/weather.html#fog'));
    const html = await (await fetch(page('/guide/weather.html'))).text();
    expect(html).toContain('id="fog"');
    expect(html).toContain('Edit this page on Pier');
    expect(html).toContain('Sidebar weather');

    const routing = await listDocsSectionsByPath({ db, path: page('/guide/routing.html') });
    const text = routing.map((section) => section.content).join('\n');
    expect(text).toContain('Ferries dock at the saffron pier only.');
    expect(text).toContain('npm add ferry');
    expect(text).toContain('| Saffron | 12 metres |');
    for (const chrome of ['Sidebar weather', 'Edit this page', 'Lighthouse licence', 'Copy Code', 'Previous page', 'Next page', 'On this page', 'Skip to content']) {
      expect(text).not.toContain(chrome);
    }
  });

  it('an unchanged site costs one conditional request per page and re-indexes nothing', async () => {
    site.log.length = 0;
    const report = await crawl();
    expect(report).toMatchObject({ indexed: [], removed: [], failed: [], unchanged: 4, notModified: 4 });
    expect(site.log.filter((entry) => entry.status === 304 && entry.isConditional)).toHaveLength(4);
  });

  it('re-indexes a changed page only', async () => {
    site.transforms.set('/guide/cargo.html', (text) => text.replace('marigold label', 'cobalt label'));
    const report = await crawl();
    expect(report.indexed).toEqual([page('/guide/cargo.html')]);
    expect(report.notModified).toBe(3);
    expect(await top('cobalt label crate')).toBe(page('/guide/cargo.html#crates'));
  });

  it('a page that leaves the sitemap leaves the index', async () => {
    site.transforms.set('/sitemap.xml', (text) => text.replace(/<url><loc>[^<]*cargo\.html<\/loc>(<lastmod>[^<]*<\/lastmod>)?<\/url>/, ''));
    const report = await crawl();
    expect(report.removed).toEqual([page('/guide/cargo.html')]);
    expect(await listDocsSectionsByPath({ db, path: page('/guide/cargo.html') })).toEqual([]);
    expect(await top('albatross signal storm')).toBe(page('/guide/weather.html#storms'));
  });

  const failures: [string, string, () => void][] = [
    ['a 500', 'http', () => site.overrides.set('/guide/weather.html', (_request, response) => void response.writeHead(500).end('oops'))],
    ['a timeout', 'timeout', () => site.overrides.set('/guide/weather.html', (_request, response) => void setTimeout(() => response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>late</h1>'), 9000))],
    ['a huge page', 'too-large', () => site.overrides.set('/guide/weather.html', (_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Huge</h1><p>${'x'.repeat(400_000)}</p>`))],
    ['a response that is not HTML', 'not-html', () => site.overrides.set('/guide/weather.html', (_request, response) => void response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7'))],
    ['a redirect loop', 'redirect-loop', () => {
      site.overrides.set('/guide/weather.html', (_request, response) => void response.writeHead(302, { location: '/loop-b' }).end());
      site.overrides.set('/loop-b', (_request, response) => void response.writeHead(302, { location: '/guide/weather.html' }).end());
    }],
    ['a redirect off the origin', 'off-origin', () => site.overrides.set('/guide/weather.html', (_request, response) => void response.writeHead(301, { location: site.origin.replace('127.0.0.1', 'localhost') + '/guide/weather.html' }).end())],
  ];
  for (const [what, kind, arrange] of failures) {
    it(`${what} on a page: logged with its URL, counted, and the page keeps its previous index`, async () => {
      arrange();
      try {
        const report = await crawl();
        expect(report.failed).toEqual([expect.objectContaining({ url: page('/guide/weather.html'), kind })]);
        expect(report.removed).toEqual([]);
        expect(await top('kelp horn fog')).toBe(page('/guide/weather.html#fog'));
        expect((await getDocsCrawlStatus({ db })).failed).toBe(1);
      } finally {
        site.overrides.clear();
      }
    }, 30_000);
  }

  it('an invalid sitemap or a site that is down keeps the whole previous index', async () => {
    site.overrides.set('/sitemap.xml', (_request, response) => void response.writeHead(200, { 'content-type': 'application/xml' }).end('<urlset><url><loc>oops'));
    let report = await crawl();
    expect(report.failed).toEqual([expect.objectContaining({ kind: 'invalid-sitemap' })]);
    expect(report.removed).toEqual([]);
    expect(await top('saffron pier')).toBe(page('/guide/routing.html#routing-ports'));
    site.overrides.clear();

    const origin = site.origin;
    await site.close();
    report = await crawlDocs({ deps: { db, log }, options: { ...options, urls: [`${origin}/`] } });
    expect(report.failed.length).toBeGreaterThan(0);
    expect(report.failed.every((failure) => failure.kind === 'down')).toBe(true);
    expect(report.removed).toEqual([]);
    expect(await top('kelp horn fog')).toBe(page('/guide/weather.html#fog'));
    expect(await top('turquoise kiosk')).toBe(page('/#buy-tickets'));
  });
});

describe('the crawl loop', () => {
  it('one instance crawls under the lease; /api/health reports pages, failures, last and next run', async () => {
    const { createDocsCrawlLoop } = await import('@/lib/docs/sources/single-kinds');
    const { getHealth } = await import('@/lib/health');
    const fresh = await createTestDb();
    const again = await serveStaticSite(await buildSite());
    try {
      const loopOptions = { ...options, urls: [`${again.origin}/`] };
      const first = createDocsCrawlLoop({ deps: { db: fresh, log, embedder: null }, options: loopOptions, workerId: 'worker_a' });
      const second = createDocsCrawlLoop({ deps: { db: fresh, log, embedder: null }, options: loopOptions, workerId: 'worker_b' });
      const [a, b] = await Promise.all([first.runOnce(), second.runOnce()]);
      expect([a, b].filter((report) => report !== null)).toHaveLength(1);
      // Not due again before the interval, unless forced (npm run docs:crawl).
      expect(await second.runOnce()).toBeNull();
      expect(await second.runOnce({ isForced: true })).toMatchObject({ indexed: [], notModified: 4 });

      const health = await getHealth({
        db: fresh,
        config: { store: { mode: 'embedded' }, reviewChannel: { mode: 'disabled' }, session: { mode: 'cookie' }, docsSources: { isDirIndexed: false, published: null, crawl: loopOptions } } as never,
        model: { mode: 'offline', name: 'offline' } as never,
        embedder: null,
        docsIndex: { lastReport: null },
      });
      expect(health.docs.crawl).toMatchObject({ pages: 4, failed: 0, lastRun: expect.any(String), nextRun: expect.any(String) });
    } finally {
      await again.close();
      await fresh.close();
    }
  }, 60_000);
});

describe('a site without a sitemap', () => {
  it('is crawled from its root by its links, within the origin, obeying robots.txt', async () => {
    const fresh = await createTestDb();
    const bare = await serveStaticSite(await buildSite());
    bare.overrides.set('/sitemap.xml', (_request, response) => void response.writeHead(404).end());
    bare.overrides.set('/robots.txt', (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /guide/cargo.html\n'));
    try {
      const report = await crawlDocs({ deps: { db: fresh, log }, options: { ...options, urls: [`${bare.origin}/`] } });
      expect(report.failed).toEqual([]);
      expect(report.indexed.sort()).toEqual([`${bare.origin}/`, `${bare.origin}/guide/routing.html`, `${bare.origin}/guide/weather.html`].sort());
      expect(bare.log.some((entry) => entry.path === '/guide/cargo.html')).toBe(false);
      expect(bare.log.every((entry) => !entry.path.startsWith('/assets/'))).toBe(true);
    } finally {
      await bare.close();
      await fresh.close();
    }
  }, 60_000);
});

describe('a sitemap with lastmod', () => {
  it('a page whose lastmod has not changed is not requested at all; a newer lastmod is', async () => {
    const fresh = await createTestDb();
    const dated = await serveStaticSite(await buildSite());
    let lastmod = '2026-11-01';
    dated.transforms.set('/sitemap.xml', (text) => text.replace(/<\/loc><\/url>/g, () => `</loc><lastmod>${lastmod}</lastmod></url>`));
    try {
      const crawlDated = () => crawlDocs({ deps: { db: fresh, log }, options: { ...options, urls: [`${dated.origin}/`] } });
      expect((await crawlDated()).indexed).toHaveLength(4);
      dated.log.length = 0;
      expect(await crawlDated()).toMatchObject({ indexed: [], unchanged: 4, skippedByLastmod: 4, notModified: 0 });
      expect(dated.log.filter((entry) => entry.path.endsWith('.html') || entry.path === '/')).toEqual([]);
      lastmod = '2026-11-20';
      expect(await crawlDated()).toMatchObject({ indexed: [], skippedByLastmod: 0, notModified: 4 });
    } finally {
      await dated.close();
      await fresh.close();
    }
  }, 60_000);
});

describe('a sitemap that names another host', () => {
  // A staging copy built for production: every <loc> names https://Docs.Example.com (a host is compared as URLs
  // compare it, without regard to case, so it is named lowercased as the other origin).
  it('says so with one URL it lists (report, log, health), and indexes the pages by following links', async () => {
    const { createDocsCrawlLoop } = await import('@/lib/docs/sources/single-kinds');
    const { getHealth } = await import('@/lib/health');
    const fresh = await createTestDb();
    const staging = await serveStaticSite(await buildSite());
    staging.transforms.set('/sitemap.xml', (text) => text.split(staging.origin).join('https://Docs.Example.com'));
    const lines: string[] = [];
    const captured = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } });
    const loopOptions = { ...options, urls: [`${staging.origin}/`] };
    try {
      const loop = createDocsCrawlLoop({ deps: { db: fresh, log: captured, embedder: null }, options: loopOptions, workerId: 'worker_staging' });
      const report = await loop.runOnce({ isForced: true });
      expect(report?.failed).toEqual([]);
      expect(report?.notices).toEqual([
        {
          source: `${staging.origin}/`,
          sitemap: `${staging.origin}/sitemap.xml`,
          // The first URL, as the sitemap writes it.
          example: 'https://Docs.Example.com/guide/cargo.html',
          message: `the sitemap ${staging.origin}/sitemap.xml lists 4 URLs, none on ${staging.origin} (for example https://Docs.Example.com/guide/cargo.html, on https://docs.example.com); following links from ${staging.origin}/ instead`,
        },
      ]);
      // Indexed all the same, from the links, and nothing was asked of the host the sitemap names.
      expect(report?.indexed.sort()).toEqual([`${staging.origin}/`, `${staging.origin}/guide/cargo.html`, `${staging.origin}/guide/routing.html`, `${staging.origin}/guide/weather.html`].sort());
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; example?: string });
      expect(logged.find((entry) => entry.msg.includes('none on'))).toMatchObject({ example: 'https://Docs.Example.com/guide/cargo.html', msg: expect.stringContaining('following links') });

      const health = await getHealth({
        db: fresh,
        config: { store: { mode: 'embedded' }, reviewChannel: { mode: 'disabled' }, session: { mode: 'cookie' }, docsSources: { isDirIndexed: false, published: null, crawl: loopOptions } } as never,
        model: { mode: 'offline', name: 'offline' } as never,
        embedder: null,
        docsIndex: { lastReport: null },
      });
      expect(health.docs.crawl).toMatchObject({ pages: 4, failed: 0, notices: [{ example: 'https://Docs.Example.com/guide/cargo.html', message: report?.notices[0]?.message }] });

      // Once the sitemap names the site it is on, there is nothing to say.
      staging.transforms.delete('/sitemap.xml');
      expect((await loop.runOnce({ isForced: true }))?.notices).toEqual([]);
    } finally {
      await staging.close();
      await fresh.close();
    }
  }, 60_000);

  it('a sitemap naming the site in other letter cases (HTTP://…) is the same site: no notice, its pages crawled', async () => {
    const fresh = await createTestDb();
    const shouting = await serveStaticSite(await buildSite());
    shouting.transforms.set('/sitemap.xml', (text) => text.split(shouting.origin).join(shouting.origin.replace('http://', 'HTTP://')));
    try {
      const report = await crawlDocs({ deps: { db: fresh, log }, options: { ...options, urls: [`${shouting.origin}/`] } });
      expect(report.notices).toEqual([]);
      expect(report.indexed).toHaveLength(4);
    } finally {
      await shouting.close();
      await fresh.close();
    }
  }, 60_000);
});
