import type { TDb } from './types';

// Share links (supabase/schemas/21_thread_shares.sql): created and revoked by the thread's owner (404 otherwise),
// opened by anyone holding the id. One live link per thread: sharing again replaces its snapshot; a new link is refused
// past the thread's hourly limit (5), revoked links counted.

/**
 * `created`: the link is new (else the conversation's live link, its snapshot replaced). `refused`: no live link, and
 * the thread had `limit` new links in the last hour; one more may be made in `retry_after` seconds.
 */
export type TThreadShareRow =
  | { id: string; created_at: string; updated_at: string; created: boolean; refused?: undefined }
  | { refused: true; limit: number; retry_after: number };
export type TThreadShareLookup = { status: 'active'; snapshot: unknown; created_at: string; updated_at: string } | { status: 'revoked' } | null;

export function createThreadShare({ db, owner, threadId, id, snapshot }: { db: TDb; owner: string; threadId: string; id: string; snapshot: unknown }) {
  return db.rpc<TThreadShareRow>('create_thread_share', { p_owner: owner, p_thread_id: threadId, p_id: id, p_snapshot: snapshot });
}

export function revokeThreadSharesByThread({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }) {
  return db.rpc<{ revoked: number }>('revoke_thread_shares_by_thread', { p_owner: owner, p_thread_id: threadId });
}

export function getThreadShareById({ db, id }: { db: TDb; id: string }) {
  return db.rpc<TThreadShareLookup>('get_thread_share_by_id', { p_id: id });
}
