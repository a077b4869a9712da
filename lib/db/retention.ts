import type { TDb } from './types';

// Deleting threads: by age (RETENTION_DAYS) and on a reader's request (supabase/schemas/72_retention.sql).

export type TThreadsDeleted = { deleted: number; slack_posts_deleted: number };

/** Threads (with their Slack outbox rows) whose last activity is older than `days`; at most `limit` a call. */
export function deleteThreadsInactiveSince({ db, days, limit = 500 }: { db: TDb; days: number; limit?: number }) {
  return db.rpc<TThreadsDeleted>('delete_threads_inactive_since', { p_days: days, p_limit: limit });
}

/** Every thread of the owner, with their Slack outbox rows. */
export function deleteThreadsByOwner({ db, owner }: { db: TDb; owner: string }) {
  return db.rpc<TThreadsDeleted>('delete_threads_by_owner', { p_owner: owner });
}
