import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, rerunMessageForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { getRateBucketLevels } from '@/lib/db/limits';
import { listMessagesByThread } from '@/lib/db/messages';
import { isAppError } from '@/lib/errors';
import { modelBuckets, requestBuckets, type TClient } from '@/lib/limits';
import { createTestApp } from '../helpers/app';
import { STORES } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// A question's limits are taken in the round trip that stores it (create_message_and_run_within_limits): the burst
// tokens of its request when the route left them to it (POST …-message), then the model allowance. What holds, as
// when each was its own call: a refusal stores nothing and says which limit; a question refused for its thread (404)
// still costs its request's burst token, and no model token; a door that takes no request limits takes none here.

const READER: TClient = { sessionId: 'sess_question_limits', ip: '203.0.113.7' };
const QUESTION = 'How do I configure Slack?';
/** An hourly quota that refills too slowly to show within a test (a token every 36 s). */
const HOURLY = { RATE_LIMIT_MESSAGES_PER_HOUR: '100' };

/** What the bucket of this name has left for the reader (its capacity when never taken from). */
async function available(app: TApp, name: 'session_burst' | 'session_messages'): Promise<number> {
  const { rateLimits } = app.config;
  const buckets = (name === 'session_burst' ? requestBuckets : modelBuckets)(rateLimits, READER).filter((bucket) => bucket.name === name);
  const [level] = await getRateBucketLevels({ db: app.db, buckets });
  return Math.floor(level!.available);
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; limit?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, limit: (error.detail as { limit?: string } | undefined)?.limit };
  }
  throw new Error('the question was not refused');
}

describe.each(STORES)('a question’s limits, taken as it is stored, on %s', (store) => {
  let app: TApp | undefined;
  afterEach(async () => {
    await app?.db.close();
    app = undefined;
  });

  const ask = (current: TApp, threadId: string, text = QUESTION, isRequestLimited = true) =>
    sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: READER.sessionId, client: READER, threadId, text, isRequestLimited });

  it('refuses the request past its burst limit without storing the question', async () => {
    app = await createTestApp({ store, env: { RATE_LIMIT_BURST: '2', RATE_LIMIT_BURST_SECONDS: '3600', ...HOURLY } });
    const threads = await Promise.all([1, 2, 3].map(() => createThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: READER.sessionId })));
    for (const thread of threads.slice(0, 2)) expect((await ask(app, thread.id)).run.status).toBe('completed');
    expect(await refusal(ask(app, threads[2]!.id, 'One more question'))).toEqual({ code: 'rate_limited', limit: 'session_burst' });
    const stored = await listMessagesByThread({ db: app.db, owner: READER.sessionId, threadId: threads[2]!.id, limit: 10, order: 'asc' });
    expect(stored.data).toEqual([]);
    // The hourly quota was not touched by the refused question.
    expect(await available(app, 'session_messages')).toBe(app.config.rateLimits.messagesPerHour - 2);
  });

  it('refuses past the hourly quota without storing, and the refused request still took its burst token', async () => {
    app = await createTestApp({ store, env: { RATE_LIMIT_MESSAGES_PER_HOUR: '1', RATE_LIMIT_BURST: '10', RATE_LIMIT_BURST_SECONDS: '3600' } });
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: READER.sessionId });
    expect((await ask(app, thread.id)).run.status).toBe('completed');
    expect(await refusal(ask(app, thread.id, 'One more question'))).toEqual({ code: 'rate_limited', limit: 'session_messages' });
    expect(await available(app, 'session_burst')).toBe(8);
    const stored = await listMessagesByThread({ db: app.db, owner: READER.sessionId, threadId: thread.id, limit: 10, order: 'asc' });
    expect(stored.data.map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('answers 404 for a thread that is not the reader’s: its burst token taken, no model token', async () => {
    app = await createTestApp({ store, env: { RATE_LIMIT_BURST: '10', RATE_LIMIT_BURST_SECONDS: '3600', ...HOURLY } });
    const others = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: 'sess_someone_else' });
    expect(await refusal(ask(app, others.id))).toEqual({ code: 'not_found', limit: undefined });
    expect(await available(app, 'session_burst')).toBe(9);
    expect(await available(app, 'session_messages')).toBe(app.config.rateLimits.messagesPerHour);
  });

  it('takes a re-run\'s allowance as the run is created: a re-run the thread refuses (409) costs nothing', async () => {
    app = await createTestApp({ store, env: { RATE_LIMIT_BURST: '10', RATE_LIMIT_BURST_SECONDS: '3600', ...HOURLY } });
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: READER.sessionId });
    const asked = await ask(app, thread.id);
    expect(asked.run.status).toBe('completed');
    const stored = await listMessagesByThread({ db: app.db, owner: READER.sessionId, threadId: thread.id, limit: 10, order: 'asc' });
    const question = stored.data.find((message) => message.role === 'user')!;
    // A completed answer: a Retry of it is refused, twice, and costs nothing; the question keeps its run.
    for (let index = 0; index < 2; index += 1) {
      const rerun = rerunMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: READER.sessionId, client: READER, threadId: thread.id, messageId: question.id });
      expect(await refusal(rerun)).toEqual({ code: 'conflict', limit: undefined });
    }
    expect(await available(app, 'session_messages')).toBe(app.config.rateLimits.messagesPerHour - 1);
    const after = await listMessagesByThread({ db: app.db, owner: READER.sessionId, threadId: thread.id, limit: 10, order: 'asc' });
    expect(after.data.find((message) => message.role === 'user')!.run_id).toBe(asked.run.id);
  });

  it('refuses a re-run past the hourly quota without creating its run', async () => {
    app = await createTestApp({ store, env: { RATE_LIMIT_MESSAGES_PER_HOUR: '1', RATE_LIMIT_BURST: '10', RATE_LIMIT_BURST_SECONDS: '3600' } });
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: READER.sessionId });
    expect((await ask(app, thread.id)).run.status).toBe('completed');
    const stored = await listMessagesByThread({ db: app.db, owner: READER.sessionId, threadId: thread.id, limit: 10, order: 'asc' });
    const question = stored.data.find((message) => message.role === 'user')!;
    const rerun = rerunMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: READER.sessionId, client: READER, threadId: thread.id, messageId: question.id });
    expect(await refusal(rerun)).toEqual({ code: 'rate_limited', limit: 'session_messages' });
    const after = await listMessagesByThread({ db: app.db, owner: READER.sessionId, threadId: thread.id, limit: 10, order: 'asc' });
    expect(after.data.find((message) => message.role === 'user')!.run_id).toBe(question.run_id);
  });

  it('takes no burst token for a door that takes no request limits', async () => {
    app = await createTestApp({ store, env: { RATE_LIMIT_BURST: '1', RATE_LIMIT_BURST_SECONDS: '3600', ...HOURLY } });
    for (let index = 0; index < 2; index += 1) {
      const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: READER.sessionId });
      expect((await ask(app, thread.id, QUESTION, false)).run.status).toBe('completed');
    }
    expect(await available(app, 'session_burst')).toBe(1);
    expect(await available(app, 'session_messages')).toBe(app.config.rateLimits.messagesPerHour - 2);
  });
});
