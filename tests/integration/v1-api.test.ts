import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import type { TModelClient, TModelOutput, TModelRequest } from '@/lib/model/types';
import { setSlackOutboxEnabled } from '@/lib/db/slack-outbox';
import { createSseParser } from '@/lib/shared/stream-protocol';
import { createTestApp } from '../helpers/app';
import { buildScriptedModel, waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql, STORES } from '../helpers/stores';

// The OpenAI-compatible /v1 API over real HTTP (the route handlers on 127.0.0.1), on PGlite and on a real
// Postgres server: objects, pagination, errors in OpenAI's shape, keys, and runs whose function tools are the
// client's, executed by the site's run engine on the site's tables. The model is in-process (the network edge).
// The SDK itself is driven against `next start` in tests/production/assistants-api.test.ts.

const KEY_A = 'test-key-a-0123456789abcdef';
const KEY_B = 'test-key-b-0123456789abcdef';

/** An API client for one key (or none): JSON in, JSON out, as OpenAI's SDK sends it. */
function apiClient(baseUrl: string, key?: string) {
  const request = async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        'openai-beta': 'assistants=v2',
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // An event stream, or not JSON: the test says what came back.
    }
    return { status: response.status, headers: response.headers, body };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, json: unknown = {}) => request('POST', path, json),
    delete: (path: string) => request('DELETE', path),
    /** POSTs and reads the answer as server-sent events, to the end. */
    async stream(path: string, json: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        method: json === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const parser = createSseParser();
      const events = parser.push(await response.text());
      return events.map((event) => ({ event: event.event, id: event.id, data: event.data === '[DONE]' ? event.data : (JSON.parse(event.data) as any) }));
    },
  };
}

function expectOpenAiError(response: { status: number; body: any }, status: number, type: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toEqual({ error: { message: expect.any(String), type, param: expect.toSatisfy((value) => value === null || typeof value === 'string'), code: expect.toSatisfy((value) => value === null || typeof value === 'string') } });
}

const lookupTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Looks an order up by its number.',
    parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
  },
};

/** A model that asks for lookup_order once, then answers with the tool's output, streamed in pieces. */
function buildToolModel() {
  const requests: TModelRequest[] = [];
  const model: TModelClient & { requests: TModelRequest[] } = {
    name: 'tool-model',
    mode: 'chat',
    requests,
    async respond(request) {
      requests.push(request);
      const output = [...request.input].reverse().find((item) => item.type === 'function_call_output');
      const question = [...request.input].reverse().find((item) => item.type === 'message' && item.role === 'user');
      let result: TModelOutput;
      if (!output && request.tools.length > 0) {
        result = { type: 'tool_calls', calls: [{ call_id: `call_${requests.length}`, name: request.tools[0]!.name, arguments: JSON.stringify({ order: '42' }) }] };
      } else {
        const text = output ? `Order status: ${output.output}.` : `You said: ${question?.type === 'message' ? question.content : ''}`;
        for (const piece of text.match(/\S+\s*/g) ?? []) {
          request.onDelta?.(piece);
          await new Promise((resolve) => setImmediate(resolve));
        }
        result = { type: 'message', text };
      }
      return { output: result, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
  };
  return model;
}

describe.each(STORES)('/v1 on %s', (store) => {
  let app: TApp;
  let server: TTestServer;
  let model: ReturnType<typeof buildToolModel>;
  let a: ReturnType<typeof apiClient>;
  let b: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    model = buildToolModel();
    app = await createTestApp({ store, overrides: { model }, env: { API_KEYS: `${KEY_A}, ${KEY_B}` } });
    server = await startTestServer(app);
    a = apiClient(server.url, KEY_A);
    b = apiClient(server.url, KEY_B);
  });

  afterAll(async () => {
    await server.close();
    await app.db.close();
  });

  async function newAssistant(overrides: Record<string, unknown> = {}) {
    const created = await a.post('/assistants', { model: 'gpt-4o', name: 'Orders', instructions: 'You track orders.', tools: [lookupTool], ...overrides });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return created.body;
  }

  async function pollRun(threadId: string, runId: string, isDone: (run: any) => boolean) {
    let run: any;
    await waitUntil(async () => {
      run = (await a.get(`/threads/${threadId}/runs/${runId}`)).body;
      return isDone(run);
    }, 10_000);
    return run;
  }

  it('keeps an assistant with OpenAI’s shape: create, retrieve, update, delete', async () => {
    const assistant = await newAssistant({ metadata: { team: 'support' }, temperature: 0.2 });
    expect(assistant).toMatchObject({
      id: expect.stringMatching(/^asst_/),
      object: 'assistant',
      created_at: expect.any(Number),
      name: 'Orders',
      description: null,
      model: 'gpt-4o',
      instructions: 'You track orders.',
      tools: [lookupTool],
      tool_resources: {},
      metadata: { team: 'support' },
      temperature: 0.2,
      top_p: 1,
      response_format: 'auto',
    });
    expect((await a.get(`/assistants/${assistant.id}`)).body).toEqual(assistant);
    const updated = await a.post(`/assistants/${assistant.id}`, { name: 'Orders v2', metadata: { team: null, tier: 'gold' } });
    expect(updated.body).toMatchObject({ name: 'Orders v2', instructions: 'You track orders.', metadata: { tier: 'gold' } });
    expect(await a.delete(`/assistants/${assistant.id}`)).toMatchObject({ status: 200, body: { id: assistant.id, object: 'assistant.deleted', deleted: true } });
    expectOpenAiError(await a.get(`/assistants/${assistant.id}`), 404, 'invalid_request_error');
  });

  it('runs the tools as the client’s: requires_action with the calls, the outputs submitted, the answer completed', async () => {
    const assistant = await newAssistant();
    const thread = await a.post('/threads', { messages: [{ role: 'user', content: 'Where is my order?' }], metadata: { user: 'u1' } });
    expect(thread.body).toMatchObject({ id: expect.stringMatching(/^thread_/), object: 'thread', metadata: { user: 'u1' }, tool_resources: {} });
    const threadId = thread.body.id;
    const created = await a.post(`/threads/${threadId}/runs`, { assistant_id: assistant.id, additional_instructions: 'Be brief.' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ object: 'thread.run', assistant_id: assistant.id, thread_id: threadId, model: 'gpt-4o', instructions: 'You track orders.\n\nBe brief.', tools: [lookupTool] });

    const waiting = await pollRun(threadId, created.body.id, (run) => run.status !== 'queued' && run.status !== 'in_progress');
    expect(waiting.status).toBe('requires_action');
    const calls = waiting.required_action.submit_tool_outputs.tool_calls;
    expect(calls).toEqual([{ id: expect.any(String), type: 'function', function: { name: 'lookup_order', arguments: '{"order":"42"}' } }]);
    // The model was offered the assistant's tools and instructions, not the docs site's.
    const first = model.requests.at(-1)!;
    expect(first.tools.map((tool) => tool.name)).toEqual(['lookup_order']);
    expect(first.instructions).toBe('You track orders.\n\nBe brief.');

    // Nobody but the client answers: the sweeper leaves the run waiting, and reads do not dispatch it.
    await app.engine.sweepRuns({ graceSeconds: 0 });
    expect((await a.get(`/threads/${threadId}/runs/${created.body.id}`)).body.status).toBe('requires_action');
    // Same rows as the site's runs, marked as the client's.
    const row = await querySql<{ has_client_tools: boolean; assistant_id: string }>(app.db, 'select has_client_tools, assistant_id from assistant_run where id = $1', [created.body.id]);
    expect(row.rows[0]).toEqual({ has_client_tools: true, assistant_id: assistant.id });

    expectOpenAiError(await a.post(`/threads/${threadId}/messages`, { role: 'user', content: 'Hello?' }), 400, 'invalid_request_error');
    expectOpenAiError(await a.post(`/threads/${threadId}/runs/${created.body.id}/submit_tool_outputs`, { tool_outputs: [{ tool_call_id: 'call_wrong', output: 'x' }] }), 400, 'invalid_request_error');

    const submitted = await a.post(`/threads/${threadId}/runs/${created.body.id}/submit_tool_outputs`, { tool_outputs: [{ tool_call_id: calls[0].id, output: 'shipped' }] });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const done = await pollRun(threadId, created.body.id, (run) => run.status === 'completed');
    expect(done).toMatchObject({ status: 'completed', required_action: null, usage: { total_tokens: 30 } });

    const messages = await a.get(`/threads/${threadId}/messages?order=asc`);
    expect(messages.body.data.map((message: any) => [message.role, message.content[0].text.value, message.assistant_id])).toEqual([
      ['user', 'Where is my order?', null],
      ['assistant', 'Order status: shipped.', assistant.id],
    ]);
    expect(messages.body.data[1]).toMatchObject({ object: 'thread.message', run_id: created.body.id, status: 'completed', attachments: [], metadata: {} });

    const steps = await a.get(`/threads/${threadId}/runs/${created.body.id}/steps?order=asc`);
    expect(steps.body.data.map((step: any) => [step.type, step.status])).toEqual([
      ['tool_calls', 'completed'],
      ['message_creation', 'completed'],
    ]);
    expect(steps.body.data[0].step_details.tool_calls[0].function).toEqual({ name: 'lookup_order', arguments: '{"order":"42"}', output: 'shipped' });
    expect(steps.body.data[1].step_details.message_creation.message_id).toBe(messages.body.data[1].id);
    const step = await a.get(`/threads/${threadId}/runs/${created.body.id}/steps/${steps.body.data[0].id}`);
    expect(step.body).toEqual(steps.body.data[0]);
  });

  it('streams a run as the Assistants events, with text deltas that add up to the answer, and resumes after a cursor', async () => {
    const assistant = await newAssistant({ tools: [] });
    const thread = (await a.post('/threads', { messages: [{ role: 'user', content: 'stream me a reply please' }] })).body;
    const events = await a.stream(`/threads/${thread.id}/runs`, { assistant_id: assistant.id, stream: true });
    const names = events.map((event) => event.event);
    expect(names.slice(0, 3)).toEqual(['thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
    expect(names.filter((name) => name !== 'thread.message.delta')).toEqual([
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
      'done',
    ]);
    const deltas = events.filter((event) => event.event === 'thread.message.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((event) => event.data.delta.content[0].text.value).join('')).toBe('You said: stream me a reply please');
    const completed = events.find((event) => event.event === 'thread.message.completed')!;
    expect(completed.data.content[0].text.value).toBe('You said: stream me a reply please');
    expect(events.at(-1)).toMatchObject({ event: 'done', data: '[DONE]' });

    // A reader that lost the stream after the first delta gets only what it lacks.
    const runId = events[0]!.data.id;
    const resumed = await a.stream(`/threads/${thread.id}/runs/${runId}/events`, undefined, { 'last-event-id': deltas[0]!.id! });
    expect(resumed.filter((event) => event.event === 'thread.message.created')).toEqual([]);
    const rest = resumed.filter((event) => event.event === 'thread.message.delta').map((event) => event.data.delta.content[0].text.value).join('');
    expect(deltas[0]!.data.delta.content[0].text.value + rest).toBe('You said: stream me a reply please');
    expect(resumed.map((event) => event.event).slice(-3)).toEqual(['thread.run.step.completed', 'thread.run.completed', 'done']);
  });

  it('streams requires_action, then the answer after submit_tool_outputs with stream: true', async () => {
    const assistant = await newAssistant();
    const events = await a.stream('/threads/runs', { assistant_id: assistant.id, stream: true, thread: { messages: [{ role: 'user', content: 'Order 42?' }] } });
    expect(events.map((event) => event.event)).toEqual([
      'thread.created',
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.run.step.delta',
      'thread.run.requires_action',
      'done',
    ]);
    const run = events.find((event) => event.event === 'thread.run.requires_action')!.data;
    const call = run.required_action.submit_tool_outputs.tool_calls[0];
    const after = await a.stream(`/threads/${run.thread_id}/runs/${run.id}/submit_tool_outputs`, { tool_outputs: [{ tool_call_id: call.id, output: 'delivered' }], stream: true });
    const names = after.map((event) => event.event).filter((name) => name !== 'thread.message.delta');
    expect(names[0]).toBe('thread.run.queued');
    expect(names).toContain('thread.run.step.completed');
    expect(names.slice(-4)).toEqual(['thread.message.completed', 'thread.run.step.completed', 'thread.run.completed', 'done']);
    const text = after.filter((event) => event.event === 'thread.message.delta').map((event) => event.data.delta.content[0].text.value).join('');
    expect(text).toBe('Order status: delivered.');
  });

  it('cancels a run waiting for its tools', async () => {
    const assistant = await newAssistant();
    const run = (await a.post('/threads/runs', { assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'Cancel me' }] } })).body;
    await pollRun(run.thread_id, run.id, (current) => current.status === 'requires_action');
    const cancelled = await a.post(`/threads/${run.thread_id}/runs/${run.id}/cancel`);
    expect(cancelled.body).toMatchObject({ id: run.id, status: 'cancelled', cancelled_at: expect.any(Number) });
    expectOpenAiError(await a.post(`/threads/${run.thread_id}/runs/${run.id}/cancel`), 400, 'invalid_request_error');
    const steps = await a.get(`/threads/${run.thread_id}/runs/${run.id}/steps`);
    expect(steps.body.data.map((step: any) => step.status)).toEqual(['cancelled']);
  });

  it('paginates as OpenAI did: limit, order, after, before, first_id, last_id, has_more', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await newAssistant({ name: `page ${index}` })).id);
    const all = (await a.get('/assistants?limit=100&order=asc')).body.data.map((item: any) => item.id);
    const mine = all.filter((id: string) => ids.includes(id));
    expect(mine).toEqual(ids);

    const first = await a.get('/assistants?limit=2&order=asc');
    expect(first.body).toMatchObject({ object: 'list', first_id: all[0], last_id: all[1], has_more: true });
    const desc = await a.get('/assistants?limit=2');
    expect(desc.body.data.map((item: any) => item.id)).toEqual([ids[4], ids[3]]);
    expect(desc.body).toMatchObject({ first_id: ids[4], last_id: ids[3], has_more: true });
    const next = await a.get(`/assistants?limit=2&after=${ids[3]}`);
    expect(next.body.data.map((item: any) => item.id)).toEqual([ids[2], ids[1]]);
    const previous = await a.get(`/assistants?limit=2&before=${ids[1]}`);
    expect(previous.body.data.map((item: any) => item.id)).toEqual([ids[3], ids[2]]);
    expect(previous.body.has_more).toBe(true);
    const ascending = await a.get(`/assistants?limit=3&order=asc&after=${ids[1]}`);
    expect(ascending.body.data.map((item: any) => item.id)).toEqual([ids[2], ids[3], ids[4]]);
    expect(ascending.body.has_more).toBe(false);
    expectOpenAiError(await a.get('/assistants?limit=101'), 400, 'invalid_request_error');
    expect((await a.get('/assistants?limit=0')).body.error.param).toBe('limit');

    const thread = (await a.post('/threads', { messages: ['one', 'two', 'three'].map((content) => ({ role: 'user', content })) })).body;
    const page = await a.get(`/threads/${thread.id}/messages?limit=2&order=asc`);
    expect(page.body.data.map((message: any) => message.content[0].text.value)).toEqual(['one', 'two']);
    const rest = await a.get(`/threads/${thread.id}/messages?limit=2&order=asc&after=${page.body.last_id}`);
    expect(rest.body).toMatchObject({ has_more: false, data: [{ content: [{ text: { value: 'three' } }] }] });
  });

  it('answers 401 in OpenAI’s shape without a valid key, whatever cookie the request carries', async () => {
    const anonymous = apiClient(server.url);
    const missing = await anonymous.get('/assistants');
    expectOpenAiError(missing, 401, 'invalid_request_error');
    expect(missing.headers.get('set-cookie')).toBeNull();
    expectOpenAiError(await apiClient(server.url, 'not-a-key-0123456789abcdef').get('/assistants'), 401, 'invalid_request_error');

    // A reader of the site, with its session cookie, is no caller of /v1.
    const reader = createClient(server.url);
    const siteThread = await reader.post('/api/paste-assistant-thread');
    expect(siteThread.status).toBe(200);
    const withCookie = await reader.get('/api/v1/assistants');
    expect(withCookie.status).toBe(401);
    expect(withCookie.body.error.type).toBe('invalid_request_error');
    expectOpenAiError(await a.get(`/threads/${siteThread.body.id}`), 404, 'invalid_request_error');
  });

  it('shows a key only its own objects: another key’s ids are 404s', async () => {
    const assistant = await newAssistant();
    const thread = (await a.post('/threads', { messages: [{ role: 'user', content: 'Mine' }] })).body;
    const run = (await a.post(`/threads/${thread.id}/runs`, { assistant_id: assistant.id })).body;
    const message = (await a.get(`/threads/${thread.id}/messages`)).body.data[0];
    for (const response of [
      await b.get(`/assistants/${assistant.id}`),
      await b.post(`/assistants/${assistant.id}`, { name: 'Theirs' }),
      await b.delete(`/assistants/${assistant.id}`),
      await b.get(`/threads/${thread.id}`),
      await b.delete(`/threads/${thread.id}`),
      await b.get(`/threads/${thread.id}/messages`),
      await b.get(`/threads/${thread.id}/messages/${message.id}`),
      await b.get(`/threads/${thread.id}/runs/${run.id}`),
      await b.post(`/threads/${thread.id}/runs/${run.id}/cancel`),
      await b.get(`/threads/${thread.id}/runs/${run.id}/steps`),
      await b.post(`/threads/${thread.id}/runs`, { assistant_id: assistant.id }),
    ]) {
      expectOpenAiError(response, 404, 'invalid_request_error');
    }
    expect((await b.get('/assistants?limit=100')).body.data.map((item: any) => item.id)).not.toContain(assistant.id);
    // The site's readers do not see a key's threads either.
    const reader = createClient(server.url);
    expect((await reader.get(`/api/paste-assistant-thread/${thread.id}`)).status).toBe(404);
    await pollRun(thread.id, run.id, (current) => current.status === 'requires_action');
    await a.post(`/threads/${thread.id}/runs/${run.id}/cancel`);
  });

  it('keeps a key’s conversations out of the maintainers’ Slack, which gets the site’s', async () => {
    await setSlackOutboxEnabled({ db: app.db, isEnabled: true });
    try {
      const thread = (await a.post('/threads', { messages: [{ role: 'user', content: 'An application’s question' }] })).body;
      expect((await a.post(`/threads/${thread.id}/messages`, { role: 'user', content: 'And another' })).status).toBe(200);
      const siteThread = (await createClient(server.url).post('/api/paste-assistant-thread')).body;
      const queued = async (threadId: string) =>
        Number((await querySql<{ count: string }>(app.db, 'select count(*) as count from slack_outbox where thread_id = $1', [threadId])).rows[0]!.count);
      expect(await queued(siteThread.id)).toBe(1);
      expect(await queued(thread.id)).toBe(0);
    } finally {
      await setSlackOutboxEnabled({ db: app.db, isEnabled: false });
    }
  });

  it('refuses what this server cannot do by name, with the field in `param`', async () => {
    const codeInterpreter = await a.post('/assistants', { model: 'gpt-4o', tools: [{ type: 'code_interpreter' }] });
    expectOpenAiError(codeInterpreter, 400, 'invalid_request_error');
    expect(codeInterpreter.body.error).toMatchObject({ param: 'tools.0.type', message: expect.stringContaining('code_interpreter') });
    const image = await a.post('/threads', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }] });
    expect(image.body.error).toMatchObject({ param: 'messages.0.content.0.type', message: expect.stringContaining('image_url') });
    expect((await a.post('/threads', { messages: [{ role: 'user', content: 'x', attachments: [{ file_id: 'file_1' }] }] })).body.error.param).toBe('messages.0.attachments');
    expect((await a.post('/assistants', {})).body.error.param).toBe('model');
    expectOpenAiError(await a.get('/threads/thread_unknown0123/runs/run_unknown0123'), 404, 'invalid_request_error');
  });
});

describe('/v1 keys and limits', () => {
  let app: TApp;
  let server: TTestServer;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { model: buildScriptedModel([{ type: 'message', text: 'ok' }]) }, env: { RATE_LIMIT_API_KEY_REQUESTS_PER_MINUTE: '3' } });
    server = await startTestServer(app);
  });

  afterAll(async () => {
    await server.close();
    await app.db.close();
  });

  it('takes keys made in the database (hashed), refuses them once revoked, and limits each key', async () => {
    const { createKey, listKeys, revokeKey } = await import('@/lib/v1/keys');
    const made = await createKey({ db: app.db, name: 'ci' });
    expect(made.key).toMatch(/^pa-sk-[A-Za-z0-9_-]{43}$/);
    const stored = await querySql<{ key_hash: string }>(app.db, 'select key_hash from api_key where id = $1', [made.row.id]);
    expect(stored.rows[0]!.key_hash).not.toContain(made.key);
    expect((await listKeys({ db: app.db })).map((key) => key.name)).toEqual(['ci']);

    const client = apiClient(server.url, made.key);
    expect((await client.get('/assistants')).status).toBe(200);
    expect((await client.get('/assistants')).status).toBe(200);
    expect((await client.get('/assistants')).status).toBe(200);
    const limited = await client.get('/assistants');
    expectOpenAiError(limited, 429, 'requests');
    expect(limited.body.error.code).toBe('rate_limit_exceeded');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key has its own budget.
    const other = await createKey({ db: app.db, name: 'other' });
    expect((await apiClient(server.url, other.key).get('/assistants')).status).toBe(200);

    await revokeKey({ db: app.db, key: 'other' });
    expectOpenAiError(await apiClient(server.url, other.key).get('/assistants'), 401, 'invalid_request_error');
  });
});
