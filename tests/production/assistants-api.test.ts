import OpenAI from 'openai-v4';
import { describe, expect, inject, it } from 'vitest';
import { FAKE_TITLE } from './helpers/fake-model';
import { PRODUCTION_API_KEYS } from './helpers/global-setup';
import { holdKey, mainClient, releaseModel } from './helpers/tier';

// Assistants-era code against `next start`, unchanged but for its base URL: the real `openai` SDK at its last
// major with `beta.threads` (4.x, installed as openai-v4), driving /v1 of the main server. The model is the tier's
// fake Chat Completions server: asked with tools, it calls get_relevant_docs with the question, then answers
// citing the first section of the tool output ([[model:hold:KEY]] holds its answer until the test releases it).

const [KEY_A, KEY_B] = PRODUCTION_API_KEYS;

const sdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${inject('mainUrl')}/v1`, maxRetries: 0, timeout: 20_000 });

/** Paste's assistant, as it was configured in OpenAI's dashboard: one function tool that searches the docs. */
const GET_RELEVANT_DOCS_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_relevant_docs',
    description: 'Search the documentation for sections relevant to the question.',
    parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
  },
};

/** The client's side of get_relevant_docs, as Paste's API route did it: the site's docs search, as the tool output. */
async function getRelevantDocs(argumentsJson: string): Promise<string> {
  const { prompt } = JSON.parse(argumentsJson) as { prompt: string };
  const response = await fetch(`${inject('mainUrl')}/api/docs-search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt }),
  });
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as { data: { heading: string; url: string; content: string }[] };
  return JSON.stringify({ results: data.map(({ heading, url, content }) => ({ heading, url, content })) });
}

async function pasteAssistant(client: OpenAI) {
  return client.beta.assistants.create({
    model: 'gpt-4-turbo-preview',
    name: 'Paste docs assistant',
    instructions: 'Answer questions about the Paste docs, citing the sections you used.',
    tools: [GET_RELEVANT_DOCS_TOOL],
  });
}

async function outputsFor(run: OpenAI.Beta.Threads.Run) {
  const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
  return Promise.all(calls.map(async (call) => ({ tool_call_id: call.id, output: await getRelevantDocs(call.function.arguments) })));
}

const textOf = (message: OpenAI.Beta.Threads.Message) =>
  message.content.map((part) => (part.type === 'text' ? part.text.value : '')).join('');

describe('the openai SDK (4.x) against /v1', () => {
  it("runs Paste's original flow: createAndPoll → requires_action → submitToolOutputsAndPoll → completed, then the messages", async () => {
    const client = sdk(KEY_A);
    const assistant = await pasteAssistant(client);
    expect(assistant).toMatchObject({ id: expect.stringMatching(/^asst_/), object: 'assistant', tools: [GET_RELEVANT_DOCS_TOOL] });
    const thread = await client.beta.threads.create();
    await client.beta.threads.messages.create(thread.id, { role: 'user', content: 'How do I configure Slack?' });

    const waiting = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(waiting.status).toBe('requires_action');
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.function).toEqual({ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: 'How do I configure Slack?' }) });

    const done = await client.beta.threads.runs.submitToolOutputsAndPoll(thread.id, waiting.id, { tool_outputs: await outputsFor(waiting) });
    expect(done).toMatchObject({ id: waiting.id, status: 'completed', assistant_id: assistant.id, model: 'gpt-4-turbo-preview' });

    const messages = await client.beta.threads.messages.list(thread.id);
    expect(messages.data.map((message) => message.role)).toEqual(['assistant', 'user']);
    expect(textOf(messages.data[1]!)).toBe('How do I configure Slack?');
    // The answer cites the docs section the client's tool found.
    expect(textOf(messages.data[0]!)).toMatch(/^The docs explain this in \[[^\]]+\]\([^)]*\/docs\/[^)]+\)\.$/);
    expect(messages.data[0]).toMatchObject({ assistant_id: assistant.id, run_id: waiting.id, status: 'completed' });

    // The polling helpers are told how soon to look again (without the header they wait 5 s per look).
    const { response } = await client.beta.threads.runs.retrieve(thread.id, waiting.id).withResponse();
    expect(response.headers.get('openai-poll-after-ms')).toBe('500');
    const steps = await client.beta.threads.runs.steps.list(thread.id, waiting.id, { order: 'asc' });
    expect(steps.data.map((step) => [step.type, step.status])).toEqual([
      ['tool_calls', 'completed'],
      ['message_creation', 'completed'],
    ]);
    const step = await client.beta.threads.runs.steps.retrieve(thread.id, waiting.id, steps.data[0]!.id);
    expect(step.step_details).toMatchObject({ type: 'tool_calls', tool_calls: [{ id: calls[0]!.id, function: { name: 'get_relevant_docs' } }] });
  });

  it('streams a run with runs.stream: the text arrives as textDelta events that make up the final message', async () => {
    const client = sdk(KEY_A);
    // Without tools the fake model answers at once (with its title text).
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o', instructions: 'Answer briefly.' });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Say something' }] });
    const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const deltas: string[] = [];
    const events: string[] = [];
    stream.on('textDelta', (delta) => deltas.push(delta.value ?? '')).on('event', (event) => events.push(event.event));
    const run = await stream.finalRun();
    expect(run.status).toBe('completed');
    expect(deltas.join('')).toBe(FAKE_TITLE);
    const [message] = await stream.finalMessages();
    expect(textOf(message!)).toBe(FAKE_TITLE);
    expect(events.filter((name) => name !== 'thread.message.delta')).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.message.created',
      'thread.message.in_progress',
      'thread.message.completed',
      'thread.run.step.completed',
      'thread.run.completed',
    ]);
  });

  it('streams the tool flow: requires_action with the call, then submitToolOutputsStream writes the answer in several deltas', async () => {
    const client = sdk(KEY_A);
    const assistant = await pasteAssistant(client);
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'How do I use the Button component?' }] });
    const first = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const toolCalls: string[] = [];
    first.on('toolCallCreated', (call) => toolCalls.push(call.type === 'function' ? call.function.name : call.type));
    const waiting = await first.finalRun();
    expect(waiting.status).toBe('requires_action');
    expect(toolCalls).toEqual(['get_relevant_docs']);

    const second = client.beta.threads.runs.submitToolOutputsStream(thread.id, waiting.id, { tool_outputs: await outputsFor(waiting) });
    const deltas: string[] = [];
    second.on('textDelta', (delta) => deltas.push(delta.value ?? ''));
    const done = await second.finalRun();
    expect(done.status).toBe('completed');
    expect(deltas.length).toBeGreaterThan(1);
    const [message] = await second.finalMessages();
    expect(deltas.join('')).toBe(textOf(message!));
    const stored = await client.beta.threads.messages.retrieve(thread.id, message!.id);
    expect(textOf(stored)).toBe(deltas.join(''));
  });

  it('creates a thread and its run in one call (createAndRunPoll), and finishes it with the tool outputs', async () => {
    const client = sdk(KEY_A);
    const assistant = await pasteAssistant(client);
    const waiting = await client.beta.threads.createAndRunPoll({
      assistant_id: assistant.id,
      thread: { messages: [{ role: 'user', content: 'How do I configure Slack?' }], metadata: { origin: 'sdk' } },
    });
    expect(waiting.status).toBe('requires_action');
    expect((await client.beta.threads.retrieve(waiting.thread_id)).metadata).toEqual({ origin: 'sdk' });
    const done = await client.beta.threads.runs.submitToolOutputsAndPoll(waiting.thread_id, waiting.id, { tool_outputs: await outputsFor(waiting) });
    expect(done.status).toBe('completed');
  });

  it('cancels a run while the model is still working on it', async () => {
    const client = sdk(KEY_A);
    const assistant = await pasteAssistant(client);
    const key = holdKey();
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: `How do I configure Slack? [[model:hold:${key}]]` }] });
    try {
      const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
      const cancelled = await client.beta.threads.runs.cancel(thread.id, run.id);
      expect(cancelled).toMatchObject({ id: run.id, status: 'cancelled', cancelled_at: expect.any(Number) });
      await expect(client.beta.threads.runs.cancel(thread.id, run.id)).rejects.toMatchObject({ status: 400 });
    } finally {
      await releaseModel(key);
    }
    const runs = await client.beta.threads.runs.list(thread.id);
    expect(runs.data.map((run) => run.status)).toEqual(['cancelled']);
    const messages = await client.beta.threads.messages.list(thread.id);
    expect(messages.data.map((message) => message.role)).toEqual(['user']);
  });

  it('paginates lists: limit, order, after, before, has_more, and the SDK’s auto-pagination', async () => {
    const client = sdk(KEY_A);
    const words = ['one', 'two', 'three', 'four', 'five'];
    const thread = await client.beta.threads.create({ messages: words.map((content) => ({ role: 'user' as const, content })) });
    const firstPage = await client.beta.threads.messages.list(thread.id, { limit: 2, order: 'asc' });
    expect(firstPage.data.map(textOf)).toEqual(['one', 'two']);
    expect(firstPage.hasNextPage()).toBe(true);
    const secondPage = await firstPage.getNextPage();
    expect(secondPage.data.map(textOf)).toEqual(['three', 'four']);
    const all: string[] = [];
    for await (const message of client.beta.threads.messages.list(thread.id, { limit: 2, order: 'asc' })) all.push(textOf(message));
    expect(all).toEqual(words);
    const newestFirst = await client.beta.threads.messages.list(thread.id, { limit: 2 });
    expect(newestFirst.data.map(textOf)).toEqual(['five', 'four']);
    const before = await client.beta.threads.messages.list(thread.id, { limit: 2, order: 'asc', before: secondPage.data[1]!.id });
    expect(before.data.map(textOf)).toEqual(['two', 'three']);
    const raw = await fetch(`${inject('mainUrl')}/v1/threads/${thread.id}/messages?limit=2&order=asc`, { headers: { authorization: `Bearer ${KEY_A}` } });
    const body = (await raw.json()) as { object: string; first_id: string; last_id: string; has_more: boolean };
    expect(body).toMatchObject({ object: 'list', first_id: firstPage.data[0]!.id, last_id: firstPage.data[1]!.id, has_more: true });
  });

  it('answers 401 in OpenAI’s error shape to a wrong key, no key, or a reader’s session cookie', async () => {
    const wrong = sdk('pa-sk-not-a-key-of-this-server-000000');
    const error = await wrong.beta.assistants.list().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).error).toEqual({
      message: expect.any(String),
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });

    const reader = mainClient();
    const siteThread = await reader.post('/api/paste-assistant-thread');
    expect(siteThread.status).toBe(200);
    for (const path of [`/v1/threads/${siteThread.body.id}`, `/api/v1/threads/${siteThread.body.id}`, '/v1/assistants']) {
      const response = await reader.get(path);
      expect(response.status, path).toBe(401);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('API key') });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const bare = await fetch(`${inject('mainUrl')}/v1/assistants`);
    expect(bare.status).toBe(401);
  });

  it('shows a key only its own objects: another key’s ids are 404s, and keys reach nothing of the site’s API', async () => {
    const owner = sdk(KEY_A);
    const other = sdk(KEY_B);
    const assistant = await pasteAssistant(owner);
    const thread = await owner.beta.threads.create({ messages: [{ role: 'user', content: 'Private question' }] });
    const [message] = (await owner.beta.threads.messages.list(thread.id)).data;
    const attempts: [string, () => Promise<unknown>][] = [
      ['assistants.retrieve', () => other.beta.assistants.retrieve(assistant.id)],
      ['assistants.update', () => other.beta.assistants.update(assistant.id, { name: 'Mine now' })],
      ['assistants.del', () => other.beta.assistants.del(assistant.id)],
      ['threads.retrieve', () => other.beta.threads.retrieve(thread.id)],
      ['threads.del', () => other.beta.threads.del(thread.id)],
      ['messages.list', () => other.beta.threads.messages.list(thread.id)],
      ['messages.retrieve', () => other.beta.threads.messages.retrieve(thread.id, message!.id)],
      ['messages.create', () => other.beta.threads.messages.create(thread.id, { role: 'user', content: 'Hi' })],
      ['runs.create', () => other.beta.threads.runs.create(thread.id, { assistant_id: assistant.id })],
    ];
    for (const [name, attempt] of attempts) {
      await expect(attempt(), name).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    }
    expect((await other.beta.assistants.list({ limit: 100 })).data.map((item) => item.id)).not.toContain(assistant.id);
    expect((await owner.beta.assistants.retrieve(assistant.id)).name).toBe('Paste docs assistant');

    // The site's API knows no keys: with one, the key's thread is still not there.
    const site = await fetch(`${inject('mainUrl')}/api/paste-assistant-thread/${thread.id}`, { headers: { authorization: `Bearer ${KEY_A}` } });
    expect(site.status).toBe(404);
    // What /v1 does not serve is OpenAI's 404 for an unknown URL.
    await expect(owner.files.list()).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
