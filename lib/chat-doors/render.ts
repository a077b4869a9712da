import type { List, Nodes, Root, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { TMessageRow, TRunRow, TToolRound } from '../db/rows';
import type { TTextAnnotation } from '../shared/api-objects';
import { answeredByText, dayOf, SOURCE_KIND_NAMES, THREAD_STATE_NAMES, type TPublicSourceKind } from '../shared/docs';
import { docsSearchHref } from '../shared/links';
import { messageText } from '../shared/messages';
import type { TResearchStep } from '../shared/research-steps';

// What every door posts, written once, whatever its markup: the reply while the answer is searched for and
// written, the answer with its cited sections linked by name and its sources (each with its kind), the docs
// search link of "not covered", the apology of a run that ended without an answer, a refusal, a long answer cut at
// a line, and a long text split into messages. A door supplies only its style (TChatStyle): its syntax, its
// lengths and its words (lib/chat-doors/doors/<door>/style.ts).
//
// The policy for what a door posts is here, once (issue 54): everything a reader, a GitHub thread, a crawled page,
// a spec or the model wrote is data. An answer's Markdown is walked here (renderChatMarkdown) and every piece of
// its text goes through the door's escape, so nothing in it becomes markup, a mention or a link of its own; the
// mentions that notify by their words (@everyone, @here, @channel) are broken (neutraliseMentions); links go
// through one link policy (chatLinkTarget): http(s) only, and a link keeps its label only when it leads to the site
// or to a section the server itself cited or found for this answer (trustedUrls), else it shows its own address,
// so that nothing can disguise where it points. A door supplies only its syntax (TChatSyntax): how it escapes
// text, writes a link, bold, code and quotes; and its lengths and words (TChatStyle).

/** How many sources an answer lists at most. */
export const MAX_SOURCES = 8;

/**
 * The answer's Markdown with each cited section's name made a link to the section: the offline model names a
 * section in bold and cites it by annotation, which a chat service cannot show. A citation that is already a
 * link ([name](url), as a model writes it) is left as it is; so are overlapping or multi-line spans.
 * `isUrlBracketed`: the link's URL in <…> (it may then hold spaces and parentheses).
 */
export function linkCitedNames(answer: TMessageRow, { isUrlBracketed }: { isUrlBracketed: boolean }): string {
  const part = answer.content.length === 1 ? answer.content[0] : undefined;
  if (!part) return messageText(answer);
  let text = part.text.value;
  const spans = (part.text.annotations ?? [])
    .filter((annotation) => annotation.type === 'url_citation' && annotation.end_index > annotation.start_index)
    .sort((a, b) => b.start_index - a.start_index);
  let previousStart = text.length + 1;
  for (const { start_index: start, end_index: end, url } of spans) {
    const name = text.slice(start, end);
    if (end > previousStart || end > text.length || name.startsWith('[') || /\n/.test(name)) continue;
    text = `${text.slice(0, start)}[${name}](${isUrlBracketed ? `<${url}>` : url})${text.slice(end)}`;
    previousStart = start;
  }
  return text;
}

/** The answer's url citations, each URL once, at most MAX_SOURCES, in the order they are cited; a title at least the URL. */
export function citedSources(answer: TMessageRow): TTextAnnotation[] {
  const seen = new Set<string>();
  const sources: TTextAnnotation[] = [];
  for (const annotation of answer.content.flatMap((part) => part.text.annotations ?? [])) {
    if (annotation.type !== 'url_citation' || seen.has(annotation.url) || sources.length >= MAX_SOURCES) continue;
    seen.add(annotation.url);
    sources.push({ ...annotation, title: annotation.title || annotation.url });
  }
  return sources;
}

/** Why a run ended without an answer, in a sentence for the reader. */
export function runEndedReason(run: Pick<TRunRow, 'status' | 'last_error'>): string {
  if (run.status === 'incomplete') return 'The answer was cut off before it was complete.';
  if (run.status === 'expired') return 'It took too long.';
  if (run.status === 'cancelled') return 'It was stopped.';
  return run.last_error?.message ?? 'Something went wrong while answering.';
}

/** The docs opened with this question in their search box (absolute). */
export function notCoveredSearchUrl({ question, siteUrl }: { question: string; siteUrl: string }): string {
  return `${siteUrl}${docsSearchHref(question.replace(/\s+/g, ' ').trim().slice(0, 200))}`;
}

/** Closes a code block left open at the end of `text` (a cut inside one would turn the rest into code). */
export function closeFences(text: string): string {
  return (text.match(/```/g)?.length ?? 0) % 2 === 1 ? `${text}\n\`\`\`` : text;
}

/** `text` cut at a line before `max` characters (anywhere when no line ends in its second half), with `note`. */
export function cutLongAnswer(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  let end = text.lastIndexOf('\n', max);
  if (end < max / 2) end = max;
  return `${closeFences(text.slice(0, end))}\n… ${note}`;
}

/**
 * Text in messages of at most `max` characters: cut at a paragraph, else a line, else a space, else anywhere;
 * a code block cut in two is closed at the end of one message and opened again (with its language) in the next.
 */
export function splitMessage(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  let openFence: string | null = null;
  while (rest.length > 0) {
    const prefix = openFence ? `${openFence}\n` : '';
    // Room for the reopened fence and a closing one.
    const room = max - prefix.length - 4;
    if (prefix.length + rest.length <= max) {
      parts.push(prefix + rest);
      break;
    }
    const end = bestCut(rest, room);
    let piece = rest.slice(0, end);
    const fence = fenceOpenAtEnd(piece, openFence);
    piece = prefix + piece.trimEnd();
    if (fence) piece += '\n```';
    parts.push(piece);
    openFence = fence;
    rest = rest.slice(end).replace(/^\n+/, '');
    if (!fence) rest = rest.trimStart();
  }
  return parts.filter((part) => part.trim() !== '');
}

function bestCut(text: string, room: number): number {
  const window = text.slice(0, room);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= room / 2) return at + separator.length;
  }
  return room;
}

/** The fence (with its language) still open at the end of `piece`, given the one open at its start. */
function fenceOpenAtEnd(piece: string, openAtStart: string | null): string | null {
  let open = openAtStart;
  for (const match of piece.matchAll(/^ {0,3}(```[^\s`]*)/gm)) open = open ? null : (match[1] ?? '```');
  return open;
}

/** How a door writes what the policy decided: its own markup, nothing of the policy. */
export type TChatSyntax = {
  /** Literal text: every character the door would read as markup escaped, so that it shows as typed. */
  escape(text: string): string;
  /** A link the policy allows: `label` shown (the address behind it), or null: the address itself shown. */
  link(href: string, label: string | null): string;
  /** Markers of bold, italics and strike-through (applied at word edges). */
  marks: { bold: string; italic: string; strike: string };
  /** Inline code and a code block, from their raw text (no mention or link inside them is live). */
  inlineCode(value: string): string;
  codeBlock(value: string, lang: string | null): string;
  /** What starts each line of a quote. */
  quotePrefix: string;
};

/** The longest label a link shows (a longer one is cut, with an ellipsis). */
export const MAX_LABEL_CHARS = 150;

/** What a link becomes: a link (with its label, or showing its address), or text (a link the policy refuses). */
export type TChatLinkTarget = { kind: 'link'; href: string; label: string | null } | { kind: 'text'; text: string };

/**
 * The one link policy of chat doors: `url` (absolute, or relative to the site) is a link only when it is http(s);
 * its label is kept when the link stays on the site or `isTrusted` (a section the server cited or found: a crawled
 * site's page is on another origin), otherwise the link shows its own address. A refused link is its label, as text.
 */
export function chatLinkTarget(url: string, label: string, siteUrl: string, { isTrusted = false }: { isTrusted?: boolean } = {}): TChatLinkTarget {
  let parsed: URL;
  try {
    parsed = new URL(url, `${siteUrl}/`);
  } catch {
    return { kind: 'text', text: oneLine(label, MAX_LABEL_CHARS) };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'text', text: oneLine(label, MAX_LABEL_CHARS) };
  const isOnSite = parsed.origin === new URL(siteUrl).origin;
  const isLabelled = (isOnSite || isTrusted) && label.trim() !== '';
  return { kind: 'link', href: parsed.href, label: isLabelled ? neutraliseMentions(oneLine(label, MAX_LABEL_CHARS)) : null };
}

/** A link written in the door's syntax, as the policy decides. */
export function chatLink(syntax: TChatSyntax, url: string, label: string, siteUrl: string, options: { isTrusted?: boolean } = {}): string {
  const target = chatLinkTarget(url, label, siteUrl, options);
  return target.kind === 'text' ? plainText(syntax, target.text) : syntax.link(target.href, target.label);
}

/** Text a reader or a model wrote, as the door shows it literally: its mentions broken, its markup escaped. */
export function plainText(syntax: TChatSyntax, text: string): string {
  return syntax.escape(neutraliseMentions(text));
}

/**
 * The mentions a chat service reads from words alone (Discord's @everyone and @here, Slack's @channel, @here and
 * @everyone where names are linked) with a zero-width space after the @: shown the same, notifying no one. The
 * mentions written in brackets (Slack's <!channel>, <@U…>, <!subteam^…>; Discord's <@123>, <@&123>) are made
 * inert by each door's escape, which every piece of text goes through.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here|channel)\b/gi, '@\u200b$1');
}

/** A text on one line, at most `max` characters (an ellipsis when cut; never inside a surrogate pair). */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** The URLs the server itself cited or found for an answer (its url citations, its docs searches' results). */
export function trustedUrlsOf(answer: TMessageRow, toolRounds: TToolRound[] = []): Set<string> {
  const citations = answer.content.flatMap((part) => part.text.annotations ?? []).filter((annotation) => annotation.type === 'url_citation');
  return new Set([...citations.map((annotation) => annotation.url), ...searchResultUrls(toolRounds)]);
}

function searchResultUrls(toolRounds: TToolRound[]): string[] {
  const urls: string[] = [];
  for (const output of toolRounds.flatMap((round) => round.tool_outputs ?? [])) {
    try {
      const parsed = JSON.parse(output.output) as { results?: { url?: unknown }[] };
      for (const result of Array.isArray(parsed.results) ? parsed.results : []) if (typeof result?.url === 'string') urls.push(result.url);
    } catch {
      // Not a docs search's output.
    }
  }
  return urls;
}

/** Whether the answer links the docs search itself (the offline model's "not covered" answer does). */
export function hasDocsSearchLink(answer: TMessageRow): boolean {
  return /\]\(<?[^)\s]*\/docs\?q=/.test(messageText(answer));
}

const processor = unified().use(remarkParse).use(remarkGfm).freeze();

type TWalk = { syntax: TChatSyntax; siteUrl: string; depth: number; trustedUrls: Set<string>; trustedOrigins: Set<string> };

/**
 * Markdown (an answer, as the model or the offline model writes it) in a door's syntax, under the policy above:
 * bold, italics, strike, inline code and code blocks, lists with bullets, quotes, headings as bold lines, tables as
 * lines of cells; every piece of text escaped; links through chatLinkTarget. `trustedUrls`: the URLs of the sections
 * the server cited or found for this answer; a link to one of them, or to another page of their sites, keeps its
 * label (the section's name) even on another origin. Walked over the remark tree the site parses answers with.
 */
export function renderChatMarkdown(
  markdown: string,
  { syntax, siteUrl, trustedUrls = new Set<string>() }: { syntax: TChatSyntax; siteUrl: string; trustedUrls?: Set<string> },
): string {
  const tree = processor.parse(markdown) as Root;
  const trustedOrigins = new Set([...trustedUrls].map((url) => (URL.canParse(url) ? new URL(url).origin : null)).filter((origin) => origin !== null));
  return blocks(tree.children, { syntax, siteUrl, depth: 0, trustedUrls, trustedOrigins }).trim();
}

function isTrustedLink(url: string, walk: TWalk): boolean {
  if (walk.trustedUrls.has(url)) return true;
  return URL.canParse(url) && walk.trustedOrigins.has(new URL(url).origin);
}

function blocks(nodes: Nodes[], walk: TWalk): string {
  return nodes
    .map((node) => block(node, walk))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

function block(node: Nodes, walk: TWalk): string {
  const { syntax } = walk;
  switch (node.type) {
    case 'paragraph':
      return inline(node.children, walk);
    case 'heading':
      return wrap(inline(node.children, walk), syntax.marks.bold);
    case 'code':
      return syntax.codeBlock(node.value, node.lang ?? null);
    case 'blockquote':
      return blocks(node.children, walk)
        .split('\n')
        .map((line) => `${syntax.quotePrefix}${line}`)
        .join('\n');
    case 'list':
      return list(node, walk);
    case 'table':
      return table(node, walk);
    case 'thematicBreak':
      return '———';
    case 'html':
      return plainText(syntax, node.value);
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return '';
    default:
      return 'children' in node ? inline(node.children as Nodes[], walk) : 'value' in node ? plainText(syntax, String(node.value)) : '';
  }
}

function list(node: List, walk: TWalk): string {
  const indent = '    '.repeat(walk.depth);
  const start = node.start ?? 1;
  return node.children
    .map((item, index) => {
      const marker = node.ordered ? `${start + index}.` : '•';
      const check = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '';
      const [first, ...rest] = item.children;
      const head = first ? block(first, walk) : '';
      const tail = rest.map((child) => (child.type === 'list' ? list(child, { ...walk, depth: walk.depth + 1 }) : indentLines(block(child, walk), `${indent}    `)));
      // Continuation lines of the first paragraph line up under its text.
      const lines = [`${indent}${marker} ${check}${head.split('\n').join(`\n${indent}    `)}`, ...tail.filter((text) => text !== '')];
      return lines.join('\n');
    })
    .join('\n');
}

function table(node: Table, walk: TWalk): string {
  return node.children
    .map((row, index) => {
      const cells = row.children.map((cell) => inline(cell.children, walk).replace(/\n/g, ' '));
      const line = cells.join(' | ');
      return index === 0 ? wrap(line, walk.syntax.marks.bold) : line;
    })
    .join('\n');
}

function inline(nodes: Nodes[], walk: TWalk): string {
  return nodes.map((node) => phrase(node, walk)).join('');
}

function phrase(node: Nodes, walk: TWalk): string {
  const { syntax } = walk;
  switch (node.type) {
    case 'text':
      // A line break inside a paragraph is a space in Markdown (the site renders it so); a chat would break the line.
      return plainText(syntax, node.value.replace(/[ \t]*\n[ \t]*/g, ' '));
    case 'strong':
      return wrap(inline(node.children, walk), syntax.marks.bold);
    case 'emphasis':
      return wrap(inline(node.children, walk), syntax.marks.italic);
    case 'delete':
      return wrap(inline(node.children, walk), syntax.marks.strike);
    case 'inlineCode':
      return node.value === '' ? '' : syntax.inlineCode(node.value);
    case 'break':
      return '\n';
    case 'link': {
      const label = inlineText(node.children);
      return chatLink(syntax, node.url, label || node.url, walk.siteUrl, { isTrusted: isTrustedLink(node.url, walk) });
    }
    case 'image':
      // An image is never shown inline: it is a link (its address, unless it is on the site), or its description.
      return node.url ? chatLink(syntax, node.url, node.alt || node.url, walk.siteUrl) : plainText(syntax, node.alt ?? '');
    case 'linkReference':
    case 'imageReference':
    case 'footnoteReference':
      return 'children' in node ? inline(node.children as Nodes[], walk) : '';
    case 'html':
      return plainText(syntax, node.value);
    default:
      return 'children' in node ? inline(node.children as Nodes[], walk) : 'value' in node ? plainText(syntax, String(node.value)) : '';
  }
}

/** A link's label as plain text (the door escapes it; chats show no formatting inside a label). */
function inlineText(nodes: Nodes[]): string {
  return nodes.map((node) => ('value' in node ? String(node.value) : 'children' in node ? inlineText(node.children as Nodes[]) : '')).join('');
}

/** Chats apply a marker only at word edges, without inner spaces at the ends: those move outside it. */
function wrap(text: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  const [, before = '', body = '', after = ''] = match ?? [];
  return body === '' ? text : `${before}${marker}${body}${marker}${after}`;
}

function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}

/**
 * What a source is, in words after its link ("GitHub thread #12 (closed)", "Answered by the maintainers
 * (2026-11-25)"), so that a reader tells a docs page from an old issue; '' for a docs page or a source that does
 * not say. The fields come from the index, yet are checked here too: an unknown kind or state is not shown.
 */
export function sourceKindText(source: { kind?: unknown; number?: unknown; state?: unknown; answeredAt?: unknown } | null | undefined): string {
  if (!source || typeof source.kind !== 'string' || source.kind === 'docs' || !Object.hasOwn(SOURCE_KIND_NAMES, source.kind)) return '';
  if (source.kind === 'answer') return answeredByText(dayOf(source.answeredAt));
  const name = SOURCE_KIND_NAMES[source.kind as TPublicSourceKind];
  const number = typeof source.number === 'number' && Number.isInteger(source.number) && source.number > 0 ? ` #${source.number}` : '';
  const state = typeof source.state === 'string' && Object.hasOwn(THREAD_STATE_NAMES, source.state) ? source.state : null;
  const stateText = state === null ? '' : state === 'open' ? ' (open, not fixed yet)' : ` (${state})`;
  return `${name}${number}${stateText}`;
}

/** A source the server cited (its name kept as the label), followed by its kind when it is not a docs page. */
export function chatSourceLink(
  syntax: TChatSyntax,
  { url, title, source }: { url: string; title: string; source?: { kind?: unknown; number?: unknown; state?: unknown; answeredAt?: unknown } | null },
  siteUrl: string,
): string {
  const kind = sourceKindText(source);
  return `${chatLink(syntax, url, title, siteUrl, { isTrusted: true })}${kind ? ` — ${syntax.escape(kind)}` : ''}`;
}

/** How a door writes (its syntax), how long its messages may be, and its words: all a door says about what it posts. */
export type TChatStyle = {
  syntax: TChatSyntax;
  /** The service's limit on one message: a longer text is split (splitMessage), a reply being written is cut. */
  maxMessageChars: number;
  /** An answer longer than this is cut at a line, with `texts.cutNote`. */
  maxAnswerChars: number;
  texts: {
    /** The first reply, while the question is looked into. */
    searching: string;
    /** After the answer so far, while it is written. */
    writing: string;
    /** After an answer: how to vote. */
    feedback: string;
    /** After an answer that was cut. */
    cutNote: string;
    /** "The docs don't cover this", around the link that searches them. */
    notCovered(searchLink: string): string;
    /** The apology of a run that ended without an answer, around its reason (already escaped). */
    runEnded(reason: string): string;
    /** A refusal of the site's limits, around their message (already escaped). */
    refusal(message: string): string;
  };
};

/** The answer's Markdown in the door's syntax, cut to the door's length for an answer. */
function chatAnswerText(style: TChatStyle, markdown: string, siteUrl: string, trustedUrls?: Set<string>): string {
  return cutLongAnswer(renderChatMarkdown(markdown, { syntax: style.syntax, siteUrl, trustedUrls }), style.maxAnswerChars, style.texts.cutNote);
}

/** The button chat doors put under an answer where hand-offs are on (HANDOFF_TO): the site's "Ask the maintainers". */
export const CHAT_HANDOFF_LABEL = 'Ask the maintainers';

/** What a chat door says to the reader who pressed it: where the hand-off went, in the door's syntax. */
export function renderChatHandoff(syntax: TChatSyntax, handoff: { channel: string; url?: string; status?: string } | null, siteUrl: string): string {
  if (!handoff) return 'That answer is gone, so it cannot be handed to the maintainers.';
  // A channel that could not take it (GitHub down, the review channel off) is said as it is, never as sent.
  if (handoff.status === 'failed') return 'Could not reach the maintainers just now. Try again in a moment.';
  const where = handoff.channel === 'github' ? 'as a GitHub issue' : "in the maintainers' Slack channel";
  const link = handoff.url ? ` ${chatLink(syntax, handoff.url, handoff.url, siteUrl)}` : '';
  return `Sent to the maintainers ${where}.${link} Their reply comes into this conversation.`;
}

/** The reply while the run is going: "Searching the docs…" until text arrives, then the text so far (its beginning, in one message). */
export function renderChatProgress(style: TChatStyle, { draft, siteUrl }: { draft: string | null | undefined; siteUrl: string }): string {
  if (!draft || draft.trim() === '') return style.texts.searching;
  // Room for the blank line before `writing`, and for a cut's fence closed ("\n```") and its ellipsis.
  const room = style.maxMessageChars - style.texts.writing.length - 2;
  const text = chatAnswerText(style, draft, siteUrl);
  // One message shows the beginning while it grows; the whole answer is split when it is done.
  const shown = text.length > room ? `${closeFences(text.slice(0, room - 5))}…` : text;
  return `${shown}\n\n${style.texts.writing}`;
}

/** The progress line shows at most this many steps (the latest ones: the reader follows where the run is). */
const RESEARCH_STEPS_IN_PROGRESS = 8;
const RESEARCH_STEP_CHARS = 80;

/**
 * A research run's one progress message while it works (issue 71): "Researching… searched ‘x’ (5 results), read
 * ‘Page’ (3 sections), …", its latest steps in the order taken, each query and title plain text (a reader's or a
 * page's words: escaped, mentions broken); the answer's text so far instead once it is being written.
 */
export function renderChatResearchProgress(
  style: TChatStyle,
  { steps, draft, siteUrl }: { steps: readonly TResearchStep[]; draft: string | null | undefined; siteUrl: string },
): string {
  if (draft && draft.trim() !== '') return renderChatProgress(style, { draft, siteUrl });
  if (steps.length === 0) return RESEARCHING_TEXT;
  const shown = steps.slice(-RESEARCH_STEPS_IN_PROGRESS).map((step) => {
    const what = plainText(style.syntax, `‘${oneLine(step.kind === 'search' ? step.query : step.title, RESEARCH_STEP_CHARS)}’`);
    if (step.kind === 'search') return `searched ${what}${step.results === null ? '' : ` (${step.results} ${step.results === 1 ? 'result' : 'results'})`}`;
    return `read ${what}${step.sections === null ? '' : ` (${step.sections} ${step.sections === 1 ? 'section' : 'sections'})`}`;
  });
  const earlier = steps.length > shown.length ? `${steps.length - shown.length} steps, then ` : '';
  return `${RESEARCHING_TEXT} ${earlier}${shown.join(', ')}…`;
}

/** The progress message of a research run before its first step. */
export const RESEARCHING_TEXT = 'Researching…';

/** The answer: its text with the cited sections linked, its sources (with their kinds), a search link when the docs do not cover it. */
export function renderChatAnswer(
  style: TChatStyle,
  {
    answer,
    question,
    siteUrl,
    toolRounds = [],
  }: {
    answer: TMessageRow;
    question: string;
    siteUrl: string;
    /** The run's tool calls: the sections its docs searches returned are the docs, whatever their origin. */
    toolRounds?: TToolRound[];
  },
): string {
  // The url citations and the search results are the server's own: links to them keep the section's name.
  const body = chatAnswerText(style, linkCitedNames(answer, { isUrlBracketed: true }), siteUrl, trustedUrlsOf(answer, toolRounds));
  if (answer.metadata?.refusal === true) return body;
  const lines = [body];
  const sources = citedSources(answer).map((source) => chatSourceLink(style.syntax, { url: source.url, title: source.title ?? source.url, source: source.source }, siteUrl));
  const bold = style.syntax.marks.bold;
  if (sources.length > 0) lines.push(`${bold}Sources:${bold} ${sources.join(' · ')}`);
  // The offline model's own "not covered" answer carries its search link already.
  if (answer.metadata?.no_docs_match === true && !hasDocsSearchLink(answer)) lines.push(renderChatNotCovered(style, { question, siteUrl }));
  lines.push(style.texts.feedback);
  return lines.join('\n\n');
}

/** "The docs don't cover this", with a link that opens the docs with this question in their search box. */
export function renderChatNotCovered(style: TChatStyle, { question, siteUrl }: { question: string; siteUrl: string }): string {
  return style.texts.notCovered(chatLink(style.syntax, notCoveredSearchUrl({ question, siteUrl }), 'Search the docs', siteUrl));
}

/** A run that ended without an answer: what was written (if anything), an apology and how to try again. */
export function renderChatRunEnded(
  style: TChatStyle,
  { run, partial, siteUrl }: { run: Pick<TRunRow, 'status' | 'last_error'> & Partial<Pick<TRunRow, 'incomplete_details'>>; partial: string | null; siteUrl: string },
): string {
  const apology = style.texts.runEnded(plainText(style.syntax, runEndedReason(run)));
  return partial && partial.trim() !== '' ? `${chatAnswerText(style, partial, siteUrl)}\n\n${apology}` : apology;
}

/** A question the site's limits refuse: their message, as a reader on the site would see it. */
export function renderChatRefusal(style: TChatStyle, message: string): string {
  return style.texts.refusal(plainText(style.syntax, message));
}

/** A text in as many messages as the door's limit needs, code blocks closed and reopened at a cut. */
export function chatMessages(style: TChatStyle, text: string): string[] {
  return splitMessage(text, style.maxMessageChars);
}
