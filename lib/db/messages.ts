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
  /** The audiences the question is asked under (lib/audiences/access.ts runAudiencesOf); null or absent: none. */
  reader_audiences?: readonly string[] | null;
};

/** A reader's question to store with its run: what every create_message_and_run* function takes. */
export type TNewQuestion = {
  db: TDb;
  owner: string;
  threadId: string;
  content: TMessageContent;
  metadata?: Record<string, unknown>;
  run: TNewRun;
};

/** A question's arguments as the create_message_and_run* SQL functions name them. */
export function questionArgs({ owner, threadId, content, metadata, run }: Omit<TNewQuestion, 'db'>) {
  return { p_owner: owner, p_thread_id: threadId, p_content: content, p_message_metadata: metadata ?? {}, p_run: run };
}

/** Stores the user's message and queues its run in one transaction; refused with 409 while a run is active. */
export function createMessageAndRun({ db, ...question }: TNewQuestion) {
  return db.rpc<{ message: TMessageRow; run: TRunRow }>('create_message_and_run', questionArgs(question));
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

/** A message as /v1 stores it: role and text content (the thread's runs read it as conversation). */
export type TNewMessage = { role: 'user' | 'assistant'; content: TMessageContent; metadata?: Record<string, string> };

/** Adds a message to the thread; refused with 409 while a run is active on it. */
export function createMessageByThread({ db, owner, threadId, message }: { db: TDb; owner: string; threadId: string; message: TNewMessage }) {
  return db.rpc<TMessageRow>('create_message_by_thread', {
    p_owner: owner,
    p_thread_id: threadId,
    p_role: message.role,
    p_content: message.content,
    p_metadata: message.metadata ?? {},
  });
}

export function getMessageById({ db, owner, threadId, messageId }: { db: TDb; owner: string; threadId: string; messageId: string }) {
  return db.rpc<TMessageRow>('get_message_by_id', { p_owner: owner, p_thread_id: threadId, p_message_id: messageId });
}

/** Merges `metadata` into the message's; a key set to null is removed. */
export function updateMessageMetadataById({
  db,
  owner,
  threadId,
  messageId,
  metadata,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  messageId: string;
  metadata: Record<string, string | null>;
}) {
  return db.rpc<TMessageRow>('update_message_metadata_by_id', { p_owner: owner, p_thread_id: threadId, p_message_id: messageId, p_metadata: metadata });
}

/** A cursor page of the thread's messages (limit, order, after, before), optionally those of one run. */
export function listMessagesPageByThread({
  db,
  owner,
  threadId,
  page,
  runId,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  page: { limit: number; order: 'asc' | 'desc'; after?: string; before?: string };
  runId?: string;
}) {
  return db.rpc<TPage<TMessageRow>>('list_messages_page_by_thread', {
    p_owner: owner,
    p_thread_id: threadId,
    p_limit: page.limit,
    p_order: page.order,
    p_after: page.after ?? null,
    p_before: page.before ?? null,
    p_run_id: runId ?? null,
  });
}

/** A run as /v1 queues it: the engine's run, for an assistant, whose function tools the client runs. */
export type TNewApiRun = TNewRun & { assistant_id: string; has_client_tools: boolean; options: Record<string, unknown> };

/**
 * Stores `messages` (additional_messages) and queues the run, in one transaction; 409 while another run is
 * active on the thread.
 */
export function createRunByThread({ db, owner, threadId, messages, run }: { db: TDb; owner: string; threadId: string; messages: TNewMessage[]; run: TNewApiRun }) {
  return db.rpc<{ run: TRunRow }>('create_run_by_thread', { p_owner: owner, p_thread_id: threadId, p_messages: messages, p_run: run });
}
