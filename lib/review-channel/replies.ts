import { z } from 'zod';
import { addMaintainerReplyBySlackThread } from '../db/maintainers';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import type { TSlackEnvelope } from '../slack/events';
import { FALLBACK_MAINTAINER_NAME, maintainerAnswerProposal, MAX_REPLY_CHARS, slackTextToMarkdown } from '../slack/text';

// Replies from Slack (a listener of lib/slack/events.ts): a member's reply in the review channel's Slack thread of
// a conversation becomes a maintainer's message in the reader's thread (the event id is kept with the reply, in one
// transaction, so Slack's retry of a callback adds nothing) and, masked and without names, a proposed maintainers'
// answer. It is the last listener: every event not taken before ends here, with the reason it is ignored.

const ZMessageEvent = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});

export type TReviewReplyDeps = {
  db: TDb;
  log: TLogger;
  config: { reviewChannel: { mode: 'disabled' } | { mode: 'enabled'; channelId: string } };
  reviewChannel: { getUserName(userId: string): Promise<string | null> };
  privacy?: TPrivacy;
};

export type TReviewReplyOutcome =
  | { type: 'ignored'; reason: string }
  | { type: 'duplicate' }
  | { type: 'unknown_thread' }
  | { type: 'reply'; threadId: string; messageId: string; owner: string };

/** A maintainer's reply in the review channel, added to the reader's conversation; else why the event is ignored. */
export async function handleReviewReply({ deps, envelope }: { deps: TReviewReplyDeps; envelope: TSlackEnvelope }): Promise<TReviewReplyOutcome> {
  const slack = deps.config.reviewChannel;
  const { botUsers } = envelope;
  const message = ZMessageEvent.safeParse(envelope.event);
  if (!message.success) return { type: 'ignored', reason: `event ${envelope.event.type}` };
  const event = message.data;
  // Edits, deletions, joins, bot posts (ours included: they carry bot_id) are not replies from a person.
  if (event.subtype !== undefined) return { type: 'ignored', reason: `subtype ${event.subtype}` };
  if (event.bot_id !== undefined || event.user === undefined || botUsers.has(event.user)) return { type: 'ignored', reason: 'not a person' };
  if (slack.mode !== 'enabled' || event.channel !== slack.channelId) return { type: 'ignored', reason: 'another channel' };
  if (event.thread_ts === undefined || event.thread_ts === event.ts) return { type: 'ignored', reason: 'not a thread reply' };
  const text = slackTextToMarkdown(event.text ?? '').slice(0, MAX_REPLY_CHARS).trim();
  if (text === '') return { type: 'ignored', reason: 'no text' };

  const name = await deps.reviewChannel.getUserName(event.user);
  const result = await addMaintainerReplyBySlackThread({
    db: deps.db,
    eventId: envelope.eventId,
    threadTs: event.thread_ts,
    slackTs: event.ts,
    text,
    author: { name: name ?? FALLBACK_MAINTAINER_NAME, slackUser: event.user },
    // Mentions are taken out of Slack's own markup (the Markdown above names people).
    proposal: maintainerAnswerProposal(slackTextToMarkdown((event.text ?? '').replace(/<[@!][^<>]*>/g, ' ')).slice(0, MAX_REPLY_CHARS), deps.privacy ?? DEFAULT_PRIVACY),
  });
  if (result.status === 'duplicate') return { type: 'duplicate' };
  if (result.status === 'unknown_thread') return { type: 'unknown_thread' };
  deps.log.info({ threadId: result.message.thread_id, messageId: result.message.id }, 'maintainer reply from Slack added');
  return { type: 'reply', threadId: result.message.thread_id, messageId: result.message.id, owner: result.owner };
}
