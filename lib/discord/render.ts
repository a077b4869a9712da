import type { TMessageRow, TRunRow } from '../db/rows';
import { citedSources, closeFences, cutLongAnswer, linkCitedNames, notCoveredSearchUrl, runEndedReason, splitMessage as splitText } from '../chat-doors/render';

// What the app's messages in Discord say, as Discord's Markdown, at each moment of a question's life: searching,
// the answer being written, the answer with its sources (split into messages of at most 2,000 characters,
// Discord's limit), a refusal, an apology. Links are absolute (a relative link means nothing in Discord) and
// wrapped in <…> so that Discord shows no preview card for each.

export const MAX_DISCORD_MESSAGE_CHARS = 2000;
export const SEARCHING_TEXT = '🔎 Searching the docs…';
export const WRITING_SUFFIX = '*✍️ Writing…*';
export const FEEDBACK_TEXT = '-# Did this help? Tell the maintainers with 👍 or 👎 below.';
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
  const body = cutAnswer(absoluteLinks(linkCitedNames(answer, { isUrlBracketed: false }), siteUrl));
  if (answer.metadata?.refusal === true) return body;
  const lines = [body];
  const sources = citedSources(answer).map((source) => link(source.title, absoluteUrl(source.url, siteUrl)));
  if (sources.length > 0) lines.push(`**Sources:** ${sources.join(' · ')}`);
  if (answer.metadata?.no_docs_match === true && !/\]\(<?[^)]*\/docs\?q=/.test(body)) lines.push(renderNotCovered({ question, siteUrl }));
  lines.push(FEEDBACK_TEXT);
  return lines.join('\n\n');
}

export function renderNotCovered({ question, siteUrl }: { question: string; siteUrl: string }): string {
  const url = notCoveredSearchUrl({ question, siteUrl });
  return `📚 The docs don't cover this. ${link('Search the docs', url)} yourself, or ask a maintainer here.`;
}

/** A run that ended without an answer: what was written (if anything), an apology, and how to try again. */
export function renderRunEnded({ run, partial, siteUrl }: { run: Pick<TRunRow, 'status' | 'last_error'>; partial: string | null; siteUrl: string }): string {
  const apology = `⚠️ Sorry, I couldn't finish this answer. ${escapeMarkdown(runEndedReason(run))} Ask again with \`/ask\`.`;
  return partial && partial.trim() !== '' ? `${cutAnswer(absoluteLinks(partial, siteUrl))}\n\n${apology}` : apology;
}

/** A question the site's limits refuse: their message, as a reader on the site would see it. */
export function renderRefusal(message: string): string {
  return `⛔ ${escapeMarkdown(message)}`;
}

/** Text in messages of at most Discord's limit, code blocks closed and reopened at a cut. */
export function splitMessage(text: string): string[] {
  return splitText(text, MAX_DISCORD_MESSAGE_CHARS);
}

function cutAnswer(text: string): string {
  return cutLongAnswer(text, MAX_DISCORD_ANSWER_CHARS, '*(cut here: the full answer is longer than a few Discord messages should be)*');
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
