import type { TDb } from './types';
import type { TPage, TThreadRow } from './rows';

export function createThread({ db, owner, metadata }: { db: TDb; owner: string; metadata: Record<string, string> }) {
  return db.rpc<TThreadRow>('create_thread', { p_owner: owner, p_metadata: metadata });
}

export function getThreadById({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }) {
  return db.rpc<TThreadRow>('get_thread_by_id', { p_owner: owner, p_thread_id: threadId });
}

export function listThreadsByOwner({ db, owner, limit, after }: { db: TDb; owner: string; limit: number; after?: string }) {
  return db.rpc<TPage<TThreadRow>>('list_threads_by_owner', { p_owner: owner, p_limit: limit, p_after: after ?? null });
}

/** Merges `metadata` into the thread's; a key set to null is removed. */
export function updateThreadMetadataById({
  db,
  owner,
  threadId,
  metadata,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  metadata: Record<string, string | null>;
}) {
  return db.rpc<TThreadRow>('update_thread_metadata_by_id', { p_owner: owner, p_thread_id: threadId, p_metadata: metadata });
}

export function deleteThreadById({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }) {
  return db.rpc<{ id: string; deleted: true }>('delete_thread_by_id', { p_owner: owner, p_thread_id: threadId });
}

/** A thread and its first messages (in order), in one transaction. */
export function createThreadWithMessages({
  db,
  owner,
  metadata,
  messages,
}: {
  db: TDb;
  owner: string;
  metadata: Record<string, string>;
  messages: { role: 'user' | 'assistant'; content: unknown; metadata?: Record<string, string> }[];
}) {
  return db.rpc<TThreadRow>('create_thread_with_messages', { p_owner: owner, p_metadata: metadata, p_messages: messages });
}
