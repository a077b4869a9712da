// What kind of page a docs page is, from where it sits. The ranking reads it from the index's file paths (a
// component's API tab ranks below its guide unless asked for); the offline model reads it from sections' URLs (a
// component's guide and its tabs are one topic). Pure: no I/O, nothing else of lib/.

/**
 * What kind of page a section is on. A component's API and changelog tabs (api.mdx, changelog.mdx beside its
 * index.mdx) and blog posts or newsletters are ranked below guides unless the question asks for them.
 */
export type TPageKind = 'guide' | 'api' | 'changelog' | 'blog';

const BLOG_FOLDERS = new Set(['blog', 'news', 'newsletter', 'newsletters', 'posts', 'releases']);

/** The kind of the page at `path` (relative to the docs folder), `paths` being every page's path. */
export function pageKind(path: string, paths: Set<string>): TPageKind {
  const parts = path.split('/');
  const base = parts.at(-1) ?? '';
  const folder = parts.slice(0, -1).join('/');
  // The folder's own page: index.mdx or index.md, or Hugo's _index.md(x), which the site serves at the same URL.
  const hasGuide = ['index.mdx', 'index.md', '_index.mdx', '_index.md'].some((name) => paths.has(folder === '' ? name : `${folder}/${name}`));
  if (hasGuide && /^api\.mdx?$/.test(base)) return 'api';
  if (/^changelog\.mdx?$/.test(base) || /(^|\/)changelog(\/|\.mdx?$)/.test(path)) return 'changelog';
  if (BLOG_FOLDERS.has(parts[0] ?? '') && parts.length > 1) return 'blog';
  return 'guide';
}

/**
 * A component page's tabs as published: its API and changelog pages beside its guide (api.mdx and changelog.mdx
 * next to index.mdx, published as /docs/components/button/api and …/changelog), the URLs of what pageKind calls
 * 'api' and 'changelog' on a component.
 */
const TAB_PAGES = new Set(['api', 'changelog']);

/** The page a section's URL is on (without anchor, query or trailing slash), a component's tab counting as its guide. */
export function guidePageOf(url: string): string {
  const page = (url.split('#')[0] as string).split('?')[0]?.replace(/\/+$/, '') ?? '';
  const parts = page.split('/');
  return parts.length > 2 && TAB_PAGES.has(parts.at(-1) ?? '') ? parts.slice(0, -1).join('/') : page;
}
