import type { TMessageRow, TRunRow } from '../db/rows';
import { docsSearchHref } from '../shared/links';
import { messageText } from '../shared/messages';

// What the app's messages in Discord say, as Discord's Markdown, at each moment of a question's life: searching,
// the answer being written, the answer with its sources (split into messages of at most 2,000 characters,
// Discord's limit), a refusal, an apology. Links are absolute (a relative link means nothing in Discord) and
// wrapped in <…> so that Discord shows no preview card for each.

export const MAX_DISCORD_MESSAGE_CHARS = 2000;
export const SEARCHING_TEXT = '🔎 Searching the docs…';
export const WRITING_SUFFIX = '*✍️ Writing…*';
export const FEEDBACK_TEXT = '-# Did this help? Tell the maintainers with 👍 or 👎 below.';
const MAX_SOURCES = 8;
/** An answer longer than this is cut (with a note): a few messages in a channel, not a wall of them. */
export const MAX_DISCORD_ANSWER_CHARS = 6000;

/** The deferred response while the run is going: "Searching the docs…" until text arrives, then the text so far. */
export function renderProgress({ draft, siteUrl }: { draft: string | null | undefined; siteUrl: string }): string {
  if (!draft || draft.trim() === '') return SEARCHING_TEXT;
  const room = MAX_DISCORD_MESSAGE_CHARS - WRITING_SUFFIX.length - 4;
  const text = absoluteLinks(draft, siteUrl);
  // The first message shows the beginning while it grows; the whole answer is split when it is done.
  const shown = text.length > room ? `${closeFences(text.slice(0, room - 1))}…` : text;
  return `${shown}\n\n${WRITING_SUFFIX}`;
}

/** The answer, whole: its text with the cited sections linked, its sources, a search link when the docs do not cover it. */
export function renderAnswer({ answer, question, siteUrl }: { answer: TMessageRow; question: string; siteUrl: string }): string {
  const body = cutAnswer(absoluteLinks(linkCitedNames(answer), siteUrl));
  if (answer.metadata?.refusal === true) return body;
  const lines = [body];
  const seen = new Set<string>();
  const sources: string[] = [];
  for (const annotation of answer.content.flatMap((part) => part.text.annotations ?? [])) {
    if (annotation.type !== 'url_citation' || seen.has(annotation.url) || sources.length >= MAX_SOURCES) continue;
    seen.add(annotation.url);
    sources.push(link(annotation.title || annotation.url, absoluteUrl(annotation.url, siteUrl)));
  }
  if (sources.length > 0) lines.push(`**Sources:** ${sources.join(' · ')}`);
  if (answer.metadata?.no_docs_match === true && !/\]\(<?[^)]*\/docs\?q=/.test(body)) lines.push(renderNotCovered({ question, siteUrl }));
  lines.push(FEEDBACK_TEXT);
  return lines.join('\n\n');
}

export function renderNotCovered({ question, siteUrl }: { question: string; siteUrl: string }): string {
  const url = `${siteUrl}${docsSearchHref(question.replace(/\s+/g, ' ').trim().slice(0, 200))}`;
  return `📚 The docs don't cover this. ${link('Search the docs', url)} yourself, or ask a maintainer here.`;
}

/** A run that ended without an answer: what was written (if anything), an apology, and how to try again. */
export function renderRunEnded({ run, partial, siteUrl }: { run: Pick<TRunRow, 'status' | 'last_error'>; partial: string | null; siteUrl: string }): string {
  const reason =
    run.status === 'incomplete'
      ? 'The answer was cut off before it was complete.'
      : run.status === 'expired'
        ? 'It took too long.'
        : run.status === 'cancelled'
          ? 'It was stopped.'
          : (run.last_error?.message ?? 'Something went wrong while answering.');
  const apology = `⚠️ Sorry, I couldn't finish this answer. ${escapeMarkdown(reason)} Ask again with \`/ask\`.`;
  return partial && partial.trim() !== '' ? `${cutAnswer(absoluteLinks(partial, siteUrl))}\n\n${apology}` : apology;
}

/** A question the site's limits refuse: their message, as a reader on the site would see it. */
export function renderRefusal(message: string): string {
  return `⛔ ${escapeMarkdown(message)}`;
}

/**
 * Text in messages of at most `max` characters: cut at a paragraph, else a line, else a space, else anywhere;
 * a code block cut in two is closed at the end of one message and opened again (with its language) in the next.
 */
export function splitMessage(text: string, max = MAX_DISCORD_MESSAGE_CHARS): string[] {
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

function cutAnswer(text: string): string {
  if (text.length <= MAX_DISCORD_ANSWER_CHARS) return text;
  let end = text.lastIndexOf('\n', MAX_DISCORD_ANSWER_CHARS);
  if (end < MAX_DISCORD_ANSWER_CHARS / 2) end = MAX_DISCORD_ANSWER_CHARS;
  return `${closeFences(text.slice(0, end))}\n… *(cut here: the full answer is longer than a few Discord messages should be)*`;
}

function closeFences(text: string): string {
  return (text.match(/```/g)?.length ?? 0) % 2 === 1 ? `${text}\n\`\`\`` : text;
}

/**
 * The answer's Markdown with each cited section's name made a link to the section: the offline model names a
 * section in bold and cites it by annotation, which Discord cannot show. A name already a link is left alone.
 */
function linkCitedNames(answer: TMessageRow): string {
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
    text = `${text.slice(0, start)}[${name}](${url})${text.slice(end)}`;
    previousStart = start;
  }
  return text;
}

/** Markdown links made absolute against the site, each in <…> (no preview card). */
export function absoluteLinks(markdown: string, siteUrl: string): string {
  return markdown.replace(/\]\(<?([^()\s<>]+)>?\)/g, (_whole, url: string) => `](<${absoluteUrl(url, siteUrl)}>)`);
}

function absoluteUrl(url: string, siteUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  return `${siteUrl}${url.startsWith('/') ? '' : '/'}${url}`;
}

function link(text: string, url: string): string {
  return `[${text.replace(/[[\]]/g, '')}](<${url}>)`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`~|>[\]])/g, '\\$1');
}
