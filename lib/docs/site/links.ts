import path from 'node:path';
import { docUrl, slugFromPath } from '../folder/load';

// The links a docs page writes, as this site serves them. Docs written for a site that serves them at its root
// (the Paste docs: `[Select](/components/select)`) link root-relative, and relative links were written against
// the page's file, not its URL here (`components/select/index.mdx` is served at `/docs/components/select`, so a
// browser reads `./api` as `/docs/components/api`), and a relative link may name a page's file, as an editor or
// GitHub follows it (`api.mdx`, or `guides/_index.md`: the page served at /docs/guides). A link is rewritten only
// when it then names a page of the docs folder; everything else is left exactly as written: `/docs/…`, other site
// routes, absolute URLs, `mailto:`, `#anchor`, and any link that names no page (no guessing).

/** The docs folder's pages by slug (`components/select`, `''` for the index): what a link may be resolved to. */
export type TDocPageSlugs = ReadonlySet<string>;

/**
 * The top segments of the site's own routes (pages/, public/, the rewrites in next.config.mjs): a root-relative link
 * into them is the site's, never a docs page's, even when the docs folder has a page of the same name.
 * tests/unit/docs-links.test.ts checks the list against pages/ and the rewrites.
 */
export const SITE_ROUTE_SEGMENTS: ReadonlySet<string> = new Set([
  'docs',
  'docs.md',
  'api',
  'assistant',
  'maintainers',
  'shared',
  // The pages a hand-off's e-mails link (pages/handoff: confirm, open).
  'handoff',
  'embed',
  'widget.js',
  'mcp',
  'v1',
  'llms.txt',
  'llms-full.txt',
  // For search engines (lib/docs/agents/sitemap.ts, through the rewrites in next.config.mjs).
  'sitemap.xml',
  'robots.txt',
  '.well-known',
  '_next',
  // The docs pages' own client (scripts/build-docs-client.mjs), a folder of public/ once built.
  '_docs-client',
  '404',
  'favicon.svg',
]);

const SCHEME = /^[a-z][a-z\d+.-]*:/i;
const BASE = 'http://docs.invalid';

const DOC_FILE = /\.mdx?$/i;

/**
 * The page a resolved URL names, if it is a page of the docs folder. `isFile`: the URL was read against the page's
 * file, so it may name a page's file (`setup.md`, `guides/_index.md`), which is that page (slugFromPath).
 */
function pageSlugOf(url: URL, pageSlugs: TDocPageSlugs, prefix: string, isFile = false): string | null {
  if (url.origin !== BASE || !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(url.pathname.slice(prefix.length)).replace(/^\/+|\/+$/g, '');
  } catch {
    return null;
  }
  if (pageSlugs.has(slug)) return slug;
  if (!isFile || !DOC_FILE.test(slug)) return null;
  const fileSlug = slugFromPath(slug);
  return pageSlugs.has(fileSlug) ? fileSlug : null;
}

function parse(href: string, base: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

/**
 * `href` as written on the page at `pagePath` (relative to the docs folder), pointed at this site's page when
 * it names one: `/components/select#props` → `/docs/components/select#props` (query and anchor kept); on
 * `components/select/index.mdx`, `./api` and `api.mdx` → `/docs/components/select/api`. Otherwise `href` unchanged.
 */
export function resolveDocHref({ href, pagePath, pageSlugs }: { href: string; pagePath: string; pageSlugs: TDocPageSlugs }): string {
  const trimmed = href.trim();
  if (trimmed === '' || SCHEME.test(trimmed) || trimmed.startsWith('//') || trimmed.startsWith('#') || trimmed.startsWith('?')) return href;
  const toPage = (url: URL, slug: string) => `${docUrl(slug)}${url.search}${url.hash}`;

  if (trimmed.startsWith('/')) {
    const url = parse(trimmed, BASE);
    const top = url?.pathname.split('/')[1] ?? '';
    if (!url || top === '' || SITE_ROUTE_SEGMENTS.has(top)) return href;
    const slug = pageSlugOf(url, pageSlugs, '');
    return slug === null ? href : toPage(url, slug);
  }

  // A relative link that already names a page, read against the page's URL as the browser reads it, stays.
  const pageUrl = `${BASE}${docUrl(slugFromPath(pagePath))}`;
  const asUrl = parse(trimmed, pageUrl);
  if (asUrl && pageSlugOf(asUrl, pageSlugs, '/docs') !== null) return href;
  // Read against the page's file, as its author (and an editor, or GitHub) reads it.
  const folder = path.posix.dirname(pagePath);
  const candidates = [parse(trimmed, `${BASE}/docs/${folder === '.' ? '' : `${folder}/`}`)];
  // `components/popover` written without its leading slash, on a page in another folder.
  if (!/^\.\.?(\/|$)/.test(trimmed)) candidates.push(parse(trimmed, `${BASE}/docs/`));
  for (const url of candidates) {
    const slug = url ? pageSlugOf(url, pageSlugs, '/docs', true) : null;
    if (url && slug !== null) return toPage(url, slug);
  }
  return href;
}
