import type { TDb } from './types';
import type { TMessageContent, TMessageRow, TPage, TRunRow } from './rows';

export function listMessagesByThread({
  db,
  owner,
  threadId,
  limit,
  after,
  order,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  limit: number;
  after?: string;
  order: 'asc' | 'desc';
}) {
  return db.rpc<TPage<TMessageRow>>('list_messages_by_thread', {
    p_owner: owner,
    p_thread_id: threadId,
    p_limit: limit,
    p_after: after ?? null,
    p_order: order,
  });
}

export type TNewRun = {
  model: string;
  instructions: string;
  tools: unknown[];
  metadata?: Record<string, unknown>;
  max_tool_rounds: number;
  max_attempts: number;
  expires_in_seconds: number;
};

/** Stores the user's message and queues its run in one transaction; refused with 409 while a run is active. */
export function createMessageAndRun({
  db,
  owner,
  threadId,
  content,
  metadata,
  run,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  content: TMessageContent;
  metadata?: Record<string, unknown>;
  run: TNewRun;
}) {
  return db.rpc<{ message: TMessageRow; run: TRunRow }>('create_message_and_run', {
    p_owner: owner,
    p_thread_id: threadId,
    p_content: content,
    p_message_metadata: metadata ?? {},
    p_run: run,
  });
}

/**
 * Queues a new run for a question already in the thread (Retry), re-pointing the question at it: no message is
 * stored. 404 unless the message is one of the owner's questions in this thread; 409 while a run is active,
 * for a question that is not the thread's last, or one whose answer completed.
 */
export function createRunForMessageById({ db, owner, threadId, messageId, run }: { db: TDb; owner: string; threadId: string; messageId: string; run: TNewRun }) {
  return db.rpc<{ message: TMessageRow; run: TRunRow }>('create_run_for_message_by_id', {
    p_owner: owner,
    p_thread_id: threadId,
    p_message_id: messageId,
    p_run: run,
  });
}
