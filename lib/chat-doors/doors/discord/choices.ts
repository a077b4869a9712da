import { enqueueQuestion } from '../../intake';
import { getChatThreadByAnswer } from '../../../db/handoffs';
import { getMessageById, listMessagesByThread } from '../../../db/messages';
import type { TDb } from '../../../db/types';
import type { TLogger } from '../../../log';
import type { TPrivacy } from '../../../privacy/mask';
import { readChoices } from '../../../shared/choices';
import type { TMessageRow } from '../../../db/rows';
import { DISCORD_DOOR } from './settings';

// Clarifying choices in Discord (issue 71 item 4): an answer that offers choices (its metadata, lib/shared/choices.ts)
// carries a row of buttons, one per choice, under its votes; a press is an interaction (signed, verified in
// ./interactions.ts) that asks the choice's question again where the answer is, as `/ask` would: the question is the
// stored answer's, read by the button's answer id and index, never text the press carries. One choice per answer, and
// only the member who asked the answered question may take it (as in Slack): anyone else is told so, alone.

/** A choice button's custom_id: `pa_choice:<index>:<answer id>`. */
export const CHOICE_PREFIX = 'pa_choice';

/** The row of choice buttons under an answer; none when it offers no choice. */
export function choiceRows(answer: TMessageRow): unknown[] {
  const choices = readChoices(answer.metadata);
  if (choices.length === 0) return [];
  return [{ type: 1, components: choices.map((choice, index) => ({ type: 2, style: 2, label: choice.label, custom_id: `${CHOICE_PREFIX}:${index}:${answer.id}` })) }];
}

export type TDiscordChoiceDeps = { db: TDb; log: TLogger; privacy?: TPrivacy; chatDoors: { wake(door: string): void } };

/** Where the press came from, as the interaction names it. */
export type TChoicePress = {
  interactionId: string;
  applicationId: string;
  token: string;
  user: string;
  channelId: string;
  guildId?: string;
  parentChannelId?: string;
  isInThread: boolean;
};

/** A press of a choice button: the question asked again (deferred, answered by the door's worker); or what to say to the presser alone. */
export async function askChoice({ deps, index, messageId, press }: { deps: TDiscordChoiceDeps; index: number; messageId: string; press: TChoicePress }): Promise<{ asked: true } | { say: string }> {
  const thread = await getChatThreadByAnswer({ db: deps.db, messageId, ownerPrefix: `${DISCORD_DOOR}:` });
  const answer = thread ? await getMessageById({ db: deps.db, owner: thread.owner, threadId: thread.thread_id, messageId }) : null;
  const choice = readChoices(answer?.metadata)[index];
  if (!thread || !choice) return { say: 'That answer is gone, so its choices cannot be asked.' };
  // The choice says what the asker meant: theirs to make, as in Slack.
  if ((await askerOf({ db: deps.db, owner: thread.owner, threadId: thread.thread_id, answerId: messageId })) !== press.user) {
    return { say: 'Only the person who asked can choose.' };
  }
  const status = await enqueueQuestion({
    deps,
    wake: () => deps.chatDoors.wake(DISCORD_DOOR),
    delivery: {
      door: DISCORD_DOOR,
      // One choice per answer: a second press is the same delivery.
      deliveryId: `choice:${messageId}`,
      kind: 'ask',
      conversationKey: press.channelId,
      queueKey: press.isInThread ? press.channelId : null,
      asker: press.user,
      text: choice.question,
      metadata: { discord_in_thread: press.isInThread, choice: choice.label },
      doorData: {
        application_id: press.applicationId,
        channel_id: press.channelId,
        ...(press.guildId ? { guild_id: press.guildId } : {}),
        ...(press.isInThread && press.parentChannelId ? { parent_channel_id: press.parentChannelId } : {}),
      },
      secret: press.token,
    },
  });
  if (status === 'duplicate') return { say: 'A choice was taken for this answer already: its answer is on its way.' };
  deps.log.info({ threadId: thread.thread_id, choice: choice.label }, 'discord: a choice asked again');
  return { asked: true };
}

/** Who asked the question `answerId` answers: the Discord user the door stored on it (discord_user); null if none. */
async function askerOf({ db, owner, threadId, answerId }: { db: TDb; owner: string; threadId: string; answerId: string }): Promise<string | null> {
  const before = await listMessagesByThread({ db, owner, threadId, limit: 20, after: answerId, order: 'desc' });
  const question = before.data.find((message) => message.role === 'user');
  const asker = question?.metadata?.discord_user;
  return typeof asker === 'string' ? asker : null;
}
