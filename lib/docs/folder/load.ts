import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listDocFiles } from './files.mjs';
import { withPartials } from './partials';

/** A page as the site shows it: `source` with its partials read in (partials.ts), `includes` the partials' paths. */
export type TDocFile = { path: string; slug: string; source: string; includes: string[] };

// The walk is shared with the build tooling, which fingerprints the same files (files.mjs).
export { isHugoIndexFile, listDocFiles, listPartialFiles } from './files.mjs';

const DOC_EXTENSIONS = /\.(md|mdx)$/i;

/**
 * `guides/setup.mdx` → `guides/setup`; `guides/index.mdx` → `guides`; the root index → ``. Hugo's section page
 * (`guides/_index.md`, files.mjs isHugoIndexFile) is its folder's page too: `guides`.
 */
export function slugFromPath(relativePath: string): string {
  const withoutExtension = relativePath.replace(DOC_EXTENSIONS, '');
  return /^_?index$/.test(withoutExtension) ? '' : withoutExtension.replace(/\/_?index$/, '');
}

/** An API operation's anchor (lib/docs/sources/openapi/page.ts): the section is a page of its own on this site. */
const OPERATION_ANCHOR = /^operation\/[^/#?]+$/;

/**
 * `/docs/<slug>#<anchor>`; a slug that is an absolute URL (a page published elsewhere: DOCS_BASE_URL, a crawled
 * site) is the page's own address, and the anchor is appended to it. An API operation (anchor `operation/<id>`) on
 * this site is its own page, `/docs/<slug>/operation/<id>` (pages/docs/reference/[spec]/operation/[id].tsx): one URL
 * per operation for citations, page reads, follow-ups and the dashboard's counts, which count pages by URL. The
 * database says the same in pa_docs_section_url (supabase/schemas/45_docs_page_reads.sql).
 */
export function docUrl(slug: string, anchor?: string): string {
  if (/^https?:\/\//i.test(slug)) return anchor ? `${slug.split('#')[0]}#${anchor}` : slug;
  const base = slug === '' ? '/docs' : `/docs/${slug}`;
  if (anchor && OPERATION_ANCHOR.test(anchor)) return `${base}/${anchor}`;
  return anchor ? `${base}#${anchor}` : base;
}

const pageSlugsCache = new Map<string, { listing: string; slugs: ReadonlySet<string> }>();

/**
 * The slugs of the docs folder's pages (listed or not: hidden pages are served too), what the pages' links are
 * resolved against. Kept per folder while its list of files is the same, so the same Set comes back: a cache
 * of rendered pages may hold on to it. `files`: the folder's listing when the caller has it already.
 */
export function getDocPageSlugs(docsDir: string, files: readonly string[] = listDocFiles(docsDir)): ReadonlySet<string> {
  const listing = files.join('\n');
  const cached = pageSlugsCache.get(docsDir);
  if (cached && cached.listing === listing) return cached.slugs;
  const slugs: ReadonlySet<string> = new Set(files.map(slugFromPath));
  pageSlugsCache.set(docsDir, { listing, slugs });
  return slugs;
}

export function readDocFile(docsDir: string, relativePath: string): TDocFile {
  const own = readFileSync(path.join(docsDir, relativePath), 'utf8');
  const readPartial = (partialPath: string) => {
    try {
      return readFileSync(path.join(docsDir, partialPath), 'utf8');
    } catch {
      return null;
    }
  };
  const { source, includes } = withPartials(own, relativePath, readPartial);
  return { path: relativePath, slug: slugFromPath(relativePath), source, includes };
}
