import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { docUrl, listDocFiles, readDocFile } from '../folder/load';
import { detectFolderVersions, folderVersionOf } from '../folder/versions';
import { parseMdxTree } from '../parse/mdx';
import type { TDocNav, TDocPageLink, TNavGroup } from '../../shared/docs';
import { audienceNamesOf, audiencesOfPath, canSee, isPublicAccess, type TAudienceRule, type TReaderAccess } from '../../audiences';

// The docs navigation, read from DOCS_DIR (once per process, and again when a page or a `_meta.json` changes). The
// docs order themselves:
//   - a page's front matter (or `export const meta`): `section` (its group), `order` (its place), `hidden: true`
//     or `status: 'draft'` (left out of the navigation, still served);
//   - a `_meta.json` in any folder: `{"title": "Guides", "order": 2, "pages": ["setup", "slack", …]}` names the
//     folder's section, places it among the sections, and orders its pages and subfolders by name;
// and where they say nothing, sensible defaults: a page's section is its top folder; a folder's index page
// comes first, dated pages (posts) newest first, then by name as a reader looks a name up (case and accents aside,
// numbers by their value: "AI Chat Log" among the A's, "Step 2" before "Step 10"); sections such as "Introduction" or
// "Getting started" lead and "Blog" or "Changelog" close, the rest by name. Below a section's own folder, a folder's
// index page is the parent of the folder's other pages (a component's API and changelog pages belong under the
// component's page: a folder's `api.mdx` under the folder's `index.mdx`), and the navigation names each
// by what its parent's title does not already say ("API"). Error pages (a `404` page) are never in the navigation.
// Previous/next follow the same order: a page, then its own pages, then the next page. A reader gets the navigation
// of the pages they may read (readFolderNav); the whole one, every page with its audiences, never leaves the gate.

export type { TDocNav, TDocPageLink, TNavGroup };

/**
 * What the configuration says of the folder's pages (config.docsSources: DOCS_AUDIENCES, DOCS_CURRENT_VERSION): every
 * read of the navigation takes it, so a page's audiences are the rules' as configured, never a default.
 */
export type TFolderRules = { audiences?: readonly TAudienceRule[]; versions?: { current: string | null } };

const ZFolderMeta = z.object({
  title: z.string().trim().min(1).optional(),
  order: z.number().finite().optional(),
  pages: z.array(z.string()).optional(),
});
type TFolderMeta = z.infer<typeof ZFolderMeta>;

/** A folder's own page, served at its URL (slugFromPath): `index.md(x)`, or Hugo's `_index.md(x)`. */
const FOLDER_INDEX_PAGE = /(^|\/)_?index\.mdx?$/i;

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

// Words a file or folder name stands for that do not read well humanized.
// A Map: a file named `constructor.md` must not read Object's member.
const NAME_LABELS = new Map([
  ['api', 'API'],
  ['faq', 'FAQ'],
  ['cli', 'CLI'],
  ['sdk', 'SDK'],
]);

/** A file or folder name as words: `getting-started` → "Getting started", `cli` → "CLI". */
function humanize(segment: string): string {
  return NAME_LABELS.get(segment.toLowerCase()) ?? segment.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
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
 * parse of the 366 pages of the Paste docs' navigation took 4 s of CPU, 18 s on a loaded machine). Null when the head does not settle
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

type TEntry = TDocPageLink & {
  isHidden: boolean;
  date: string | null;
  /** The folder that lists it: its own, or for an index page, its folder's parent (whose index page is its parent). */
  folder: string;
  name: string;
  /** The index page of a section's own folder (`guides/index.md`, `guides/_index.md`) or of the docs (`index.md`): first in its section. */
  isIndex: boolean;
};

function readEntry(docsDir: string, rules: TFolderRules, relativePath: string, folderMeta: (folder: string) => TFolderMeta): TEntry {
  const file = readDocFile(docsDir, relativePath);
  const segments = relativePath.split('/');
  const top = segments.length > 1 ? (segments[0] ?? '') : '';
  const fileName = (segments[segments.length - 1] ?? '').replace(/\.(md|mdx)$/i, '');
  const isIndex = fileName === 'index' || fileName === '_index';
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
  const audiences = [...new Set([...audienceNamesOf(meta.audience), ...audiencesOfPath(rules.audiences, relativePath)])];
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
    isIndex: isIndex && segments.length <= 2,
  };
}

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
    const isFolderIndex = FOLDER_INDEX_PAGE.test(entry.path);
    if ((counts.get(entry.title) ?? 0) < 2 || isFolderIndex) return entry;
    return { ...entry, title: `${entry.title} · ${humanize(entry.name)}` };
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

/** Names as a reader looks them up: case and accents aside, numbers by their value ("Step 2" before "Step 10"). */
const NAME_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const byName = (a: string, b: string) => NAME_ORDER.compare(a, b);

/**
 * The order of pages that share a parent (or a section): a section's index page first, then `order`, the folder's
 * `_meta.json` list, dated pages (posts) newest first, then the name the navigation shows. Each step compares every
 * pair the same way (a dated page before an undated one): one sort of every page with a step only dated pairs
 * answered was no order at all, and put "Account Switcher" after "Data Grid" (the Paste docs, whose blog is dated).
 */
function placeOrder(folderMeta: (folder: string) => TFolderMeta) {
  return (a: TEntry, b: TEntry) =>
    Number(b.isIndex) - Number(a.isIndex) ||
    a.order - b.order ||
    listedIndex(a, folderMeta) - listedIndex(b, folderMeta) ||
    Number(b.date !== null) - Number(a.date !== null) ||
    (a.date !== null && b.date !== null && a.date !== b.date ? (a.date < b.date ? 1 : -1) : 0) ||
    byName(a.navTitle ?? a.title, b.navTitle ?? b.title) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** A title's parts as a site writes them ("Badge - Components · API"), with what separates them kept in between. */
const TITLE_PARTS = /(\s+[-–—·|]\s+)/;

/**
 * What the navigation calls a page where its title repeats what its place says: the leading parts its parent's
 * title has ("Badge - Components · API" under "Badge - Components": "API"; "Button - API" under "Button": "API"), and
 * a last part that is its section's name ("Badge - Components" in Components: "Badge"). Undefined: its title.
 */
function navTitleOf(title: string, parentTitle: string | null, section: string): string | undefined {
  let tokens = title.split(TITLE_PARTS);
  if (parentTitle !== null) {
    const parentParts = parentTitle.split(TITLE_PARTS).filter((_, at) => at % 2 === 0);
    let shared = 0;
    while (shared < parentParts.length && 2 * shared + 2 < tokens.length && byName(tokens[2 * shared]!, parentParts[shared]!) === 0) shared += 1;
    tokens = tokens.slice(2 * shared);
  }
  if (tokens.length > 2 && byName(tokens.at(-1)!, section) === 0) tokens = tokens.slice(0, -2);
  const shown = tokens.join('');
  return shown === title ? undefined : shown;
}

/**
 * A section's pages in navigation order, each page followed by its own: a page below the section's folder belongs
 * under the index page of the nearest folder above it that has one, in the same section (not the section's own
 * index page, nor the root's: those are the section and the site).
 */
function sectionPages(section: string, pages: TEntry[], folderMeta: (folder: string) => TFolderMeta): TEntry[] {
  const indexOf = new Map<string, TEntry>();
  for (const page of pages) if (FOLDER_INDEX_PAGE.test(page.path) && page.path.split('/').length > 2) indexOf.set(path.posix.dirname(page.path), page);
  const parentOf = (page: TEntry): TEntry | null => {
    for (let folder = page.folder; folder.split('/').length > 1; folder = path.posix.dirname(folder)) {
      const index = indexOf.get(folder);
      if (index && index !== page) return index;
    }
    return null;
  };
  // By the parent's path ('' for the section itself).
  const children = new Map<string, TEntry[]>();
  for (const page of pages) {
    const parent = parentOf(page);
    const key = parent?.path ?? '';
    const navTitle = navTitleOf(page.title, parent?.title ?? null, section);
    children.set(key, [...(children.get(key) ?? []), { ...page, ...(navTitle ? { navTitle } : {}), ...(parent ? { parent: parent.href } : {}) }]);
  }
  const order = placeOrder(folderMeta);
  const listed: TEntry[] = [];
  const visit = (parentPath: string) => {
    for (const page of (children.get(parentPath) ?? []).sort(order)) {
      listed.push(page);
      visit(page.path);
    }
  };
  visit('');
  return listed;
}

/** The whole navigation, every page with its audiences: the gate's own; a reader's is readFolderNav's. */
export function getDocNav(docsDir: string, rules: TFolderRules): TDocNav {
  const files = listDocFiles(docsDir);
  const metaFiles = [...new Set(files.map((file) => path.dirname(file)))].map((folder) => path.join(docsDir, folder, '_meta.json')).filter(existsSync);
  // DOCS_AUDIENCES too: the pages' audiences are part of what is read.
  const ruleKey = (rules.audiences ?? []).map((rule) => `${rule.audience}=${rule.globs.join('|')}`).join(',');
  const key = [...files.map((file) => path.join(docsDir, file)), ...metaFiles].map((file) => `${file}:${statSync(file).mtimeMs}`).join('|') + `|audiences:${ruleKey}`;
  const cached = cache.entries.get(docsDir);
  if (cached && cached.key === key) return cached.nav;
  cache.builds += 1;

  const metas = new Map<string, TFolderMeta>();
  const folderMeta = (folder: string) => {
    if (!metas.has(folder)) metas.set(folder, readFolderMeta(docsDir, folder));
    return metas.get(folder)!;
  };
  const read = files.map((file) => readEntry(docsDir, rules, file, folderMeta));
  const audiencesByPath = new Map(read.map((entry) => [entry.path, entry.audiences ?? []]));
  const entries = withDistinctTitles(read.filter((entry) => !entry.isHidden));
  const groups = new Map<string, TEntry[]>();
  for (const entry of entries) groups.set(entry.section, [...(groups.get(entry.section) ?? []), entry]);

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
    .sort((a, b) => a.place.listed - b.place.listed || a.place.order - b.place.order || a.place.rank - b.place.rank || byName(a.label, b.label))
    .map(({ label, pages }) => ({
      label,
      pages: sectionPages(label, pages, folderMeta).map(({ href, title, description, path: pagePath, section, order, audiences, parent, navTitle }) => ({
        href,
        title,
        description,
        path: pagePath,
        section,
        order,
        ...(audiences ? { audiences } : {}),
        ...(parent ? { parent } : {}),
        ...(navTitle ? { navTitle } : {}),
      })),
    }));
  const nav = { groups: ordered, pages: ordered.flatMap((group) => group.pages) };
  cache.entries.set(docsDir, { key, nav, audiencesByPath });
  return nav;
}

/** The audiences of the docs folder's page at `relativePath` (hidden pages too); [] for a public page or none there. */
function folderPageAudiences(docsDir: string, rules: TFolderRules, relativePath: string): readonly string[] {
  getDocNav(docsDir, rules);
  return cache.entries.get(docsDir)?.audiencesByPath.get(relativePath) ?? [];
}

/**
 * Whether a reader with `access` may read the folder's page at `relativePath` (lib/audiences canSee). Every route that
 * serves a folder page (the page, its `.md` twin, llms*.txt, MCP) asks this before serving it.
 */
export function isFolderPageReadable({ docsDir, rules, relativePath, access }: { docsDir: string; rules: TFolderRules; relativePath: string; access: TReaderAccess }): boolean {
  return canSee(folderPageAudiences(docsDir, rules, relativePath), access);
}

/** Whether the folder's page at `relativePath` is everyone's (no audience): what a shared cache may keep. */
export function isFolderPagePublic(docsDir: string, rules: TFolderRules, relativePath: string): boolean {
  return folderPageAudiences(docsDir, rules, relativePath).length === 0;
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
 * Whether the navigation a reader with `access` sees is the public one: they may read none of the listed pages of an
 * audience. Then what is made for them from it (the navigation, llms.txt) is everyone's, and any cache may keep it.
 */
export function isPublicFolderNav({ docsDir, rules, access }: { docsDir: string; rules: TFolderRules; access: TReaderAccess }): boolean {
  return isPublicAccess(access) || getDocNav(docsDir, rules).pages.every((page) => !page.audiences || !canSee(page.audiences, access));
}

/**
 * The navigation a reader with `access` sees of one version (versioned docs, issue 38): the pages they may read of
 * that version and of no version; `version` null: the current version's. A folder without versions gets them all.
 */
export function readFolderNav({ docsDir, rules, version = null, access }: { docsDir: string; rules: TFolderRules; version?: string | null; access: TReaderAccess }): TDocNav {
  const nav = navForAccess(getDocNav(docsDir, rules), access);
  const versions = detectFolderVersions({ docsDir, files: listDocFiles(docsDir), configuredCurrent: rules.versions?.current ?? null });
  if (versions.shape === 'none') return nav;
  const wanted = version ?? versions.current;
  const isShown = (page: TDocPageLink) => {
    const own = folderVersionOf(versions, page.path)?.name ?? null;
    return own === null || own === wanted;
  };
  const groups = nav.groups.map((group) => ({ ...group, pages: group.pages.filter(isShown) })).filter((group) => group.pages.length > 0);
  return { groups, pages: groups.flatMap((group) => group.pages) };
}


/** The navigation a reader with `access` sees of every version at once (llms.txt, the sitemap): the pages they may read. */
export function readFolderNavOfEveryVersion({ docsDir, rules, access }: { docsDir: string; rules: TFolderRules; access: TReaderAccess }): TDocNav {
  return navForAccess(getDocNav(docsDir, rules), access);
}
