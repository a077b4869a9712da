import type { TAllowance, TBucketSpec } from './limits';
import type { TMaintainerAnswerProposal } from './maintainer-answers';
import type { TMessageRow } from './rows';
import type { TDb } from './types';

// Hand-offs to the maintainers (supabase/schemas/65_handoffs.sql): created and listed by the conversation's owner
// (404 otherwise); replies from GitHub deduplicated by delivery and comment; e-mails of replies claimed in batches.
// Rows never carry the reader's address, only `has_email` and whether it is confirmed; claimHandoffEmails and
// claimHandoffConfirmations are the reads that return it, to send mail.

export type THandoffChannel = 'github' | 'slack' | 'email';

export type THandoffRow = {
  id: number;
  thread_id: string;
  channel: THandoffChannel;
  status: 'pending' | 'opened' | 'failed';
  external_id: string | null;
  external_url: string | null;
  note: string | null;
  has_email: boolean;
  is_email_confirmed: boolean;
  created_at: string;
  replied_at: string | null;
  synced_at: string | null;
};

export function createHandoffByThread({
  db,
  owner,
  threadId,
  channels,
  note,
  slackPayload,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  channels: { channel: THandoffChannel; email?: string }[];
  note: string | null;
  slackPayload: Record<string, unknown> | null;
}) {
  return db.rpc<{ handoffs: THandoffRow[]; created: THandoffChannel[] }>('create_handoff_by_thread', {
    p_owner: owner,
    p_thread_id: threadId,
    p_channels: channels,
    p_note: note,
    p_slack_payload: slackPayload,
  });
}

/** A hand-off's new rows, or the refusal of its hourly limits (nothing created; the refusal counted). */
export type THandoffWithinLimits = { handoffs: THandoffRow[]; created: THandoffChannel[]; refused?: undefined } | { refused: TAllowance & { allowed: false } };

/** createHandoffByThread, after one token from each bucket when it creates a row (supabase/schemas/65_handoffs.sql). */
export function createHandoffWithinLimits({
  db,
  owner,
  threadId,
  channels,
  note,
  slackPayload,
  buckets,
}: Parameters<typeof createHandoffByThread>[0] & { buckets: TBucketSpec[] }) {
  return db.rpc<THandoffWithinLimits>('create_handoff_within_limits', {
    p_owner: owner,
    p_thread_id: threadId,
    p_channels: channels,
    p_note: note,
    p_slack_payload: slackPayload,
    p_buckets: buckets,
  });
}

/** Hand-offs refused by their limits since `since`, by limit name, and the last hour one was (null: never). */
export function getHandoffRefusals({ db, since }: { db: TDb; since: Date }) {
  return db.rpc<{ by_limit: Record<string, number>; last_hour: string | null }>('get_handoff_refusals', { p_since: since.toISOString() });
}

export function listHandoffsByThread({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }) {
  return db.rpc<THandoffRow[]>('list_handoffs_by_thread', { p_owner: owner, p_thread_id: threadId });
}

export function setHandoffResultById({
  db,
  id,
  status,
  externalId = null,
  externalUrl = null,
  error = null,
}: {
  db: TDb;
  id: number;
  status: 'opened' | 'failed';
  externalId?: string | null;
  externalUrl?: string | null;
  error?: string | null;
}) {
  return db.rpc<THandoffRow | null>('set_handoff_result_by_id', { p_id: id, p_status: status, p_external_id: externalId, p_external_url: externalUrl, p_error: error });
}

export type THandoffReplyResult = { status: 'added'; message: TMessageRow; owner: string } | { status: 'duplicate' } | { status: 'unknown_handoff' };

export function addHandoffReplyByExternalId({
  db,
  keys,
  externalId,
  commentId,
  text,
  author,
  proposal = null,
}: {
  db: TDb;
  /** What makes the reply one event: `delivery:<X-GitHub-Delivery>`, `comment:<id>`; any seen before adds nothing. */
  keys: string[];
  externalId: string;
  commentId: string;
  text: string;
  author: { name: string | null; login: string };
  proposal?: TMaintainerAnswerProposal | null;
}) {
  return db.rpc<THandoffReplyResult>('add_handoff_reply_by_external_id', {
    p_keys: keys,
    p_external_id: externalId,
    p_comment_id: commentId,
    p_text: text,
    p_author: author,
    p_proposal: proposal,
  });
}

export function listGithubHandoffsToSync({ db, days, limit }: { db: TDb; days: number; limit: number }) {
  return db.rpc<THandoffRow[]>('list_github_handoffs_to_sync', { p_days: days, p_limit: limit });
}

export function setHandoffSyncedById({ db, id, at }: { db: TDb; id: number; at: Date }) {
  return db.rpc<boolean>('set_handoff_synced_by_id', { p_id: id, p_at: at.toISOString() });
}

/** A reply waiting for the reader's e-mail: their address and the maintainers' replies since the last e-mail. */
export type THandoffEmail = { id: number; thread_id: string; email: string; previous_emailed_at: string | null; question: string | null; quote?: string | null; replies: string[] };

export function claimHandoffEmails({ db, limit }: { db: TDb; limit: number }) {
  return db.rpc<THandoffEmail[]>('claim_handoff_emails', { p_limit: limit });
}

export function releaseHandoffEmailById({ db, id, previousEmailedAt, error }: { db: TDb; id: number; previousEmailedAt: string | null; error: string }) {
  return db.rpc<boolean>('release_handoff_email_by_id', { p_id: id, p_previous_emailed_at: previousEmailedAt, p_error: error });
}

/** An address waiting for its confirmation mail: the hand-off's row, its conversation, the address, when it was taken. */
export type THandoffConfirmation = { id: number; thread_id: string; email: string; sent_at: string };

/** Takes addresses waiting for their one confirmation mail; forgets those unconfirmed `forgetDays` after theirs. */
export function claimHandoffConfirmations({ db, limit, forgetDays }: { db: TDb; limit: number; forgetDays: number }) {
  return db.rpc<THandoffConfirmation[]>('claim_handoff_confirmations', { p_limit: limit, p_forget_days: forgetDays });
}

export function releaseHandoffConfirmationById({ db, id, error }: { db: TDb; id: number; error: string }) {
  return db.rpc<boolean>('release_handoff_confirmation_by_id', { p_id: id, p_error: error });
}

export type THandoffConfirmed = { status: 'confirmed'; is_pending: boolean } | { status: 'already' } | { status: 'unknown' };

export function confirmHandoffEmailById({ db, id }: { db: TDb; id: number }) {
  return db.rpc<THandoffConfirmed>('confirm_handoff_email_by_id', { p_id: id });
}

export type THandoffLinkOpened = { status: 'owner' | 'moved'; thread_id: string } | { status: 'sign_in' | 'spent' | 'elsewhere' | 'unknown' };

/**
 * A reply mail's link to the conversation, opened by `opener`; it moves the conversation only when `isMoving`
 * (supabase/schemas/65_handoffs.sql says what each status means).
 */
export function openHandoffConversationLink({ db, key, threadId, opener, isMoving }: { db: TDb; key: string; threadId: string; opener: string; isMoving: boolean }) {
  return db.rpc<THandoffLinkOpened>('open_handoff_conversation_link', { p_key: key, p_thread_id: threadId, p_opener: opener, p_is_moving: isMoving });
}

/** The thread and owner of an answer a chat door posted, when its owner starts with `ownerPrefix`; else null. */
export function getChatThreadByAnswer({ db, messageId, ownerPrefix }: { db: TDb; messageId: string; ownerPrefix: string }) {
  return db.rpc<{ thread_id: string; owner: string } | null>('get_chat_thread_by_answer', { p_message_id: messageId, p_owner_prefix: ownerPrefix });
}

export type TMaintainerHandoffRow = THandoffRow & { question: string | null; source: string };

export function listHandoffsForMaintainers({ db, from, to, limit }: { db: TDb; from: Date; to: Date; limit: number }) {
  return db.rpc<TMaintainerHandoffRow[]>('list_handoffs_for_maintainers', { p_from: from.toISOString(), p_to: to.toISOString(), p_limit: limit });
}
