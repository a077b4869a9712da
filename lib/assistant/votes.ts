import { z } from 'zod';
import type { TApp } from '../app';
import { listMessageVotesByThread, setMessageVoteById } from '../db/votes';
import { ZMessageId, ZThreadId } from './schemas';

// Thumbs up/down on the assistant's answers: one vote per answer per session, changeable, null removes it.
// Setting a vote queues its Slack post in the same transaction (trigger on message_vote).

export const ZSetVoteBody = z
  .object({
    threadId: ZThreadId,
    messageId: ZMessageId,
    vote: z.enum(['up', 'down']).nullable(),
  })
  .strict();
export type TSetVoteBody = z.infer<typeof ZSetVoteBody>;

export const ZListVotesQuery = z.object({ threadId: ZThreadId });

export type TVoteObject = { object: 'thread.message.vote'; thread_id: string; message_id: string; vote: 'up' | 'down' | null };

export async function setVoteForCaller({ app, owner, threadId, messageId, vote }: { app: TApp; owner: string } & TSetVoteBody): Promise<TVoteObject> {
  const saved = await setMessageVoteById({ db: app.db, owner, threadId, messageId, vote });
  app.slack.onVote({ threadId, messageId });
  return { object: 'thread.message.vote', thread_id: saved.thread_id, message_id: saved.message_id, vote: saved.vote };
}

export async function listVotesForCaller({ app, owner, threadId }: { app: TApp; owner: string; threadId: string }) {
  const votes = await listMessageVotesByThread({ db: app.db, owner, threadId });
  const data: TVoteObject[] = votes.map((vote) => ({
    object: 'thread.message.vote',
    thread_id: threadId,
    message_id: vote.message_id,
    vote: vote.vote,
  }));
  return { object: 'list' as const, data };
}
