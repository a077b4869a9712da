import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { sendMessageForCaller } from '@/lib/assistant/service';
import {
  claimSlackOutboxBatch,
  enqueueSlackPostByThread,
  enqueueVoteNotification,
  pruneSlackOutbox,
  retrySlackOutboxById,
  setSlackOutboxEnabled,
  settleSlackOutboxById,
} from '@/lib/db/slack-outbox';
import { listMessagesByThread } from '@/lib/db/messages';
import { createThread } from '@/lib/db/threads';
import type { TSlackPostKind } from '@/lib/db/slack-outbox';
import { renderReplyText } from '@/lib/review-channel/format';
import { createTestApp } from '../helpers/app';
import { execSql, querySql, STORES, type TStoreKind } from '../helpers/stores';
import { readOutbox } from '../helpers/slack';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The outbox's SQL on real Postgres, without Slack: what gets queued, in which order it can be claimed by
// several workers, how retries and failures settle. Slack is "enabled" by the database switch alone here.

const OWNER = 'owner_outbox_aaaaaaaaaa';
let app: TApp | undefined;

afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

async function setup({ store }: { store: TStoreKind }) {
  app = await createTestApp({ store });
  await setSlackOutboxEnabled({ db: app.db, isEnabled: true });
  return app;
}

const newThread = (current: TApp) => createThread({ db: current.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
const enqueue = (current: TApp, threadId: string, kind: TSlackPostKind = 'message') =>
  enqueueSlackPostByThread({ db: current.db, threadId, kind, payload: { message_id: 'msg_x', text: 'hi' } });

describe.each(STORES)('slack outbox on %s', (store) => {
  it('carries the moderation flag of a reader\'s message to its post', async () => {
    const current = await setup({ store });
    const thread = await newThread(current);
    await current.engine.startRun({ access: PUBLIC_ACCESS,
      owner: OWNER,
      threadId: thread.id,
      text: 'something hostile',
      metadata: { flagged: true },
      refusal: { text: 'I can only help with questions about these docs.', metadata: { refusal: true } },
    });
    const posts = await querySql<{ payload: { flagged?: boolean } }>(
      current.db,
      `select payload from slack_outbox where kind = 'message' and thread_id = $1`,
      [thread.id],
    );
    expect(posts.rows.map((row) => row.payload.flagged)).toEqual([true]);
  });

  it("lists an answer's sources with their kind and a thread's number and state, as the review channel shows them", async () => {
    const current = await setup({ store });
    const thread = await newThread(current);
    const thread1234 = 'https://github.com/acme/widgets/issues/1234';
    const annotation = (url: string, title: string, source?: Record<string, unknown>) => ({ type: 'url_citation', url, title, start_index: 0, end_index: 1, ...(source ? { source } : {}) });
    const content = [
      {
        type: 'text',
        text: {
          value: 'Answer',
          annotations: [
            annotation('/docs/components/toast#dismissal', 'Toast › Dismissal'),
            annotation(`${thread1234}#issuecomment-9`, "Toast in Safari › Maintainers' answer", { kind: 'thread', number: 1234, state: 'open' }),
            annotation('https://docs.example.com/answers/7', 'Toast in Safari', { kind: 'answer' }),
          ],
        },
      },
    ];
    await querySql(current.db, `insert into assistant_message (thread_id, role, content) values ($1, 'assistant', $2::jsonb)`, [thread.id, JSON.stringify(content)]);
    const posts = await querySql<{ payload: { sources: unknown[] } }>(current.db, `select payload from slack_outbox where kind = 'answer' and thread_id = $1`, [thread.id]);
    const payload = posts.rows[0]!.payload;
    expect(payload.sources).toEqual([
      { url: '/docs/components/toast#dismissal', title: 'Toast › Dismissal' },
      { url: `${thread1234}#issuecomment-9`, title: "Toast in Safari › Maintainers' answer", source: { kind: 'thread', number: 1234, state: 'open' } },
      { url: 'https://docs.example.com/answers/7', title: 'Toast in Safari', source: { kind: 'answer' } },
    ]);
    const text = renderReplyText({ kind: 'answer', payload, siteUrl: 'https://docs.example.com' });
    const sourcesLine = text.split('\n').find((line) => line.startsWith('*Sources:*')) ?? '';
    expect(sourcesLine).toMatch(/Maintainers' answer> — GitHub thread #1234 \(open, not fixed yet\)/);
    expect(sourcesLine).toMatch(/Toast in Safari> — Answered by the maintainers/);
    expect(sourcesLine).toMatch(/Toast › Dismissal>( ·|$)/);
  });

  it('lets workers claim only the oldest pending post of each thread; a leased post holds back its thread', async () => {
    const current = await setup({ store });
    const a = await newThread(current);
    const b = await newThread(current);
    await enqueue(current, a.id);
    await enqueue(current, b.id);
    await enqueue(current, a.id);

    const first = await claimSlackOutboxBatch({ db: current.db, worker: 'w1', limit: 10, leaseSeconds: 60 });
    expect(first.map((row) => [row.thread_id, row.kind])).toEqual([
      [a.id, 'thread'],
      [b.id, 'thread'],
    ]);
    expect(await claimSlackOutboxBatch({ db: current.db, worker: 'w2', limit: 10, leaseSeconds: 60 })).toEqual([]);

    expect(await settleSlackOutboxById({ db: current.db, id: first[0]!.id, status: 'delivered', slackTs: '111.222' })).toBe(true);
    const second = await claimSlackOutboxBatch({ db: current.db, worker: 'w2', limit: 10, leaseSeconds: 60 });
    expect(second.map((row) => [row.thread_id, row.kind, row.parent_ts])).toEqual([[a.id, 'message', '111.222']]);
    // The parent's ts went onto the thread.
    expect((await querySql<{ ts: string }>(current.db, 'select slack_thread_ts as ts from assistant_thread where id = $1', [a.id])).rows[0]?.ts).toBe(
      '111.222',
    );
  });

  it('schedules retries, settles a post once, and fails a post that has been failing for too long', async () => {
    const current = await setup({ store });
    const thread = await newThread(current);
    const [row] = await claimSlackOutboxBatch({ db: current.db, worker: 'w1', limit: 10, leaseSeconds: 60 });
    expect(await retrySlackOutboxById({ db: current.db, id: row!.id, delayMs: 60_000, error: 'http_500', maxAgeSeconds: 3600 })).toBe('pending');
    expect(await claimSlackOutboxBatch({ db: current.db, worker: 'w1', limit: 10, leaseSeconds: 60 })).toEqual([]);
    const [waiting] = await readOutbox(current.db);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, last_error: 'http_500' });
    expect(waiting!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 50_000);

    expect(await retrySlackOutboxById({ db: current.db, id: row!.id, delayMs: 0, error: 'http_503', maxAgeSeconds: 0 })).toBe('failed');
    const [given] = await readOutbox(current.db);
    expect(given).toMatchObject({ status: 'failed', attempts: 2, last_error: 'gave up after 2 attempts: http_503' });

    const other = await enqueue(current, thread.id);
    expect(await settleSlackOutboxById({ db: current.db, id: other!, status: 'failed', error: 'channel_not_found' })).toBe(true);
    expect(await settleSlackOutboxById({ db: current.db, id: other!, status: 'failed', error: 'channel_not_found' })).toBe(false);
    await expect(settleSlackOutboxById({ db: current.db, id: other!, status: 'pending' as never })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('queues each event of a conversation in the transaction that stores it, and nothing while Slack is off', async () => {
    const current = await setup({ store });
    const thread = await newThread(current);
    await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: thread.id, text: 'How do I create a Slack bot token?' });
    const answer = (await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' })).data[1]!;
    expect(await enqueueVoteNotification({ db: current.db, threadId: thread.id, messageId: answer.id, vote: 'down' })).toEqual(expect.any(Number));
    expect((await readOutbox(current.db)).map((row) => row.kind)).toEqual(['thread', 'message', 'answer', 'vote']);

    await setSlackOutboxEnabled({ db: current.db, isEnabled: false });
    await newThread(current);
    expect(await enqueueVoteNotification({ db: current.db, threadId: thread.id, messageId: answer.id, vote: null })).toBeNull();
    expect(await readOutbox(current.db)).toHaveLength(4);
    await expect(enqueue(current, thread.id, 'nonsense' as TSlackPostKind)).resolves.toBeNull();
    await setSlackOutboxEnabled({ db: current.db, isEnabled: true });
    await expect(enqueue(current, thread.id, 'nonsense' as TSlackPostKind)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('never fails the event when its post cannot be queued: the reader’s message is kept', async () => {
    const current = await setup({ store });
    const thread = await newThread(current);
    await execSql(current.db, `alter table slack_outbox add constraint test_refuse_messages check (kind <> 'message')`);
    const { message } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'Still stored?' });
    const stored = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(stored.data[0]).toMatchObject({ id: message.id, role: 'user' });
    expect((await readOutbox(current.db)).map((row) => row.kind)).not.toContain('message');
  });

  it('prunes delivered posts after the retention period and keeps failed ones', async () => {
    const current = await setup({ store });
    const thread = await newThread(current);
    const failed = await enqueue(current, thread.id);
    const [parent] = await claimSlackOutboxBatch({ db: current.db, worker: 'w1', limit: 10, leaseSeconds: 60 });
    await settleSlackOutboxById({ db: current.db, id: parent!.id, status: 'delivered', slackTs: '1.2' });
    await settleSlackOutboxById({ db: current.db, id: failed!, status: 'failed', error: 'not_in_channel' });
    await execSql(current.db, `update slack_outbox set settled_at = now() - interval '30 days'`);
    expect(await pruneSlackOutbox({ db: current.db, keepDays: 14 })).toBe(1);
    expect((await readOutbox(current.db)).map((row) => [row.kind, row.status])).toEqual([['message', 'failed']]);
  });
});
