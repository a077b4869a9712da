import type { Definition, Link, LinkReference, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { citedSourceOf, type TCitedSource } from '../shared/docs';
import { docsCitationHref } from '../shared/links';
import type { TTextAnnotation } from '../db/rows';
import type { TDocsToolOutput, TInputItem } from './types';

// The model cites docs sections as markdown links; each link to this site's docs becomes a `url_citation`
// annotation over the link's text span ([title](url)), as the Assistants API annotated file citations.
// Links are found with the markdown parser, so a link-like string inside code is not a citation.
// Which links are docs links is decided by the one link policy (lib/shared/links.ts): the URL parser resolves
// the link against the site's URL, and only a same-origin /docs path qualifies ("/\evil.example",
// "/<TAB>/evil.example" or "/docsevil" never do). The annotation carries the normalised path, not the raw text.
// Links elsewhere (another site) stay plain links: a citation says "this answer comes from these docs".

/** `source`: what the result's source is when it is not a docs page (lib/shared/docs.ts, citedSourceOf). */
export type TCitationSource = { url: string; title: string; source?: TCitedSource };

/** The sections this run's tool calls returned, by URL, titled as the offline model titles them. */
export function collectSources(input: TInputItem[]): Map<string, TCitationSource> {
  const sources = new Map<string, TCitationSource>();
  for (const item of input) {
    if (item.type !== 'function_call_output') continue;
    let parsed: TDocsToolOutput;
    try {
      parsed = JSON.parse(item.output) as TDocsToolOutput;
    } catch {
      continue;
    }
    if (!('results' in parsed) || !Array.isArray(parsed.results)) continue;
    for (const result of parsed.results) {
      if (typeof result?.url !== 'string' || sources.has(result.url)) continue;
      const title = result.heading && result.heading !== result.title ? `${result.title} › ${result.heading}` : result.title;
      const source = citedSourceOf(result);
      sources.set(result.url, { url: result.url, title: title || result.url, ...(source ? { source } : {}) });
    }
  }
  return sources;
}

export function extractCitations({
  text,
  sources,
  siteUrl,
}: {
  text: string;
  sources: Map<string, TCitationSource>;
  siteUrl: string;
}): TTextAnnotation[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
  const definitions = new Map<string, string>();
  walk(tree, (node) => {
    if (node.type === 'definition') definitions.set((node as Definition).identifier, (node as Definition).url);
  });
  // Tool results are looked up by their normalised path too, so that "/docs/a#b" and "/docs/a/../a#b" agree.
  const known = new Map<string, TCitationSource>();
  for (const [url, source] of sources) {
    const href = docsCitationHref({ href: url, siteUrl });
    if (href !== null && !known.has(href)) known.set(href, source);
  }
  const annotations: TTextAnnotation[] = [];
  walk(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'linkReference') return;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const url = node.type === 'link' ? (node as Link).url : definitions.get((node as LinkReference).identifier);
    const href = url === undefined ? null : docsCitationHref({ href: url, siteUrl });
    if (href === null || isDocsSearchHref(href)) return;
    const cited = known.get(href);
    annotations.push({
      type: 'url_citation',
      url: href,
      title: cited?.title ?? (toString(node) || href),
      start_index: start,
      end_index: end,
      ...(cited?.source ? { source: cited.source } : {}),
    });
  });
  return annotations;
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child as Nodes, visit);
}

/** Looks up the anchors of docs pages by slug in the index ("" is the top of a page); absent: not indexed. */
export type TAnchorResolver = (slugs: string[]) => Promise<Record<string, string[]>>;

/**
 * Checks every docs link of an answer against the index before the answer is stored (and shown): a link to a
 * page that is not indexed becomes its plain text; a link to an indexed page with an anchor the page does not
 * have keeps the page and drops the anchor. Then the answer's citations are re-derived from the checked text.
 * Links elsewhere are left to the link policy (lib/shared/links.ts), as before.
 */
export async function verifyDocsCitations({
  text,
  annotations,
  siteUrl,
  resolveAnchors,
}: {
  text: string;
  annotations: TTextAnnotation[];
  siteUrl: string;
  resolveAnchors: TAnchorResolver;
}): Promise<{ text: string; annotations: TTextAnnotation[]; dropped: number; repaired: number }> {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
  const definitions = new Map<string, string>();
  walk(tree, (node) => {
    if (node.type === 'definition') definitions.set((node as Definition).identifier, (node as Definition).url);
  });
  type TFound = { start: number; end: number; label: string; slug: string; anchor: string; path: string };
  const found: TFound[] = [];
  walk(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'linkReference') return;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    const url = node.type === 'link' ? (node as Link).url : definitions.get((node as LinkReference).identifier);
    const href = url === undefined ? null : docsCitationHref({ href: url, siteUrl });
    if (start === undefined || end === undefined || href === null || isDocsSearchHref(href)) return;
    const parsed = new URL(href, 'http://docs.invalid');
    const path = parsed.pathname.replace(/\/+$/, '');
    found.push({
      start,
      end,
      label: toString(node) || href,
      slug: safeDecode(path.replace(/^\/docs\/?/, '')),
      anchor: safeDecode(parsed.hash.replace(/^#/, '')),
      path: path === '' ? '/docs' : path,
    });
  });
  if (found.length === 0) return { text, annotations, dropped: 0, repaired: 0 };
  const anchors = await resolveAnchors([...new Set(found.map((link) => link.slug))]);
  let checked = text;
  let dropped = 0;
  let repaired = 0;
  // From the end, so that earlier offsets stay valid.
  for (const link of [...found].sort((a, b) => b.start - a.start)) {
    // Own keys only: the slug is the model's (`/docs/constructor`), the object JSON from the database.
    const pageAnchors = Object.hasOwn(anchors, link.slug) ? anchors[link.slug] : undefined;
    let replacement: string | null = null;
    if (!pageAnchors) {
      replacement = escapeMarkdownText(link.label);
      dropped += 1;
    } else if (link.anchor !== '' && !pageAnchors.includes(link.anchor)) {
      replacement = `[${escapeLinkLabel(link.label)}](${link.path})`;
      repaired += 1;
    }
    if (replacement !== null) checked = checked.slice(0, link.start) + replacement + checked.slice(link.end);
  }
  if (dropped === 0 && repaired === 0) return { text, annotations, dropped, repaired };
  const titles = new Map<string, TCitationSource>();
  for (const annotation of annotations) {
    if (annotation.type === 'url_citation' && !titles.has(annotation.url)) {
      titles.set(annotation.url, { url: annotation.url, title: annotation.title, ...(annotation.source ? { source: annotation.source } : {}) });
    }
  }
  return { text: checked, annotations: extractCitations({ text: checked, sources: titles, siteUrl }), dropped, repaired };
}

/** A link to the docs with a search filled in ("/docs?q=…"): a way to search, not a source. */
export function isDocsSearchHref(href: string): boolean {
  const url = new URL(href, 'http://docs.invalid');
  return url.pathname.replace(/\/+$/, '') === '/docs' && url.searchParams.has('q') && url.hash === '';
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function escapeLinkLabel(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}

/** Plain text that markdown will not read as a link or emphasis again. */
function escapeMarkdownText(text: string): string {
  return text.replace(/[[\]*_`<>]/g, '\\$&');
}
