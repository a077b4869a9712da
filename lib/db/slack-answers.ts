import type { TMessageRow } from './rows';
import type { TMaintainerAnswerProposal } from './maintainer-answers';
import type { TDb } from './types';

// Answers in Slack (supabase/schemas/52_slack_answers.sql): the inbox of Slack messages
// to act on, worked under a lease; Slack threads as assistant threads; reactions as votes; maintainers' replies
// in an answered thread.

export type TSlackInboxKind = 'question' | 'thread_message';
export type TSlackChannelType = 'channel' | 'im';

export type TSlackInboxRow = {
  id: number;
  event_id: string;
  kind: TSlackInboxKind;
  team_id: string;
  channel_id: string;
  channel_type: TSlackChannelType;
  /** The ts of the Slack thread's first message. */
  thread_ts: string;
  message_ts: string;
  slack_user: string;
  text: string;
  metadata: Record<string, unknown>;
  status: 'pending' | 'done' | 'failed';
  outcome: string | null;
  thread_id: string | null;
  run_id: string | null;
  /** The app's reply in Slack ("Searching the docs…", then the answer). */
  reply_ts: string | null;
  posted_text: string | null;
  attempts: number;
  created_at: string;
  /** The Slack thread's assistant thread, once it has one. */
  conversation: { thread_id: string; asker: string; channel_type: TSlackChannelType } | null;
};

export type TSlackInboxChanges = Partial<
  Pick<TSlackInboxRow, 'kind' | 'reply_ts' | 'posted_text' | 'thread_id' | 'run_id' | 'outcome'> & { last_error: string; status: 'pending' | 'done' | 'failed' }
>;

export function recordSlackInbox({
  db,
  eventId,
  kind,
  teamId,
  channelId,
  channelType,
  threadTs,
  messageTs,
  user,
  text,
  metadata,
}: {
  db: TDb;
  eventId: string;
  kind: TSlackInboxKind;
  teamId: string;
  channelId: string;
  channelType: TSlackChannelType;
  threadTs: string;
  messageTs: string;
  user: string;
  text: string;
  metadata: Record<string, unknown>;
}) {
  return db.rpc<{ status: 'queued'; id: number } | { status: 'duplicate' }>('record_slack_inbox', {
    p_event_id: eventId,
    p_kind: kind,
    p_team_id: teamId,
    p_channel_id: channelId,
    p_channel_type: channelType,
    p_thread_ts: threadTs,
    p_message_ts: messageTs,
    p_user: user,
    p_text: text,
    p_metadata: metadata,
  });
}

export type TSlackConversationRow = { team_id: string; channel_id: string; thread_ts: string; thread_id: string; channel_type: TSlackChannelType; asker: string };

export function getSlackConversation({ db, teamId, channelId, threadTs }: { db: TDb; teamId: string; channelId: string; threadTs: string }) {
  return db.rpc<TSlackConversationRow | null>('get_slack_conversation', { p_team_id: teamId, p_channel_id: channelId, p_thread_ts: threadTs });
}

export function claimSlackInboxBatch({ db, worker, limit, leaseSeconds }: { db: TDb; worker: string; limit: number; leaseSeconds: number }) {
  return db.rpc<TSlackInboxRow[]>('claim_slack_inbox_batch', { p_worker: worker, p_limit: limit, p_lease_seconds: leaseSeconds });
}

export function renewSlackInboxLeaseById({ db, id, worker, leaseSeconds }: { db: TDb; id: number; worker: string; leaseSeconds: number }) {
  return db.rpc<boolean>('renew_slack_inbox_lease_by_id', { p_id: id, p_worker: worker, p_lease_seconds: leaseSeconds });
}

/** The row after the change, or null when this worker no longer holds its lease. */
export function updateSlackInboxById({ db, id, worker, changes }: { db: TDb; id: number; worker: string; changes: TSlackInboxChanges }) {
  return db.rpc<TSlackInboxRow | null>('update_slack_inbox_by_id', { p_id: id, p_worker: worker, p_changes: changes });
}

export function retrySlackInboxById({
  db,
  id,
  worker,
  delayMs,
  error,
  maxAgeSeconds,
}: {
  db: TDb;
  id: number;
  worker: string;
  delayMs: number;
  error: string;
  maxAgeSeconds: number;
}) {
  return db.rpc<'pending' | 'failed' | null>('retry_slack_inbox_by_id', {
    p_id: id,
    p_worker: worker,
    p_delay_ms: Math.round(delayMs),
    p_error: error,
    p_max_age_seconds: maxAgeSeconds,
  });
}

export function releaseSlackInboxLeasesOfOtherWorkers({ db, worker }: { db: TDb; worker: string }) {
  return db.rpc<number>('release_slack_inbox_leases_of_other_workers', { p_worker: worker });
}

export function pruneSlackInbox({ db, keepDays }: { db: TDb; keepDays: number }) {
  return db.rpc<number>('prune_slack_inbox', { p_keep_days: keepDays });
}

export function openSlackConversation({
  db,
  teamId,
  channelId,
  threadTs,
  channelType,
  asker,
  metadata,
}: {
  db: TDb;
  teamId: string;
  channelId: string;
  threadTs: string;
  channelType: TSlackChannelType;
  asker: string;
  metadata: Record<string, string>;
}) {
  return db.rpc<{ thread_id: string; asker: string; channel_type: TSlackChannelType; is_new: boolean }>('open_slack_conversation', {
    p_team_id: teamId,
    p_channel_id: channelId,
    p_thread_ts: threadTs,
    p_channel_type: channelType,
    p_asker: asker,
    p_metadata: metadata,
  });
}

export type TSlackVoteResult =
  | { status: 'set'; thread_id: string; message_id: string; vote: 'up' | 'down' | null }
  | { status: 'unknown' }
  | { status: 'not_answered' };

export function setMessageVoteBySlackReply({
  db,
  teamId,
  channelId,
  replyTs,
  voter,
  vote,
  previous = null,
}: {
  db: TDb;
  teamId: string;
  channelId: string;
  replyTs: string;
  voter: string;
  vote: 'up' | 'down' | null;
  previous?: 'up' | 'down' | null;
}) {
  return db.rpc<TSlackVoteResult>('set_message_vote_by_slack_reply', {
    p_team_id: teamId,
    p_channel_id: channelId,
    p_reply_ts: replyTs,
    p_voter: voter,
    p_vote: vote,
    p_previous: previous,
  });
}

export type TConversationReplyResult = { status: 'added'; message: TMessageRow; owner: string } | { status: 'duplicate' } | { status: 'unknown_thread' };

export function addMaintainerReplyBySlackConversation({
  db,
  teamId,
  channelId,
  threadTs,
  slackTs,
  text,
  author,
  proposal = null,
}: {
  db: TDb;
  teamId: string;
  channelId: string;
  threadTs: string;
  slackTs: string;
  text: string;
  author: { name: string | null; slackUser: string };
  /** The reply as a proposed maintainers' answer, masked and without names (lib/maintainers/answers.ts); null: none. */
  proposal?: TMaintainerAnswerProposal | null;
}) {
  return db.rpc<TConversationReplyResult>('add_maintainer_reply_by_slack_conversation', {
    p_team_id: teamId,
    p_channel_id: channelId,
    p_thread_ts: threadTs,
    p_slack_ts: slackTs,
    p_text: text,
    p_author: { name: author.name, slack_user: author.slackUser },
    p_proposal: proposal,
  });
}
