import { z } from 'zod';
import { enqueueQuestion } from '../../intake';
import { getChatConversation } from '../../../db/chat-inbox';
import { setMessageVoteBySlackReply, type TSlackChannelType, type TSlackInboxKind } from '../../../db/slack-answers';
import type { TDb } from '../../../db/types';
import type { TLogger } from '../../../log';
import type { TPrivacy } from '../../../privacy/mask';
import type { TSlackEnvelope } from '../../../slack/events';
import { slackTextToMarkdown } from '../../../slack/text';
import { SLACK_DOOR, type TSlackDoorSettings } from './settings';

// What POST /api/slack/events (lib/slack/events.ts) does with an event for the answers in Slack, within Slack's three seconds: it
// decides cheaply (no call to Slack, no model) what the event is, and writes it down. A question or a message in
// an answered thread becomes one row of the chat doors' inbox (lib/chat-doors/worker.ts answers it from there, on whichever
// instance takes its lease); a 👍 / 👎 reaction on an answer is a vote at once.
//
//   app_mention in a channel (not the review channel; in SLACK_ANSWER_CHANNELS when set) → a question
//   message in a direct message (channel_type im)                                        → a question
//   message in a thread the app answers in: mentioning the app → a question; else → a thread message
//   reaction_added / reaction_removed of +1 / -1 on the app's reply                       → a vote
//
// Never the app itself or another bot (bot_id, or a user the envelope names as a bot), nor edits, deletions
// and other subtypes.

const ZMessageLike = z.object({
  type: z.string(),
  subtype: z.string().optional(),
  channel: z.string().min(1).max(40),
  channel_type: z.string().optional(),
  user: z.string().min(1).max(40).optional(),
  bot_id: z.string().optional(),
  text: z.string().max(40_000).optional(),
  ts: z.string().min(1).max(40),
  thread_ts: z.string().min(1).max(40).optional(),
});

const ZReaction = z.object({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: z.string().min(1).max(40),
  reaction: z.string().max(100),
  item: z.object({ type: z.string(), channel: z.string().min(1).max(40).optional(), ts: z.string().min(1).max(40).optional() }),
});

export type TAnswerEventDeps = {
  db: TDb;
  log: TLogger;
  privacy?: TPrivacy;
  /** Something was written to a door's inbox: work it soon, here or on another instance. */
  chatDoors: { wake(door: string): void };
};

export type TAnswerEventOutcome =
  | { type: 'queued'; kind: TSlackInboxKind }
  | { type: 'duplicate' }
  | { type: 'vote'; vote: 'up' | 'down' | null; status: string }
  | { type: 'ignored'; reason: string };

export type TAnswerEnvelope = TSlackEnvelope;

export { SLACK_DOOR };

/** A Slack thread as a conversation of the inbox. */
export const slackConversationKey = ({ teamId, channelId, threadTs }: { teamId: string; channelId: string; threadTs: string }) => `${teamId}:${channelId}:${threadTs}`;

const UP = new Set(['+1', 'thumbsup']);
const DOWN = new Set(['-1', 'thumbsdown']);

/** The Slack door's listener of Slack's events (lib/slack/events.ts): its questions and votes; null for the rest, or when the door is off. */
export async function handleSlackDoorEvent({
  deps,
  envelope,
}: {
  deps: TAnswerEventDeps & { config: { chatDoors: { slack: TSlackDoorSettings | null } } };
  envelope: TAnswerEnvelope;
}): Promise<TAnswerEventOutcome | null> {
  const answers = deps.config.chatDoors.slack;
  return answers ? handleAnswerEvent({ deps, answers, reviewChannelId: answers.reviewChannelId, envelope }) : null;
}

/**
 * The event as the answers in Slack see it, or null when it is not theirs (a message outside answered
 * threads: the review channel's handler decides about it).
 */
export async function handleAnswerEvent({
  deps,
  answers,
  reviewChannelId,
  envelope,
}: {
  deps: TAnswerEventDeps;
  answers: TSlackDoorSettings;
  reviewChannelId: string;
  envelope: TAnswerEnvelope;
}): Promise<TAnswerEventOutcome | null> {
  const { event, teamId, botUsers } = envelope;
  if (event.type === 'reaction_added' || event.type === 'reaction_removed') return handleReaction({ deps, envelope });
  if (event.type !== 'app_mention' && event.type !== 'message') return null;
  const parsed = ZMessageLike.safeParse(event);
  if (!parsed.success) return null;
  const message = parsed.data;
  const isDirect = message.type === 'message' && message.channel_type === 'im';
  const threadTs = message.thread_ts ?? message.ts;
  if (message.type === 'message' && !isDirect) {
    // A channel message is the app's only in a thread it answers in (else the review channel's handler decides).
    if (message.channel === reviewChannelId || message.thread_ts === undefined || message.thread_ts === message.ts) return null;
    const conversationKey = slackConversationKey({ teamId, channelId: message.channel, threadTs });
    if (!(await getChatConversation({ db: deps.db, door: SLACK_DOOR, conversationKey }))) return null;
  }
  // A thread reply also sent to the channel is still a reply; every other subtype is not a person writing.
  if (message.subtype !== undefined && message.subtype !== 'thread_broadcast') return { type: 'ignored', reason: `subtype ${message.subtype}` };
  if (message.bot_id !== undefined || message.user === undefined || botUsers.has(message.user)) return { type: 'ignored', reason: 'not a person' };
  if (!isDirect) {
    if (message.channel === reviewChannelId) return { type: 'ignored', reason: 'the review channel' };
    if (answers.channels && !answers.channels.includes(message.channel)) return { type: 'ignored', reason: 'a channel without answers' };
  }
  const raw = message.text ?? '';
  const isMention = message.type === 'app_mention' || [...botUsers].some((id) => raw.includes(`<@${id}>`) || raw.includes(`<@${id}|`));
  const kind: TSlackInboxKind = isDirect || isMention ? 'question' : 'thread_message';
  const channelType: TSlackChannelType = isDirect ? 'im' : 'channel';
  const conversationKey = slackConversationKey({ teamId, channelId: message.channel, threadTs });
  const status = await enqueueQuestion({
    deps,
    wake: () => deps.chatDoors.wake(SLACK_DOOR),
    delivery: {
      door: SLACK_DOOR,
      // One row per message, whichever event or retry of an event brought it: Slack's retries and the
      // app_mention + message pair of one message make one answer.
      deliveryId: `${teamId}:${message.channel}:${message.ts}`,
      kind,
      conversationKey,
      // A Slack thread's questions are answered in order, one at a time.
      queueKey: conversationKey,
      asker: message.user,
      text: questionText(raw, botUsers),
      metadata: {},
      doorData: { event_id: envelope.eventId, team_id: teamId, channel_id: message.channel, channel_type: channelType, thread_ts: threadTs, message_ts: message.ts },
    },
  });
  if (status === 'duplicate') return { type: 'duplicate' };
  return { type: 'queued', kind };
}

async function handleReaction({ deps, envelope }: { deps: TAnswerEventDeps; envelope: TAnswerEnvelope }): Promise<TAnswerEventOutcome> {
  const parsed = ZReaction.safeParse(envelope.event);
  if (!parsed.success) return { type: 'ignored', reason: 'malformed reaction' };
  const reaction = parsed.data;
  const name = reaction.reaction.split('::')[0] ?? '';
  const vote = UP.has(name) ? 'up' : DOWN.has(name) ? 'down' : null;
  if (vote === null) return { type: 'ignored', reason: 'not a vote' };
  if (reaction.item.type !== 'message' || !reaction.item.channel || !reaction.item.ts) return { type: 'ignored', reason: 'not on a message' };
  if (envelope.botUsers.has(reaction.user)) return { type: 'ignored', reason: 'not a person' };
  const isAdded = reaction.type === 'reaction_added';
  const result = await setMessageVoteBySlackReply({
    db: deps.db,
    teamId: envelope.teamId,
    channelId: reaction.item.channel,
    replyTs: reaction.item.ts,
    voter: slackVoter(envelope.teamId, reaction.user),
    vote: isAdded ? vote : null,
    previous: isAdded ? null : vote,
  });
  if (result.status === 'set') deps.log.info({ threadId: result.thread_id, messageId: result.message_id, vote: result.vote }, 'vote from a Slack reaction');
  return { type: 'vote', vote: result.status === 'set' ? result.vote : null, status: result.status };
}

/** Who a Slack member is as a voter: one vote per answer per member, as one per session on the site. */
export function slackVoter(teamId: string, userId: string): string {
  return `slack:${teamId}:${userId}`;
}

/** The question as the assistant reads it: the app's own mention taken out, Slack's markup as Markdown. */
export function questionText(raw: string, botUsers: Set<string>): string {
  // Mentions are found by Slack's own shape and compared as strings: an id from the envelope is data, never a pattern.
  let text = raw.replace(/<@([^|>\s]+)(\|[^>]*)?>/g, (mention, id: string) => (botUsers.has(id) ? ' ' : mention));
  // Without authorizations, a mention that opens the message is the app's (app_mention says so).
  if (botUsers.size === 0) text = text.replace(/^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/, ' ');
  return slackTextToMarkdown(text).replace(/[ \t]+/g, ' ').trim();
}
