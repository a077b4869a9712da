import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CrawlFetchError } from './fetch';

// sitemap.xml and sitemap indexes (sitemaps.org): the pages with their lastmod, or the sitemaps to read next.
// Anything else (HTML served at /sitemap.xml, broken XML, an empty document) is an invalid sitemap, which
// fails the discovery and so keeps the previous index.

export type TSitemap = { kind: 'urlset'; pages: { url: string; lastmod: string | null }[] } | { kind: 'index'; sitemaps: string[] };

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => name === 'url' || name === 'sitemap', parseTagValue: false });

type TEntry = { loc?: unknown; lastmod?: unknown };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function parseSitemap(xml: string, sitemapUrl: string): TSitemap {
  if (XMLValidator.validate(xml) !== true) throw new CrawlFetchError('invalid-sitemap', `${sitemapUrl} is not valid XML`);
  const document = parser.parse(xml) as { urlset?: { url?: TEntry[] } | ''; sitemapindex?: { sitemap?: TEntry[] } | '' };
  if (document.sitemapindex !== undefined) {
    const entries = typeof document.sitemapindex === 'object' ? (document.sitemapindex.sitemap ?? []) : [];
    return { kind: 'index', sitemaps: entries.map((entry) => text(entry.loc)).filter((loc): loc is string => loc !== null) };
  }
  if (document.urlset !== undefined) {
    const entries = typeof document.urlset === 'object' ? (document.urlset.url ?? []) : [];
    const pages = entries
      .map((entry) => ({ url: text(entry.loc), lastmod: text(entry.lastmod) }))
      .filter((page): page is { url: string; lastmod: string | null } => page.url !== null);
    return { kind: 'urlset', pages };
  }
  throw new CrawlFetchError('invalid-sitemap', `${sitemapUrl} is neither a urlset nor a sitemap index`);
}
