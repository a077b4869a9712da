import type { TDb } from './types';

// Retention and the challenge's server state (supabase/schemas/72_retention.sql, 71_challenge.sql).

export type TThreadsDeleted = { deleted: number; slack_posts_deleted: number };

/** Threads (with their Slack outbox rows) whose last activity is older than `days`; at most `limit` a call. */
export function deleteThreadsInactiveSince({ db, days, limit = 500 }: { db: TDb; days: number; limit?: number }) {
  return db.rpc<TThreadsDeleted>('delete_threads_inactive_since', { p_days: days, p_limit: limit });
}

/** Every thread of the owner, with their Slack outbox rows. */
export function deleteThreadsByOwner({ db, owner }: { db: TDb; owner: string }) {
  return db.rpc<TThreadsDeleted>('delete_threads_by_owner', { p_owner: owner });
}

export type TBucketSpec = { key: string; name: string; capacity: number; per_seconds: number };
export type TBucketLevel = { name: string; capacity: number; available: number };

export function getRateBucketLevels({ db, buckets }: { db: TDb; buckets: TBucketSpec[] }) {
  return db.rpc<TBucketLevel[]>('get_rate_bucket_levels', { p_buckets: buckets });
}

export type TRedeemed = { redeemed: true; credits: number } | { redeemed: false; reason: 'spent' | 'limit'; retry_after_seconds?: number };

export function redeemChallengeById({
  db,
  challengeId,
  expiresAt,
  passKey,
  credits,
  passExpiresAt,
  grantBucket,
}: {
  db: TDb;
  challengeId: string;
  expiresAt: Date;
  passKey: string;
  credits: number;
  passExpiresAt: Date;
  grantBucket: TBucketSpec;
}) {
  return db.rpc<TRedeemed>('redeem_challenge', {
    p_challenge_id: challengeId,
    p_expires_at: expiresAt.toISOString(),
    p_pass_key: passKey,
    p_credits: credits,
    p_pass_expires_at: passExpiresAt.toISOString(),
    p_grant_bucket: grantBucket,
  });
}

export function takeChallengeCreditByKey({ db, passKey }: { db: TDb; passKey: string }) {
  return db.rpc<{ taken: boolean; remaining: number }>('take_challenge_credit', { p_pass_key: passKey });
}
