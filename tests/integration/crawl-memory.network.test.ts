import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@/lib/db/types';
import { crawlDocs } from '@/lib/docs/sources/single-kinds';
import { getRankIndex, setRankOverlayPolicy } from '@/lib/docs/search/ranking/store';
import type { TRankIndex } from '@/lib/docs/search/ranking/build';
import { createLogger } from '@/lib/log';
import { createTestDb } from '../helpers/pglite-template';

// A crawl's memory stays bounded while the server is read (issue 54, 3.3). A crawl changes the docs page by page, and
// every health check or search between two pages brings the ranking index up to date: a new index each time, whose
// saturations are worked out in the background (ranking/saturation.ts#warmSaturations). That warming held its index
// until it was done, so while a site was crawled each index outlived the next, still warming: at ten times the Paste
// corpus a dozen superseded indexes (400 MB) were alive at once, and the server ended its crawl at over 1 GB.
// Here a generated site of many pages, each with words of its own (an index with many terms, whose warming takes many
// slices), is crawled while a reader asks for the index as /api/health does; every index handed out is watched with
// a WeakRef, and after the crawl and a full collection only the current one may still be alive. Not timed.

const PAGES = 60;
const WORDS_PER_SECTION = 400;
const SECTIONS = 3;

/** A page of its own words: `w<page>s<section>n<i>`, so that every page adds terms to the index. */
function pageHtml(page: number): string {
  const sections = Array.from({ length: SECTIONS }, (_, section) => {
    const words = Array.from({ length: WORDS_PER_SECTION }, (_, at) => `w${page}s${section}n${at}`).join(' ');
    return `<h2 id="part-${section}">Part ${section} of page ${page}</h2><p>${words}</p>`;
  }).join('');
  return `<!doctype html><html><head><title>Page ${page} | Gen</title></head><body><main><h1>Generated page ${page}</h1><p>Edition ${edition}</p>${sections}</main></body></html>`;
}

/** A full collection, without starting node with --expose-gc (as scripts/bench-scale-copies.ts does). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Bumped to change every page of the site (a second crawl re-indexes them all). */
let edition = 0;
let server: Server;
let origin = '';
let db: TDb;

beforeAll(async () => {
  server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/sitemap.xml') {
      const urls = Array.from({ length: PAGES }, (_, page) => `<url><loc>${origin}/page-${page}.html</loc></url>`).join('');
      response.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`);
      return;
    }
    const match = /^\/page-(\d+)\.html$/.exec(pathname);
    if (!match) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(Number(match[1])));
  });
  // Idle connections kept as the other test servers keep them (scripts/lib/next-server.ts says why): a crawler's
  // connection reused just as the server closed it was an ECONNRESET on a loaded machine.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = await createTestDb();
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await db?.close();
});

/** Crawls the generated site while a reader asks for the index between its pages; every index handed out, watched weakly. */
async function crawlWhileRead(): Promise<{ handedOut: WeakRef<TRankIndex>[]; current: TRankIndex }> {
  const handedOut: WeakRef<TRankIndex>[] = [];
  const watch = (index: TRankIndex) => {
    if (!handedOut.some((ref) => ref.deref() === index)) handedOut.push(new WeakRef(index));
  };
  let isCrawling = true;
  // A reader between the crawl's pages, as a load balancer's health checks are (/api/health reads the index's versions).
  const reader = (async () => {
    while (isCrawling) {
      watch((await getRankIndex(db)).index);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const report = await crawlDocs({
    deps: { db, log: createLogger({ level: 'silent' }) },
    options: { urls: [`${origin}/sitemap.xml`], intervalMinutes: 60, contentSelector: null, maxPages: 1000, concurrency: 4, timeoutMs: 10_000, maxPageBytes: 1_000_000 },
  });
  isCrawling = false;
  await reader;
  expect(report.failed).toEqual([]);
  const current = (await getRankIndex(db)).index;
  watch(current);
  // Every page of the site (an overlaid index also lists the base's replaced pages, tombstoned: the same paths).
  expect(new Set(current.pages.map((page) => page.path)).size).toBe(PAGES);
  // The index was built again while the site was crawled: several were handed out.
  expect(handedOut.length).toBeGreaterThan(2);
  // A few turns of the event loop: a superseded index's warming sees at its next slice that it is not wanted.
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  return { handedOut, current };
}

describe('crawling while the index is read', () => {
  it('lets each superseded ranking index go: after the crawl only the current one is alive', async () => {
    const gc = collector();
    const { handedOut, current } = await crawlWhileRead();
    gc();
    gc();
    const alive = handedOut.map((ref) => ref.deref()).filter((index): index is TRankIndex => index !== undefined && index !== current);
    expect(alive).toHaveLength(0);
  }, 120_000);

  // At ten times the Paste corpus (over 20,000 sections: DEFAULT_OVERLAY_POLICY) each change is laid over the index
  // (overlay.ts) rather than merged in, and an overlay waits for the docs to be quiet before it is merged (store.ts,
  // mergeWhenQuiet). That wait held its overlay, with its joined postings and saturations: every overlay of the last
  // `mergeQuietMs` of a crawl stayed alive (a hundred at ×10, the crawl's last minutes from 600 MB to over 1 GB). Here
  // every change is an overlay (no size threshold, no merge by size) and the quiet wait outlasts the test; the site is
  // crawled again with every page changed.
  it('lets each superseded overlay go while its quiet merge waits: only the current index and its base are alive', async () => {
    const gc = collector();
    const before = setRankOverlayPolicy({ minBaseSections: 0, maxShare: 1000, mergeQuietMs: 600_000 });
    edition += 1;
    try {
      const { handedOut, current } = await crawlWhileRead();
      expect(current.overlay).toBeDefined();
      gc();
      gc();
      const alive = handedOut.map((ref) => ref.deref()).filter((index): index is TRankIndex => index !== undefined && index !== current && index !== current.overlay?.base);
      expect(alive).toHaveLength(0);
    } finally {
      setRankOverlayPolicy(before);
    }
  }, 120_000);
});
