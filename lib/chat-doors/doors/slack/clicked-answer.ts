import { getChatConversation, type TChatConversation } from '../../../db/chat-inbox';
import { getChatThreadByAnswer } from '../../../db/handoffs';
import type { TDb } from '../../../db/types';
import type { TSlackAction } from '../../../slack/interactivity';
import { ownerOfTeam } from './door';
import { slackConversationKey } from './intake';
import { SLACK_DOOR } from './settings';

// A button under an answer (the hand-off's, a clarifying choice's) names its answer by id: the click counts only in
// the Slack thread that answer is in, in its workspace, and only from the member who asked there.

export type TClickedAnswer =
  | { outcome: 'found'; conversation: TChatConversation; owner: string; answerId: string }
  | { outcome: 'gone' }
  | { outcome: 'not_asker' };

/** The conversation of the clicked button's answer, its owner; 'gone' when the answer is not this thread's. */
export async function findClickedAnswer({ db, action }: { db: TDb; action: TSlackAction }): Promise<TClickedAnswer> {
  const { teamId, userId, channelId, threadTs } = action;
  const conversation = await getChatConversation({ db, door: SLACK_DOOR, conversationKey: slackConversationKey({ teamId, channelId, threadTs }) });
  if (!conversation) return { outcome: 'gone' };
  if (conversation.asker !== userId) return { outcome: 'not_asker' };
  const owner = ownerOfTeam(teamId);
  const answer = action.value ? await getChatThreadByAnswer({ db, messageId: action.value, ownerPrefix: owner }) : null;
  if (!answer || !action.value || answer.owner !== owner || answer.thread_id !== conversation.thread_id) return { outcome: 'gone' };
  return { outcome: 'found', conversation, owner, answerId: action.value };
}
