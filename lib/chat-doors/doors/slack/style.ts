import type { TChatStyle } from '../../render';
import { SLACK_SYNTAX } from '../../../slack/mrkdwn';

// How the Slack door writes (lib/chat-doors/render.ts writes every reply from it, under the chat doors' one policy):
// mrkdwn (lib/slack/mrkdwn.ts), one message per reply (chat.update rewrites it as the answer grows), and its words.

export const SEARCHING_TEXT = ':mag: Searching the docs…';
export const RETRY_WORD = 'retry';
export const HINT_TEXT =
  ':wave: Ask me anything about the docs: mention me with your question, or send it to me directly. I answer from the docs, with links to the pages I used.';
/** Slack shows up to 40,000 characters of a message's text; answers stop well before, with a note. */
export const MAX_SLACK_ANSWER_CHARS = 6000;

export const SLACK_STYLE: TChatStyle = {
  syntax: SLACK_SYNTAX,
  maxMessageChars: 40_000,
  maxAnswerChars: MAX_SLACK_ANSWER_CHARS,
  texts: {
    searching: SEARCHING_TEXT,
    writing: '_:hourglass_flowing_sand: Writing…_',
    feedback: '_React with :+1: or :-1: to tell the maintainers whether this helped._',
    cutNote: '_(cut here: the full answer is longer than a Slack message should be)_',
    notCovered: (link) => `:books: The docs don't cover this. ${link} yourself, or ask a maintainer in this channel.`,
    runEnded: (reason) => `:warning: Sorry, I couldn't finish this answer. ${reason} Reply \`${RETRY_WORD}\` in this thread to try again.`,
    refusal: (message) => `:no_entry: ${message}`,
  },
};

/** Whether a question asks to try the last one again. */
export function isRetryRequest(text: string): boolean {
  return text.trim().toLowerCase().replace(/[.!]+$/, '') === RETRY_WORD;
}
