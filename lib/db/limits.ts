import type { TDb } from './types';

// Rate limits and quotas, counted in Postgres so that they hold across every instance sharing the database
// (supabase/schemas/70_limits.sql). What they mean and what a refusal tells the reader: lib/limits.

/** A token bucket: `capacity` tokens, refilled over `per_seconds`; a call takes `cost` (1 unless given). */
export type TBucketSpec = { key: string; name: string; capacity: number; per_seconds: number; cost?: number };
export type TBucketLevel = { name: string; capacity: number; available: number };

/** Either every bucket gave its tokens, or none did and `limit` names the first that could not. */
export type TAllowance<TName extends string = string> =
  | { allowed: true }
  | { allowed: false; limit: TName; retry_after_seconds: number | null; cap?: number };

/** One token from each bucket, all or none. */
export function takeRateLimits<TName extends string = string>({ db, buckets }: { db: TDb; buckets: (TBucketSpec & { name: TName })[] }) {
  return db.rpc<TAllowance<TName>>('take_rate_limits', { p_buckets: buckets });
}

/**
 * Before a model call: the thread's message cap (when `threadId` is given; 404 if it is not the owner's; a cap of
 * 0 checks none), the site's daily token cap, then one token from each bucket. `TName` is every limit the
 * refusal may name: the buckets', `thread_messages` and `daily_tokens`.
 */
export function takeModelAllowance<TName extends string = string>({
  db,
  owner,
  threadId,
  threadMessageCap,
  dailyTokenCap,
  buckets,
}: {
  db: TDb;
  owner: string;
  threadId?: string;
  threadMessageCap: number;
  dailyTokenCap: number;
  buckets: TBucketSpec[];
}) {
  return db.rpc<TAllowance<TName>>('take_model_allowance', {
    p_owner: owner,
    p_thread_id: threadId ?? null,
    p_thread_message_cap: threadMessageCap,
    p_daily_token_cap: dailyTokenCap,
    p_buckets: buckets,
  });
}

/** Adds tokens spent outside runs to the day's total (runs' are added by a trigger on their usage). */
export function addModelUsageToday({ db, totalTokens }: { db: TDb; totalTokens: number }) {
  return db.rpc('record_model_usage', { p_total_tokens: totalTokens });
}

export function getModelUsageToday({ db }: { db: TDb }) {
  return db.rpc<{ day: string; total_tokens: number }>('get_model_usage_today');
}

/** How full each bucket is, taking nothing. */
export function getRateBucketLevels({ db, buckets }: { db: TDb; buckets: TBucketSpec[] }) {
  return db.rpc<TBucketLevel[]>('get_rate_bucket_levels', { p_buckets: buckets });
}
