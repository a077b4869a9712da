import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { docUrl, getDocPageSlugs, listDocFiles, readDocFile, slugFromPath } from '@/lib/docs/load';
import { resolveDocHref, SITE_ROUTE_SEGMENTS } from '@/lib/docs/links';
import { getLlmsFullTxt } from '@/lib/docs/llms';
import { getMarkdownPage } from '@/lib/docs/markdown';
import { parseMdxTree } from '@/lib/docs/mdx';
import { renderDoc, type TBlockNode, type TInline } from '@/lib/docs/render';
import { hasPasteCorpus, PASTE_CORPUS_DIR } from '../helpers/corpus';

const SITE = 'https://docs.example.test';
const CONTENT_DOCS = path.resolve(import.meta.dirname, '../../content/docs');
const PAGES_DIR = path.resolve(import.meta.dirname, '../../pages');
const PUBLIC_DIR = path.resolve(import.meta.dirname, '../../public');
const NEXT_CONFIG = path.resolve(import.meta.dirname, '../../next.config.mjs');

const pageSlugs = new Set(['', 'components/select', 'components/select/api', 'components/button', 'components/popover', 'assistant', 'guides/setup']);
const resolve = (href: string, pagePath = 'components/select/index.mdx') => resolveDocHref({ href, pagePath, pageSlugs });

describe('resolveDocHref: a docs page link as this site serves it', () => {
  it('points a root-relative link that names a page of the docs at /docs, keeping its anchor and query', () => {
    expect(resolve('/components/button')).toBe('/docs/components/button');
    expect(resolve('/components/select#props')).toBe('/docs/components/select#props');
    expect(resolve('/components/select/api?tab=props#size')).toBe('/docs/components/select/api?tab=props#size');
    expect(resolve('/components/button/')).toBe('/docs/components/button');
  });

  it('leaves a root-relative link that names no page as written (no guessing)', () => {
    expect(resolve('/components/form')).toBe('/components/form');
    expect(resolve('/components/form#errors')).toBe('/components/form#errors');
    expect(resolve('/Components/Button')).toBe('/Components/Button');
    expect(resolve('/')).toBe('/');
  });

  it('leaves /docs links, the site’s own routes, absolute URLs and other schemes alone', () => {
    for (const href of [
      '/docs/components/button',
      '/docs/components/nope',
      '/docs',
      '/docs/components/button.md',
      '/api/health',
      '/assistant',
      '/maintainers',
      '/mcp',
      '/llms.txt',
      '/llms-full.txt',
      '/v1/threads',
      'https://paste.twilio.design/components/button',
      'http://example.com/components/button',
      '//cdn.example.com/components/button',
      'mailto:paste@twilio.com',
      'tel:+15555550100',
      '#props',
      '?tab=1',
      '',
    ]) {
      expect(resolve(href), href).toBe(href);
    }
  });

  it('resolves relative links against the page’s file where its URL would miss the page', () => {
    // components/select/index.mdx is served at /docs/components/select: a browser reads `./api` as
    // /docs/components/api, the file beside it is components/select/api.mdx.
    expect(resolve('./api')).toBe('/docs/components/select/api');
    expect(resolve('api#size')).toBe('/docs/components/select/api#size');
    expect(resolve('../button')).toBe('/docs/components/button');
    // The docs index is served at /docs: a browser reads `guides/setup` as /guides/setup.
    expect(resolve('guides/setup', 'index.mdx')).toBe('/docs/guides/setup');
    // Written without its leading slash on a page of another folder.
    expect(resolve('components/popover', 'blog/2023-04-13-newsletter.mdx')).toBe('/docs/components/popover');
  });

  it('leaves a relative link as written when the browser already reads it as a page, or when it names none', () => {
    // components/select/api.mdx is served at /docs/components/select/api: `../button` is /docs/components/button.
    expect(resolve('../button#a', 'components/select/api.mdx')).toBe('../button#a');
    expect(resolve('./select', 'components/button/index.mdx')).toBe('./select');
    expect(resolve('../nope')).toBe('../nope');
    expect(resolve('./nope#x')).toBe('./nope#x');
    expect(resolve('../../../../etc/passwd')).toBe('../../../../etc/passwd');
  });
});

describe('JSX link components in a page', () => {
  it('render as links, resolved like markdown links, whether inline or alone on their line', () => {
    const source = [
      '# Select',
      '',
      'Pair it with a <Anchor href="/components/button">Button</Anchor> or <a href="https://example.com/x">this</a>.',
      '',
      '<Anchor href="/guides/setup#start">Set it up</Anchor>',
      '',
      '<Box href="/components/button">A box is not a link</Box>',
    ].join('\n');
    const doc = renderDoc({ source, path: 'components/select/index.mdx', pageSlugs });
    expect(blockHrefs(doc.blocks)).toEqual(['/docs/components/button', 'https://example.com/x', '/docs/guides/setup#start']);
    expect(JSON.stringify(doc.blocks)).toContain('A box is not a link');
  });
});

describe('the site routes a docs link is never pointed away from', () => {
  it('are every top-level page, public file and rewrite of the site', async () => {
    const pageTops = readdirSync(PAGES_DIR)
      .map((name) => name.replace(/\.tsx?$/, ''))
      .filter((name) => !name.startsWith('_') && name !== 'index');
    const { default: nextConfig } = (await import(/* @vite-ignore */ NEXT_CONFIG)) as { default: { rewrites: () => Promise<{ source: string }[]> } };
    const rewrites = await nextConfig.rewrites();
    const rewriteTops = rewrites.map((rewrite) => rewrite.source.split('/')[1] ?? '');
    const tops = [...new Set([...pageTops, ...readdirSync(PUBLIC_DIR), ...rewriteTops])].filter((top) => !SITE_ROUTE_SEGMENTS.has(top));
    expect(tops).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every page's links, on the page and in its .md twin: where do they land?

function inlineHrefs(nodes: TInline[], out: string[]) {
  for (const node of nodes) {
    if (node.type === 'link') out.push(node.href);
    if ('children' in node) inlineHrefs(node.children, out);
  }
}

function blockHrefs(blocks: TBlockNode[], out: string[] = []): string[] {
  for (const block of blocks) {
    if (block.type === 'heading' || block.type === 'paragraph') inlineHrefs(block.children, out);
    else if (block.type === 'list') for (const item of block.items) blockHrefs(item, out);
    else if (block.type === 'table') for (const row of block.rows) for (const cell of row) inlineHrefs(cell, out);
    else if (block.type === 'blockquote' || block.type === 'callout' || block.type === 'group') blockHrefs(block.children, out);
  }
  return out;
}

function markdownHrefs(markdown: string): string[] {
  const out: string[] = [];
  const visit = (node: Root | Root['children'][number]) => {
    if (node.type === 'link') out.push(node.url);
    if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
  };
  visit(parseMdxTree({ source: markdown, path: 'twin.md' }).tree);
  return out;
}

type TLinkCount = { internal: number; resolved: number; unresolved: string[] };

/** The links of this site among `hrefs`, read on the page at `pageUrl`: which land on a page or a site route. */
function countLinks({ hrefs, pageUrl, slugs, into }: { hrefs: string[]; pageUrl: string; slugs: ReadonlySet<string>; into: TLinkCount }) {
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
function countRenderedLinks(docsDir: string, slugs: ReadonlySet<string>): TLinkCount {
  const count: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
  const pages = getDocPageSlugs(docsDir);
  for (const file of listDocFiles(docsDir)) {
    const doc = renderDoc({ source: readDocFile(docsDir, file).source, path: file, pageSlugs: slugs });
    countLinks({ hrefs: blockHrefs(doc.blocks), pageUrl: `${SITE}${docUrl(slugFromPath(file))}`, slugs: pages, into: count });
  }
  return count;
}

function countTwinLinks(docsDir: string): TLinkCount {
  const count: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
  const pages = getDocPageSlugs(docsDir);
  for (const file of listDocFiles(docsDir)) {
    const page = getMarkdownPage({ docsDir, relativePath: file, siteUrl: SITE });
    countLinks({ hrefs: markdownHrefs(page.markdown), pageUrl: `${SITE}${page.href}`, slugs: pages, into: count });
  }
  return count;
}

describe('content/docs: every link lands on a page or a site route', () => {
  it('on the pages, in their twins and in llms-full.txt', () => {
    const slugs = getDocPageSlugs(CONTENT_DOCS);
    const rendered = countRenderedLinks(CONTENT_DOCS, slugs);
    expect(rendered.internal).toBeGreaterThan(30);
    expect(rendered.unresolved).toEqual([]);
    // They were written as /docs links: resolving them changes nothing.
    expect(countRenderedLinks(CONTENT_DOCS, new Set())).toEqual(rendered);
    const twins = countTwinLinks(CONTENT_DOCS);
    expect(twins).toMatchObject({ internal: rendered.internal, unresolved: [] });
  });
});

// Skipped only where ../shared is absent, outside CI (tests/helpers/corpus.ts fails CI instead).
describe.skipIf(!hasPasteCorpus)('the Paste corpus: links written for a site at the root', () => {
  // The corpus links to two pages it does not have (Paste's site serves them elsewhere): left as written.
  const MISSING = ['/components/form', '/patterns/navigation'];
  const pathOf = (href: string) => new URL(href, SITE).pathname;

  it('land on a page or a site route, on every page, except links to pages the corpus does not have', () => {
    const slugs = getDocPageSlugs(PASTE_CORPUS_DIR);
    for (const missing of MISSING) expect(slugs.has(missing.slice(1))).toBe(false);
    const asWritten = countRenderedLinks(PASTE_CORPUS_DIR, new Set());
    const rendered = countRenderedLinks(PASTE_CORPUS_DIR, slugs);
    console.log(`Paste corpus, links of this site on its pages: ${asWritten.internal}; resolving as written ${asWritten.resolved}, as rendered ${rendered.resolved}`);
    expect(asWritten.internal - asWritten.resolved).toBeGreaterThan(900);
    expect(rendered.internal).toBe(asWritten.internal);
    expect([...new Set(rendered.unresolved.map(pathOf))].sort()).toEqual(MISSING);
    expect(rendered.resolved).toBe(rendered.internal - rendered.unresolved.length);
    expect(rendered.resolved).toBeGreaterThan(1000);
  }, 120_000);

  it('land there in every page’s .md twin and in llms-full.txt too', () => {
    const twins = countTwinLinks(PASTE_CORPUS_DIR);
    expect(twins.internal).toBeGreaterThan(1000);
    expect([...new Set(twins.unresolved.map(pathOf))].sort()).toEqual(MISSING);
    const full: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
    const text = getLlmsFullTxt({ docsDir: PASTE_CORPUS_DIR, siteUrl: SITE }).text;
    countLinks({ hrefs: markdownHrefs(text), pageUrl: SITE, slugs: getDocPageSlugs(PASTE_CORPUS_DIR), into: full });
    expect(text).toContain(`](${SITE}/docs/components/select)`);
    expect(full.internal).toBeGreaterThan(1000);
    expect([...new Set(full.unresolved.map(pathOf))].sort()).toEqual(MISSING);
  }, 240_000);
});
