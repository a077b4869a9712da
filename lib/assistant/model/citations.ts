import type { Definition, Link, LinkReference, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { TTextAnnotation } from '../../db/rows';
import type { TDocsToolOutput } from '../tools';
import type { TInputItem } from './types';

// The model cites docs sections as markdown links; each link to this site's docs becomes a `url_citation`
// annotation over the link's text span ([title](url)), as the Assistants API annotated file citations.
// Links are found with the markdown parser, so a link-like string inside code is not a citation.
// Links elsewhere (another site) stay plain links: a citation says "this answer comes from these docs".

export type TCitationSource = { url: string; title: string };

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
      sources.set(result.url, { url: result.url, title: title || result.url });
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
  const annotations: TTextAnnotation[] = [];
  walk(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'linkReference') return;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const url = node.type === 'link' ? (node as Link).url : definitions.get((node as LinkReference).identifier);
    if (!url || !isSiteUrl(url, sources, siteUrl)) return;
    const known = sources.get(url) ?? sources.get(toRelative(url, siteUrl));
    annotations.push({ type: 'url_citation', url, title: known?.title ?? (toString(node) || url), start_index: start, end_index: end });
  });
  return annotations;
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child as Nodes, visit);
}

function isSiteUrl(url: string, sources: Map<string, TCitationSource>, siteUrl: string): boolean {
  if (sources.has(url)) return true;
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  return url === siteUrl || url.startsWith(`${siteUrl}/`) || url.startsWith(`${siteUrl}#`);
}

function toRelative(url: string, siteUrl: string): string {
  return url.startsWith(siteUrl) ? url.slice(siteUrl.length) || '/' : url;
}
