// Docs shapes the pages render in the browser, computed on the server at build time (lib/docs/site/render.ts,
// lib/docs/gate/folder-nav.ts). Types only: no parser or file access reaches the browser.

/** Inline content of a rendered docs block. */
export type TInline =
  | { type: 'text'; value: string }
  | { type: 'code'; value: string }
  | { type: 'strong' | 'emphasis' | 'delete'; children: TInline[] }
  | { type: 'link'; href: string; children: TInline[] }
  | { type: 'break' };

/** A block of a rendered docs page: a small, serialisable tree rendered with Paste components. */
export type TBlockNode =
  | { type: 'heading'; depth: number; id: string; text: string; children: TInline[] }
  | { type: 'paragraph'; children: TInline[] }
  | { type: 'code'; lang: string; value: string }
  | { type: 'list'; ordered: boolean; start: number; items: TBlockNode[][] }
  | { type: 'table'; align: ('left' | 'right' | 'center' | null)[]; rows: TInline[][][] }
  | { type: 'blockquote'; children: TBlockNode[] }
  | { type: 'callout'; variant: 'neutral' | 'warning' | 'error' | 'success' | 'new'; title: string; children: TBlockNode[] }
  | { type: 'group'; children: TBlockNode[] }
  | { type: 'rule' };

/** A page in the docs navigation. */
export type TDocPageLink = {
  href: string;
  title: string;
  description: string;
  path: string;
  section: string;
  order: number;
  /** Who may read it (front matter `audience:`, DOCS_AUDIENCES; lib/audiences); absent: public. Server-side only: never sent to a page. */
  audiences?: string[];
  /**
   * The page it belongs under (its href): the index page of its folder, for a page of a folder below a section's (a
   * component's API and changelog pages under the component's page). Absent: a page of its section itself.
   */
  parent?: string;
  /** How the navigation names it, where that is shorter than its title ("API" under "Badge"); absent: its title. */
  navTitle?: string;
};
/** A section of the navigation and its pages, in order (a page's own pages right after it). */
export type TNavGroup = { label: string; pages: TDocPageLink[] };
export type TDocNav = { groups: TNavGroup[]; pages: TDocPageLink[] };
/**
 * What a page's navigation needs of each page. Every docs page carries its navigation in its props (and so twice in
 * its HTML): on a site of 368 pages, the links alone are a third of the full entries' size. `children`: the pages
 * under it, where they are shown.
 */
export type TNavLink = { href: string; title: string; children?: TNavLink[] };
export type TNavLinkGroup = { label: string; pages: TNavLink[] };

/** Where a page made the same for everyone (the 404 page) asks for its reader's navigation (pages/api/docs-nav.ts). */
export const DOCS_NAV_PATH = '/api/docs-nav';

/**
 * The navigation's links as a tree: each page under its parent. The pages under a page are listed only on the way to
 * `currentHref` (the page shown, its parent, its parent's parent…): elsewhere a page stands for its own pages, as a
 * docs site's sidebar folds what the reader is not reading, and the navigation every page carries stays small. A
 * page whose parent is not in the navigation (the reader may not read it, another version's) is listed in its place.
 */
export function toNavLinks(groups: TNavGroup[], currentHref = ''): TNavLinkGroup[] {
  const parentOf = new Map<string, string | undefined>();
  for (const group of groups) for (const page of group.pages) parentOf.set(page.href, page.parent);
  const open = new Set<string>();
  for (let href: string | undefined = currentHref; href !== undefined && parentOf.has(href) && !open.has(href); href = parentOf.get(href)) open.add(href);
  return groups.map((group) => {
    const nodes = new Map<string, TNavLink>();
    const roots: TNavLink[] = [];
    for (const page of group.pages) {
      const parent = page.parent === undefined ? undefined : nodes.get(page.parent);
      // Named by what its parent's title does not say only where it is under its parent.
      const node: TNavLink = { href: page.href, title: page.parent !== undefined && !parent ? page.title : (page.navTitle ?? page.title) };
      nodes.set(page.href, node);
      if (!parent) roots.push(node);
      else if (open.has(page.parent!)) (parent.children ??= []).push(node);
    }
    return { label: group.label, pages: roots };
  });
}

// Sources, one model (issue 37): the kinds of source a reader sees on a result. Inside, each kind of source is a
// label of its own (lib/docs/sources: 'folder', 'crawl', …); lib/docs/search/kinds.ts maps those labels to these,
// once. `docs`: a page of this site's docs; `page`: a page crawled from a published site; `thread`: a GitHub
// issue, pull request or discussion; `answer`: an answer the maintainers approved; `api`: an operation of an API
// reference (an OpenAPI spec); `code`: a symbol of a repository's source, cited to its lines.
export const PUBLIC_SOURCE_KINDS = ['docs', 'page', 'thread', 'answer', 'api', 'code'] as const;
export type TPublicSourceKind = (typeof PUBLIC_SOURCE_KINDS)[number];

/** The code kind's index paths start with this: `code:<source>/<file>` (written by its source, read by the source page). */
export const CODE_PATH_PREFIX = 'code:';

export type TThreadState = 'open' | 'closed' | 'merged';

/**
 * What a page of some kind carries besides its sections (docs_page.meta): a thread's number, its state, and when it
 * was last updated (ISO 8601); `isPrivate`: a private repository's thread, never shown to a reader who is not signed
 * in; how it was fixed (`fixedBy`: "#12", "owner/name#12" or "commit abc1234") and the release the fix shipped in
 * (`releasedIn`, a tag); the version of the docs it belongs to (`1.x`, Docusaurus's `current`), when the docs have
 * versions: a page without one belongs to every version. Every field is optional: unversioned docs pages carry none.
 * The GitHub source fills the thread's fields; the folder and the crawl fill `version` (lib/docs/parse/versions.ts).
 */
export type TPageMeta = {
  number?: number;
  state?: TThreadState;
  updatedAt?: string;
  isPrivate?: boolean;
  /**
   * Who may read the page (lib/audiences): a reader holding one of these audiences, or a maintainer. Absent or empty:
   * public. Set by the page's source kind (front matter `audience:`, DOCS_AUDIENCES, a private repository's threads).
   */
  audiences?: string[];
  fixedBy?: string;
  releasedIn?: string;
  /** A maintainers' answer: when the maintainers replied, and when the reply was approved (ISO 8601). */
  answeredAt?: string;
  approvedAt?: string;
  version?: string;
  /** The index paths of pages that answer this one (a duplicate's original, the fix of an issue): shown right after it. */
  related?: string[];
  /**
   * An API reference page's operations: what each does to its resource (by its section's anchor), from its method and
   * path (lib/docs/sources/openapi/page.ts). The ranker ranks the operations a question asks for first (ranking/intent.ts).
   */
  operations?: Record<string, TOperationAction>;
  /**
   * The plain name of the resource each operation acts on (by its section's anchor): its path's last collection,
   * in words (`IncomingPhoneNumbers` → "incoming phone numbers"). The ranker ranks an operation whose resource is
   * the thing the question's verb acts on above one whose resource the question only names in passing (intent.ts).
   */
  resources?: Record<string, string>;
  /**
   * What else the spec's prose calls a resource (by its plain name, as `resources` gives it): words it writes again and
   * again before the resource's head noun ("text message", "SMS message" → messages: text, sms). A question's object
   * that is one of them acts on that resource (intent.ts actsOnObject). Learnt per spec (openapi/resource-words.ts).
   */
  resourceAliases?: Record<string, string[]>;
  /** A source file (the code kind, lib/docs/sources/code/page.ts): where it is and what it exports. */
  code?: TCodeMeta;
};

/** A source file's page: its path in its repository, its language, its package, the commit its lines are cited at. */
export type TCodeMeta = { file: string; language: string; package?: string; repo?: string; commit?: string; exports: string[] };

/** What an API operation does to its resource: makes one, lists many, reads one, changes one, removes one. */
export type TOperationAction = 'create' | 'list' | 'fetch' | 'update' | 'remove';

/**
 * What an answer's source list shows of a cited source: its kind, a thread's number and state, and the day a
 * maintainers' answer was answered (YYYY-MM-DD).
 */
export type TCitedSource = { kind: TPublicSourceKind | string; number?: number; state?: TThreadState; answeredAt?: string };

/** How a maintainers' answer is cited: "Answered by the maintainers (2026-11-25)", without the date when it has none. */
export function answeredByText(answeredAt?: string): string {
  return answeredAt ? `Answered by the maintainers (${answeredAt})` : 'Answered by the maintainers';
}

/** A day (YYYY-MM-DD) from an ISO 8601 date that starts with one; else undefined. */
export function dayOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/** The words a reader sees for a kind of source, beside its link. */
export const SOURCE_KIND_NAMES: Record<TPublicSourceKind, string> = {
  docs: 'Docs',
  page: 'Web page',
  thread: 'GitHub thread',
  answer: "Maintainers' answer",
  api: 'API reference',
  code: 'Source',
};

/** The words for a thread's state: an open thread is not fixed yet. */
export const THREAD_STATE_NAMES: Record<TThreadState, string> = { open: 'Open', closed: 'Closed', merged: 'Merged' };

/**
 * What a citation keeps of a search result's source (its `kind`, a thread's `number` and `state`, an answer's
 * `answeredAt`): nothing for
 * a docs page or a result that does not say, so that citations of the docs stay as they were.
 */
export function citedSourceOf(result: { kind?: string; number?: number; state?: string; answeredAt?: string }): TCitedSource | undefined {
  if (typeof result.kind !== 'string' || result.kind === 'docs') return undefined;
  const source: TCitedSource = { kind: result.kind };
  if (typeof result.number === 'number') source.number = result.number;
  if (result.state === 'open' || result.state === 'closed' || result.state === 'merged') source.state = result.state;
  const answeredAt = dayOf(result.answeredAt);
  if (answeredAt) source.answeredAt = answeredAt;
  return source;
}
