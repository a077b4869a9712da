import { z } from 'zod';
import type { TDb } from '../db/types';
import { listMessageVotesByThread, setMessageVoteById } from '../db/votes';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { MAX_VOTE_REASON_CHARS } from '../shared/votes';
import { ZMessageId, ZThreadId } from './schemas';

// Thumbs up/down on the assistant's answers: one vote per answer per session, changeable, null removes it.
// Setting a vote queues its Slack post in the same transaction (trigger on message_vote).

export const ZSetVoteBody = z
  .object({
    threadId: ZThreadId,
    messageId: ZMessageId,
    vote: z.enum(['up', 'down']).nullable(),
    /** Why the answer did not help: with a 'down' vote only. */
    reason: z.string().trim().max(MAX_VOTE_REASON_CHARS).optional(),
  })
  .strict()
  .refine((body) => body.reason === undefined || body.reason === '' || body.vote === 'down', {
    message: 'A reason goes with a thumbs-down only',
    path: ['reason'],
  });
export type TSetVoteBody = z.infer<typeof ZSetVoteBody>;

export const ZListVotesQuery = z.object({ threadId: ZThreadId });

export type TVoteObject = {
  object: 'thread.message.vote';
  thread_id: string;
  message_id: string;
  vote: 'up' | 'down' | null;
  /** In the answer to setting a vote: the reason kept with it. */
  reason?: string | null;
};

/**
 * What votes need: the store, Slack delivery to wake (the vote's post is queued with it), and the masking of
 * personal data, applied to a reason as to any reader text before it is stored or posted.
 */
export type TVotesDeps = { db: TDb; reviewChannel: { wake(): void }; privacy?: TPrivacy };

export async function setVoteForCaller({
  deps,
  owner,
  threadId,
  messageId,
  vote,
  reason,
}: { deps: TVotesDeps; owner: string } & TSetVoteBody): Promise<TVoteObject> {
  const masked = reason ? (deps.privacy ?? DEFAULT_PRIVACY).mask(reason).text : null;
  const saved = await setMessageVoteById({ db: deps.db, owner, threadId, messageId, vote, reason: masked });
  deps.reviewChannel.wake();
  return { object: 'thread.message.vote', thread_id: saved.thread_id, message_id: saved.message_id, vote: saved.vote, reason: saved.reason ?? null };
}

export async function listVotesForCaller({ deps, owner, threadId }: { deps: Pick<TVotesDeps, 'db'>; owner: string; threadId: string }) {
  const votes = await listMessageVotesByThread({ db: deps.db, owner, threadId });
  const data: TVoteObject[] = votes.map((vote) => ({
    object: 'thread.message.vote',
    thread_id: threadId,
    message_id: vote.message_id,
    vote: vote.vote,
  }));
  return { object: 'list' as const, data };
}
