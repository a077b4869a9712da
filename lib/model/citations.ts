import type { Definition, Link, LinkReference, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { citedSourceOf, type TCitedSource } from '../shared/docs';
import { docsCitationHref, threadCitationHref } from '../shared/links';
import type { TTextAnnotation } from '../db/rows';
import type { TInputItem, TPassagesOutput } from './types';

// The model cites docs sections as markdown links; each link to this site's docs becomes a `url_citation`
// annotation over the link's text span ([title](url)), as the Assistants API annotated file citations.
// Links are found with the markdown parser, so a link-like string inside code is not a citation.
// Which links are docs links is decided by the one link policy (lib/shared/links.ts): the URL parser resolves
// the link against the site's URL, and only a same-origin /docs path qualifies ("/\evil.example",
// "/<TAB>/evil.example" or "/docsevil" never do). The annotation carries the normalised path, not the raw text.
// Links elsewhere (another site) stay plain links: a citation says "this answer comes from these docs".
// A GitHub thread (or an approved answer) the run's own search returned is cited as a section is: the link's URL
// must be one the search returned (or its page), never a URL trusted for looking like GitHub. verifyDocsCitations
// then checks each such link, and any link shaped like a thread, against the index: a thread not indexed is
// dropped like an unknown docs page.

/** `source`: what the result's source is when it is not a docs page (lib/shared/docs.ts, citedSourceOf). */
export type TCitationSource = { url: string; title: string; source?: TCitedSource };

/**
 * The sections this run's tool calls returned, by URL, titled as the offline model titles them: the results of every
 * output in the passages envelope (TPassagesOutput), whichever tool returned it (a search, a page read, a /v1
 * client's own search).
 */
export function collectSources(input: TInputItem[]): Map<string, TCitationSource> {
  const sources = new Map<string, TCitationSource>();
  for (const item of input) {
    if (item.type !== 'function_call_output') continue;
    let parsed: TPassagesOutput;
    try {
      parsed = JSON.parse(item.output) as TPassagesOutput;
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
  const threads = knownThreads(sources, siteUrl);
  const annotations: TTextAnnotation[] = [];
  walk(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'linkReference') return;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const url = node.type === 'link' ? (node as Link).url : definitions.get((node as LinkReference).identifier);
    const docsHref = url === undefined ? null : docsCitationHref({ href: url, siteUrl });
    if (docsHref !== null && isDocsSearchHref(docsHref)) return;
    const threadHref = docsHref === null && url !== undefined ? threadCitationHref({ href: url, siteUrl }) : null;
    // A thread's link is a citation only when the run's search returned it (or its page): its URL is data the model wrote.
    const threadPage = threadHref !== null && !threads.has(threadHref) ? pageUrlOf(threadHref) : null;
    const href = docsHref ?? (threadHref !== null && (threads.has(threadHref) || (threadPage !== null && threads.has(threadPage))) ? threadHref : null);
    if (href === null) return;
    const cited = known.get(href) ?? threads.get(href) ?? (threadPage !== null ? threads.get(threadPage) : undefined);
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

/** The kinds of source whose URL is GitHub's, not this site's, and which answers cite as they cite sections. */
const THREAD_KINDS: ReadonlySet<string> = new Set(['thread', 'answer']);

/**
 * The thread sources among the search's results, by their normalised URL and by their page's (the URL without the
 * anchor: a link to a thread cites the thread), titled with the thread's title for the page.
 */
function knownThreads(sources: Map<string, TCitationSource>, siteUrl: string): Map<string, TCitationSource> {
  const threads = new Map<string, TCitationSource>();
  for (const [url, cited] of sources) {
    if (!cited.source || !THREAD_KINDS.has(cited.source.kind)) continue;
    const href = threadCitationHref({ href: url, siteUrl });
    if (href === null) continue;
    if (!threads.has(href)) threads.set(href, { ...cited, url: href });
    const page = pageUrlOf(href);
    if (!threads.has(page)) threads.set(page, { url: page, title: cited.title.split(' › ')[0] || cited.title, source: cited.source });
  }
  return threads;
}

function pageUrlOf(href: string): string {
  const url = new URL(href);
  url.hash = '';
  return url.href;
}

/**
 * A link that names a GitHub thread by its shape (/owner/repo/issues|pull|discussions/N) on github.com or on a host
 * a cited thread is on (GitHub Enterprise): checked against the index whether or not the search returned it, so
 * that a thread the model made up, or remembered, is not shown as if it were a source.
 */
const THREAD_PATH = /^\/[^/]+\/[^/]+\/(issues|pull|discussions)\/\d+\/?$/;

function isThreadShaped(href: string, hosts: ReadonlySet<string>): boolean {
  const url = new URL(href);
  return (url.hostname === 'github.com' || hosts.has(url.hostname)) && THREAD_PATH.test(url.pathname);
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child as Nodes, visit);
}

/** A source file's lines (`L9-L12`, `L11`) within one of its sections' (`L6-L14`): a quote's link opens them there. */
function isWithinLines(anchor: string, pageAnchors: readonly string[]): boolean {
  const lines = /^L(\d+)(?:-L(\d+))?$/.exec(anchor);
  if (!lines) return false;
  const from = Number(lines[1]);
  const to = Number(lines[2] ?? lines[1]);
  return pageAnchors.some((own) => {
    const range = /^L(\d+)(?:-L(\d+))?$/.exec(own);
    return range !== null && Number(range[1]) <= from && to <= Number(range[2] ?? range[1]) && from <= to;
  });
}

/** Looks up the anchors of docs pages by slug in the index ("" is the top of a page); absent: not indexed. */
export type TAnchorResolver = (slugs: string[]) => Promise<Record<string, string[]>>;

/**
 * Checks every docs link of an answer against the index before the answer is stored (and shown): a link to a
 * page that is not indexed becomes its plain text; a link to an indexed page with an anchor the page does not
 * have keeps the page and drops the anchor. Then the answer's citations are re-derived from the checked text.
 * The same goes for links to GitHub threads: one the answer cites, or one shaped like a thread (isThreadShaped), is
 * looked up by its page URL (a thread's slug is its html_url); not indexed, it becomes its plain text.
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
  // Hosts of the threads this answer cites (GitHub Enterprise's included): links there shaped like threads are checked.
  const citedThreads = annotations.filter((annotation) => annotation.source && THREAD_KINDS.has(annotation.source.kind));
  const threadHosts = new Set(citedThreads.map((annotation) => safeHost(annotation.url)).filter((host): host is string => host !== null));
  const citedThreadPages = new Set(citedThreads.map((annotation) => safePage(annotation.url)).filter((page): page is string => page !== null));
  type TFound = { start: number; end: number; label: string; slug: string; anchor: string; path: string };
  const found: TFound[] = [];
  walk(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'linkReference') return;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    const url = node.type === 'link' ? (node as Link).url : definitions.get((node as LinkReference).identifier);
    if (start === undefined || end === undefined || url === undefined) return;
    const href = docsCitationHref({ href: url, siteUrl });
    if (href === null) {
      // A thread's page is indexed under its URL (docs_page.slug is the thread's html_url).
      const threadHref = threadCitationHref({ href: url, siteUrl });
      if (threadHref === null) return;
      const page = pageUrlOf(threadHref);
      if (!citedThreadPages.has(page) && !isThreadShaped(threadHref, threadHosts)) return;
      found.push({ start, end, label: toString(node) || threadHref, slug: page, anchor: safeDecode(new URL(threadHref).hash.replace(/^#/, '')), path: page });
      return;
    }
    if (isDocsSearchHref(href)) return;
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
  const edits: { start: number; end: number; delta: number }[] = [];
  // From the end, so that earlier offsets stay valid.
  for (const link of [...found].sort((a, b) => b.start - a.start)) {
    // Own keys only: the slug is the model's (`/docs/constructor`), the object JSON from the database.
    const pageAnchors = Object.hasOwn(anchors, link.slug) ? anchors[link.slug] : undefined;
    let replacement: string | null = null;
    if (!pageAnchors) {
      replacement = escapeMarkdownText(link.label);
      dropped += 1;
    } else if (link.anchor !== '' && !pageAnchors.includes(link.anchor) && !isWithinLines(link.anchor, pageAnchors)) {
      replacement = `[${escapeLinkLabel(link.label)}](${link.path})`;
      repaired += 1;
    }
    if (replacement !== null) {
      checked = checked.slice(0, link.start) + replacement + checked.slice(link.end);
      edits.push({ start: link.start, end: link.end, delta: replacement.length - (link.end - link.start) });
    }
  }
  if (dropped === 0 && repaired === 0) return { text, annotations, dropped, repaired };
  const titles = new Map<string, TCitationSource>();
  for (const annotation of annotations) {
    if (annotation.type === 'url_citation' && !titles.has(annotation.url)) {
      titles.set(annotation.url, { url: annotation.url, title: annotation.title, ...(annotation.source ? { source: annotation.source } : {}) });
    }
  }
  // Citations that are not links (the offline model cites a section by its bold name) are kept, moved by the edits
  // before them; the links' citations are derived again from the checked text.
  const linkSpans = new Set(extractCitations({ text, sources: titles, siteUrl }).map((annotation) => `${annotation.start_index}:${annotation.end_index}`));
  const named = annotations.flatMap((annotation) => {
    if (linkSpans.has(`${annotation.start_index}:${annotation.end_index}`)) return [];
    if (edits.some((edit) => edit.start < annotation.end_index && annotation.start_index < edit.end)) return [];
    const shift = edits.filter((edit) => edit.end <= annotation.start_index).reduce((sum, edit) => sum + edit.delta, 0);
    return [{ ...annotation, start_index: annotation.start_index + shift, end_index: annotation.end_index + shift }];
  });
  const linked = extractCitations({ text: checked, sources: titles, siteUrl });
  return { text: checked, annotations: [...named, ...linked].sort((a, b) => a.start_index - b.start_index), dropped, repaired };
}

function safeHost(href: string): string | null {
  try {
    return new URL(href).hostname;
  } catch {
    return null;
  }
}

function safePage(href: string): string | null {
  try {
    return pageUrlOf(href);
  } catch {
    return null;
  }
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
