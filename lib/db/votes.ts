import type { TDb } from './types';

export type TVote = 'up' | 'down';
export type TMessageVote = { thread_id: string; message_id: string; vote: TVote | null; reason: string | null };

/**
 * Sets (up/down) or removes (null) the caller's vote on an answer; one per message per session. Queues the Slack
 * post. `reason` goes with a 'down' vote only (400 otherwise); a 'down' sent again without one keeps the reason.
 */
export function setMessageVoteById({
  db,
  owner,
  threadId,
  messageId,
  vote,
  reason = null,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  messageId: string;
  vote: TVote | null;
  reason?: string | null;
}) {
  return db.rpc<TMessageVote>('set_message_vote_by_id', {
    p_owner: owner,
    p_thread_id: threadId,
    p_message_id: messageId,
    p_vote: vote,
    p_reason: reason,
  });
}

export function listMessageVotesByThread({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }) {
  return db.rpc<{ message_id: string; vote: TVote; updated_at: string }[]>('list_message_votes_by_thread', {
    p_owner: owner,
    p_thread_id: threadId,
  });
}
