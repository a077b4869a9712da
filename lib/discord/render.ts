import type { TMessageRow, TRunRow, TToolRound } from '../db/rows';
import {
  citedSources,
  chatLink,
  closeFences,
  cutLongAnswer,
  hasDocsSearchLink,
  linkCitedNames,
  notCoveredSearchUrl,
  plainText,
  renderChatMarkdown,
  runEndedReason,
  splitMessage as splitText,
  trustedUrlsOf,
  type TChatSyntax,
} from '../chat-doors/render';

// What the app's messages in Discord say, as Discord's Markdown, at each moment of a question's life: searching,
// the answer being written, the answer with its sources (split into messages of at most 2,000 characters,
// Discord's limit), a refusal, an apology. What is posted follows the chat doors' one policy
// (lib/chat-doors/render.ts): everything a reader or the model wrote is escaped, mentions are inert (and every
// message we send also says `allowed_mentions: {parse: []}`, lib/discord/client.ts), and links keep their labels
// only for the site and the sections the server cited or found. Discord's syntax: backslash escapes, links
// absolute and wrapped in <…> (a relative link means nothing in Discord; in <…> it shows no preview card).

export const MAX_DISCORD_MESSAGE_CHARS = 2000;
export const SEARCHING_TEXT = '🔎 Searching the docs…';
export const WRITING_SUFFIX = '*✍️ Writing…*';
export const FEEDBACK_TEXT = '-# Did this help? Tell the maintainers with 👍 or 👎 below.';
/** An answer longer than this is cut (with a note): a few messages in a channel, not a wall of them. */
export const MAX_DISCORD_ANSWER_CHARS = 6000;

/**
 * Discord's Markdown characters, escaped with a backslash (a mention's or an emoji's `<` included); a heading's,
 * a list's or a subtext's marker only at the start of a line.
 */
function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|<>[\]]/g, '\\$&').replace(/^(\s*)([-+#]|\d+\.)/gm, '$1\\$2');
}

export const DISCORD_SYNTAX: TChatSyntax = {
  escape: escapeDiscord,
  // Inside <…> an address ends at `>`; parentheses are encoded so that no reader of the link ends it early.
  link: (href, label) => {
    const address = href.replace(/[<>()\s]/g, encodeURIComponent);
    return label === null ? `<${address}>` : `[${escapeDiscord(label)}](<${address}>)`;
  },
  marks: { bold: '**', italic: '_', strike: '~~' },
  inlineCode: (value) => `\`${value.replace(/`/g, 'ˋ')}\``,
  codeBlock: (value, lang) => `\`\`\`${(lang ?? '').replace(/[^\w+#.-]/g, '')}\n${value.replace(/`{3,}/g, '`\u200b``')}\n\`\`\``,
  quotePrefix: '> ',
};

/** An answer's Markdown as Discord shows it, under the chat doors' policy. */
export function markdownToDiscord(markdown: string, siteUrl: string, { trustedUrls }: { trustedUrls?: Set<string> } = {}): string {
  return renderChatMarkdown(markdown, { syntax: DISCORD_SYNTAX, siteUrl, trustedUrls });
}

/** The deferred response while the run is going: "Searching the docs…" until text arrives, then the text so far. */
export function renderProgress({ draft, siteUrl }: { draft: string | null | undefined; siteUrl: string }): string {
  if (!draft || draft.trim() === '') return SEARCHING_TEXT;
  const room = MAX_DISCORD_MESSAGE_CHARS - WRITING_SUFFIX.length - 4;
  const text = markdownToDiscord(draft, siteUrl);
  // The first message shows the beginning while it grows; the whole answer is split when it is done.
  const shown = text.length > room ? `${closeFences(text.slice(0, room - 1))}…` : text;
  return `${shown}\n\n${WRITING_SUFFIX}`;
}

/** The answer, whole: its text with the cited sections linked, its sources, a search link when the docs do not cover it. */
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
  const trustedUrls = trustedUrlsOf(answer, toolRounds);
  const body = cutAnswer(markdownToDiscord(linkCitedNames(answer, { isUrlBracketed: true }), siteUrl, { trustedUrls }));
  if (answer.metadata?.refusal === true) return body;
  const lines = [body];
  const sources = citedSources(answer).map((source) => chatLink(DISCORD_SYNTAX, source.url, source.title ?? source.url, siteUrl, { isTrusted: true }));
  if (sources.length > 0) lines.push(`**Sources:** ${sources.join(' · ')}`);
  // The offline model's own "not covered" answer carries its search link already.
  if (answer.metadata?.no_docs_match === true && !hasDocsSearchLink(answer)) lines.push(renderNotCovered({ question, siteUrl }));
  lines.push(FEEDBACK_TEXT);
  return lines.join('\n\n');
}

export function renderNotCovered({ question, siteUrl }: { question: string; siteUrl: string }): string {
  const url = notCoveredSearchUrl({ question, siteUrl });
  return `📚 The docs don't cover this. ${chatLink(DISCORD_SYNTAX, url, 'Search the docs', siteUrl)} yourself, or ask a maintainer here.`;
}

/** A run that ended without an answer: what was written (if anything), an apology, and how to try again. */
export function renderRunEnded({ run, partial, siteUrl }: { run: Pick<TRunRow, 'status' | 'last_error'>; partial: string | null; siteUrl: string }): string {
  const apology = `⚠️ Sorry, I couldn't finish this answer. ${plainText(DISCORD_SYNTAX, runEndedReason(run))} Ask again with \`/ask\`.`;
  return partial && partial.trim() !== '' ? `${cutAnswer(markdownToDiscord(partial, siteUrl))}\n\n${apology}` : apology;
}

/** A question the site's limits refuse: their message, as a reader on the site would see it. */
export function renderRefusal(message: string): string {
  return `⛔ ${plainText(DISCORD_SYNTAX, message)}`;
}

/** Text in messages of at most Discord's limit, code blocks closed and reopened at a cut. */
export function splitMessage(text: string): string[] {
  return splitText(text, MAX_DISCORD_MESSAGE_CHARS);
}

function cutAnswer(text: string): string {
  return cutLongAnswer(text, MAX_DISCORD_ANSWER_CHARS, '*(cut here: the full answer is longer than a few Discord messages should be)*');
}
