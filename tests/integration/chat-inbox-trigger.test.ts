import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimChatInboxBatch, recordChatInbox } from '@/lib/db/chat-inbox';
import { createMessageAndRun } from '@/lib/db/messages';
import { createThread } from '@/lib/db/threads';
import type { TDb } from '@/lib/db/types';
import { createTestDb } from '../helpers/pglite-template';

// A chat door's question names its inbox row in the message's metadata (chat_inbox_id), and the row learns its
// thread and run from that message (supabase/schemas/53_chat_inbox.sql). Message metadata is also what readers and API
// clients send, so only a message in one of the door's own threads may claim a row: another thread naming the
// row leaves it as it was, and the worker never follows a stranger's thread.

let db: TDb;
const RUN = { model: 'test', instructions: '', tools: [], max_tool_rounds: 3, max_attempts: 3, expires_in_seconds: 600 };

beforeAll(async () => {
  db = await createTestDb();
});

afterAll(async () => {
  await db.close();
});

async function queued(deliveryId: string): Promise<number> {
  const recorded = await recordChatInbox({
    db,
    delivery: { door: 'slack', deliveryId, kind: 'question', conversationKey: `T1:C1:${deliveryId}`, queueKey: null, asker: 'U1', text: 'How do I theme?', metadata: {}, doorData: { team_id: 'T1' } },
  });
  if (recorded.status !== 'queued') throw new Error(`not queued: ${recorded.status}`);
  return recorded.id;
}

/** Asks in a new thread of `owner`, naming the inbox row; returns the thread and the question's run. */
async function ask(owner: string, inboxId: number): Promise<{ threadId: string; runId: string }> {
  const thread = await createThread({ db, owner, metadata: {} });
  const { run } = await createMessageAndRun({
    db,
    owner,
    threadId: thread.id,
    content: [{ type: 'text', text: { value: 'How do I theme?', annotations: [] } }],
    metadata: { chat_inbox_id: String(inboxId) },
    run: RUN,
  });
  return { threadId: thread.id, runId: run.id };
}

async function rowOf(id: number) {
  const rows = await claimChatInboxBatch({ db, door: 'slack', worker: `worker_${id}`, limit: 50, leaseSeconds: 1 });
  return rows.find((row) => row.id === id);
}

describe('the chat inbox learns its thread only from its own door', () => {
  it("learns the thread and the run of a question asked in the door's own thread", async () => {
    const id = await queued('1000.1');
    const { threadId, runId } = await ask('slack:T1', id);
    const row = await rowOf(id);
    expect(row?.thread_id).toBe(threadId);
    // In the transaction that stores the question: a worker restarted before its own step records the run finds
    // it on the row, and follows it instead of asking again (lib/chat-doors/drive.ts).
    expect(row?.run_id).toBe(runId);
  });

  it("ignores a reader's or an API key's message that names the row", async () => {
    const id = await queued('1000.2');
    await ask('session_reader_0123456789', id);
    await ask('discord:G1', id);
    const row = await rowOf(id);
    expect(row).toBeDefined();
    expect(row?.run_id).toBeNull();
    expect(row?.thread_id).toBeNull();
  });
});
