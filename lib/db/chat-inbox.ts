import type { TDb } from './types';

// The chat doors' one inbox (supabase/schemas/53_chat_inbox.sql): the deliveries of every chat door (Slack,
// Discord, …) to act on, worked under a lease; the doors' conversations as assistant threads. Every call names
// its door: a door's worker sees its own rows only.

export type TInboxStatus = 'pending' | 'done' | 'failed';
export type TDoorData = Record<string, unknown>;

export type TChatConversation = { thread_id: string; asker: string; door_data: TDoorData };

export type TInboxRow = {
  id: number;
  door: string;
  delivery_id: string;
  kind: string;
  conversation_key: string;
  queue_key: string | null;
  asker: string;
  text: string;
  metadata: Record<string, unknown>;
  door_data: TDoorData;
  /** A credential the door needs until the row ends (Discord's interaction token); '' once it ended. */
  secret: string;
  status: TInboxStatus;
  outcome: string | null;
  thread_id: string | null;
  run_id: string | null;
  /** The app's reply, once written (Slack's message ts, Discord's deferred response's message id). */
  reply_id: string | null;
  posted_text: string | null;
  posted_parts: number;
  attempts: number;
  created_at: string;
  /** The conversation the row belongs to, once it has one. */
  conversation: TChatConversation | null;
};

export type TInboxChanges = Partial<
  Pick<TInboxRow, 'kind' | 'reply_id' | 'posted_text' | 'posted_parts' | 'thread_id' | 'run_id' | 'outcome'> & {
    last_error: string;
    status: TInboxStatus;
    /** Merged into the row's door_data. */
    door_data: TDoorData;
  }
>;

export type TInboxDelivery = {
  door: string;
  deliveryId: string;
  kind: string;
  conversationKey: string;
  /** Rows of one queue are answered in order, one at a time; null: waits for nobody. */
  queueKey: string | null;
  asker: string;
  text: string;
  metadata: Record<string, unknown>;
  doorData: TDoorData;
  secret?: string;
};

export function recordChatInbox({ db, delivery }: { db: TDb; delivery: TInboxDelivery }) {
  return db.rpc<{ status: 'queued'; id: number } | { status: 'duplicate' }>('record_chat_inbox', {
    p_door: delivery.door,
    p_delivery_id: delivery.deliveryId,
    p_kind: delivery.kind,
    p_conversation_key: delivery.conversationKey,
    p_queue_key: delivery.queueKey,
    p_asker: delivery.asker,
    p_text: delivery.text,
    p_metadata: delivery.metadata,
    p_door_data: delivery.doorData,
    p_secret: delivery.secret ?? '',
  });
}

export function getChatConversation({ db, door, conversationKey }: { db: TDb; door: string; conversationKey: string }) {
  return db.rpc<(TChatConversation & { conversation_key: string }) | null>('get_chat_conversation', { p_door: door, p_conversation_key: conversationKey });
}

export function claimChatInboxBatch({ db, door, worker, limit, leaseSeconds }: { db: TDb; door: string; worker: string; limit: number; leaseSeconds: number }) {
  return db.rpc<TInboxRow[]>('claim_chat_inbox_batch', { p_door: door, p_worker: worker, p_limit: limit, p_lease_seconds: leaseSeconds });
}

export function renewChatInboxLeaseById({ db, id, worker, leaseSeconds }: { db: TDb; id: number; worker: string; leaseSeconds: number }) {
  return db.rpc<boolean>('renew_chat_inbox_lease_by_id', { p_id: id, p_worker: worker, p_lease_seconds: leaseSeconds });
}

/** The row after the change, or null when this worker no longer holds its lease. */
export function updateChatInboxById({ db, id, worker, changes }: { db: TDb; id: number; worker: string; changes: TInboxChanges }) {
  return db.rpc<TInboxRow | null>('update_chat_inbox_by_id', { p_id: id, p_worker: worker, p_changes: changes });
}

export function retryChatInboxById({
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
  return db.rpc<TInboxStatus | null>('retry_chat_inbox_by_id', {
    p_id: id,
    p_worker: worker,
    p_delay_ms: Math.round(delayMs),
    p_error: error,
    p_max_age_seconds: maxAgeSeconds,
  });
}

export function releaseChatInboxLeasesOfOtherWorkers({ db, door, worker }: { db: TDb; door: string; worker: string }) {
  return db.rpc<number>('release_chat_inbox_leases_of_other_workers', { p_door: door, p_worker: worker });
}

export function pruneChatInbox({ db, door, keepDays }: { db: TDb; door: string; keepDays: number }) {
  return db.rpc<number>('prune_chat_inbox', { p_door: door, p_keep_days: keepDays });
}

export function openChatConversation({
  db,
  door,
  conversationKey,
  owner,
  asker,
  doorData,
  metadata,
  isKept,
}: {
  db: TDb;
  door: string;
  conversationKey: string;
  /** The new assistant thread's owner. */
  owner: string;
  asker: string;
  doorData: TDoorData;
  metadata: Record<string, unknown>;
  /** Whether the new thread is the conversation's at once (else the door links one later: linkChatConversation). */
  isKept: boolean;
}) {
  return db.rpc<TChatConversation & { is_new: boolean }>('open_chat_conversation', {
    p_door: door,
    p_conversation_key: conversationKey,
    p_owner: owner,
    p_asker: asker,
    p_door_data: doorData,
    p_metadata: metadata,
    p_is_kept: isKept,
  });
}

export function linkChatConversation({
  db,
  door,
  conversationKey,
  threadId,
  asker,
  doorData,
}: {
  db: TDb;
  door: string;
  conversationKey: string;
  threadId: string;
  asker: string;
  doorData: TDoorData;
}) {
  return db.rpc<boolean>('link_chat_conversation', { p_door: door, p_conversation_key: conversationKey, p_thread_id: threadId, p_asker: asker, p_door_data: doorData });
}

/** The row whose reply is the message `replyId` (what a click on the reply's button reads): null when none is. */
export type TInboxReplyRow = Pick<TInboxRow, 'id' | 'asker' | 'thread_id' | 'run_id' | 'status'>;

/** The latest row of `door` whose reply is `replyId` and whose door_data holds `doorData` (Slack: its team and channel). */
export function getChatInboxByReply({ db, door, replyId, doorData }: { db: TDb; door: string; replyId: string; doorData: TDoorData }) {
  return db.rpc<TInboxReplyRow | null>('get_chat_inbox_by_reply', { p_door: door, p_reply_id: replyId, p_door_data: doorData });
}
