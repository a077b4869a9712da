import type { TMessageRow, TRunRow } from '../db/rows';
import type { TTextAnnotation } from '../shared/api-objects';
import { docsSearchHref } from '../shared/links';
import { messageText } from '../shared/messages';

// What every door's messages have in common, whatever their markup: an answer's cited sections linked by name,
// its sources, the reason a run ended without an answer, the docs search link of "not covered", a long answer
// cut at a line, and a long text split into messages. Each door's render.ts writes them in its own format.

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
