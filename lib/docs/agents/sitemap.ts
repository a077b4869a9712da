import { XMLBuilder } from 'fast-xml-parser';
import type { TDb } from '../../db/types';
import { PUBLIC_ACCESS, type TReaderAccess } from '../../audiences';
import type { TTextResult } from '../../http';
import { docUrl, getDocPageSlugs } from '../folder/load';
import { readSitePages } from '../gate';
import { readFolderNavOfEveryVersion, type TFolderRules } from '../gate/folder-nav';
import { referenceIndexHrefOf } from '../site/reference';
import { etagOf } from './markdown';
import { PLAIN_TYPE, revalidated } from './publish';

// /sitemap.xml (the sitemaps.org protocol) and /robots.txt, for search engines' crawlers. The sitemap lists the pages
// anyone may read, whoever asks (a sitemap is for crawlers: a signed-in reader's cookie adds nothing): the home page,
// the docs folder's pages as the navigation lists them (every version; not hidden pages, drafts or error pages), the
// API reference (its list, each spec's page, each operation's page) and the maintainers' answers' pages — every page
// of the index the site shows at its own URL, so a kind that comes to have pages here is listed without a line here.
// URLs are absolute, from SITE_URL (or the address the request came to, as every link the site builds: the caller's
// config). `lastmod`: when the page last changed as its source says (an answer's approval), else when the index last
// saw it change. One sitemap holds at most 50,000 URLs (the protocol's limit); past that the rest are left out, and
// the log says so.

export const SITEMAP_PATH = '/sitemap.xml';
const XML_TYPE = 'application/xml; charset=utf-8';
const MAX_URLS = 50_000;

export type TSitemapEntry = { loc: string; lastmod: string | null };

type TSitemapDeps = { db: TDb; config: { docsDir: string; siteUrl: string; docsSources: TFolderRules }; log: { warn(fields: object, message: string): void } };

/** The URLs of the site's pages `access` may read, in a stable order: the home page, the docs, then the index's other pages by path. */
export async function listSitemapEntries({ deps, access }: { deps: TSitemapDeps; access: TReaderAccess }): Promise<TSitemapEntry[]> {
  const rows = await readSitePages({ db: deps.db, access });
  const changedAt = new Map(rows.map((row) => [row.path, row.updatedAt]));
  const entries = new Map<string, string | null>();
  // A URL several pages of the index share (a spec's overview and its tags' pages) changed when the last of them did.
  const add = (href: string, lastmod: string | null) => {
    const known = entries.get(href) ?? null;
    if (!entries.has(href) || (lastmod !== null && (known === null || Date.parse(lastmod) > Date.parse(known)))) entries.set(href, lastmod);
  };
  add('/', null);
  add(docUrl(''), null);
  // The docs folder's pages from the folder itself, as the site serves them and its navigation lists them (the index
  // also holds its hidden pages); the index says when each last changed.
  const { docsDir } = deps.config;
  for (const page of readFolderNavOfEveryVersion({ docsDir, rules: deps.config.docsSources, access }).pages) add(page.href, changedAt.get(page.path) ?? null);
  const folderSlugs = getDocPageSlugs(docsDir);
  for (const row of rows) {
    if (folderSlugs.has(row.slug)) continue;
    const referenceIndex = referenceIndexHrefOf(row.kind);
    if (referenceIndex) add(referenceIndex, null);
    add(docUrl(row.slug), row.updatedAt);
    for (const anchor of row.pageAnchors) {
      const href = docUrl(row.slug, anchor);
      if (!href.includes('#')) add(href, row.updatedAt);
    }
  }
  const all = [...entries].map(([href, lastmod]) => ({ loc: `${deps.config.siteUrl}${href === '/' ? '/' : href}`, lastmod: lastmod === null ? null : w3cDate(lastmod) }));
  if (all.length > MAX_URLS) deps.log.warn({ urls: all.length, listed: MAX_URLS }, 'sitemap: more pages than one sitemap holds; the rest are left out');
  return all.slice(0, MAX_URLS);
}

/** A date as the protocol writes it (W3C Datetime, to the second in UTC); the day alone when that is all there is. */
function w3cDate(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString().replace(/\.\d+Z$/, 'Z') : null;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

/** The sitemap of the public pages, as XML. */
async function buildSitemap({ deps }: { deps: TSitemapDeps }): Promise<string> {
  const entries = await listSitemapEntries({ deps, access: PUBLIC_ACCESS });
  const text = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    urlset: {
      '@_xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9',
      url: entries.map((entry) => (entry.lastmod === null ? { loc: entry.loc } : { loc: entry.loc, lastmod: entry.lastmod })),
    },
  }) as string;
  return text;
}

/** GET /sitemap.xml: the same for everyone, so any cache may keep it (and asks again before using it). */
export async function serveSitemap({ deps, ifNoneMatch }: { deps: TSitemapDeps; ifNoneMatch?: string }): Promise<TTextResult> {
  const text = await buildSitemap({ deps });
  return revalidated({ text, etag: etagOf(text), contentType: XML_TYPE, ifNoneMatch });
}

/** Paths that are no content for a search engine: the API, the maintainers' dashboard, shared conversations, the embed, the assistant's own page, the agents' endpoints. */
export const ROBOTS_DISALLOWED = ['/api/', '/maintainers', '/shared/', '/embed', '/assistant', '/mcp', '/v1/', '/widget.js'];

/** GET /robots.txt: every crawler may read the docs, none the paths above; where the sitemap is, as an absolute URL. */
export function serveRobotsTxt({ siteUrl, ifNoneMatch }: { siteUrl: string; ifNoneMatch?: string }): TTextResult {
  const text = ['User-agent: *', ...ROBOTS_DISALLOWED.map((path) => `Disallow: ${path}`), 'Allow: /', '', `Sitemap: ${siteUrl}${SITEMAP_PATH}`, ''].join('\n');
  return revalidated({ text, etag: etagOf(text), contentType: PLAIN_TYPE, ifNoneMatch });
}

