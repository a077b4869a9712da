import type { TDb } from './types';

// The Slack outbox (supabase/schemas/50_slack_outbox.sql). Posts are queued by triggers in the transaction of
// their event (supabase/schemas/51_slack_posts.sql); these calls are for the delivery worker and for events
// without a trigger.

export const SLACK_POST_KINDS = ['thread', 'thread_title', 'message', 'answer', 'vote', 'run_ended', 'handoff'] as const;
export type TSlackPostKind = (typeof SLACK_POST_KINDS)[number];

export type TSlackOutboxRow = {
  id: number;
  thread_id: string;
  kind: TSlackPostKind;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: string;
  is_thread_present: boolean;
  /** The thread's current title (null once the thread is deleted). */
  thread_title: string | null;
  /** The ts of the thread's parent message in Slack, once posted. */
  parent_ts: string | null;
};

export type TSlackOutboxStats = { pending: number; delivered: number; failed: number; skipped: number; oldest_pending_at: string | null };

/** Written at start: with Slack not configured the triggers queue nothing. */
export function setSlackOutboxEnabled({ db, isEnabled }: { db: TDb; isEnabled: boolean }) {
  return db.rpc<boolean>('set_slack_outbox_enabled', { p_enabled: isEnabled });
}

/** Queues one post (if Slack is enabled). Returns the row id, or null when nothing was queued. */
export async function enqueueSlackPostByThread({
  db,
  threadId,
  kind,
  payload,
}: {
  db: TDb;
  threadId: string;
  kind: TSlackPostKind;
  payload: Record<string, unknown>;
}) {
  const result = await db.rpc<{ id: number | null; queued: boolean }>('enqueue_slack_post_by_thread', {
    p_thread_id: threadId,
    p_kind: kind,
    p_payload: payload,
  });
  return result.id;
}

/** A vote as its own event, for callers that change votes outside set_message_vote_by_id (whose trigger queues it). */
export function enqueueVoteNotification({
  db,
  threadId,
  messageId,
  vote,
  previous = null,
}: {
  db: TDb;
  threadId: string;
  messageId: string;
  vote: 'up' | 'down' | null;
  previous?: 'up' | 'down' | null;
}) {
  return enqueueSlackPostByThread({ db, threadId, kind: 'vote', payload: { message_id: messageId, vote, previous } });
}

export function claimSlackOutboxBatch({ db, worker, limit, leaseSeconds }: { db: TDb; worker: string; limit: number; leaseSeconds: number }) {
  return db.rpc<TSlackOutboxRow[]>('claim_slack_outbox_batch', { p_worker: worker, p_limit: limit, p_lease_seconds: leaseSeconds });
}

/** True if this call settled the row (it was still pending). */
export function settleSlackOutboxById({
  db,
  id,
  status,
  slackTs = null,
  error = null,
}: {
  db: TDb;
  id: number;
  status: 'delivered' | 'failed' | 'skipped';
  slackTs?: string | null;
  error?: string | null;
}) {
  return db.rpc<boolean>('settle_slack_outbox_by_id', { p_id: id, p_status: status, p_slack_ts: slackTs, p_error: error });
}

/** Schedules another attempt; past maxAgeSeconds the row is failed instead. Returns the row's status. */
export function retrySlackOutboxById({
  db,
  id,
  delayMs,
  error,
  maxAgeSeconds,
}: {
  db: TDb;
  id: number;
  delayMs: number;
  error: string;
  maxAgeSeconds: number;
}) {
  return db.rpc<'pending' | 'failed' | null>('retry_slack_outbox_by_id', {
    p_id: id,
    p_delay_ms: Math.round(delayMs),
    p_error: error,
    p_max_age_seconds: maxAgeSeconds,
  });
}

export function setSlackThreadTsById({ db, threadId, slackTs }: { db: TDb; threadId: string; slackTs: string }) {
  return db.rpc<string>('set_slack_thread_ts_by_id', { p_thread_id: threadId, p_slack_ts: slackTs });
}

export function getSlackOutboxStats({ db }: { db: TDb }) {
  return db.rpc<TSlackOutboxStats>('get_slack_outbox_stats');
}

export function pruneSlackOutbox({ db, keepDays }: { db: TDb; keepDays: number }) {
  return db.rpc<number>('prune_slack_outbox', { p_keep_days: keepDays });
}
