import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { BlockContent, Heading, List, ListItem, PhrasingContent, Root, RootContent, Table, TableCell } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { TBlockNode, TInline } from '../../shared/docs';
import type { TDocPageSlugs } from '../site/links';
import { docUrl, getDocPageSlugs, listDocFiles, readDocFile, slugFromPath } from '../folder/load';
import { renderDoc } from '../site/render';

// A docs page as plain markdown, for agents and language models: `<page url>.md`, /llms-full.txt and the MCP
// server's get_page. It is written from the same tree the HTML page renders (lib/docs/site/render.ts), so the twin
// has the page's headings, prose, lists, tables, callouts and code — including the code of JSX examples —
// and nothing the page does not show: no imports, exports, front matter or layout JSX. Serialised by the
// remark toolchain (mdast-util-to-markdown), which escapes what would otherwise read as markup.

export type TMarkdownOptions = {
  /** The page's absolute URL: relative links in the page are resolved against it, so they work out of context. */
  pageUrl: string;
};

const CALLOUT_LABELS: Record<string, string> = { warning: 'Warning', error: 'Error', success: 'Success', new: 'New', neutral: 'Note' };

/** The page's markdown: `# title`, the description as a quote, then the body. Throws DocParseError like renderDoc. */
export function docToMarkdown({
  source,
  path: relativePath,
  pageUrl,
  pageSlugs,
}: { source: string; path: string; pageSlugs: TDocPageSlugs } & TMarkdownOptions): string {
  const doc = renderDoc({ source, path: relativePath, pageSlugs });
  return blocksToMarkdown({ title: doc.title, description: doc.description, blocks: doc.blocks, pageUrl });
}

export function blocksToMarkdown({
  title,
  description,
  blocks,
  pageUrl,
}: { title: string; description: string; blocks: TBlockNode[] } & TMarkdownOptions): string {
  const children: RootContent[] = [{ type: 'heading', depth: 1, children: [{ type: 'text', value: title }] }];
  if (description) children.push({ type: 'blockquote', children: [{ type: 'paragraph', children: [{ type: 'text', value: description }] }] });
  children.push(...toFlow(blocks, pageUrl));
  const root: Root = { type: 'root', children };
  return toMarkdown(root, {
    extensions: [gfmToMarkdown()],
    bullet: '-',
    emphasis: '_',
    strong: '*',
    fence: '`',
    fences: true,
    listItemIndent: 'one',
    rule: '-',
    tightDefinitions: true,
  });
}

function toFlow(blocks: TBlockNode[], pageUrl: string): RootContent[] {
  return blocks.flatMap((block): RootContent[] => {
    switch (block.type) {
      case 'heading':
        return [{ type: 'heading', depth: clampDepth(block.depth), children: toPhrasing(block.children, pageUrl) } satisfies Heading];
      case 'paragraph':
        return [{ type: 'paragraph', children: toPhrasing(block.children, pageUrl) }];
      case 'code':
        return [{ type: 'code', lang: block.lang || null, value: block.value }];
      case 'list':
        return [
          {
            type: 'list',
            ordered: block.ordered,
            start: block.ordered ? block.start : null,
            spread: false,
            children: block.items.map((item): ListItem => ({ type: 'listItem', spread: false, children: toFlow(item, pageUrl) as BlockContent[] })),
          } satisfies List,
        ];
      case 'table': {
        const width = Math.max(0, ...block.rows.map((row) => row.length));
        if (width === 0) return [];
        return [
          {
            type: 'table',
            align: Array.from({ length: width }, (_, index) => block.align[index] ?? null),
            children: block.rows.map((row) => ({
              type: 'tableRow',
              children: Array.from({ length: width }, (_, index): TableCell => ({ type: 'tableCell', children: toPhrasing(row[index] ?? [], pageUrl) })),
            })),
          } satisfies Table,
        ];
      }
      case 'blockquote':
        return [{ type: 'blockquote', children: toFlow(block.children, pageUrl) as BlockContent[] }];
      case 'callout': {
        // A callout reads as a quote that opens with its title (or its kind, when it has none).
        const label = block.title || (block.variant === 'neutral' ? '' : (CALLOUT_LABELS[block.variant] ?? ''));
        const lead: BlockContent[] = label ? [{ type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', value: label }] }] }] : [];
        return [{ type: 'blockquote', children: [...lead, ...(toFlow(block.children, pageUrl) as BlockContent[])] }];
      }
      case 'group':
        return toFlow(block.children, pageUrl);
      case 'rule':
        return [{ type: 'thematicBreak' }];
      default:
        return [];
    }
  });
}

function toPhrasing(nodes: TInline[], pageUrl: string): PhrasingContent[] {
  return nodes.map((node): PhrasingContent => {
    switch (node.type) {
      case 'text':
        return { type: 'text', value: node.value };
      case 'code':
        return { type: 'inlineCode', value: node.value };
      case 'strong':
      case 'emphasis':
      case 'delete':
        return { type: node.type, children: toPhrasing(node.children, pageUrl) };
      case 'link':
        return { type: 'link', url: absoluteHref(node.href, pageUrl), children: toPhrasing(node.children, pageUrl) };
      case 'break':
        return { type: 'break' };
    }
  });
}

function clampDepth(depth: number): 1 | 2 | 3 | 4 | 5 | 6 {
  return Math.min(6, Math.max(1, Math.round(depth))) as 1 | 2 | 3 | 4 | 5 | 6;
}

/** A link of the page, resolved against its URL: `/docs/x`, `../x` and `#anchor` become absolute; others stay. */
export function absoluteHref(href: string, pageUrl: string): string {
  if (href.trim() === '') return href;
  try {
    const url = new URL(href, pageUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : href;
  } catch {
    return href;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The docs as markdown, by page. Each page's markdown is computed once and kept until its file changes (its
// modification time or size) or the docs' list of pages does (a link may name a page that was added or removed);
// the list of pages follows DOCS_DIR as it is now, as the index does.

export type TMarkdownPage = {
  /** Relative to DOCS_DIR, e.g. `guides/slack.mdx`. */
  path: string;
  slug: string;
  /** `/docs/<slug>`. */
  href: string;
  title: string;
  description: string;
  markdown: string;
  /** Set when the page did not parse: the markdown then says so and carries the page's source. */
  parseError: string | null;
};

type TCached = { stamp: string; pageSlugs: TDocPageSlugs; page: TMarkdownPage };
const pageCache = new Map<string, TCached>();

function fileStamp(docsDir: string, relativePath: string): string {
  const stats = statSync(path.join(docsDir, relativePath));
  return `${stats.mtimeMs}:${stats.size}`;
}

/** The docs' pages as a fingerprint: changes when a page is added, removed or edited. */
export function docsFingerprint(docsDir: string): string {
  const hash = createHash('sha256');
  for (const file of listDocFiles(docsDir)) hash.update(`${file}\u0000${fileStamp(docsDir, file)}\u0000`);
  return hash.digest('hex').slice(0, 32);
}

/** The page at `slug` (`''` is the docs index), or null when DOCS_DIR has none. */
export function findDocPath(docsDir: string, slug: string): string | null {
  return listDocFiles(docsDir).find((file) => slugFromPath(file) === slug) ?? null;
}

/** `pageSlugs`: the folder's pages when the caller has them already (`getDocPageSlugs`), as for llms-full.txt. */
export function getMarkdownPage({
  docsDir,
  relativePath,
  siteUrl,
  pageSlugs = getDocPageSlugs(docsDir),
}: {
  docsDir: string;
  relativePath: string;
  siteUrl: string;
  pageSlugs?: TDocPageSlugs;
}): TMarkdownPage {
  const key = `${docsDir}\u0000${siteUrl}\u0000${relativePath}`;
  const stamp = fileStamp(docsDir, relativePath);
  const cached = pageCache.get(key);
  if (cached && cached.stamp === stamp && cached.pageSlugs === pageSlugs) return cached.page;

  const file = readDocFile(docsDir, relativePath);
  const href = docUrl(file.slug);
  const pageUrl = `${siteUrl}${href}`;
  let page: TMarkdownPage;
  try {
    const doc = renderDoc({ source: file.source, path: relativePath, pageSlugs });
    page = {
      path: relativePath,
      slug: file.slug,
      href,
      title: doc.title,
      description: doc.description,
      markdown: blocksToMarkdown({ title: doc.title, description: doc.description, blocks: doc.blocks, pageUrl }),
      parseError: null,
    };
  } catch (error) {
    // As on the HTML page: a page that does not parse is still served, saying so, with its source as it is.
    const reason = error instanceof Error ? error.message : String(error);
    const title = humanTitle(file.slug);
    const note: TBlockNode[] = [
      { type: 'callout', variant: 'error', title: 'This page could not be read', children: [{ type: 'paragraph', children: [{ type: 'text', value: reason }] }] },
      { type: 'code', lang: /\.mdx$/i.test(relativePath) ? 'mdx' : 'md', value: file.source },
    ];
    page = { path: relativePath, slug: file.slug, href, title, description: '', markdown: blocksToMarkdown({ title, description: '', blocks: note, pageUrl }), parseError: reason };
  }
  pageCache.set(key, { stamp, pageSlugs, page });
  return page;
}

function humanTitle(slug: string): string {
  const last = slug.split('/').pop() ?? '';
  return last ? last.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase()) : 'Docs';
}

/** A strong ETag for a text. */
export function etagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/** The absolute URL of a page's markdown twin: `/docs` → `/docs.md`, `/docs/a/b` → `/docs/a/b.md`. */
export function markdownUrl(siteUrl: string, href: string): string {
  return `${siteUrl}${href}.md`;
}
