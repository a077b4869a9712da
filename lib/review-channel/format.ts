import { brandError, hasBrand } from '../error-brands';
import { z } from 'zod';
import { chatLink, chatSourceLink, oneLine } from '../chat-doors/render';
import { escapeMrkdwn, markdownToMrkdwn, SLACK_SYNTAX, slackText } from '../slack/mrkdwn';

// Slack message text (mrkdwn) for the maintainers' channel. Everything a reader or the model wrote is escaped,
// so `<!channel>` or `<https://evil|click>` shows as typed and never becomes a mention or a disguised link;
// the only `<…>` in a post are links built here from URLs that were checked.

export const MAX_BODY_CHARS = 3000;
export const MAX_TITLE_CHARS = 150;
const MAX_SEARCH_CHARS = 200;
const MAX_SOURCES = 8;

/** A source's link followed by its kind when it is not a docs page: `<url|Title> — GitHub thread #12 (closed)`. */
export function slackSourceLink(
  url: string,
  title: string,
  siteUrl: string,
  source: { kind?: unknown; number?: unknown; state?: unknown; answeredAt?: unknown } | null | undefined,
): string {
  return chatSourceLink(SLACK_SYNTAX, { url, title, source }, siteUrl);
}

/** Cuts `text` to `max` characters (never inside a surrogate pair) and says how much was left out. */
export function truncateText(text: string, max: number, fullLength = text.length): string {
  if (text.length <= max && fullLength <= text.length) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}\n${truncationNote(cut.length, fullLength)}`;
}

function truncationNote(shown: number, total: number): string {
  return `… [truncated: ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} characters shown; the transcript has the full text]`;
}

/** Reader or model text as a Slack block quote: truncated, escaped, every line quoted. */
export function quoteUserText(text: string, fullLength = text.length): string {
  // `fullLength` counts what was cut before `text` got here (the outbox keeps at most 4000 characters).
  const missing = Math.max(0, fullLength - text.length);
  const normalized = text.replace(/\r\n?/g, '\n');
  const body = slackText(truncateText(normalized, MAX_BODY_CHARS, normalized.length + missing));
  return body
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/**
 * The assistant's answer as a Slack block quote in Slack's own formatting (its Markdown converted: bold, links
 * with their names, code kept), truncated before converting so that no entity, link or code block is cut open.
 */
function quoteAnswer({ text, fullLength = text.length, siteUrl, cited }: { text: string; fullLength?: number; siteUrl: string; cited: Set<string> }): string {
  const normalized = text.replace(/\r\n?/g, '\n');
  const total = normalized.length + Math.max(0, fullLength - text.length);
  const kept = total > MAX_BODY_CHARS ? normalized.slice(0, MAX_BODY_CHARS) : normalized;
  let body = markdownToMrkdwn(kept, siteUrl, { trustedUrls: cited });
  if (kept.length < total) body += `\n${truncationNote(kept.length, total)}`;
  return body
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/**
 * A link to `url` (absolute, or relative to the site), under the chat doors' link policy (chatLinkTarget in
 * lib/chat-doors/render.ts): only http(s) URLs become links; a link that leaves the site shows its own address
 * rather than a label, so that a model cannot disguise where it points, unless it is `isTrusted`: a docs section
 * the server itself cited (a crawled site's page is on another origin), whose name is its label.
 */
export function slackLink(url: string, label: string, siteUrl: string, { isTrusted = false }: { isTrusted?: boolean } = {}): string {
  return chatLink(SLACK_SYNTAX, url, label, siteUrl, { isTrusted });
}

function code(id: string): string {
  return `\`${escapeMrkdwn(id.replace(/`/g, ''))}\``;
}

export type TTranscriptLink = { url: string; expiresAt: Date };

export function renderParentText({
  threadId,
  title,
  isThreadPresent,
  transcript,
}: {
  threadId: string;
  title: string | null;
  isThreadPresent: boolean;
  transcript: TTranscriptLink | null;
}): string {
  const heading = `:speech_balloon: *${slackText(oneLine(title || 'New thread', MAX_TITLE_CHARS))}*`;
  if (!isThreadPresent) return `${heading}\nThread ${code(threadId)} (deleted by the reader)`;
  const link = transcript
    ? ` · <${escapeMrkdwn(transcript.url)}|Open the transcript> (link valid until ${transcript.expiresAt.toISOString().slice(0, 10)})`
    : '';
  return `${heading}\nThread ${code(threadId)}${link}`;
}

/** The passage a question asks about ("Ask about this"): masked and bounded when stored; its page's title and address. */
const ZQuotePayload = z.object({ text: z.string(), title: z.string().optional(), url: z.string().optional() });

/** The passage a reader asked about, under their question: where it is from (a link under the link policy), then the passage quoted. */
function passageLines(quote: z.infer<typeof ZQuotePayload>, siteUrl: string): string {
  const title = quote.title?.trim() ? quote.title : quote.url ?? 'a page';
  const from = quote.url ? slackLink(quote.url, title, siteUrl) : slackText(oneLine(title, 200));
  // At most 2,000 characters (the trigger cuts it, 51_slack_posts.sql), within a post's MAX_BODY_CHARS.
  return `_About this passage of ${from}:_\n${quoteUserText(quote.text)}`;
}

const ZTextPayload = z.object({ message_id: z.string(), text: z.string(), length: z.number().int().nonnegative().optional() });
export const ZAnswerPayload = ZTextPayload.extend({
  run_id: z.string().nullable().optional(),
  no_docs_match: z.boolean().optional(),
  // `source`: the citation's kind, number and state (a thread), or its day (an answer), when the payload carries them; absent for docs.
  sources: z
    .array(
      z.object({
        url: z.string(),
        title: z.string().nullable().optional(),
        source: z
          .object({ kind: z.string(), number: z.number().optional(), state: z.string().optional(), answeredAt: z.string().optional() })
          .nullable()
          .optional()
          .catch(null),
      }),
    )
    .default([]),
  searches: z.array(z.string().nullable()).default([]),
});
const ZVotePayload = z.object({
  message_id: z.string(),
  vote: z.enum(['up', 'down']).nullable(),
  previous: z.enum(['up', 'down']).nullable().optional(),
  reason: z.string().nullable().optional(),
});
const ZHandoffPayload = z.object({
  note: z.string().nullable().optional(),
  // HANDOFF_SLACK_MENTION, as lib/handoff/settings.ts validated it: a user group (S…), a member (U…, W…), here or channel.
  mention: z.string().regex(/^(?:[SUW][A-Z0-9]{2,20}|here|channel)$/).nullable().optional().catch(null),
});
const ZRunEndedPayload = z.object({
  run_id: z.string(),
  status: z.string(),
  error: z.object({ code: z.string().optional(), reason: z.string().optional(), message: z.string().optional() }).nullable().optional(),
});

export class InvalidPayloadError extends Error {
  override name = 'InvalidPayloadError';
  constructor(message: string) {
    super(message);
    brandError(this, 'InvalidPayloadError');
  }
}

export function isInvalidPayloadError(error: unknown): error is InvalidPayloadError {
  return hasBrand(error, 'InvalidPayloadError');
}

function parsePayload<T extends z.ZodType>(schema: T, payload: unknown, kind: string): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new InvalidPayloadError(`invalid ${kind} payload`);
  return parsed.data;
}

function searchPrompt(argumentsJson: string | null): string | null {
  if (!argumentsJson) return null;
  try {
    const parsed = JSON.parse(argumentsJson) as { prompt?: unknown };
    return typeof parsed.prompt === 'string' && parsed.prompt.trim() !== '' ? parsed.prompt : null;
  } catch {
    return null;
  }
}

/** The text of a reply in the thread's Slack thread, for every kind of post except the parent. */
export function renderReplyText({ kind, payload, siteUrl }: { kind: string; payload: unknown; siteUrl: string }): string {
  switch (kind) {
    case 'message': {
      const message = parsePayload(ZTextPayload.extend({ flagged: z.boolean().optional(), quote: ZQuotePayload.optional() }), payload, kind);
      const flag = message.flagged ? '\n:triangular_flag_on_post: Flagged by moderation: answered with a refusal.' : '';
      return `*Reader* ${code(message.message_id)}:\n${quoteUserText(message.text, message.length)}${message.quote ? `\n${passageLines(message.quote, siteUrl)}` : ''}${flag}`;
    }
    case 'answer': {
      const answer = parsePayload(ZAnswerPayload, payload, kind);
      const cited = new Set(answer.sources.map((source) => source.url));
      const lines = [
        `*Assistant* ${code(answer.message_id)}${answer.run_id ? ` (run ${code(answer.run_id)})` : ''}:`,
        quoteAnswer({ text: answer.text, fullLength: answer.length, siteUrl, cited }),
      ];
      if (answer.no_docs_match) lines.push(':warning: The docs did not cover this question.');
      // The sources are the answer's url citations, which the server made from its own search results.
      const sources = answer.sources.slice(0, MAX_SOURCES).map((source) => slackSourceLink(source.url, source.title ?? '', siteUrl, source.source));
      if (sources.length > 0) lines.push(`*Sources:* ${sources.join(' · ')}`);
      const searches = answer.searches
        .map(searchPrompt)
        .filter((prompt): prompt is string => prompt !== null)
        .map((prompt) => `“${slackText(oneLine(prompt, MAX_SEARCH_CHARS))}”`);
      if (searches.length > 0) lines.push(`*Searched:* ${searches.join(' · ')}`);
      return lines.join('\n');
    }
    case 'vote': {
      const vote = parsePayload(ZVotePayload, payload, kind);
      if (vote.vote === 'up') return `:thumbsup: The reader rated answer ${code(vote.message_id)} helpful.`;
      if (vote.vote === 'down') {
        const reason = vote.reason ? `\n${quoteUserText(vote.reason)}` : '';
        // A reason given after the vote is a second post about the same vote.
        if (vote.previous === 'down') return `:thumbsdown: The reader said why answer ${code(vote.message_id)} was not helpful:${reason}`;
        return `:thumbsdown: The reader rated answer ${code(vote.message_id)} not helpful.${reason}`;
      }
      return `The reader withdrew their ${vote.previous === 'down' ? ':thumbsdown:' : ':thumbsup:'} on answer ${code(vote.message_id)}.`;
    }
    case 'handoff': {
      const handoff = parsePayload(ZHandoffPayload, payload, kind);
      const mention = handoffMention(handoff.mention ?? null);
      const note = handoff.note ? `\n*Their note:*\n${quoteUserText(handoff.note)}` : '';
      return `:raising_hand: *Needs a maintainer:* the reader asked for a person${mention ? ` (${mention})` : ''}. Reply in this thread: the reader sees your reply in their conversation.${note}`;
    }
    case 'run_ended': {
      const run = parsePayload(ZRunEndedPayload, payload, kind);
      const reason = run.error?.code ?? run.error?.reason;
      const detail = run.error?.message ? `: ${slackText(oneLine(run.error.message, 300))}` : '';
      return `:warning: Run ${code(run.run_id)} ended *${escapeMrkdwn(run.status)}*${reason ? ` (${code(reason)})` : ''}${detail}`;
    }
    default:
      throw new InvalidPayloadError(`no reply text for posts of kind ${kind}`);
  }
}

/** The configured mention (HANDOFF_SLACK_MENTION) in Slack's markup; the only live mention a post ever carries. */
function handoffMention(mention: string | null): string {
  if (mention === null) return '';
  if (mention === 'here' || mention === 'channel') return `<!${mention}>`;
  return mention.startsWith('S') ? `<!subteam^${mention}>` : `<@${mention}>`;
}
