import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/contract';
import { answeredThread, mainClient, unknownId, type TClient } from './helpers/tier';

// 404 on every thread-scoped route, for a thread that does not exist, one that was deleted, and another
// session's, under `next start`. The 404 is raised in lib/ (a Postgres function's PA404 mapped to an AppError)
// and recognised in lib/http/index.ts: in the production build those are separate bundles, so a check by `instanceof`
// turned every one of these into a 500 (fixed with error brands, lib/error-brands.ts).

type TTarget = { client: TClient; threadId: string; runId: string; messageId: string };

function routes({ threadId, runId, messageId }: Omit<TTarget, 'client'>) {
  const thread = `/api/paste-assistant-thread/${threadId}`;
  return [
    ['GET', thread, undefined],
    ['PUT', thread, { metadata: { topic: 'x' } }],
    ['DELETE', thread, undefined],
    ['GET', `${thread}/runs`, undefined],
    ['GET', `${thread}/run/${runId}`, undefined],
    ['GET', `${thread}/run/${runId}/events`, undefined],
    ['POST', `${thread}/run/${runId}/cancel`, undefined],
    ['GET', `/api/paste-assistant-messages/${threadId}`, undefined],
    ['POST', '/api/paste-assistant-message', { threadId, message: 'Still there?' }],
    ['POST', '/api/paste-assistant-message-vote', { threadId, messageId, vote: 'up' }],
    ['GET', `/api/paste-assistant-message-vote?threadId=${threadId}`, undefined],
  ] as const;
}

async function expectNotFoundEverywhere(target: TTarget) {
  const answers: string[] = [];
  for (const [method, route, json] of routes(target)) {
    const response = await target.client.request(method, route, json === undefined ? {} : { json });
    answers.push(`${method} ${route.replace(/(thread|run|msg)_[a-f0-9]+/g, '$1_…')} → ${response.status}`);
    // The events route answers its 404 as JSON, before any event is streamed.
    expect(response.headers.get('content-type'), `${method} ${route}`).toMatch(/^application\/json/);
    expectError(response, 404, 'not_found');
  }
  return answers;
}

describe('404 for a thread the caller cannot see, on every route', () => {
  let owner: TClient;
  let intruder: TClient;
  let answered: Awaited<ReturnType<typeof answeredThread>>;
  let deleted: Awaited<ReturnType<typeof answeredThread>>;

  beforeAll(async () => {
    owner = mainClient();
    intruder = mainClient();
    answered = await answeredThread(owner);
    deleted = await answeredThread(owner, 'How do I delete a thread?');
    const removed = await owner.delete(`/api/paste-assistant-thread/${deleted.threadId}`);
    expect(removed.body).toEqual({ id: deleted.threadId, object: 'thread.deleted', deleted: true });
    // The intruder has a session of its own (and a thread), not the owner's.
    expect((await intruder.post('/api/paste-assistant-thread')).status).toBe(200);
    expect(intruder.cookie).not.toBe(owner.cookie);
  });

  it('a thread id that never existed', async () => {
    await expectNotFoundEverywhere({ client: owner, threadId: unknownId('thread'), runId: unknownId('run'), messageId: unknownId('msg') });
  });

  it('a deleted thread (its run and answer ids were real)', async () => {
    await expectNotFoundEverywhere({ client: owner, threadId: deleted.threadId, runId: deleted.runId, messageId: deleted.answerId });
  });

  it("another session's thread, and nothing of it changes", async () => {
    await expectNotFoundEverywhere({ client: intruder, threadId: answered.threadId, runId: answered.runId, messageId: answered.answerId });
    const thread = await owner.get(`/api/paste-assistant-thread/${answered.threadId}`);
    expect(thread.status).toBe(200);
    expect(thread.body.metadata).toEqual({ threadTitle: 'New thread' });
    const messages = await owner.get(`/api/paste-assistant-messages/${answered.threadId}`);
    expect(messages.body.data).toHaveLength(2);
    expect((await owner.get(`/api/paste-assistant-message-vote?threadId=${answered.threadId}`)).body.data).toEqual([]);
  });

  it('a run or message id that is not in the thread', async () => {
    const other = await answeredThread(owner, 'How do I vote on an answer?');
    const thread = `/api/paste-assistant-thread/${answered.threadId}`;
    expectError(await owner.get(`${thread}/run/${unknownId('run')}`), 404, 'not_found');
    // A real run of the same owner, but of another thread.
    expectError(await owner.get(`${thread}/run/${other.runId}`), 404, 'not_found');
    expectError(await owner.get(`${thread}/run/${other.runId}/events`), 404, 'not_found');
    expectError(await owner.post(`${thread}/run/${other.runId}/cancel`), 404, 'not_found');
    expectError(
      await owner.post('/api/paste-assistant-message-vote', { threadId: answered.threadId, messageId: other.answerId, vote: 'up' }),
      404,
      'not_found',
    );
    expectError(
      await owner.post('/api/paste-assistant-message-vote', { threadId: answered.threadId, messageId: unknownId('msg'), vote: 'down' }),
      404,
      'not_found',
    );
  });
});
