import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { codePointLength } from '@/lib/assistant/draft';
import { toMessageObject } from '@/lib/assistant/objects';
import { createMessageAndRun, listMessagesByThread } from '@/lib/db/messages';
import {
  appendRunMessageById,
  cancelRunById,
  claimRunById,
  completeRunById,
  getRunContextById,
  getRunStreamStateById,
  requireRunActionById,
} from '@/lib/db/runs';
import { createThread } from '@/lib/db/threads';
import type { PGlite } from '@electric-sql/pglite';
import { setSlackOutboxEnabled } from '@/lib/db/slack-outbox';
import { createTestApp } from '../helpers/app';

// The SQL functions of the streaming migration, called as the runtime calls them, on real Postgres (PGlite).

const OWNER = 'owner_stream_aaaaaaaaaaa';
const WORKER = 'worker_test';
let app: TApp | undefined;

afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

async function claimedRun(options: { expiresInSeconds?: number } = {}) {
  app = await createTestApp({ isStarted: false });
  const thread = await createThread({ db: app.db, owner: OWNER, metadata: {} });
  const { run } = await createMessageAndRun({
    db: app.db,
    owner: OWNER,
    threadId: thread.id,
    content: [{ type: 'text', text: { value: 'Question?', annotations: [] } }],
    run: { model: 'test', instructions: '', tools: [], max_tool_rounds: 3, max_attempts: 3, expires_in_seconds: options.expiresInSeconds ?? 600 },
  });
  expect((await claimRunById({ db: app.db, runId: run.id, worker: WORKER, leaseSeconds: 30 })).claimed).toBe(true);
  const db = app.db;
  const append = (offset: number, text: string, worker = WORKER) =>
    appendRunMessageById({ db, runId: run.id, worker, messageId: 'msg_streamtest0001', offset, text });
  const messages = async () => (await listMessagesByThread({ db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' })).data;
  return { db, thread, run, append, messages };
}

const textOf = (message: { content: { text: { value: string } }[] } | undefined) => message?.content[0]?.text.value;

describe('the in-progress answer in Postgres', () => {
  it('is created by the first write and grown by later ones, with offsets in code points', async () => {
    const { append, messages } = await claimedRun();
    expect(await append(0, 'Smile 😀 ')).toMatchObject({ is_active: true, message_id: 'msg_streamtest0001', length: 8, is_gap: false });
    const stored = 'Smile 😀 ';
    expect(codePointLength(stored)).toBe(8);
    expect(await append(codePointLength(stored), 'and wave 👋')).toMatchObject({ length: 18, is_gap: false });
    // Rewriting from the middle keeps the first part.
    await append(codePointLength('Smile 😀 and '), 'clap 👏');
    const [question, answer] = await messages();
    expect(question).toMatchObject({ role: 'user', status: 'completed' });
    expect(answer).toMatchObject({ id: 'msg_streamtest0001', role: 'assistant', status: 'in_progress', completed_at: null });
    expect(textOf(answer)).toBe('Smile 😀 and clap 👏');
    expect(toMessageObject(answer!)).toMatchObject({ status: 'in_progress', completed_at: null, incomplete_details: null });
  });

  it('refuses a gap, another worker, and any write once the run is cancelled', async () => {
    const { db, thread, run, append, messages } = await claimedRun();
    await append(0, 'abc');
    expect(await append(10, 'xyz')).toMatchObject({ is_active: true, is_gap: true, length: 3 });
    expect(await append(3, 'def', 'worker_other')).toEqual({ is_active: false, status: 'in_progress' });
    await cancelRunById({ db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(await append(3, 'def')).toEqual({ is_active: false, status: 'cancelled' });
    const answer = (await messages())[1];
    expect(answer).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_cancelled' } });
    expect(answer?.incomplete_at).not.toBeNull();
    expect(textOf(answer)).toBe('abc');
  });

  it('is finalized by complete_run_by_id: same row, final content, one assistant message per run', async () => {
    const { db, run, append, messages } = await claimedRun();
    await append(0, 'Draft answ');
    const before = (await messages())[1]!;
    const content = [{ type: 'text' as const, text: { value: 'Final answer.', annotations: [] } }];
    const completed = await completeRunById({ db, runId: run.id, worker: WORKER, content, metadata: { done: true } });
    expect(completed.status).toBe('completed');
    const after = await messages();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ id: before.id, created_at: before.created_at, status: 'completed', metadata: { done: true }, content });
    expect(after[1]?.completed_at).not.toBeNull();
    // The store itself refuses a second answer for the run.
    const pg = (db as unknown as { pg: PGlite }).pg;
    await expect(
      pg.query(`insert into assistant_message (thread_id, run_id, role, content) values ($1, $2, 'assistant', '[]'::jsonb)`, [after[1]!.thread_id, run.id]),
    ).rejects.toThrow(/duplicate key/);
  });

  it('drops the text written before tool calls, and gives the executor of a retried step what was persisted', async () => {
    const { db, thread, run, append, messages } = await claimedRun();
    await append(0, 'Let me look that up.');
    expect((await getRunContextById({ db, runId: run.id })).draft).toMatchObject({ id: 'msg_streamtest0001', status: 'in_progress' });
    expect((await getRunStreamStateById({ db, owner: OWNER, threadId: thread.id, runId: run.id })).message?.id).toBe('msg_streamtest0001');
    await requireRunActionById({
      db,
      runId: run.id,
      worker: WORKER,
      toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"x"}' } }],
    });
    expect((await messages()).map((message) => message.role)).toEqual(['user']);
    const context = await getRunContextById({ db, runId: run.id });
    expect(context.draft).toBeNull();
    expect(context.messages.map((message) => message.role)).toEqual(['user']);
  });

  it('keeps the text of a run that expires as an incomplete answer', async () => {
    const { db, thread, run, append, messages } = await claimedRun({ expiresInSeconds: 1 });
    await append(0, 'Half of it');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const state = await getRunStreamStateById({ db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(state.run.status).toBe('expired');
    expect(state.message).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_expired' } });
    expect(textOf((await messages())[1])).toBe('Half of it');
  });
});

describe('the Slack outbox and streamed answers', () => {
  it('queues one answer post, with the final text, when the streamed answer completes (none while it streams)', async () => {
    const { db, run, append } = await claimedRun();
    await setSlackOutboxEnabled({ db, isEnabled: true });
    const pg = (db as unknown as { pg: PGlite }).pg;
    const answers = async () =>
      (await pg.query<{ payload: { text: string; message_id: string } }>(`select payload from slack_outbox where kind = 'answer' order by id`)).rows;
    await append(0, 'Streaming ');
    await append(codePointLength('Streaming '), 'text');
    expect(await answers()).toEqual([]);
    const content = [{ type: 'text' as const, text: { value: 'Streaming text, final.', annotations: [] } }];
    await completeRunById({ db, runId: run.id, worker: WORKER, content, metadata: {} });
    const queued = await answers();
    expect(queued).toHaveLength(1);
    expect(queued[0]?.payload).toMatchObject({ text: 'Streaming text, final.', message_id: 'msg_streamtest0001' });
  });

  it('still queues an answer inserted whole (no text streamed first)', async () => {
    const { db, run } = await claimedRun();
    await setSlackOutboxEnabled({ db, isEnabled: true });
    const content = [{ type: 'text' as const, text: { value: 'Whole answer.', annotations: [] } }];
    await completeRunById({ db, runId: run.id, worker: WORKER, content, metadata: {} });
    const pg = (db as unknown as { pg: PGlite }).pg;
    const rows = (await pg.query<{ payload: { text: string } }>(`select payload from slack_outbox where kind = 'answer'`)).rows;
    expect(rows.map((row) => row.payload.text)).toEqual(['Whole answer.']);
  });
});

describe('the Slack triggers of a migrated database', () => {
  it("post the answer once it is completed, and never a maintainer's reply (supabase/schemas/51_slack_posts.sql)", async () => {
    app = await createTestApp({ isStarted: false });
    const pg = (app.db as unknown as { pg: PGlite }).pg;
    const triggers = await pg.query<{ tgname: string; definition: string }>(
      `select tgname, pg_get_triggerdef(oid) as definition from pg_trigger where tgrelid = 'assistant_message'::regclass and not tgisinternal`,
    );
    const insert = triggers.rows.find((row) => row.tgname === 'pa_slack_message_insert');
    expect(insert?.definition).toMatch(/WHEN \(+new\.status = 'completed'::text\)/);
    expect(insert?.definition).toMatch(/'author'::text\) IS DISTINCT FROM 'maintainer'::text/);
    expect(triggers.rows.map((row) => row.tgname)).toContain('pa_slack_message_completed');
  });
});
