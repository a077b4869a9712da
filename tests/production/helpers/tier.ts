import { randomBytes } from 'node:crypto';
import { expect, inject } from 'vitest';
import { createClient } from '../../helpers/server';
import type { TFakeSlackCall } from './fake-slack';

// What the production tier's tests share: cookie-keeping clients of the servers the global setup started, the
// fake model's and fake Slack's control routes, and the few steps most tests take.

export type TClient = ReturnType<typeof createClient>;

export const mainClient = (): TClient => createClient(inject('mainUrl'));
export const strictClient = (): TClient => createClient(inject('strictUrl'));

/** A fresh id of the given kind that no thread, run or message has. */
export const unknownId = (prefix: 'thread' | 'run' | 'msg') => `${prefix}_${randomBytes(16).toString('hex')}`;

/** A key for [[model:hold:KEY]], unique to the test that uses it. */
export const holdKey = () => `k${randomBytes(6).toString('hex')}`;

export async function releaseModel(key: string): Promise<void> {
  const response = await fetch(`${inject('modelControlUrl')}/release/${key}`, { method: 'POST' });
  expect(response.status).toBe(200);
}

export type TModelRequest = { path: string; question: string; userMessages: string[]; kind: 'title' | 'tool_call' | 'answer'; isStreamed: boolean; authorization: string | null };

/** What the fake model was asked (chat and Responses requests), and how many texts it embedded. */
export async function modelLog(): Promise<{ requests: TModelRequest[]; embeddedTexts: number }> {
  return (await (await fetch(`${inject('modelControlUrl')}/requests`)).json()) as { requests: TModelRequest[]; embeddedTexts: number };
}

export async function modelRequests(): Promise<TModelRequest[]> {
  return (await modelLog()).requests;
}

export async function slackCalls(): Promise<TFakeSlackCall[]> {
  return ((await (await fetch(`${inject('slackControlUrl')}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls;
}

export async function newThread(client: TClient): Promise<string> {
  const response = await client.post('/api/paste-assistant-thread');
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.id as string;
}

/** POST …-message; expects 200 and returns the run. */
export async function send(client: TClient, threadId: string, message: string, { wait = true } = {}) {
  const response = await client.post('/api/paste-assistant-message', { threadId, message, wait });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.run as { id: string; status: string; last_error: { code: string; message: string } | null; [key: string]: unknown };
}

/** Polls GET run (as the client does) until `isDone(run)`. */
export async function pollRun(client: TClient, threadId: string, runId: string, isDone: (run: any) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get(`/api/paste-assistant-thread/${threadId}/run/${runId}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    if (isDone(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not get there in ${timeoutMs} ms: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const isTerminal = (run: { status: string }) => ['completed', 'failed', 'cancelled', 'expired', 'incomplete'].includes(run.status);

/** A thread with one answered question: its id, the run's id and the two messages' ids. */
export async function answeredThread(client: TClient, question = 'How do I configure Slack?') {
  const threadId = await newThread(client);
  const run = await send(client, threadId, question);
  expect(run.status).toBe('completed');
  const messages = await client.get(`/api/paste-assistant-messages/${threadId}`);
  const [user, answer] = messages.body.data as { id: string; role: string }[];
  expect([user?.role, answer?.role]).toEqual(['user', 'assistant']);
  return { threadId, runId: run.id, userMessageId: user!.id, answerId: answer!.id };
}
