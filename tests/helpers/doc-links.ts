import type { Root } from 'mdast';
import { docUrl, getDocPageSlugs, listDocFiles, readDocFile, slugFromPath } from '@/lib/docs/folder/load';
import { SITE_ROUTE_SEGMENTS } from '@/lib/docs/site/links';
import { getMarkdownPage } from '@/lib/docs/agents/markdown';
import { parseMdxTree } from '@/lib/docs/parse/mdx';
import { renderDoc, type TBlockNode, type TInline } from '@/lib/docs/site/render';

// Every page's links, on the page and in its .md twin: where do they land? Counted for content/docs
// (tests/unit/docs-links.test.ts) and for the Paste corpus (tests/corpus/pages.test.ts).

export const LINKS_SITE = 'https://docs.example.test';
const SITE = LINKS_SITE;

function inlineHrefs(nodes: TInline[], out: string[]) {
  for (const node of nodes) {
    if (node.type === 'link') out.push(node.href);
    if ('children' in node) inlineHrefs(node.children, out);
  }
}

export function blockHrefs(blocks: TBlockNode[], out: string[] = []): string[] {
  for (const block of blocks) {
    if (block.type === 'heading' || block.type === 'paragraph') inlineHrefs(block.children, out);
    else if (block.type === 'list') for (const item of block.items) blockHrefs(item, out);
    else if (block.type === 'table') for (const row of block.rows) for (const cell of row) inlineHrefs(cell, out);
    else if (block.type === 'blockquote' || block.type === 'callout' || block.type === 'group') blockHrefs(block.children, out);
  }
  return out;
}

export function markdownHrefs(markdown: string): string[] {
  const out: string[] = [];
  const visit = (node: Root | Root['children'][number]) => {
    if (node.type === 'link') out.push(node.url);
    if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
  };
  visit(parseMdxTree({ source: markdown, path: 'twin.md' }).tree);
  return out;
}

export type TLinkCount = { internal: number; resolved: number; unresolved: string[] };

/** The links of this site among `hrefs`, read on the page at `pageUrl`: which land on a page or a site route. */
export function countLinks({ hrefs, pageUrl, slugs, into }: { hrefs: string[]; pageUrl: string; slugs: ReadonlySet<string>; into: TLinkCount }) {
  const origin = new URL(SITE).origin;
  for (const href of hrefs) {
    const url = new URL(href, pageUrl);
    if (url.origin !== origin) continue;
    into.internal += 1;
    const top = url.pathname.split('/')[1] ?? '';
    const isDocs = url.pathname === '/docs' || url.pathname.startsWith('/docs/');
    const slug = url.pathname.replace(/^\/docs\/?/, '').replace(/\.md$/, '');
    const isResolved = isDocs ? slugs.has(slug) : url.pathname === '/' || SITE_ROUTE_SEGMENTS.has(top);
    if (isResolved) into.resolved += 1;
    else into.unresolved.push(href);
  }
}

/** Every page of `docsDir` rendered with `slugs` as the docs' pages (an empty set: links as written). */
export function countRenderedLinks(docsDir: string, slugs: ReadonlySet<string>): TLinkCount {
  const count: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
  const pages = getDocPageSlugs(docsDir);
  for (const file of listDocFiles(docsDir)) {
    const doc = renderDoc({ source: readDocFile(docsDir, file).source, path: file, pageSlugs: slugs });
    countLinks({ hrefs: blockHrefs(doc.blocks), pageUrl: `${SITE}${docUrl(slugFromPath(file))}`, slugs: pages, into: count });
  }
  return count;
}

export function countTwinLinks(docsDir: string): TLinkCount {
  const count: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
  const pages = getDocPageSlugs(docsDir);
  for (const file of listDocFiles(docsDir)) {
    const page = getMarkdownPage({ docsDir, relativePath: file, siteUrl: SITE });
    countLinks({ hrefs: markdownHrefs(page.markdown), pageUrl: `${SITE}${page.href}`, slugs: pages, into: count });
  }
  return count;
}
