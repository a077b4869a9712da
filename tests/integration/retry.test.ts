import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp, TAppOverrides } from '@/lib/app';
import { ModelError } from '@/lib/model/types';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { buildBlockingModel, buildScriptedModel } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Retry (POST /api/paste-assistant-thread/[tid]/runs): a new run for the question already in the thread.
// The question is stored once, whatever the number of retries; only the last question, only after an answer
// that did not complete, never while a run is active. (A research run may also follow a quick answer the docs did
// not cover: research-offer.test.ts.)

const apps: { app: TApp; server: TTestServer }[] = [];

async function serve(overrides: TAppOverrides) {
  const app = await createTestApp({ overrides, env: { MESSAGE_WAIT_SECONDS: '5' } });
  const server = await startTestServer(app);
  apps.push({ app, server });
  return createClient(server.url);
}

afterAll(async () => {
  for (const { app, server } of apps) {
    await server.close();
    await app.db.close();
  }
});

const texts = (body: any) => body.data.map((message: any) => `${message.role}:${message.content[0]?.text.value}`);

describe('retry', () => {
  let reader: ReturnType<typeof createClient>;
  let threadId: string;
  let questionId: string;
  let failedRunId: string;

  beforeAll(async () => {
    const model = buildScriptedModel([
      new ModelError('server_error', 'The model is down.'),
      { type: 'message', text: 'Second time lucky.' },
    ]);
    reader = await serve({ model });
    threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    const sent = await reader.post('/api/paste-assistant-message', { threadId, message: 'Will this work?' });
    expect(sent.body.run.status).toBe('failed');
    failedRunId = sent.body.run.id;
    const listed = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    questionId = listed.body.data[0].id;
  });

  it('runs the same question again without storing it twice', async () => {
    const retried = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: questionId });
    expect(retried.status).toBe(200);
    expect(retried.body.run).toMatchObject({ object: 'thread.run', status: 'completed', thread_id: threadId });
    expect(retried.body.run.id).not.toBe(failedRunId);
    expect(retried.body.run.metadata).toMatchObject({ retry_of: failedRunId });
    const listed = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(texts(listed.body)).toEqual(['user:Will this work?', 'assistant:Second time lucky.']);
    // The question now belongs to the run that answered it.
    expect(listed.body.data[0]).toMatchObject({ id: questionId, run_id: retried.body.run.id });
    const latest = await reader.get(`/api/paste-assistant-thread/${threadId}/runs`);
    expect(latest.body.data[0].id).toBe(retried.body.run.id);
  });

  it('refuses a question that was answered (409), another session (404) and a malformed id (400)', async () => {
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: questionId }), 409, 'conflict');
    expectError(await createClient(apps[0]!.server.url).post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: questionId }), 404, 'not_found');
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: 'run_123' }), 400, 'bad_request');
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: 'msg_doesnotexist' }), 404, 'not_found');
  });
});

describe('retry while a run is active, or of an earlier question', () => {
  it('is refused with 409 until the active run ends, and only the last question can be retried', async () => {
    const model = buildBlockingModel('Held.');
    const reader = await serve({ model });
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    const first = await reader.post('/api/paste-assistant-message', { threadId, message: 'First?', wait: false });
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question.id }), 409, 'conflict');

    await reader.post(`/api/paste-assistant-thread/${threadId}/run/${first.body.run.id}/cancel`);
    model.release();
    const second = await reader.post('/api/paste-assistant-message', { threadId, message: 'Second?', wait: false });
    await reader.post(`/api/paste-assistant-thread/${threadId}/run/${second.body.run.id}/cancel`);
    // "First?" was stopped too, but a later question follows it: retrying it would answer out of order.
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question.id }), 409, 'conflict');
    const listed = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    const last = listed.body.data.filter((message: any) => message.role === 'user').at(-1);
    const retried = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: last.id, wait: false });
    expect(retried.status).toBe(200);
    expect(retried.body.run.status).toBe('queued');
    model.release();
    const users = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data.filter((message: any) => message.role === 'user');
    expect(users.map((message: any) => message.content[0].text.value)).toEqual(['First?', 'Second?']);
  });
});
