import type { TDb } from './types';

// Answers in Discord (supabase/schemas/55_discord.sql): the inbox of interactions to answer, worked under a
// lease; Discord threads as assistant threads; the answers' 👍 / 👎 buttons as votes.

export type TDiscordInteractionKind = 'ask' | 'ask_message';
export type TDiscordInteractionStatus = 'pending' | 'done' | 'failed';

export type TDiscordInteractionRow = {
  id: string;
  application_id: string;
  /** The interaction token: a credential for Discord's webhook, valid 15 minutes; '' once the row ended. */
  token: string;
  kind: TDiscordInteractionKind;
  guild_id: string | null;
  channel_id: string;
  discord_user: string;
  text: string;
  metadata: Record<string, unknown>;
  status: TDiscordInteractionStatus;
  outcome: string | null;
  thread_id: string | null;
  run_id: string | null;
  /** The deferred response's message, once written. */
  message_id: string | null;
  /** The Discord thread started from the response (a question asked in a guild channel). */
  discord_thread_id: string | null;
  posted_text: string | null;
  posted_parts: number;
  attempts: number;
  created_at: string;
  /** The conversation of the Discord thread the question was asked in, when it was asked in one of ours. */
  conversation: { thread_id: string; asker: string } | null;
};

export type TDiscordInteractionChanges = Partial<
  Pick<TDiscordInteractionRow, 'message_id' | 'discord_thread_id' | 'posted_text' | 'posted_parts' | 'thread_id' | 'run_id' | 'outcome'> & {
    last_error: string;
    status: TDiscordInteractionStatus;
  }
>;

export function recordDiscordInteraction({
  db,
  id,
  applicationId,
  token,
  kind,
  guildId,
  channelId,
  user,
  text,
  metadata,
}: {
  db: TDb;
  id: string;
  applicationId: string;
  token: string;
  kind: TDiscordInteractionKind;
  guildId: string | null;
  channelId: string;
  user: string;
  text: string;
  metadata: Record<string, unknown>;
}) {
  return db.rpc<{ status: 'queued' | 'duplicate' }>('record_discord_interaction', {
    p_id: id,
    p_application_id: applicationId,
    p_token: token,
    p_kind: kind,
    p_guild_id: guildId,
    p_channel_id: channelId,
    p_user: user,
    p_text: text,
    p_metadata: metadata,
  });
}

export function claimDiscordInteractionBatch({ db, worker, limit, leaseSeconds }: { db: TDb; worker: string; limit: number; leaseSeconds: number }) {
  return db.rpc<TDiscordInteractionRow[]>('claim_discord_interaction_batch', { p_worker: worker, p_limit: limit, p_lease_seconds: leaseSeconds });
}

export function renewDiscordInteractionLeaseById({ db, id, worker, leaseSeconds }: { db: TDb; id: string; worker: string; leaseSeconds: number }) {
  return db.rpc<boolean>('renew_discord_interaction_lease_by_id', { p_id: id, p_worker: worker, p_lease_seconds: leaseSeconds });
}

export function updateDiscordInteractionById({ db, id, worker, changes }: { db: TDb; id: string; worker: string; changes: TDiscordInteractionChanges }) {
  return db.rpc<TDiscordInteractionRow | null>('update_discord_interaction_by_id', { p_id: id, p_worker: worker, p_changes: changes });
}

export function retryDiscordInteractionById({
  db,
  id,
  worker,
  delayMs,
  error,
  maxAgeSeconds,
}: {
  db: TDb;
  id: string;
  worker: string;
  delayMs: number;
  error: string;
  maxAgeSeconds: number;
}) {
  return db.rpc<'pending' | 'failed' | null>('retry_discord_interaction_by_id', {
    p_id: id,
    p_worker: worker,
    p_delay_ms: Math.round(delayMs),
    p_error: error,
    p_max_age_seconds: maxAgeSeconds,
  });
}

export function releaseDiscordInteractionLeasesOfOtherWorkers({ db, worker }: { db: TDb; worker: string }) {
  return db.rpc<number>('release_discord_interaction_leases_of_other_workers', { p_worker: worker });
}

export function pruneDiscordInteractions({ db, keepDays }: { db: TDb; keepDays: number }) {
  return db.rpc<number>('prune_discord_interactions', { p_keep_days: keepDays });
}

export function openDiscordConversation({ db, channelId, guildId, metadata }: { db: TDb; channelId: string; guildId: string | null; metadata: Record<string, unknown> }) {
  return db.rpc<{ thread_id: string; is_new: boolean }>('open_discord_conversation', { p_channel_id: channelId, p_guild_id: guildId, p_metadata: metadata });
}

export function linkDiscordConversation({ db, channelId, guildId, threadId, asker }: { db: TDb; channelId: string; guildId: string | null; threadId: string; asker: string }) {
  return db.rpc<boolean>('link_discord_conversation', { p_channel_id: channelId, p_guild_id: guildId, p_thread_id: threadId, p_asker: asker });
}

export type TDiscordVoteResult = { status: 'set'; thread_id: string; message_id: string; vote: 'up' | 'down' } | { status: 'unknown' };

export function setMessageVoteByDiscordButton({ db, messageId, voter, vote }: { db: TDb; messageId: string; voter: string; vote: 'up' | 'down' }) {
  return db.rpc<TDiscordVoteResult>('set_message_vote_by_discord_button', { p_message_id: messageId, p_voter: voter, p_vote: vote });
}
