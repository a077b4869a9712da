import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../config';
import { docUrl, listDocFiles, readDocFile } from '../folder/load';
import { detectFolderVersions, folderVersionOf } from '../folder/versions';
import { parseMdxTree } from '../parse/mdx';
import type { TBlockNode, TDocNav, TDocPageLink, TNavGroup } from '../../shared/docs';
import { audienceNamesOf, audiencesOfPath, canSee, PUBLIC_ACCESS, type TReaderAccess } from '../../audiences';

// The docs navigation, read from DOCS_DIR at build time. The docs order themselves:
//   - a page's front matter (or `export const meta`): `section` (its group), `order` (its place), `hidden: true`
//     or `status: 'draft'` (left out of the navigation, still served);
//   - a `_meta.json` in any folder: `{"title": "Guides", "order": 2, "pages": ["setup", "slack", …]}` names the
//     folder's section, places it among the sections, and orders its pages and subfolders by name;
// and where they say nothing, sensible defaults: a page's section is its top folder; a folder's index page
// comes first, dated pages (posts) newest first, then by title; sections such as "Introduction" or "Getting
// started" lead and "Blog" or "Changelog" close, the rest alphabetically. Error pages (a `404` page) are never
// in the navigation. Previous/next follow the same order.

export type { TDocNav, TDocPageLink, TNavGroup };

const ZFolderMeta = z.object({
  title: z.string().trim().min(1).optional(),
  order: z.number().finite().optional(),
  pages: z.array(z.string()).optional(),
});
type TFolderMeta = z.infer<typeof ZFolderMeta>;

const DEFAULT_ORDER = 1000;
/** Conventional names of sections that lead or close a docs site, by the slug of their folder or label. */
const LEADING_SECTIONS = ['overview', 'introduction', 'intro', 'getting-started', 'get-started', 'start', 'quickstart', 'basics'];
const CLOSING_SECTIONS = ['faq', 'help', 'troubleshooting', 'changelog', 'releases', 'roadmap', 'blog', 'news', 'license'];
const ERROR_PAGE = /^(404|500|not-found)$/i;

// One cache per process, not per bundle: Next bundles each route and the instrumentation with a copy of this module
// each, and the navigation read once at start (lib/docs/site/warm.ts) is the one every route reads. Reading it
// parses every page of the docs (a few seconds for the Paste docs on a loaded machine): done on a reader's request,
// it made that request seconds long. `builds` counts the reads (the health route shows it).
type TNavCache = { entries: Map<string, { key: string; nav: TDocNav; audiencesByPath: Map<string, string[]> }>; builds: number };
const NAV_CACHE = Symbol.for('paste-assistant.docs-nav');
const cache: TNavCache = ((globalThis as { [NAV_CACHE]?: TNavCache })[NAV_CACHE] ??= { entries: new Map(), builds: 0 });

/** How many times this process has read the docs' navigation from their files. */
export function countDocNavBuilds(): number {
  return cache.builds;
}

function humanize(segment: string): string {
  return segment.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}

const slugOf = (label: string) => label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The folder's `_meta.json`, or nothing when it has none or it is malformed (the build says so). */
function readFolderMeta(docsDir: string, folder: string): TFolderMeta {
  const file = path.join(docsDir, folder, '_meta.json');
  if (!existsSync(file)) return {};
  try {
    return ZFolderMeta.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    console.warn(`Ignoring ${path.join(folder, '_meta.json')}: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}

/**
 * A page's metadata read from its head alone: its front matter and the import/export blocks right after it (where
 * `export const meta` sits), without parsing the rest, which is most of the cost of reading the navigation (a full
 * parse of the Paste docs' 366 pages took 4 s of CPU, 18 s on a loaded machine). Null when the head does not settle
 * it, and the whole page is parsed as before: a head that parses with repairs, or an `export const meta` further
 * down (it would win over the front matter). The caller also parses the whole page when the head names no title
 * (the title is then the page's first heading).
 */
function readMetaHead(source: string, relativePath: string): ReturnType<typeof parseMdxTree>['meta'] | null {
  const lines = source.split('\n');
  let end = 0;
  if (/^---\s*$/.test(lines[0] ?? '')) {
    const close = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
    if (close < 0) return null;
    end = close + 1;
  }
  // MDX's import/export blocks: each runs to a blank line.
  for (;;) {
    while (end < lines.length && (lines[end] ?? '').trim() === '') end += 1;
    if (end >= lines.length || !/^(import|export)\s/.test(lines[end] ?? '')) break;
    while (end < lines.length && (lines[end] ?? '').trim() !== '') end += 1;
  }
  if (/^export\s+const\s+meta\b/m.test(lines.slice(end).join('\n'))) return null;
  try {
    const parsed = parseMdxTree({ source: lines.slice(0, end).join('\n'), path: relativePath });
    return parsed.warnings.length > 0 ? null : parsed.meta;
  } catch {
    return null;
  }
}

type TEntry = TDocPageLink & { isHidden: boolean; date: string | null; folder: string; name: string; isIndex: boolean };

function readEntry(docsDir: string, relativePath: string, folderMeta: (folder: string) => TFolderMeta): TEntry {
  const file = readDocFile(docsDir, relativePath);
  const segments = relativePath.split('/');
  const top = segments.length > 1 ? (segments[0] ?? '') : '';
  const fileName = (segments[segments.length - 1] ?? '').replace(/\.(md|mdx)$/i, '');
  const isIndex = fileName === 'index';
  // A page's name in its folder's `pages` list: its file name, or for an index page, its folder's name (as the
  // parent folder lists it).
  const folder = segments.slice(0, isIndex ? -2 : -1).join('/');
  const name = isIndex ? (segments[segments.length - 2] ?? '') : fileName;
  let meta: ReturnType<typeof parseMdxTree>['meta'] = {};
  let firstHeading: string | undefined;
  try {
    const head = readMetaHead(file.source, relativePath);
    if (head?.title !== undefined) meta = head;
    else {
      const parsed = parseMdxTree({ source: file.source, path: relativePath });
      meta = parsed.meta;
      const h1 = parsed.tree.children.find((child) => child.type === 'heading' && child.depth === 1);
      if (h1 && h1.type === 'heading') firstHeading = h1.children.map((child) => ('value' in child ? child.value : '')).join('');
    }
  } catch {
    // Listed all the same: the page renders its parse error.
  }
  const section = meta.section ?? (top ? (folderMeta(top).title ?? humanize(top)) : 'Overview');
  // Who may read it (lib/audiences): its front matter's `audience:` and DOCS_AUDIENCES by its path.
  const audiences = [...new Set([...audienceNamesOf(meta.audience), ...audiencesOfPath(loadConfig().docsSources.audiences, relativePath)])];
  const isErrorPage = file.slug.split('/').some((segment) => ERROR_PAGE.test(segment)) || ERROR_PAGE.test(meta.title ?? '');
  return {
    href: docUrl(file.slug),
    title: meta.title ?? firstHeading ?? (humanize(file.slug.split('/').pop() ?? '') || 'Home'),
    description: meta.description ?? '',
    path: relativePath,
    section,
    order: meta.order ?? DEFAULT_ORDER,
    ...(audiences.length > 0 ? { audiences } : {}),
    isHidden: isErrorPage || meta.hidden === true || meta.status?.toLowerCase() === 'draft',
    date: meta.date ?? null,
    folder,
    name,
    isIndex: isIndex && segments.length === 2,
  };
}

// Words a file name stands for that do not read well humanized.
// A Map: a file named `constructor.md` must not read Object's member.
const NAME_LABELS = new Map([
  ['api', 'API'],
  ['faq', 'FAQ'],
  ['cli', 'CLI'],
  ['sdk', 'SDK'],
]);

/**
 * Pages that share a title, told apart: a site may title a component's guidelines, API and changelog pages
 * alike (the Paste docs title all three "Badge - Components" and show them as tabs). A folder's index page keeps
 * the title; each other page adds its file name ("Badge - Components · API"), so the sidebar, llms.txt and the
 * MCP resources never list the same name twice.
 */
function withDistinctTitles(entries: TEntry[]): TEntry[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.title, (counts.get(entry.title) ?? 0) + 1);
  return entries.map((entry) => {
    const isFolderIndex = /(^|\/)index\.mdx?$/i.test(entry.path);
    if ((counts.get(entry.title) ?? 0) < 2 || isFolderIndex) return entry;
    return { ...entry, title: `${entry.title} · ${NAME_LABELS.get(entry.name.toLowerCase()) ?? humanize(entry.name)}` };
  });
}

/** A page's place among its folder's entries as the folder's `_meta.json` lists them (unlisted: after). */
function listedIndex(entry: TEntry, folderMeta: (folder: string) => TFolderMeta): number {
  const pages = folderMeta(entry.folder).pages;
  const index = pages ? pages.indexOf(entry.name) : -1;
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

function sectionRank(label: string, folder: string): number {
  for (const name of [slugOf(label), folder]) {
    if (LEADING_SECTIONS.includes(name)) return -1;
    if (CLOSING_SECTIONS.includes(name)) return 1 + CLOSING_SECTIONS.indexOf(name) / 100;
  }
  return 0;
}

export function getDocNav(docsDir = loadConfig().docsDir): TDocNav {
  const files = listDocFiles(docsDir);
  const metaFiles = [...new Set(files.map((file) => path.dirname(file)))].map((folder) => path.join(docsDir, folder, '_meta.json')).filter(existsSync);
  // DOCS_AUDIENCES too: the pages' audiences are part of what is read.
  const rules = (loadConfig().docsSources.audiences ?? []).map((rule) => `${rule.audience}=${rule.globs.join('|')}`).join(',');
  const key = [...files.map((file) => path.join(docsDir, file)), ...metaFiles].map((file) => `${file}:${statSync(file).mtimeMs}`).join('|') + `|audiences:${rules}`;
  const cached = cache.entries.get(docsDir);
  if (cached && cached.key === key) return cached.nav;
  cache.builds += 1;

  const metas = new Map<string, TFolderMeta>();
  const folderMeta = (folder: string) => {
    if (!metas.has(folder)) metas.set(folder, readFolderMeta(docsDir, folder));
    return metas.get(folder)!;
  };
  const read = files.map((file) => readEntry(docsDir, file, folderMeta));
  const audiencesByPath = new Map(read.map((entry) => [entry.path, entry.audiences ?? []]));
  const entries = withDistinctTitles(read.filter((entry) => !entry.isHidden));
  const byPlace = (a: TEntry, b: TEntry) =>
    Number(b.isIndex) - Number(a.isIndex) ||
    a.order - b.order ||
    listedIndex(a, folderMeta) - listedIndex(b, folderMeta) ||
    (a.date && b.date ? b.date.localeCompare(a.date) : 0) ||
    a.title.localeCompare(b.title) ||
    a.path.localeCompare(b.path);
  const groups = new Map<string, TEntry[]>();
  for (const entry of [...entries].sort(byPlace)) groups.set(entry.section, [...(groups.get(entry.section) ?? []), entry]);

  // A section's place: its folder's `_meta.json` order (as listed by the root `_meta.json`), else its pages'
  // lowest `order`, then the conventional leading/closing names, then its label.
  const rootPages = folderMeta('').pages ?? [];
  const sectionFolder = (pages: TEntry[]) => pages[0]?.path.split('/')[0] ?? '';
  const place = (label: string, pages: TEntry[]) => {
    const folder = pages.every((page) => page.path.includes('/')) ? sectionFolder(pages) : '';
    const listed = rootPages.indexOf(folder);
    const explicit = folder ? folderMeta(folder).order : undefined;
    return {
      listed: listed < 0 ? Number.MAX_SAFE_INTEGER : listed,
      order: explicit ?? Math.min(...pages.map((page) => page.order)),
      rank: sectionRank(label, folder),
    };
  };
  const ordered = [...groups.entries()]
    .map(([label, pages]) => ({ label, pages, place: place(label, pages) }))
    .sort((a, b) => a.place.listed - b.place.listed || a.place.order - b.place.order || a.place.rank - b.place.rank || a.label.localeCompare(b.label))
    .map(({ label, pages }) => ({
      label,
      pages: pages.map(({ href, title, description, path: pagePath, section, order, audiences }) => ({ href, title, description, path: pagePath, section, order, ...(audiences ? { audiences } : {}) })),
    }));
  const nav = { groups: ordered, pages: ordered.flatMap((group) => group.pages) };
  cache.entries.set(docsDir, { key, nav, audiencesByPath });
  return nav;
}

/**
 * The audiences of the docs folder's page at `relativePath` (hidden pages too); [] for a public page or none there.
 * Every route that serves a folder page (the page, its `.md` twin, llms*.txt, MCP) asks this before serving it.
 */
export function folderPageAudiences(docsDir: string, relativePath: string): readonly string[] {
  getDocNav(docsDir);
  return cache.entries.get(docsDir)?.audiencesByPath.get(relativePath) ?? [];
}

/** Whether a reader with `access` may read the folder's page at `relativePath` (lib/audiences canSee). */
export function canReadFolderPage(docsDir: string, relativePath: string, access: TReaderAccess): boolean {
  return canSee(folderPageAudiences(docsDir, relativePath), access);
}

/** The navigation as a reader with `access` sees it: the pages they may not read are not in it (nor are their names). */
export function navForAccess(nav: TDocNav, access: TReaderAccess): TDocNav {
  if (access.isMaintainer || !nav.pages.some((page) => page.audiences)) return nav;
  const groups = nav.groups
    .map((group) => ({ ...group, pages: group.pages.filter((page) => canSee(page.audiences ?? [], access)) }))
    .filter((group) => group.pages.length > 0);
  return { groups, pages: groups.flatMap((group) => group.pages) };
}

/**
 * The navigation a reader of one version sees (versioned docs, issue 38): that version's pages and the pages of no
 * version; `version` null: the current version's. A folder without versions gets the whole navigation.
 */
export function getVersionNav(docsDir: string, version: string | null, access: TReaderAccess = PUBLIC_ACCESS): TDocNav {
  const nav = navForAccess(getDocNav(docsDir), access);
  const versions = detectFolderVersions({ docsDir, files: listDocFiles(docsDir), configuredCurrent: loadConfig().docsSources.versions?.current ?? null });
  if (versions.shape === 'none') return nav;
  const wanted = version ?? versions.current;
  const isShown = (page: TDocPageLink) => {
    const own = folderVersionOf(versions, page.path)?.name ?? null;
    return own === null || own === wanted;
  };
  const groups = nav.groups.map((group) => ({ ...group, pages: group.pages.filter(isShown) })).filter((group) => group.pages.length > 0);
  return { groups, pages: groups.flatMap((group) => group.pages) };
}

/**
 * `/docs` of a docs folder without an index page: each navigation section as a heading and its pages as a
 * list of links with their descriptions, in navigation order.
 */
export function buildDocsOverview(groups: TDocNav['groups']): TBlockNode[] {
  return groups.flatMap((group): TBlockNode[] => [
    { type: 'heading', depth: 2, id: slugOf(group.label), text: group.label, children: [{ type: 'text', value: group.label }] },
    {
      type: 'list',
      ordered: false,
      start: 1,
      items: group.pages.map((page): TBlockNode[] => [
        {
          type: 'paragraph',
          children: [
            { type: 'link', href: page.href, children: [{ type: 'text', value: page.title }] },
            ...(page.description ? [{ type: 'text' as const, value: ` — ${page.description}` }] : []),
          ],
        },
      ]),
    },
  ]);
}

/** The previous and next pages of `href` in navigation order. */
export function getPrevNext(nav: TDocNav, href: string): { prev: TDocPageLink | null; next: TDocPageLink | null } {
  const index = nav.pages.findIndex((page) => page.href === href);
  if (index < 0) return { prev: null, next: null };
  return { prev: nav.pages[index - 1] ?? null, next: nav.pages[index + 1] ?? null };
}

/** Kept for the home page: every page, in navigation order. */
export function listDocPages(docsDir = loadConfig().docsDir): TDocPageLink[] {
  return getDocNav(docsDir).pages;
}
