import { choiceRows } from './choices';
import { stopRows } from './stop';
import type { TChatDoor, TDoorStep } from '../../door';
import { audiencesOf, type TAudienceMap } from '../../audiences';
import { CHAT_HANDOFF_LABEL, chatMessages } from '../../render';
import { linkChatConversation, type TInboxRow } from '../../../db/chat-inbox';
import type { TMessageRow } from '../../../db/rows';
import { titleFromQuestion } from '../../../shared/titles';
import { isDiscordApiError, type TDiscordApi, type TDiscordMessageBody } from './client';
import { HANDOFF_PREFIX, VOTE_PREFIX } from './commands';
import { DISCORD_DOOR, discordVoter } from './interactions';
import { ownerOfGuild } from './settings';
import { discordStyle } from './style';

// Discord as a chat door (lib/chat-doors/door.ts): an interaction is answered in its deferred response, edited
// as the answer grows; asked in a server channel, a thread is started from the response (an `/ask` in that
// thread later continues the conversation: interactions are all the app hears, no Gateway); the answer comes in
// as many messages as 2,000 characters each need (the rest as follow-ups: in the thread when there is one), the
// last with 👍 / 👎 buttons. Its inbox rows keep the interaction token as their secret (valid 15 minutes, after
// which Discord takes no more edits) and the application, guild, channel and the thread started in door_data; a
// Discord thread (a channel) is one conversation.

/** `parent_channel_id`: for a question asked in a Discord thread, the channel the thread was started in (Discord says it). */
/** `mode`: 'research' when `/ask` asked for a research run (absent: quick). */
export type TDiscordData = { application_id: string; guild_id?: string; channel_id: string; parent_channel_id?: string; discord_thread_id?: string; mode?: 'research' };

/** Discord's limit on a thread's name. */
const MAX_THREAD_NAME = 100;

const discordData = (row: TInboxRow) => row.door_data as TDiscordData;

/**
 * `isHandoffOn`: a channel HANDOFF_TO names can take the conversation (isChatHandoffOn, lib/chat-doors/door.ts), so answers carry "Ask the maintainers" beside the votes. `audiences`: a
 * server's or a channel's id → its askers' audiences (DISCORD_AUDIENCES).
 */
export function createDiscordDoor({
  discordApi,
  isHandoffOn = false,
  isFeedbackRead = false,
  audiences = {},
}: {
  discordApi: TDiscordApi;
  isHandoffOn?: boolean;
  /** Someone reads votes (isChatFeedbackRead, lib/chat-doors/door.ts): the feedback line says the maintainers do. */
  isFeedbackRead?: boolean;
  audiences?: TAudienceMap;
}): TChatDoor {
  const style = discordStyle({ isFeedbackRead });
  const editOriginal = (step: TDoorStep, row: TInboxRow, body: TDiscordMessageBody) => step.call(() => discordApi.editOriginal({ token: row.secret, body }));
  return {
    name: DISCORD_DOOR,
    label: 'Discord',
    options: { backoffMaxMs: 60_000, maxAgeSeconds: 15 * 60, updateIntervalMs: 1200 },
    style,
    isHandoffOffered: isHandoffOn,
    classifyError: (error) => (isDiscordApiError(error) ? { type: error.failure, reason: error.message, retryAfterMs: error.retryAfterMs } : null),
    async question(_step, row) {
      const guildId = discordData(row).guild_id;
      return {
        isRetry: false,
        // `/ask … mode: Research` (./interactions.ts): a research run, its steps shown in the interaction's response.
        mode: discordData(row).mode === 'research' ? 'research' : 'quick',
        // The server's audiences and the channel's; in a thread, its own and its parent channel's.
        audiences: audiencesOf(audiences, [guildId, discordData(row).channel_id, discordData(row).parent_channel_id, row.conversation_key]),
        owner: ownerOfGuild(guildId),
        caller: { sessionId: discordVoter(row.asker), ip: ownerOfGuild(guildId) },
        messageMetadata: { discord_interaction_id: row.delivery_id, discord_user: row.asker },
        conversation: {
          metadata: { threadTitle: titleFromQuestion(row.text), source: 'discord', discord_channel: row.conversation_key, ...(guildId ? { discord_guild: guildId } : {}) },
          doorData: guildId ? { guild_id: guildId } : {},
          // A question starts a conversation of its own; the Discord thread started from its answer is linked to it (afterReply).
          isKept: false,
        },
      };
    },
    post: async (step, row, text) => (await editOriginal(step, row, { content: text })).id,
    edit: async (step, row, text, { stopRunId } = {}) => {
      // A research run's progress carries Stop (./stop.ts takes the press); the final reply's `components` drop it.
      await editOriginal(step, row, { content: text, ...(stopRunId ? { components: stopRows(stopRunId) } : {}) });
    },
    async afterReply(step, row, threadId) {
      if (discordData(row).discord_thread_id !== undefined) return {};
      return { door_data: { discord_thread_id: await startThread(discordApi, step, row, threadId) } };
    },
    async deliver(step, row, { text, answer, isAnswered }) {
      const parts = chatMessages(style, text);
      const buttons = isAnswered && answer && answer.metadata?.refusal !== true ? voteButtons(answer, isHandoffOn) : undefined;
      const bodyOf = (index: number): TDiscordMessageBody => ({ content: parts[index] as string, ...(index === parts.length - 1 && buttons ? { components: buttons } : { components: [] }) });
      if (row.posted_parts === 0) {
        await editOriginal(step, row, bodyOf(0));
        await step.step(row, { posted_parts: 1, posted_text: parts[0] });
      }
      for (let index = row.posted_parts; index < parts.length; index++) {
        const body = bodyOf(index);
        const threadChannel = discordData(row).discord_thread_id;
        const token = row.secret;
        const postFollowUp = () => step.call(() => discordApi.postFollowUp({ token, body }));
        if (threadChannel && threadChannel !== row.conversation_key) {
          // Without "Send Messages in Threads" the rest still comes, as the interaction's follow-ups.
          await step.call(() => discordApi.postMessage({ channelId: threadChannel, body })).catch((error: unknown) => {
            if (!isDiscordApiError(error) || error.failure !== 'permanent') throw error;
            step.deps.log.warn({ inboxId: row.id, reason: error.message }, 'discord: could not post in the thread; following up in the channel');
            return postFollowUp();
          });
        } else await postFollowUp();
        await step.step(row, { posted_parts: index + 1 });
      }
      return {};
    },
  };
}

/**
 * The Discord thread the conversation goes on in: the one it was asked in, a new one started from the response
 * (a question in a server channel), or none ('': a direct message, or the bot may not create threads there).
 */
async function startThread(discordApi: TDiscordApi, step: TDoorStep, row: TInboxRow, threadId: string): Promise<string> {
  const { deps } = step;
  const guildId = discordData(row).guild_id ?? null;
  const link = (channelId: string) =>
    linkChatConversation({ db: deps.db, door: DISCORD_DOOR, conversationKey: channelId, threadId, asker: row.asker, doorData: guildId ? { guild_id: guildId } : {} });
  if (row.metadata.discord_in_thread === true || row.conversation) {
    await link(row.conversation_key);
    return row.conversation_key;
  }
  if (!guildId || !row.reply_id) return '';
  const messageId = row.reply_id;
  try {
    const name = titleFromQuestion(row.text).slice(0, MAX_THREAD_NAME) || 'Question';
    const thread = await step.call(() => discordApi.startThread({ channelId: row.conversation_key, messageId, name }));
    await link(thread.id);
    return thread.id;
  } catch (error) {
    // Without "Create Public Threads" the answer still comes, in the channel; anything passing is retried.
    if (!isDiscordApiError(error) || error.failure !== 'permanent') throw error;
    deps.log.warn({ inboxId: row.id, reason: error.message }, 'discord: could not start a thread; answering in the channel');
    return '';
  }
}

/** 👍 / 👎 under an answer, and "Ask the maintainers" where hand-offs are on; the custom_id names the answer (the votes' key), never the reader. */
function voteButtons(answer: TMessageRow, isHandoffOn: boolean): unknown[] {
  const button = (vote: 'up' | 'down', emoji: string, label: string) => ({ type: 2, style: 2, emoji: { name: emoji }, label, custom_id: `${VOTE_PREFIX}:${vote}:${answer.id}` });
  const handoff = { type: 2, style: 1, label: CHAT_HANDOFF_LABEL, custom_id: `${HANDOFF_PREFIX}:${answer.id}` };
  // The clarifying choices (./choices.ts), when the answer offers them, in a row of their own under the votes.
  return [{ type: 1, components: [button('up', '👍', 'Helpful'), button('down', '👎', 'Not helpful'), ...(isHandoffOn ? [handoff] : [])] }, ...choiceRows(answer)];
}
