import type { TDocMeta } from '../parse/mdx';

// Where a page of another framework's docs folder is published, given DOCS_BASE_URL: the URL its sources link
// to instead of this site's /docs. The rules are the frameworks' own, where they agree:
// - `index` and `README` name their folder (Docusaurus, MkDocs, VitePress, Nextra), as Hugo's `_index` does;
// - a number prefix that orders files (`01-intro.md`, `2. setup.md`) is not part of the URL (Docusaurus);
// - front matter `id` replaces the file's name, `slug` the whole path when it starts with `/`, else the
//   last segment (Docusaurus);
// - DOCS_URL_SUFFIX is added to every page but the root: `/` for MkDocs' directory URLs, `.html` for VitePress
//   without cleanUrls; none by default (Docusaurus, Nextra, VitePress with cleanUrls).

export type TPublishedSite = { baseUrl: string; suffix: string };

const NUMBER_PREFIX = /^\d+[-_.\s]+(?=.)/;

/**
 * The path of a page below the site's root, without leading or trailing slashes ('' for the root). `versionPrefix`:
 * where the page's version is published (`1.x/`, '' for the current one; lib/docs/folder/versions.ts), with
 * `relativePath` then the page's path inside its version's folder: a front matter slug starting with `/` is
 * absolute within the version, and the version's name is kept as it is (`1.x` is not a number prefix).
 */
export function publishedPath(relativePath: string, meta: Pick<TDocMeta, 'slug' | 'id'> = {}, versionPrefix = ''): string {
  const segments = relativePath
    .replace(/\.(md|mdx)$/i, '')
    .split('/')
    .map((segment) => segment.replace(NUMBER_PREFIX, ''));
  const last = segments.pop() ?? '';
  const isIndex = /^(_?index|readme)$/i.test(last);
  const inVersion = (pagePath: string) => trimSlashes(`${versionPrefix}${pagePath}`);
  if (meta.slug?.startsWith('/')) return inVersion(trimSlashes(meta.slug));
  if (meta.slug) return inVersion(trimSlashes([...segments, meta.slug].join('/')));
  if (meta.id && !isIndex) return inVersion([...segments, meta.id].join('/'));
  return inVersion(isIndex ? segments.join('/') : [...segments, last].join('/'));
}

/** `https://their.site/docs/guides/setup`: the absolute URL of a page of the folder (`versionPrefix`: publishedPath's). */
export function publishedUrl(site: TPublishedSite, relativePath: string, meta: Pick<TDocMeta, 'slug' | 'id'> = {}, versionPrefix = ''): string {
  const base = site.baseUrl.replace(/\/+$/, '');
  const pagePath = publishedPath(relativePath, meta, versionPrefix);
  if (pagePath === '') return `${base}/`;
  return `${base}/${pagePath.split('/').map(encodeURIComponent).join('/')}${site.suffix}`;
}

/** A page's slug or path in the index that is an absolute URL: a page published elsewhere (a folder with
 * DOCS_BASE_URL, or a crawled site). */
export function isAbsoluteDocUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}
