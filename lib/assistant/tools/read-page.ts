import { z } from 'zod';
import type { TReaderAccess } from '../../audiences';
import type { TStoredSection } from '../../db/docs-index';
import type { TDb } from '../../db/types';
import { docUrl } from '../../docs/folder/load';
import { readPageSections, readVisibleIndex, type TVisibleIndex } from '../../docs/gate';
import { resultSource } from '../../docs/search/kinds';
import { MAX_TOOL_OUTPUT_CHARS } from '../../model/context';
import type { TPassage, TPassagesOutput, TToolDefinition } from '../../model/types';
import type { TPageMeta } from '../../shared/docs';
import { classifyLink } from '../../shared/links';
import { defineTool, type TTool } from './tool';

// read_page: one page of this site read whole (a docs page, an API reference page or operation, an approved answer),
// or one section of it and its subsections, by its URL or path. It reads through the read gate (lib/docs/gate) with
// the caller's access: a page they may not read is answered as a missing one, by the same steps and the same words.
// Its output is the passages envelope (lib/model/types.ts), one passage per section in the page's order, so that an
// answer cites the sections it read as it cites a search's; it is bounded (READ_PAGE_TEXT_CHARS of the page's text,
// and never more than the context keeps of a tool output), and a page cut short says so (`truncated`, `note`) and
// lists the sections left out by their URLs, each of which this tool reads. It declares the role 'read': the
// offline model reads the top pages through it in a research run (lib/model/offline/research.ts), never in a quick
// answer.

export const READ_PAGE = 'read_page';

/** What one call returns at most of a page's text: its sections' text, in order, the last one cut (ending "…"). */
export const READ_PAGE_TEXT_CHARS = 6_000;
/** The whole output at most: what the model's context keeps of a tool output (lib/model/context.ts), never cut again. */
const READ_PAGE_OUTPUT_CHARS = MAX_TOOL_OUTPUT_CHARS;
/** A section cut to less than this is left out whole instead. */
const MIN_CUT_CHARS = 200;
/** The sections left out are listed by their URLs, up to this many. */
const UNREAD_LISTED = 10;

/** `siteUrl`: the site's URL, whose absolute URLs are this site's pages; absent, only paths ("/docs/…") are read. */
export type TReadPageDeps = { db: TDb; siteUrl?: string };

const ZReadPageArgs = z.object({ url: z.string().trim().min(1).max(2048) });

export const READ_PAGE_DEFINITION: TToolDefinition = {
  type: 'function',
  name: READ_PAGE,
  description:
    'Read one page of this site whole: a docs page, an API reference page or an approved answer, by its URL (as a ' +
    'search result gives it) or path, such as "/docs/guides/slack", or one section of it and its subsections, such as ' +
    '"/docs/guides/slack#setup". Returns the page\'s sections in order with their title, URL and content, up to ' +
    `${READ_PAGE_TEXT_CHARS.toLocaleString('en-US')} characters of text; a longer page is cut ("truncated": true) and ` +
    'lists the sections left out, each readable by its URL. Use it when a search result is cut short or the answer ' +
    'needs the whole page; cite the sections you use by their URLs.',
  parameters: {
    type: 'object',
    properties: {
      url: { type: 'string', description: 'The page\'s URL or path on this site, with "#section" to read one section.' },
    },
    required: ['url'],
    additionalProperties: false,
  },
  declares: { output: 'passages', role: 'read' },
};

/** What read_page returns: the page's URL and title, its sections as passages, and what was left out. */
export type TReadPageOutput = Extract<TPassagesOutput, { results: TPassage[] }> & {
  url: string;
  title: string;
  /** The sections left out (the first UNREAD_LISTED), each readable by its URL. */
  unread?: { heading: string; url: string }[];
};

/** What a page this site does not have, or one the caller may not read, answers: the same, whichever it is. */
export function pageNotFoundOutput(url: string): string {
  const shown = url.length > 200 ? `${url.slice(0, 200)}…` : url;
  return JSON.stringify({
    error:
      `No page at ${JSON.stringify(shown)}. Give the URL or path of a page of this site, as a search result gives it ` +
      '(such as "/docs/guides/slack", "/docs/guides/slack#setup" or "/docs/answers/3"); search the docs to find one.',
  } satisfies TPassagesOutput);
}

export function createReadPageTool(deps: TReadPageDeps): TTool {
  return defineTool({
    definition: READ_PAGE_DEFINITION,
    schema: ZReadPageArgs,
    argumentsExample: '{"url": "/docs/guides/slack"}',
    run: async ({ url }, { access }) => {
      const address = siteAddress(url, deps.siteUrl);
      const found = address ? await findPage({ db: deps.db, access, address }) : null;
      // Through the gate again: a page hidden since the index was read has no sections for this reader.
      const sections = found ? await readPageSections({ db: deps.db, access, path: found.path }) : [];
      if (!found || sections.length === 0) return pageNotFoundOutput(url);
      return JSON.stringify(readOutput(found, sections));
    },
  });
}

/** A URL or path of this site's docs, as the page's path ("/docs/…", decoded, no trailing slash) and section anchor. */
type TSiteAddress = { pathname: string; anchor: string };

/** Where `input` points on this site: a docs URL of its origin, a path below /docs, or "guides/slack" (under /docs). */
export function siteAddress(input: string, siteUrl: string | undefined): TSiteAddress | null {
  const base = siteUrl ?? 'http://site.invalid';
  const trimmed = input.trim();
  let href = trimmed;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('/')) {
    // A bare path: "docs/guides/slack" and "guides/slack" are both the page at /docs/guides/slack.
    href = /^docs($|[/#])/.test(trimmed) ? `/${trimmed}` : `/docs/${trimmed}`;
  }
  const target = classifyLink({ href, siteUrl: base });
  if (target.kind !== 'internal' || !target.isDocs) return null;
  const url = new URL(target.href, base);
  const pathname = safeDecode(url.pathname);
  const anchor = safeDecode(url.hash.replace(/^#/, ''));
  if (pathname === null || anchor === null) return null;
  // A page's markdown twin (".md") is the page.
  return { pathname: pathname.replace(/\/+$/, '').replace(/\.md$/i, '') || '/docs', anchor };
}

/** The page found: its index path and lead section's head, and the section asked for ('' for the whole page). */
type TFoundPage = { path: string; slug: string; title: string; kind: string; meta: TPageMeta | undefined; anchor: string };

/**
 * The page read at this address, among those the reader may read (the gate's visible index): the page whose URL it
 * is, else the page holding a section read at its own path (an API operation, docUrl). Null for any other.
 */
async function findPage({ db, access, address }: { db: TDb; access: TReaderAccess; address: TSiteAddress }): Promise<TFoundPage | null> {
  const visible = await readVisibleIndex({ db, access });
  const { index } = visible;
  for (const page of index.pages) {
    const lead = page.sections[0] ?? -1;
    if (!visible.isVisible(lead)) continue;
    const head = index.sections[lead]!;
    if (docUrl(head.slug) === address.pathname) return found(visible, lead, address.anchor);
  }
  for (let position = 0; position < index.sections.length; position += 1) {
    const section = index.sections[position]!;
    if (section.anchor && docUrl(section.slug, section.anchor) === address.pathname && visible.isVisible(position)) {
      const page = index.pages[index.sectionPage[position]!];
      return page ? found(visible, page.sections[0]!, section.anchor) : null;
    }
  }
  return null;
}

function found(visible: TVisibleIndex, lead: number, anchor: string): TFoundPage {
  const head = visible.index.sections[lead]!;
  return { path: head.path, slug: head.slug, title: head.title.trim(), kind: head.kind ?? 'folder', meta: head.meta ?? undefined, anchor };
}

/** The page's sections as passages, from the one asked for (and its subsections) or the top, within the bounds. */
function readOutput(page: TFoundPage, sections: TStoredSection[]): TReadPageOutput {
  const pageUrl = docUrl(page.slug);
  const start = page.anchor === '' ? -1 : sections.findIndex((section) => section.anchor === page.anchor);
  const wanted = start < 0 ? sections : sections.slice(start, start + 1 + subsectionCount(sections, start));
  const source = resultSource(page.kind, page.meta);
  const version = typeof page.meta?.version === 'string' ? { version: page.meta.version } : {};
  const passage = (section: TStoredSection, content: string): TPassage => ({
    title: page.title,
    heading: section.heading,
    url: docUrl(page.slug, section.anchor || undefined),
    content,
    ...source,
    ...version,
  });
  const results: TPassage[] = [];
  let textUsed = 0;
  // Room for the envelope, its note and the list of sections left out, whatever they hold.
  let outputUsed = JSON.stringify({ url: pageUrl, title: page.title }).length + 1_600;
  // The first section not read whole (cut, or left out): it and those after it are listed as unread.
  let stop = wanted.length;
  for (const [at, section] of wanted.entries()) {
    const whole = passage(section, section.content);
    const size = JSON.stringify(whole).length + 1;
    if (textUsed + section.content.length <= READ_PAGE_TEXT_CHARS && outputUsed + size <= READ_PAGE_OUTPUT_CHARS) {
      results.push(whole);
      textUsed += section.content.length;
      outputUsed += size;
      continue;
    }
    stop = at;
    let room = Math.min(READ_PAGE_TEXT_CHARS - textUsed, READ_PAGE_OUTPUT_CHARS - outputUsed - (size - JSON.stringify(section.content).length));
    // JSON escapes make text longer than its characters: cut shorter until the passage fits.
    while (room >= MIN_CUT_CHARS) {
      const cut = passage(section, `${section.content.slice(0, room - 1).trimEnd()}…`);
      if (outputUsed + JSON.stringify(cut).length + 1 <= READ_PAGE_OUTPUT_CHARS) {
        results.push(cut);
        break;
      }
      room = Math.floor(room * 0.9);
    }
    break;
  }
  const output: TReadPageOutput = { url: pageUrl, title: page.title, results };
  const notes: string[] = [];
  if (start < 0 && page.anchor !== '') notes.push(`The page has no section "#${page.anchor}": this is the page from its top.`);
  if (stop < wanted.length) {
    const unread = wanted.slice(stop);
    output.truncated = true;
    notes.push(
      `The page is longer than this tool returns (${READ_PAGE_TEXT_CHARS.toLocaleString('en-US')} characters of text): ` +
        `${unread.length} section${unread.length === 1 ? ' is' : 's are'} cut or left out. Read one by its URL (listed in "unread").`,
    );
    output.unread = unread.slice(0, UNREAD_LISTED).map((section) => ({ heading: section.heading || page.title, url: docUrl(page.slug, section.anchor || undefined) }));
  }
  if (notes.length > 0) output.note = notes.join(' ');
  // The list of sections left out gives way to the bound (its room was kept; long headings may still overrun it).
  while (output.unread && output.unread.length > 1 && JSON.stringify(output).length > READ_PAGE_OUTPUT_CHARS) output.unread.pop();
  return output;
}

/** How many sections after the one at `start` are its subsections (their heading path continues its own). */
function subsectionCount(sections: TStoredSection[], start: number): number {
  const own = sections[start]!.heading_path ?? [];
  let count = 0;
  for (const section of sections.slice(start + 1)) {
    const path = section.heading_path ?? [];
    const isBelow = path.length > own.length && own.every((heading, at) => path[at] === heading);
    if (!isBelow) break;
    count += 1;
  }
  return count;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
