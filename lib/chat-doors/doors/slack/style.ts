import { CHAT_HANDOFF_LABEL, splitMessage, type TChatStyle } from '../../render';
import { STOP_LABEL } from '../../stop';
import type { TSlackBlock } from '../../../slack/client';
import { SLACK_SYNTAX } from '../../../slack/mrkdwn';
import type { TChoice } from '../../../shared/choices';

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

/** The line under an answer where nobody reads votes (isChatFeedbackRead, lib/chat-doors/door.ts): a vote, no reader promised. */
export const FEEDBACK_UNREAD_TEXT = '_Did this help? React with :+1: or :-1:._';

/** The door's style as configured: the feedback line promises the maintainers only where they read votes. */
export function slackStyle({ isFeedbackRead }: { isFeedbackRead: boolean }): TChatStyle {
  return isFeedbackRead ? SLACK_STYLE : { ...SLACK_STYLE, texts: { ...SLACK_STYLE.texts, feedback: FEEDBACK_UNREAD_TEXT } };
}

/** Whether a question asks to try the last one again. */
export function isRetryRequest(text: string): boolean {
  return text.trim().toLowerCase().replace(/[.!]+$/, '') === RETRY_WORD;
}

/** The action_id of "Ask the maintainers" under an answer (its value: the answer's id); POST /api/slack/interactivity brings the click (./actions.ts). */
export const HANDOFF_ACTION_ID = 'pa_handoff';
/** A clarifying choice's button (./choices.ts): action_id this prefix, then the choice's index; its value is the answer's id. */
export const CHOICE_ACTION_PREFIX = 'pa_choice_';
/** Stop under a research run's progress (lib/chat-doors/stop.ts): its value is the run's id; ./stop.ts takes the click. */
export const STOP_ACTION_ID = 'pa_stop';
/** Slack's limit on a section block's text. */
const MAX_SECTION_CHARS = 3000;
/** Slack's limit on a message's blocks (one is the buttons' row). */
const MAX_SECTIONS = 49;

/** The text in mrkdwn sections (`verbatim`: Slack links nothing we did not write as a link), as many as Slack takes. */
function sectionBlocks(text: string): TSlackBlock[] {
  return splitMessage(text, MAX_SECTION_CHARS)
    .slice(0, MAX_SECTIONS)
    .map((part): TSlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: part, verbatim: true } }));
}

/** A research run's progress as Block Kit blocks: its text, then Stop naming the run (the message's `text` stays the progress, for notifications). */
export function progressBlocks(text: string, runId: string): TSlackBlock[] {
  const stop = { type: 'button', action_id: STOP_ACTION_ID, text: { type: 'plain_text', text: STOP_LABEL }, value: runId };
  return [...sectionBlocks(text), { type: 'actions', elements: [stop] }];
}

/**
 * An answer as Block Kit blocks: its text in mrkdwn sections (`verbatim`: Slack links nothing we did not write as a
 * link), then one row of buttons: a button per clarifying choice (./choices.ts) and, where hand-offs are on, "Ask the
 * maintainers". The message's `text` stays the whole answer, for notifications.
 */
export function answerBlocks(text: string, answerId: string, { isHandoffOn = true, choices = [] }: { isHandoffOn?: boolean; choices?: TChoice[] } = {}): TSlackBlock[] {
  const sections = sectionBlocks(text);
  const handoff = { type: 'button', action_id: HANDOFF_ACTION_ID, text: { type: 'plain_text', text: CHAT_HANDOFF_LABEL }, value: answerId };
  const choiceButtons = choices.map((choice, index) => ({ type: 'button', action_id: `${CHOICE_ACTION_PREFIX}${index}`, text: { type: 'plain_text', text: choice.label }, value: answerId }));
  const buttons = [...choiceButtons, ...(isHandoffOn ? [handoff] : [])];
  return buttons.length === 0 ? sections : [...sections, { type: 'actions', elements: buttons }];
}
