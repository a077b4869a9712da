import { PUBLIC_ACCESS, type TReaderAccess } from '../../audiences';
import type { TStoredPage } from '../../db/docs-reference';
import type { TDb } from '../../db/types';
import { toNavLinks, type TBlockNode, type TInline, type TNavLinkGroup } from '../../shared/docs';
import { readPageBySectionAnchor, readPagesOfKind, readPagesUnderPath } from '../gate';
import { referenceKind } from '../sources';
import { readFolderNav, type TFolderRules } from '../gate/folder-nav';
import { renderDoc } from './render';
import { readSiteName } from './site-config';

// The API reference pages from the spec's pages in the index (its overview and its tags' pages,
// lib/docs/sources/openapi/page.ts). A spec's index page (pages/docs/reference/[spec]/index.tsx) is its overview and
// its operations listed by tag (each tag anchored `tag/<tag>`); each operation is a page of its own
// (pages/docs/reference/[spec]/operation/[id].tsx, `/docs/reference/<spec>/operation/<id>`, the URL search results
// and answers cite: docUrl in lib/docs/folder/load.ts), its section rendered as the docs render markdown. A
// spec on one page was megabytes of HTML (Twilio's REST API: 3.9 MB); the index page sends a link to the operation
// an old link names (`#operation/<id>`, Redoc's anchors) on to its page (components/docs/ReferencePage.tsx).
// Server-side only; the blocks are what the page renders.

export type TReferencePage = { title: string; description: string; blocks: TBlockNode[]; operations: number; lastError: string | null };

// Per process, not per bundle (the spec's and the operation's routes are bundled apart): see the navigation's cache,
// lib/docs/gate/folder-nav.ts.
const REFERENCE_CACHE = Symbol.for('paste-assistant.reference-pages');
const cache: Map<string, { key: string; page: TReferencePage }> = ((globalThis as { [REFERENCE_CACHE]?: Map<string, { key: string; page: TReferencePage }> })[
  REFERENCE_CACHE
] ??= new Map());
const NO_PAGES: ReadonlySet<string> = new Set();

/** Links a spec may carry that the page keeps: the web, mail, this site and anchors (a spec is data from elsewhere). */
const SAFE_HREF = /^(https?:|mailto:|\/|#)/i;

function safeInlines(nodes: TInline[]): TInline[] {
  return nodes.flatMap((node): TInline[] => {
    if (node.type === 'link') return SAFE_HREF.test(node.href.trim()) ? [{ ...node, children: safeInlines(node.children) }] : safeInlines(node.children);
    if ('children' in node) return [{ ...node, children: safeInlines(node.children) }];
    return [node];
  });
}

function safeBlocks(blocks: TBlockNode[]): TBlockNode[] {
  return blocks.map((block): TBlockNode => {
    switch (block.type) {
      case 'heading':
      case 'paragraph':
        return { ...block, children: safeInlines(block.children) };
      case 'list':
        return { ...block, items: block.items.map(safeBlocks) };
      case 'table':
        return { ...block, rows: block.rows.map((row) => row.map(safeInlines)) };
      case 'blockquote':
      case 'callout':
      case 'group':
        return { ...block, children: safeBlocks(block.children) };
      default:
        return block;
    }
  });
}

/** A section's markdown as the docs render it, with only links of safe schemes kept (others become their text). */
function markdownBlocks(content: string): TBlockNode[] {
  try {
    return safeBlocks(renderDoc({ source: content, path: 'reference.md', pageSlugs: NO_PAGES }).blocks);
  } catch {
    // Markdown always parses; should it not, the text is shown as it is.
    return [{ type: 'paragraph', children: [{ type: 'text', value: content }] }];
  }
}

const text = (value: string) => [{ type: 'text' as const, value }];

/** This site's page of a spec's operation (`operation/<id>` anchor): `/docs/reference/<spec>/operation/<id>`. */
export function operationHref(spec: string, anchor: string): string {
  return `/docs/reference/${spec}/${anchor}`;
}

/**
 * A spec's index page (`/docs/reference/<spec>`) from its pages' outline (its overview first): the overview, then each
 * tag as a heading anchored `tag/<tag>` (Redoc's, so that links to a tag still land on it) listing its operations,
 * each a link to its own page. Kept while the spec's pages are the ones indexed.
 */
export function buildReferenceIndexPage(spec: string, stored: TStoredPage[]): TReferencePage {
  const [overviewPage] = stored;
  if (!overviewPage) throw new Error('a reference page needs its spec’s pages');
  const key = stored.map((page) => `${page.path}\0${page.indexedAt}\0${page.slug}`).join('\n');
  const cached = cache.get(overviewPage.path);
  if (cached?.key === key) return { ...cached.page, lastError: overviewPage.lastError };
  const sections = stored.flatMap((page) => page.sections);
  const overview = sections.filter((section) => !section.anchor.startsWith('operation/'));
  const operations = sections.filter((section) => section.anchor.startsWith('operation/'));
  const byTag = new Map<string, typeof operations>();
  for (const operation of operations) {
    const tag = operation.heading_path.length > 1 ? (operation.heading_path[0] ?? 'Operations') : 'Operations';
    byTag.set(tag, [...(byTag.get(tag) ?? []), operation]);
  }
  const blocks: TBlockNode[] = overview.flatMap((section) => markdownBlocks(section.content));
  if (byTag.size > 0) blocks.push({ type: 'heading', depth: 2, id: 'operations', text: 'Operations', children: text('Operations') });
  for (const [tag, items] of byTag) {
    blocks.push({ type: 'heading', depth: 3, id: tagAnchor(tag), text: tag, children: text(tag) });
    blocks.push({
      type: 'list',
      ordered: false,
      start: 1,
      items: items.map((item) => [{ type: 'paragraph', children: [{ type: 'link', href: operationHref(spec, item.anchor), children: text(item.heading) }] }]),
    });
  }
  const page: TReferencePage = { title: overviewPage.title, description: overviewPage.description, blocks, operations: operations.length, lastError: overviewPage.lastError };
  cache.set(overviewPage.path, { key, page });
  return page;
}

/**
 * An operation's own page from the index's page that holds it (its tag's, with only this operation's content): its
 * section as the docs render markdown, then the other operations of its tag, each a link to its page.
 */
export function buildOperationPage(spec: string, stored: TStoredPage, anchor: string): { heading: string; tag: string | null; blocks: TBlockNode[] } | null {
  const section = stored.sections.find((item) => item.anchor === anchor);
  if (!section) return null;
  const tag = section.heading_path.length > 1 ? (section.heading_path[0] ?? null) : null;
  const blocks: TBlockNode[] = markdownBlocks(section.content);
  const others = stored.sections.filter((item) => item.anchor.startsWith('operation/') && item.anchor !== anchor);
  if (others.length > 0) {
    const heading = tag ? `More in ${tag}` : 'More operations';
    blocks.push({ type: 'heading', depth: 2, id: 'more', text: heading, children: text(heading) });
    blocks.push({
      type: 'list',
      ordered: false,
      start: 1,
      items: others.map((item) => [{ type: 'paragraph', children: [{ type: 'link', href: operationHref(spec, item.anchor), children: text(item.heading) }] }]),
    });
  }
  return { heading: section.heading, tag, blocks };
}

/** Redoc's anchor of a tag: `tag/<name>`. */
export function tagAnchor(tag: string): string {
  return `tag/${tag.replace(/\s+/g, '-')}`;
}

export type TReferenceProps = {
  siteName: string;
  href: string;
  title: string;
  description: string;
  blocks: TBlockNode[];
  lastError: string | null;
  nav: TNavLinkGroup[];
  /** A spec's index page: it sends an old link's `#operation/<id>` on to the operation's page. */
  isAnchorIndex?: boolean;
  /** Where an operation's page belongs: its spec's index page, at its tag. */
  up?: { href: string; title: string };
};

const SPEC_NAME = /^[a-z0-9_-]{1,100}$/;

/** The navigation of the docs, and the API references after it, as the reader may read them. */
async function referenceNav(db: TDb, docsDir: string, rules: TFolderRules, access: TReaderAccess): Promise<TNavLinkGroup[]> {
  const specs = await listSpecs(db, access);
  const groups = toNavLinks(readFolderNav({ docsDir, rules, access }).groups);
  if (specs.length === 0) return groups;
  return [...groups, { label: 'API reference', pages: specs.map((spec) => ({ href: referenceHref(spec.path), title: spec.title })) }];
}

/** The specs indexed that the reader may read: their overview pages (`openapi/<spec>`; their tags' pages are below them). */
async function listSpecs(db: TDb, access: TReaderAccess) {
  // The API reference kind comes from the sources' registry (lib/docs/sources/index.ts; OpenAPI's today).
  const reference = referenceKind();
  if (!reference) return [];
  return (await readPagesOfKind({ db, access, kind: reference.kind })).filter((page) => page.path.split('/').length === 2);
}

/** The list of the API references (`/docs/reference`) where pages of `kind` are API reference pages; else null. */
export function referenceIndexHrefOf(kind: string): string | null {
  return referenceKind()?.kind === kind ? '/docs/reference' : null;
}

/** `/docs/reference/<spec>` for a spec's index path (`openapi/<spec>`). */
export function referenceHref(indexPath: string): string {
  return `/docs/reference/${indexPath.slice(indexPath.indexOf('/') + 1)}`;
}

/**
 * A spec's index page; null when no spec of that name is indexed or the reader may not read it. Its tags' pages the
 * reader may not read are left out (DOCS_AUDIENCES may give a tag's page an audience of its own).
 */
export async function loadReferencePage({
  deps,
  spec,
  access,
}: {
  deps: { db: TDb; config: { docsDir: string; docsSources: TFolderRules } };
  spec: string;
  access: TReaderAccess;
}): Promise<TReferenceProps | null> {
  const reference = referenceKind();
  if (!reference || !SPEC_NAME.test(spec)) return null;
  const stored = await readPagesUnderPath({ db: deps.db, access, path: reference.specPagePath(spec), kind: reference.kind });
  if (stored[0]?.path !== reference.specPagePath(spec)) return null;
  const page = buildReferenceIndexPage(spec, stored);
  return {
    siteName: readSiteName({ docsDir: deps.config.docsDir }),
    href: `/docs/reference/${spec}`,
    title: page.title,
    description: page.description,
    blocks: page.blocks,
    lastError: page.lastError,
    nav: await referenceNav(deps.db, deps.config.docsDir, deps.config.docsSources, access),
    isAnchorIndex: true,
  };
}

const OPERATION_ID = /^[A-Za-z0-9._~-]{1,200}$/;

/** An operation's page; null when the spec or the operation is not indexed, or the reader may not read its page. */
export async function loadOperationPage({
  deps,
  spec,
  operationId,
  access,
}: {
  deps: { db: TDb; config: { docsDir: string; docsSources: TFolderRules } };
  spec: string;
  operationId: string;
  access: TReaderAccess;
}): Promise<TReferenceProps | null> {
  const reference = referenceKind();
  if (!reference || !SPEC_NAME.test(spec) || !OPERATION_ID.test(operationId)) return null;
  const anchor = reference.operationAnchor(operationId);
  const [stored, specs] = await Promise.all([readPageBySectionAnchor({ db: deps.db, access, path: reference.specPagePath(spec), anchor }), listSpecs(deps.db, access)]);
  if (!stored || stored.kind !== reference.kind) return null;
  const operation = buildOperationPage(spec, stored, anchor);
  if (!operation) return null;
  // The spec's overview page is where a failed read of the spec is recorded.
  const overview = specs.find((page) => page.path === reference.specPagePath(spec));
  const specTitle = overview?.title ?? spec;
  return {
    siteName: readSiteName({ docsDir: deps.config.docsDir }),
    href: operationHref(spec, anchor),
    title: operation.heading,
    description: [specTitle, operation.tag].filter((part) => part !== null && part !== '').join(' › '),
    blocks: operation.blocks,
    lastError: overview?.lastError ?? stored.lastError,
    nav: await referenceNav(deps.db, deps.config.docsDir, deps.config.docsSources, access),
    up: { href: `/docs/reference/${spec}${operation.tag ? `#${tagAnchor(operation.tag)}` : ''}`, title: specTitle },
  };
}

/** The list of the API references the reader may read (`/docs/reference`). */
export async function loadReferenceIndex({ deps, access }: { deps: { db: TDb; config: { docsDir: string; docsSources: TFolderRules } }; access: TReaderAccess }): Promise<TReferenceProps> {
  const specs = await listSpecs(deps.db, access);
  const blocks: TBlockNode[] =
    specs.length === 0
      ? [{ type: 'paragraph', children: text('No API reference is indexed yet: DOCS_OPENAPI names the specs.') }]
      : [{ type: 'list', ordered: false, start: 1, items: specs.map((spec) => [{ type: 'paragraph', children: [{ type: 'link', href: referenceHref(spec.path), children: text(spec.title) }] }]) }];
  return {
    siteName: readSiteName({ docsDir: deps.config.docsDir }),
    href: '/docs/reference',
    title: 'API reference',
    description: '',
    blocks,
    lastError: null,
    nav: await referenceNav(deps.db, deps.config.docsDir, deps.config.docsSources, access),
  };
}

/**
 * A reference page of each kind as the index holds them now, for warming the routes at start (lib/docs/site/warm.ts):
 * the first spec's index page and its first operation's page; none before a spec is indexed.
 */
export async function sampleReferencePages(db: TDb): Promise<string[]> {
  // Warmed as a reader with no identity asks for them: public pages only.
  const [first] = await listSpecs(db, PUBLIC_ACCESS);
  if (!first) return [];
  const spec = referenceHref(first.path).slice('/docs/reference/'.length);
  const reference = referenceKind();
  const stored = reference ? await readPagesUnderPath({ db, access: PUBLIC_ACCESS, path: first.path, kind: reference.kind }) : [];
  const operation = stored.flatMap((page) => page.sections).find((section) => section.anchor.startsWith('operation/'));
  return [referenceHref(first.path), ...(operation ? [operationHref(spec, operation.anchor)] : [])];
}
