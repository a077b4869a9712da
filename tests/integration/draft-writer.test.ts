import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraftWriter, type TLiveDraft } from '@/lib/assistant/draft';
import { listMessagesByThread } from '@/lib/db/messages';
import { completeRunById, createMessageAndClaimRun } from '@/lib/db/runs';
import { createThread } from '@/lib/db/threads';
import type { TDb } from '@/lib/db/types';
import { createLogger } from '@/lib/log';
import { createStoreDb, STORES } from '../helpers/stores';

// The draft writer (lib/assistant/draft.ts) against a real store. Readers are told each delta at once (onText) and
// the store is written after them, on a timer: what holds is that the message the answer completes is the one the
// readers were shown, with the same id, even when the step ends before its first write was due (a short answer);
// and that the store sees the text grow while the model writes.

const OWNER = 'owner-a';
const WORKER = 'worker-1';
const log = createLogger({ level: 'silent' });

async function claimedRun(db: TDb): Promise<{ runId: string; threadId: string }> {
  const thread = await createThread({ db, owner: OWNER, metadata: {} });
  const { run } = await createMessageAndClaimRun({
    db,
    owner: OWNER,
    threadId: thread.id,
    content: [{ type: 'text', text: { value: 'How do I dismiss a toast?', annotations: [] } }],
    run: { model: 'm', instructions: '', tools: [], max_tool_rounds: 3, max_attempts: 3, expires_in_seconds: 600 },
    worker: WORKER,
    leaseSeconds: 30,
  });
  return { runId: run.id, threadId: thread.id };
}

function writerFor(db: TDb, runId: string, shown: TLiveDraft[], intervalMs = 100) {
  return createDraftWriter({ db, log, runId, worker: WORKER, existing: null, onText: (draft) => shown.push(draft), onInactive: () => {}, maxChars: 10_000, onLimit: () => {}, intervalMs });
}

async function answerOf(db: TDb, threadId: string) {
  const { data } = await listMessagesByThread({ db, owner: OWNER, threadId, limit: 10, order: 'asc' });
  return data.filter((message) => message.role === 'assistant');
}

describe.each(STORES)('the draft writer on %s', (store) => {
  let db: TDb;
  beforeAll(async () => {
    db = await createStoreDb(store);
  });
  afterAll(async () => {
    await db.close();
  });

  it('tells readers at once and completes the message they were shown, even when it stops before its first write', async () => {
    const { runId, threadId } = await claimedRun(db);
    const shown: TLiveDraft[] = [];
    const draft = writerFor(db, runId, shown);
    draft.push('Call dismiss');
    draft.push('() on the toaster.');
    // Told at once, before any write: the store has no answer yet.
    expect(shown.map((entry) => entry.text)).toEqual(['Call dismiss', 'Call dismiss() on the toaster.']);
    expect(await answerOf(db, threadId)).toEqual([]);
    await draft.stop();
    await completeRunById({ db, runId, worker: WORKER, content: [{ type: 'text', text: { value: 'Call dismiss() on the toaster.', annotations: [] } }], metadata: {} });
    const answers = await answerOf(db, threadId);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.id).toBe(draft.messageId);
    expect(answers[0]!.status).toBe('completed');
  });

  it('stores the text as it grows, at most once per interval', async () => {
    const { runId, threadId } = await claimedRun(db);
    const draft = writerFor(db, runId, [], 20);
    draft.push('One');
    await expect.poll(async () => (await answerOf(db, threadId))[0]?.content[0]?.text.value, { timeout: 5000 }).toBe('One');
    draft.push(' two');
    draft.push(' three');
    await expect.poll(async () => (await answerOf(db, threadId))[0]?.content[0]?.text.value, { timeout: 5000 }).toBe('One two three');
    expect(draft.writes).toBe(2);
    await draft.stop();
  });
});
