import type { TMessageRow, TRunRow, TToolRound } from '../../db/rows';
import { citedSources, cutLongAnswer, hasDocsSearchLink, linkCitedNames, notCoveredSearchUrl, plainText, runEndedReason, trustedUrlsOf } from '../../chat-doors/render';
import { slackLink, slackSourceLink } from '../format';
import { markdownToMrkdwn, SLACK_SYNTAX } from '../mrkdwn';

// What the app's reply in a Slack thread says, as mrkdwn, at each moment of the question's life: searching, the
// answer being written, the answer with its sources, the docs not covering it (with a search link), a refusal,
// an apology for a run that failed. What is posted follows the chat doors' one policy (lib/chat-doors/render.ts):
// everything a reader or the model wrote is escaped, mentions are inert, and links keep their labels only for the
// site and the sections the server cited or found; Slack's syntax is lib/slack/mrkdwn.ts.

export const SEARCHING_TEXT = ':mag: Searching the docs…';
export const WRITING_SUFFIX = '_:hourglass_flowing_sand: Writing…_';
export const RETRY_WORD = 'retry';
export const HINT_TEXT =
  ':wave: Ask me anything about the docs: mention me with your question, or send it to me directly. I answer from the docs, with links to the pages I used.';
export const FEEDBACK_TEXT = '_React with :+1: or :-1: to tell the maintainers whether this helped._';
/** Slack shows up to 40,000 characters of a message's text; answers stop well before, with a note. */
export const MAX_SLACK_ANSWER_CHARS = 6000;

/** The reply while the run is going: "Searching the docs…" until text arrives, then the text so far. */
export function renderProgress({ draft, siteUrl }: { draft: string | null | undefined; siteUrl: string }): string {
  if (!draft || draft.trim() === '') return SEARCHING_TEXT;
  return `${cut(markdownToMrkdwn(draft, siteUrl))}\n\n${WRITING_SUFFIX}`;
}

/** The answer: its text, its sources as links (a thread's with its kind, number and state), and a search link when the docs do not cover it. */
export function renderAnswer({
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
}): string {
  // The url citations and the search results are the server's own: links to them keep the section's name.
  const trustedUrls = trustedUrlsOf(answer, toolRounds);
  const lines = [cut(markdownToMrkdwn(linkCitedNames(answer, { isUrlBracketed: true }), siteUrl, { trustedUrls }))];
  if (answer.metadata?.refusal === true) return lines[0] as string;
  // A thread says so, with its number and state: a reader tells a docs page from an old issue at a glance.
  const sources = citedSources(answer).map((source) => slackSourceLink(source.url, source.title, siteUrl, source.source));
  if (sources.length > 0) lines.push(`*Sources:* ${sources.join(' · ')}`);
  // The offline model's own "not covered" answer carries its search link already.
  if (answer.metadata?.no_docs_match === true && !hasDocsSearchLink(answer)) lines.push(renderNotCovered({ question, siteUrl }));
  lines.push(FEEDBACK_TEXT);
  return lines.join('\n\n');
}

/** "The docs don't cover this", with a link that opens the docs with this question in their search box. */
export function renderNotCovered({ question, siteUrl }: { question: string; siteUrl: string }): string {
  const url = notCoveredSearchUrl({ question, siteUrl });
  return `:books: The docs don't cover this. ${slackLink(url, 'Search the docs', siteUrl)} yourself, or ask a maintainer in this channel.`;
}

/** A run that ended without an answer: what was written (if anything), a short apology and how to try again. */
export function renderRunEnded({ run, partial, siteUrl }: { run: Pick<TRunRow, 'status' | 'last_error' | 'incomplete_details'>; partial: string | null; siteUrl: string }): string {
  const apology = `:warning: Sorry, I couldn't finish this answer. ${plainText(SLACK_SYNTAX, runEndedReason(run))} Reply \`${RETRY_WORD}\` in this thread to try again.`;
  return partial && partial.trim() !== '' ? `${cut(markdownToMrkdwn(partial, siteUrl))}\n\n${apology}` : apology;
}

/** A question the site's limits refuse: their message, as a reader on the site would see it. */
export function renderRefusal(message: string): string {
  return `:no_entry: ${plainText(SLACK_SYNTAX, message)}`;
}

function cut(text: string): string {
  return cutLongAnswer(text, MAX_SLACK_ANSWER_CHARS, '_(cut here: the full answer is longer than a Slack message should be)_');
}

/** Whether a question asks to try the last one again. */
export function isRetryRequest(text: string): boolean {
  return text.trim().toLowerCase().replace(/[.!]+$/, '') === RETRY_WORD;
}
