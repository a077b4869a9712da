import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@/lib/db/types';
import { crawlDocs, type TCrawlOptions } from '@/lib/docs/sources/single-kinds';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '../../scripts/lib/temp-dir';
import { SITE_PLACEHOLDER_ORIGIN } from '../../scripts/lib/vitepress-site';
import { serveStaticSite, type TStaticSite } from '../../scripts/lib/static-site';
import { createTestDb } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';

// Crawled pages keep their names (lib/docs/sources/crawl/titles.ts): its h1; else the last item of its breadcrumb; else its
// <title> less the part every page of the site shares; else its URL's path. Two static sites on 127.0.0.1, written
// by this test: one whose titles start with "Acme Docs | ", one whose <title> is the same on every page. (A
// suffix, "Disabled | Acme Docs", is the same rule: tests/unit/crawl-titles.test.ts.)

const log = createLogger({ level: 'silent' });
type TPage = { path: string; title: string; body: string; head?: string };

function writeSite(pages: TPage[]): string {
  const root = makeTempDir('crawl-names-');
  for (const page of pages) {
    const file = path.join(root, page.path.endsWith('/') ? `${page.path}index.html` : page.path);
    mkdirSync(path.dirname(file), { recursive: true });
    const content = `<p>The ${page.path} page explains ${page.path.replace(/\W+/g, ' ')} in enough words to be its content, here.</p>`;
    writeFileSync(file, `<!doctype html><html><head><title>${page.title}</title>${page.head ?? ''}</head><body>${page.body}<main>${content}<h2 id="more">More</h2><p>Further text about this page of the site.</p></main></body></html>`);
  }
  const urls = pages.map((page) => `<url><loc>${SITE_PLACEHOLDER_ORIGIN}${page.path}</loc></url>`).join('');
  writeFileSync(path.join(root, 'sitemap.xml'), `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`);
  return root;
}

const options = (site: TStaticSite): TCrawlOptions => ({ urls: [`${site.origin}/`], intervalMinutes: 60, contentSelector: null, maxPages: 50, concurrency: 2, timeoutMs: 6000, maxPageBytes: 300_000 });

async function titles(db: TDb, site: TStaticSite): Promise<Record<string, string>> {
  const { rows } = await querySql<{ path: string; title: string }>(db, 'select path, title from docs_page');
  return Object.fromEntries(rows.filter((row) => row.path.startsWith(site.origin)).map((row) => [row.path.slice(site.origin.length), row.title]));
}

const sites: TStaticSite[] = [];
const dbs: TDb[] = [];
afterAll(async () => {
  for (const site of sites) await site.close();
  for (const db of dbs) await db.close();
});

describe('names of crawled pages', () => {
  let site: TStaticSite;
  let db: TDb;
  beforeAll(async () => {
    site = await serveStaticSite(
      writeSite([
        { path: '/', title: 'Acme Docs', body: '' },
        { path: '/guide/disabled.html', title: 'Acme Docs | Disabled', body: '' },
        { path: '/guide/enabled.html', title: 'Acme Docs | Enabled', body: '' },
        { path: '/guide/h1.html', title: 'Acme Docs | Whatever', body: '<main><h1>Named by its heading</h1></main>' },
        {
          path: '/guide/crumbs.html',
          title: 'Acme Docs',
          body: '<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/guide/">Guide</a></li><li><span aria-current="page">Switch states</span></li></ol></nav>',
        },
        {
          path: '/guide/json-ld.html',
          title: 'Acme Docs',
          head: '<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":2,"name":"Toggle sizes"},{"@type":"ListItem","position":1,"name":"Guide"}]}</script>',
          body: '',
        },
      ]),
    );
    sites.push(site);
    db = await createTestDb();
    dbs.push(db);
  });

  it('names a page by its h1, its breadcrumb, or its title without the part every page shares', async () => {
    const report = await crawlDocs({ deps: { db, log }, options: options(site) });
    expect(report.failed).toEqual([]);
    expect(await titles(db, site)).toEqual({
      '/': 'Acme Docs',
      '/guide/disabled.html': 'Disabled',
      '/guide/enabled.html': 'Enabled',
      '/guide/h1.html': 'Named by its heading',
      '/guide/crumbs.html': 'Switch states',
      '/guide/json-ld.html': 'Toggle sizes',
    });
  });

  it('names a single page fetched again from the titles the crawl kept of the others', async () => {
    site.transforms.set('/guide/disabled.html', (html) => html.replace('<title>Acme Docs | Disabled</title>', '<title>Acme Docs | Turned off</title>'));
    const report = await crawlDocs({ deps: { db, log }, options: options(site) });
    // Only that page changed; the others answered 304 and were not read.
    expect(report.indexed).toEqual([`${site.origin}/guide/disabled.html`]);
    expect(report.notModified).toBe(5);
    expect((await titles(db, site))['/guide/disabled.html']).toBe('Turned off');
  });
});

describe('a site whose <title> is the same on every page', () => {
  it('names its pages by their path, not all by the site’s name', async () => {
    const site = await serveStaticSite(
      writeSite([
        { path: '/', title: 'Acme', body: '' },
        { path: '/docs/getting-started.html', title: 'Acme', body: '' },
        { path: '/docs/disabled-state/', title: 'Acme', body: '' },
        { path: '/docs/h1.html', title: 'Acme', body: '<main><h1>Heading wins</h1></main>' },
      ]),
    );
    sites.push(site);
    const db = await createTestDb();
    dbs.push(db);
    const report = await crawlDocs({ deps: { db, log }, options: options(site) });
    expect(report.failed).toEqual([]);
    expect(await titles(db, site)).toEqual({
      '/': 'Acme',
      '/docs/getting-started.html': 'Getting started',
      '/docs/disabled-state/': 'Disabled state',
      '/docs/h1.html': 'Heading wins',
    });
  });
});
