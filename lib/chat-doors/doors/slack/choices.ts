import { enqueueQuestion } from '../../intake';
import { plainText } from '../../render';
import { SLACK_SYNTAX } from '../../../slack/mrkdwn';
import { getMessageById } from '../../../db/messages';
import type { TDb } from '../../../db/types';
import type { TLogger } from '../../../log';
import type { TPrivacy } from '../../../privacy/mask';
import { readChoices } from '../../../shared/choices';
import type { TSlackAction, TSlackActionOutcome } from '../../../slack/interactivity';
import { findClickedAnswer } from './clicked-answer';
import { slackConversationKey } from './intake';
import { SLACK_DOOR, type TSlackDoorSettings } from './settings';
import { CHOICE_ACTION_PREFIX } from './style';

// Clarifying choices in Slack (issue 71 item 4): an answer that offers choices (its metadata, lib/shared/choices.ts)
// carries one button per choice (./style.ts answerBlocks, CHOICE_ACTION_PREFIX); POST /api/slack/interactivity, its signature verified
// (lib/slack/interactivity.ts), brings the click here, and the choice's question is asked again in the same Slack
// thread, as the member's next question (the inbox, the door's worker). The question is the stored answer's, read
// from the database by the button's answer id and index: nothing the click carries becomes the question. One choice
// per answer: a second click is the same delivery, and is said to be taken already. Once a choice is taken, the
// message loses its choice buttons for everyone (the hand-off's button, where there is one, stays): the message's
// blocks as Slack sent them with the click, less the choices, through the click's response_url (replace_original).

export type TSlackChoiceDeps = {
  db: TDb;
  log: TLogger;
  privacy?: TPrivacy;
  chatDoors: { wake(door: string): void };
  config: { chatDoors: { slack: TSlackDoorSettings | null } };
};

const GONE = 'That answer is gone, so its choices cannot be asked.';

/** A choice button: the question asked again in the thread; what to tell the member; null for an action that is not a choice. */
export async function handleSlackChoiceAction({ deps, action }: { deps: TSlackChoiceDeps; action: TSlackAction }): Promise<TSlackActionOutcome | null> {
  const match = new RegExp(`^${CHOICE_ACTION_PREFIX}(\\d)$`).exec(action.actionId);
  if (!match) return null;
  const say = (reply: string) => ({ reply });
  if (!deps.config.chatDoors.slack) return say('This workspace does not answer questions here.');
  const clicked = await findClickedAnswer({ db: deps.db, action });
  if (clicked.outcome === 'gone') return say(GONE);
  // The choice says what the asker meant: theirs to make, as their follow-ups are.
  if (clicked.outcome === 'not_asker') return say('Only the member who asked in this thread can choose what they meant.');
  const { conversation, owner, answerId } = clicked;
  const { teamId, userId, channelId, threadTs } = action;
  const conversationKey = slackConversationKey({ teamId, channelId, threadTs });
  const answer = await getMessageById({ db: deps.db, owner, threadId: conversation.thread_id, messageId: answerId });
  const choice = readChoices(answer?.metadata)[Number(match[1])];
  if (!choice) return say(GONE);
  const status = await enqueueQuestion({
    deps,
    wake: () => deps.chatDoors.wake(SLACK_DOOR),
    delivery: {
      door: SLACK_DOOR,
      // One choice per answer: its message's clicks are one delivery.
      deliveryId: `${teamId}:${channelId}:${action.messageTs}:choice`,
      kind: 'question',
      conversationKey,
      queueKey: conversationKey,
      asker: userId,
      text: choice.question,
      metadata: { choice: choice.label },
      doorData: {
        event_id: `choice:${action.messageTs}`,
        team_id: teamId,
        channel_id: channelId,
        channel_type: conversation.door_data.channel_type ?? 'channel',
        thread_ts: threadTs,
        message_ts: action.messageTs,
      },
    },
  });
  if (status === 'duplicate') return say('You have chosen for this answer already: its answer comes in the thread.');
  deps.log.info({ threadId: conversation.thread_id, choice: choice.label }, 'slack: a choice asked again');
  return { ...say(`Asking about ${plainText(SLACK_SYNTAX, choice.label)} in the thread…`), ...withoutChoices(action.message) };
}

/** The message without its choice buttons (an actions row left empty goes too); nothing when it had none. */
export function withoutChoices(message: TSlackAction['message']): Pick<TSlackActionOutcome, 'replaceMessage'> {
  if (!message) return {};
  const isChoice = (element: unknown) => typeof (element as { action_id?: unknown }).action_id === 'string' && (element as { action_id: string }).action_id.startsWith(CHOICE_ACTION_PREFIX);
  let isChanged = false;
  const blocks = message.blocks.flatMap((block) => {
    if (block.type !== 'actions' || !Array.isArray(block.elements)) return [block];
    const kept = (block.elements as unknown[]).filter((element) => !isChoice(element));
    if (kept.length === block.elements.length) return [block];
    isChanged = true;
    return kept.length === 0 ? [] : [{ ...block, elements: kept }];
  });
  return isChanged ? { replaceMessage: { text: message.text, blocks } } : {};
}
