import type { TBucketSpec } from './limits';
import type { TDb } from './types';

// The challenge's server state: solutions redeemed once, and the credits they grant (supabase/schemas/71_challenge.sql).

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
