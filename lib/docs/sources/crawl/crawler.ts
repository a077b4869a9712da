import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import robotsParser from 'robots-parser';
import type { TCrawlSettings } from './settings';
import { versionFromUrl } from '../../parse/versions';
import { deleteDocsCrawlPagesByUrls, listDocsCrawlPages, saveDocsCrawlPages, type TCrawlPageState, type TCrawlPageUpdate } from '../../../db/docs-crawl';
import { INDEX_VERSION, type TDocumentsContext, type TDocumentStream, type TSourceItem } from '../../index/documents';
import { extractPage, type TExtractedPage } from './extract';
import { CRAWLER_USER_AGENT, CrawlFetchError, crawlFetch, type TCrawlFailureKind, type TFetchOptions } from './fetch';
import { parseSitemap } from './sitemap';
import { hasOwnName, pageName, sharedTitleAffix } from './titles';

// Crawls the configured sites (DOCS_CRAWL_URL) into documents for the index, incrementally:
// 1. discovery, per configured URL: its sitemap (the URL itself when it is one, else robots.txt's Sitemap
//    lines, else sitemap.xml under the URL's folder, else at the root; sitemap indexes followed), else the
//    links of the pages from the URL on, within its origin and path prefix; robots.txt obeyed either way;
// 2. each page: skipped when the sitemap's lastmod is the one of its last fetch, else one conditional request
//    (ETag / Last-Modified), both only while the index holds it as last fetched; a 200 is extracted (extract.ts)
//    and yielded (the write pipeline writes it only when its content hash changed);
//    A sitemap that lists no page within the configured URL's origin and folder (a staging copy whose sitemap
//    names production) is said so (a notice, with one URL it lists), and the links are followed instead;
// 3. pages that left the site (gone from a sitemap or links that were read whole, or answering 404/410) are
//    yielded gone. A failure (site down, 5xx, timeout, too large, not HTML, a redirect loop or off the origins, an
//    invalid sitemap) is logged with its URL and recorded, and the page, or the whole site when discovery
//    failed, keeps its previous index: only what is yielded gone leaves (the kind's loads are not complete).
// At most `concurrency` requests at a time, and no request outside the configured origins. The crawler's own state
// (each page's conditional headers, content hash and <title>: docs_crawl_page) is its to keep.

/** The crawl's kind of source (lib/docs/sources): the label its pages carry in the index. */
export const CRAWL_KIND = 'crawl';

export type TCrawlOptions = NonNullable<TCrawlSettings['crawl']>;

export type TCrawlReport = {
  pages: number;
  requests: number;
  notModified: number;
  skippedByLastmod: number;
  indexed: string[];
  unchanged: number;
  removed: string[];
  failed: { url: string; kind: TCrawlFailureKind; reason: string }[];
  /** What the crawl did otherwise than asked, and why: a sitemap whose pages are all elsewhere. */
  notices: TCrawlNotice[];
  ms: number;
};

/** What a crawl found besides its documents: the report without what the write pipeline did. */
export type TCrawlFindings = Omit<TCrawlReport, 'indexed' | 'unchanged' | 'removed' | 'ms'>;

/** `example`: one URL the sitemap lists (null when it lists none), so that a reader sees where it points. */
export type TCrawlNotice = { source: string; sitemap: string; example: string | null; message: string };

const NOT_A_PAGE = /\.(png|jpe?g|gif|svg|webp|ico|css|js|mjs|json|xml|txt|pdf|zip|gz|woff2?|ttf|mp4|webm|mp3)$/i;
const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
const XML_TYPES = ['application/xml', 'text/xml', 'application/rss+xml', 'application/x-xml'];
const MAX_SITEMAPS = 50;

type TTarget = { url: string; lastmod: string | null; source: string };
type TRobots = { isAllowed: (url: string) => boolean; sitemaps: string[] };

/** The folder a configured URL covers: `https://a.site/docs/` for `https://a.site/docs/` or `…/docs/intro`. */
function pathPrefix(url: URL): string {
  return url.pathname.endsWith('/') ? url.pathname : url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

function normalise(href: string): string | null {
  try {
    const url = new URL(href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    url.search = '';
    return url.href;
  } catch {
    return null;
  }
}

export function contentHash(page: { title: string; description: string; sections: unknown[] }): string {
  return createHash('sha256').update(INDEX_VERSION).update('\0').update(JSON.stringify([page.title, page.description, page.sections])).digest('hex');
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(runners);
}

/** A crawled page's index paths for the rules: its URL, and its URL's path without the leading slash. */
export function crawledPagePaths(url: string): string[] {
  try {
    const path = new URL(url).pathname.replace(/^\/+/, '');
    return path === '' ? [url] : [url, decodeURIComponent(path)];
  } catch {
    return [url];
  }
}

/**
 * The configured sites' pages as documents, yielded as the crawl reads them (at most `concurrency` at once).
 * `versionPattern`: DOCS_VERSION_PATTERN; a page whose URL it matches carries that version (docs_page.meta.version,
 * lib/docs/parse/versions.ts), and the version is part of the page's hash, so a new pattern re-indexes it.
 */
export async function* crawlDocuments(
  context: TDocumentsContext,
  { options, versionPattern = null }: { options: TCrawlOptions; versionPattern?: string | null },
): TDocumentStream<TCrawlFindings> {
  // The crawl runs on its own, pushing what it finds here; the pipeline takes it as it comes. When the pipeline stops
  // taking (its write failed), the crawl stops at its next page and saves no state.
  const items = new PassThrough({ objectMode: true });
  let isStopped = false;
  const crawling = crawlSites({ context, options, versionPattern, emit: (item) => void (isStopped || items.write(item)), isStopped: () => isStopped }).then(
    (findings) => {
      items.end();
      return findings;
    },
    (error: unknown) => {
      items.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    },
  );
  // Its failure reaches the pipeline through the stream; this only keeps it from being unhandled.
  crawling.catch(() => undefined);
  try {
    for await (const item of items) yield item as TSourceItem;
  } finally {
    isStopped = true;
  }
  return await crawling;
}

async function crawlSites({
  context,
  options,
  versionPattern,
  emit,
  isStopped,
}: {
  context: TDocumentsContext;
  options: TCrawlOptions;
  versionPattern: string | null;
  emit: (item: TSourceItem) => void;
  isStopped: () => boolean;
}): Promise<TCrawlFindings> {
  const { db, log } = context;
  const report: TCrawlFindings = { pages: 0, requests: 0, notModified: 0, skippedByLastmod: 0, failed: [], notices: [] };
  const allowedOrigins = new Set(options.urls.map((url) => new URL(url).origin));
  const fetchOptions = (accept: string[], extra: Partial<TFetchOptions> = {}): TFetchOptions => ({
    allowedOrigins,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxPageBytes,
    accept,
    ...extra,
  });
  const fail = (url: string, error: unknown) => {
    const kind: TCrawlFailureKind = error instanceof CrawlFetchError ? error.kind : 'down';
    const reason = error instanceof Error ? error.message : String(error);
    report.failed.push({ url, kind, reason });
    log.warn({ url, kind, reason }, 'docs crawl: request failed; the previous index is kept');
  };
  const notice = (entry: TCrawlNotice) => {
    report.notices.push(entry);
    log.warn({ source: entry.source, sitemap: entry.sitemap, example: entry.example }, `docs crawl: ${entry.message}`);
  };
  const request = async (url: string, fetchOpts: TFetchOptions) => {
    report.requests += 1;
    return crawlFetch(url, fetchOpts);
  };

  const known = new Map<string, TCrawlPageState>((await listDocsCrawlPages({ db })).map((page) => [page.url, page]));
  const updates: TCrawlPageUpdate[] = [];
  const gone: string[] = [];
  const leave = (url: string, reason: string) => {
    gone.push(url);
    emit({ path: url, status: 'gone', reason });
  };
  // Pages named by their <title> wait for the end of their site's crawl: the part of the title every page shares
  // is known only then (titles.ts). Each fetched page's <title>, by URL, for that.
  type TFetchedPage = { target: TTarget; page: TExtractedPage; slug: string; state: TCrawlPageUpdate };
  const titled: TFetchedPage[] = [];
  const fetchedTitles = new Map<string, string>();

  const indexPage = ({ target, page, slug, state }: TFetchedPage) => {
    const version = versionFromUrl(versionPattern, slug);
    // The crawl keeps the hash it yields; the index holding it (audiences and all) is what lets the next crawl skip the page.
    const hash = version === null ? contentHash(page) : `${contentHash(page)}:${version}`;
    updates.push({ ...state, content_hash: hash, ...(context.isIndexed(target.url, hash) ? {} : { is_indexed: true }) });
    emit({
      path: target.url,
      // Where the reader reads it: the address the page was served at, after redirects within the site.
      slug,
      title: page.title,
      description: page.description,
      checksum: hash,
      version,
      sections: page.sections.map((section) => ({ heading: section.heading, heading_path: section.headingPath, anchor: section.anchor, content: section.content })),
    });
  };

  /** The titled pages of `source`, named now that its titles are known: the fetched ones and the others' last. */
  const nameTitledPages = (source: string, listed: Set<string>) => {
    const titles = [...listed].map((url) => fetchedTitles.get(url) ?? known.get(url)?.html_title ?? '');
    const affix = sharedTitleAffix(titles);
    for (const entry of titled.filter((item) => item.target.source === source)) {
      indexPage({ ...entry, page: { ...entry.page, title: pageName({ names: entry.page.names, url: entry.target.url, affix }) } });
    }
  };

  const processPage = async (target: TTarget, body?: { url: string; body: string; etag: string | null; lastModified: string | null }) => {
    if (isStopped()) return;
    const previous = known.get(target.url);
    // Indexed as last fetched (a failure since keeps that index, and its conditional headers). A page indexed before
    // its <title> was kept is fetched whole once, so that its site's shared title part can be told. A page the index
    // does not hold so (a rule gave it other audiences since, or it was never written) is fetched whole too, so that
    // it is indexed even while it is unchanged (its lastmod the same, or a 304).
    const isIndexed = previous?.content_hash != null && previous.html_title != null && context.isIndexed(target.url, previous.content_hash);
    try {
      let fetched = body ? ({ status: 'ok', ...body } as const) : null;
      if (!fetched) {
        if (isIndexed && previous?.last_error === null && target.lastmod !== null && previous.lastmod === target.lastmod) {
          report.skippedByLastmod += 1;
          emit({ path: target.url, status: 'unchanged' });
          return;
        }
        const response = await request(
          target.url,
          fetchOptions(HTML_TYPES, isIndexed ? { etag: previous?.etag, lastModified: previous?.last_modified } : {}),
        );
        if (response.status === 'not-modified') {
          report.notModified += 1;
          emit({ path: target.url, status: 'unchanged' });
          updates.push({ ...previousState(previous, target), lastmod: target.lastmod });
          return;
        }
        if (response.status === 'gone') {
          if (previous) leave(target.url, 'not-found');
          return;
        }
        fetched = response;
      }
      const page = extractPage({ html: fetched.body, url: fetched.url, contentSelector: options.contentSelector });
      fetchedTitles.set(target.url, page.names.htmlTitle);
      const state = {
        url: target.url,
        source: target.source,
        etag: fetched.etag,
        last_modified: fetched.lastModified,
        lastmod: target.lastmod,
        last_error: null,
        html_title: page.names.htmlTitle,
      };
      const entry = { target, page, slug: fetched.url, state };
      if (!hasOwnName(page.names)) {
        titled.push(entry);
        return;
      }
      indexPage(entry);
    } catch (error) {
      fail(target.url, error);
      updates.push({ url: target.url, source: target.source, last_error: error instanceof Error ? error.message : String(error) });
    }
  };

  for (const source of options.urls) {
    const discovered = await discover({ source, options, request, fetchOptions, fail, notice, processPage });
    if (discovered === null) {
      // Discovery failed: every page of this source keeps its index; nothing is removed.
      continue;
    }
    report.pages += discovered.targets.length;
    if (!discovered.isLinkCrawl) await pool(discovered.targets, options.concurrency, (target) => processPage(target));
    const listed = new Set(discovered.targets.map((target) => target.url));
    nameTitledPages(source, listed);
    for (const page of known.values()) if (page.source === source && !listed.has(page.url)) leave(page.url, 'unlisted');
  }

  // A crawl the pipeline stopped keeps the state of the one before: what it found was not all written.
  if (isStopped()) return report;
  if (updates.length > 0) await saveDocsCrawlPages({ db, pages: updates });
  if (gone.length > 0) await deleteDocsCrawlPagesByUrls({ db, urls: gone });
  return report;
}

function previousState(previous: TCrawlPageState | undefined, target: TTarget): TCrawlPageUpdate {
  return {
    url: target.url,
    source: target.source,
    etag: previous?.etag ?? null,
    last_modified: previous?.last_modified ?? null,
    lastmod: previous?.lastmod ?? null,
    content_hash: previous?.content_hash ?? null,
  };
}

type TDiscoverArgs = {
  source: string;
  options: TCrawlOptions;
  request: (url: string, options: TFetchOptions) => ReturnType<typeof crawlFetch>;
  fetchOptions: (accept: string[], extra?: Partial<TFetchOptions>) => TFetchOptions;
  fail: (url: string, error: unknown) => void;
  notice: (notice: TCrawlNotice) => void;
  processPage: (target: TTarget, body?: { url: string; body: string; etag: string | null; lastModified: string | null }) => Promise<void>;
};

/** The pages of one configured URL (null: discovery failed), crawling them on the way when links are followed. */
async function discover(args: TDiscoverArgs): Promise<{ targets: TTarget[]; isLinkCrawl: boolean } | null> {
  const { source, options, request, fetchOptions, fail, notice } = args;
  const start = new URL(source);
  const prefix = pathPrefix(start);
  const robots = await readRobots(start, request, fetchOptions);
  const isInScope = (url: string) => {
    const parsed = new URL(url);
    return parsed.origin === start.origin && parsed.pathname.startsWith(prefix) && !NOT_A_PAGE.test(parsed.pathname) && robots.isAllowed(url);
  };

  const isSitemapUrl = /\.xml$/i.test(start.pathname);
  // Where links are followed from: the configured page, or the folder of a configured sitemap.
  const linkStart = isSitemapUrl ? `${start.origin}${prefix}` : start.href;
  let isOffScope = false;
  const candidates = isSitemapUrl
    ? [start.href]
    : [...robots.sitemaps.filter((url) => new URL(url).origin === start.origin), `${start.origin}${prefix}sitemap.xml`, `${start.origin}/sitemap.xml`];
  const tried = new Set<string>();
  for (const candidate of candidates) {
    if (tried.has(candidate)) continue;
    tried.add(candidate);
    try {
      const pages = await readSitemap(candidate, request, fetchOptions);
      if (pages === null) {
        if (isSitemapUrl) throw new CrawlFetchError('invalid-sitemap', `${candidate} is not there`);
        continue;
      }
      const seen = new Set<string>();
      const targets: TTarget[] = [];
      for (const page of pages) {
        const url = normalise(page.url);
        if (url === null || seen.has(url) || !isInScope(url)) continue;
        seen.add(url);
        targets.push({ url, lastmod: page.lastmod, source });
        if (targets.length >= options.maxPages) break;
      }
      if (targets.length > 0) return { targets, isLinkCrawl: false };
      // Nothing here to crawl: the sitemap names another site (a staging copy built for production), or it is
      // empty. Say so, then follow the links, as for a site without a sitemap.
      notice(offScopeNotice({ source, sitemap: candidate, listed: pages.map((page) => page.url), start, prefix, linkStart }));
      isOffScope = true;
      break;
    } catch (error) {
      fail(candidate, error);
      return null;
    }
  }
  if (isSitemapUrl && !isOffScope) return null;
  return linkCrawl(args, isInScope, linkStart);
}

/**
 * Why a sitemap gave no page to crawl, with the first URL it lists. Origins are compared as URLs compare them:
 * the host name without regard to case (`https://Docs.Example.com` is `https://docs.example.com`, which is what
 * VitePress writes), the path with it (`/Docs/` is not `/docs/`, as a web server may well see it).
 */
function offScopeNotice({
  source,
  sitemap,
  listed,
  start,
  prefix,
  linkStart,
}: {
  source: string;
  sitemap: string;
  listed: string[];
  start: URL;
  prefix: string;
  linkStart: string;
}): TCrawlNotice {
  const first = listed[0];
  const following = `following links from ${linkStart} instead`;
  if (first === undefined) return { source, sitemap, example: null, message: `the sitemap ${sitemap} lists no URLs; ${following}` };
  const onOrigin = listed.filter((url) => URL.canParse(url) && new URL(url).origin === start.origin);
  const example = onOrigin[0] ?? first;
  const count = `${listed.length} URL${listed.length === 1 ? '' : 's'}`;
  const where =
    onOrigin.length === 0
      ? `none on ${start.origin} (for example ${example}${URL.canParse(example) ? `, on ${new URL(example).origin}` : ''})`
      : `none under ${start.origin}${prefix} that may be crawled (for example ${example})`;
  return { source, sitemap, example, message: `the sitemap ${sitemap} lists ${count}, ${where}; ${following}` };
}

/** The pages a sitemap (or a sitemap index, followed) lists; null when there is none at that address. */
async function readSitemap(
  url: string,
  request: TDiscoverArgs['request'],
  fetchOptions: TDiscoverArgs['fetchOptions'],
): Promise<{ url: string; lastmod: string | null }[] | null> {
  const queue = [url];
  const pages: { url: string; lastmod: string | null }[] = [];
  let read = 0;
  while (queue.length > 0 && read < MAX_SITEMAPS) {
    const next = queue.shift() ?? '';
    read += 1;
    const response = await request(next, fetchOptions(XML_TYPES));
    if (response.status === 'gone') {
      if (next === url) return null;
      throw new CrawlFetchError('invalid-sitemap', `${next}, listed in ${url}, is not there`);
    }
    if (response.status !== 'ok') continue;
    const sitemap = parseSitemap(response.body, next);
    if (sitemap.kind === 'index') queue.push(...sitemap.sitemaps);
    else pages.push(...sitemap.pages);
  }
  return pages;
}

async function readRobots(start: URL, request: TDiscoverArgs['request'], fetchOptions: TDiscoverArgs['fetchOptions']): Promise<TRobots> {
  const robotsUrl = `${start.origin}/robots.txt`;
  try {
    const response = await request(robotsUrl, fetchOptions(['text/plain', 'text/']));
    if (response.status !== 'ok') return { isAllowed: () => true, sitemaps: [] };
    const robots = robotsParser(robotsUrl, response.body);
    return { isAllowed: (url) => robots.isAllowed(url, CRAWLER_USER_AGENT) !== false, sitemaps: robots.getSitemaps() };
  } catch {
    // No readable robots.txt: everything may be crawled (as robots.txt's own rules say).
    return { isAllowed: () => true, sitemaps: [] };
  }
}

/** No sitemap (or none to use): the pages linked from `from` on, breadth first, each indexed as it is read. */
async function linkCrawl(args: TDiscoverArgs, isInScope: (url: string) => boolean, from: string): Promise<{ targets: TTarget[]; isLinkCrawl: boolean } | null> {
  const { source, options, request, fetchOptions, fail, processPage } = args;
  const root = normalise(from) ?? from;
  const seen = new Set<string>([root]);
  const targets: TTarget[] = [];
  let frontier = [root];
  let isRootRead = false;
  while (frontier.length > 0 && targets.length < options.maxPages) {
    const next: string[] = [];
    await pool(frontier, options.concurrency, async (url) => {
      const target = { url, lastmod: null, source };
      try {
        const response = await request(url, fetchOptions(HTML_TYPES));
        if (response.status !== 'ok') return;
        if (url === root) isRootRead = true;
        targets.push(target);
        await processPage(target, response);
        const { links } = extractPage({ html: response.body, url: response.url, contentSelector: null });
        for (const link of links) {
          const normalised = normalise(link);
          if (normalised === null || seen.has(normalised) || !isInScope(normalised)) continue;
          seen.add(normalised);
          next.push(normalised);
        }
      } catch (error) {
        fail(url, error);
        // A page that failed is still on the site: listed, so that it keeps its index.
        targets.push(target);
      }
    });
    frontier = next.slice(0, Math.max(0, options.maxPages - targets.length));
  }
  return isRootRead ? { targets, isLinkCrawl: true } : null;
}
