import { getResponse } from 'msw';
import { describe, expect, inject, it } from 'vitest';
import { createFakeApi, type TRunScript } from '../helpers/fake-api';

// The component tests' fake API (tests/helpers/fake-api.ts) checked against the real one. Each scenario is
// played twice: once against `next start` of the production build (the "slow" e2e server, whose runs stay
// active long enough for a second message to meet a 409) and once against the fake's msw handlers, called
// as plain functions (msw's getResponse). Both must answer every step with the same status and the same
// normalised JSON shape: keys and value types, with ids reduced to their prefix and the values a client
// branches on (object, status, role, error code…) kept. Text, ids and timestamps may differ.
//
// The real server is the truth: when this fails, fix the fake (or, if the server is wrong, say so).

type TResult = { status: number; body: unknown };
type TSide = {
  call(method: string, path: string, body?: unknown): Promise<TResult>;
  /** The fake plays the run it is told to; the real server runs its offline model and ignores this. */
  scriptNextRun(script: TRunScript): void;
};
type TStep = { step: string; status: number; shape: unknown };

// Values that are vocabulary, not content: a client branches on them, so they must be equal.
const EXACT_KEYS = new Set(['object', 'status', 'role', 'code', 'type', 'vote', 'finish_reason', 'reason']);
const ID_PREFIX = /^(thread|msg|run|asst|chatcmpl)_[A-Za-z0-9_]+$/;
// When a run or message started, ended or expires is timing (null until it happens), not shape.
const MOMENT_KEYS = new Set(['started_at', 'completed_at', 'cancelled_at', 'failed_at', 'expires_at', 'incomplete_at']);

/**
 * Keys and types of a JSON value; ids as `prefix_…`; the moments a run or message reached a state as
 * `moment`; arrays outside `data` as their distinct element shapes.
 */
export function shapeOf(value: unknown, key = ''): unknown {
  if (MOMENT_KEYS.has(key) && (value === null || typeof value === 'number')) return 'moment';
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') {
    if (EXACT_KEYS.has(key)) return value;
    const id = ID_PREFIX.exec(value);
    return id ? `${id[1]}_…` : 'string';
  }
  if (Array.isArray(value)) {
    const shapes = value.map((item) => shapeOf(item));
    if (key === 'data') return shapes;
    const distinct = new Map(shapes.map((shape) => [JSON.stringify(shape), shape]));
    return [...distinct.values()];
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries.map(([name, item]) => [name, shapeOf(item, name)]));
}

function realSide(baseUrl: string): TSide {
  let cookie = '';
  return {
    async call(method, path, body) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0] ?? '';
      return { status: response.status, body: (await response.json()) as unknown };
    },
    scriptNextRun() {},
  };
}

const FAKE_ORIGIN = 'http://fake-api.test';

function fakeSide(): TSide {
  const api = createFakeApi(FAKE_ORIGIN);
  return {
    async call(method, path, body) {
      const request = new Request(`${FAKE_ORIGIN}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const response = await getResponse(api.handlers, request);
      // The real server answers every route it has; the fake must too (msw-dom fails on an unhandled request).
      if (!response) return { status: -1, body: { unhandled: `${method} ${path}` } };
      return { status: response.status, body: (await response.json()) as unknown };
    },
    scriptNextRun: (script) => api.scriptNextRun(script),
  };
}

/** Records each step's status and shape; `take` also hands the body back to the scenario. */
function recorder(side: TSide) {
  const steps: TStep[] = [];
  const facts: Record<string, unknown> = {};
  return {
    steps,
    facts,
    async take<T = any>(step: string, method: string, path: string, body?: unknown): Promise<T> {
      const result = await side.call(method, path, body);
      steps.push({ step, status: result.status, shape: shapeOf(result.body) });
      return result.body as T;
    },
    fact(name: string, value: unknown) {
      facts[name] = value;
    },
  };
}

const RUN_DEADLINE_MS = 30_000;

/** Polls GET …/run/[rid] (as the UI's fallback does) until the run ends; records only the final answer. */
async function followRun(side: TSide, threadId: string, runId: string): Promise<TResult> {
  const deadline = Date.now() + RUN_DEADLINE_MS;
  for (;;) {
    const result = await side.call('GET', `/api/paste-assistant-thread/${threadId}/run/${runId}`);
    const status = (result.body as { status?: string }).status;
    if (result.status !== 200 || ['completed', 'failed', 'cancelled', 'expired', 'incomplete'].includes(status ?? '')) return result;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${status} after ${RUN_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
}

const UNKNOWN_THREAD = 'thread_doesnotexist0000000000';
const UNKNOWN_MESSAGE = 'msg_doesnotexist0000000000';

async function threadLifecycle(side: TSide) {
  const r = recorder(side);
  const thread = await r.take<{ id: string }>('create thread', 'POST', '/api/paste-assistant-thread');
  const listed = await r.take<{ data: { metadata: Record<string, string> }[] }>('list threads', 'GET', '/api/paste-assistant-thread?limit=100');
  r.fact('default title', listed.data[0]?.metadata.threadTitle);
  await r.take('get thread', 'GET', `/api/paste-assistant-thread/${thread.id}`);
  const renamed = await r.take<{ metadata: Record<string, string> }>('rename (PUT metadata)', 'PUT', `/api/paste-assistant-thread/${thread.id}`, {
    metadata: { threadTitle: 'Configuring Slack' },
  });
  r.fact('title after rename', renamed.metadata.threadTitle);
  const second = await r.take<{ id: string }>('create a second thread', 'POST', '/api/paste-assistant-thread');
  const both = await r.take<{ data: { id: string }[] }>('list threads, newest first', 'GET', '/api/paste-assistant-thread?limit=100');
  r.fact('newest first', both.data.map((entry) => entry.id).join() === [second.id, thread.id].join());
  const page = await r.take<{ data: unknown[]; has_more: boolean }>('list threads, limit 1', 'GET', '/api/paste-assistant-thread?limit=1');
  r.fact('limit 1', { count: page.data.length, hasMore: page.has_more });
  await r.take('delete thread', 'DELETE', `/api/paste-assistant-thread/${thread.id}`);
  await r.take('get the deleted thread', 'GET', `/api/paste-assistant-thread/${thread.id}`);
  await r.take('messages of the deleted thread', 'GET', `/api/paste-assistant-messages/${thread.id}?limit=100&order=desc`);
  await r.take('rename the deleted thread', 'PUT', `/api/paste-assistant-thread/${thread.id}`, { metadata: { threadTitle: 'x' } });
  await r.take('send to the deleted thread', 'POST', '/api/paste-assistant-message', { threadId: thread.id, message: 'Hello?' });
  await r.take('delete it again', 'DELETE', `/api/paste-assistant-thread/${thread.id}`);
  const after = await r.take<{ data: { id: string }[] }>('list threads after delete', 'GET', '/api/paste-assistant-thread?limit=100');
  r.fact('left after delete', after.data.map((entry) => entry.id === second.id));
  return r;
}

// The offline model answers from the docs with links: the fake's scripted answer has one, like the real one.
const ANSWER_SCRIPT: TRunScript = {
  onSend: 'queued',
  polls: ['in_progress', 'completed'],
  answer: {
    text: 'Set SLACK_BOT_TOKEN. [Slack](/docs/slack#configuration)',
    annotations: [{ type: 'url_citation', url: '/docs/slack#configuration', title: 'Slack', start_index: 20, end_index: 54 }],
    // The offline model marks its answers (the UI notes that they are excerpts).
    metadata: { offline: true },
  },
};

async function messageAndRun(side: TSide) {
  const r = recorder(side);
  const thread = await r.take<{ id: string }>('create thread', 'POST', '/api/paste-assistant-thread');
  await r.take('title completion', 'POST', '/api/paste-assistant-simple-completion', {
    prompt: 'Write a title of at most six words for this question.',
    context: 'How do I configure Slack?',
  });
  side.scriptNextRun(ANSWER_SCRIPT);
  // The browser's UI sends with wait:false and follows the run (event stream, polling as the fallback).
  const sent = await r.take<{ run: { id: string; status: string } }>('send (wait: false)', 'POST', '/api/paste-assistant-message', {
    threadId: thread.id,
    message: 'How do I configure Slack?',
    wait: false,
  });
  const final = await followRun(side, thread.id, sent.run.id);
  r.steps.push({ step: 'run followed to its end', status: final.status, shape: shapeOf(final.body) });
  await r.take('latest run', 'GET', `/api/paste-assistant-thread/${thread.id}/runs`);
  const desc = await r.take<{ data: { id: string; role: string; run_id: string | null }[] }>(
    'messages as the UI asks (newest first)',
    'GET',
    `/api/paste-assistant-messages/${thread.id}?limit=100&order=desc`,
  );
  r.fact('roles, newest first', desc.data.map((message) => message.role));
  r.fact('both messages carry the run id', desc.data.every((message) => message.run_id === sent.run.id));
  const asc = await r.take<{ data: { role: string }[] }>('messages (default order)', 'GET', `/api/paste-assistant-messages/${thread.id}`);
  r.fact('roles, default order', asc.data.map((message) => message.role));
  const limited = await r.take<{ data: unknown[]; has_more: boolean }>('messages, limit 1', 'GET', `/api/paste-assistant-messages/${thread.id}?limit=1`);
  r.fact('messages limit 1', { count: limited.data.length, hasMore: limited.has_more });
  const answerId = desc.data.find((message) => message.role === 'assistant')?.id ?? 'msg_missing';
  const questionId = desc.data.find((message) => message.role === 'user')?.id ?? 'msg_missing';
  const images = await r.take<{ data: unknown[] }>('screenshots of a question without any', 'GET', `/api/paste-assistant-messages/${thread.id}/${questionId}/images`);
  r.fact('screenshots of a question without any', images.data);
  await r.take('screenshots of an unknown message', 'GET', `/api/paste-assistant-messages/${thread.id}/${UNKNOWN_MESSAGE}/images`);
  await r.take('votes before voting', 'GET', `/api/paste-assistant-message-vote?threadId=${thread.id}`);
  await r.take('vote up', 'POST', '/api/paste-assistant-message-vote', { threadId: thread.id, messageId: answerId, vote: 'up' });
  const votes = await r.take<{ data: { vote: string }[] }>('votes after voting', 'GET', `/api/paste-assistant-message-vote?threadId=${thread.id}`);
  r.fact('votes listed', votes.data.map((vote) => vote.vote));
  await r.take('vote removed', 'POST', '/api/paste-assistant-message-vote', { threadId: thread.id, messageId: answerId, vote: null });
  await r.take('votes after removing', 'GET', `/api/paste-assistant-message-vote?threadId=${thread.id}`);
  await r.take('vote on an unknown message', 'POST', '/api/paste-assistant-message-vote', { threadId: thread.id, messageId: UNKNOWN_MESSAGE, vote: 'up' });
  await r.take('cancel a finished run', 'POST', `/api/paste-assistant-thread/${thread.id}/run/${sent.run.id}/cancel`);
  return r;
}

async function errorCases(side: TSide) {
  const r = recorder(side);
  await r.take('get an unknown thread', 'GET', `/api/paste-assistant-thread/${UNKNOWN_THREAD}`);
  await r.take('messages of an unknown thread', 'GET', `/api/paste-assistant-messages/${UNKNOWN_THREAD}?limit=100&order=desc`);
  await r.take('latest run of an unknown thread', 'GET', `/api/paste-assistant-thread/${UNKNOWN_THREAD}/runs`);
  await r.take('votes of an unknown thread', 'GET', `/api/paste-assistant-message-vote?threadId=${UNKNOWN_THREAD}`);
  await r.take('send to an unknown thread', 'POST', '/api/paste-assistant-message', { threadId: UNKNOWN_THREAD, message: 'Hi' });
  await r.take('malformed thread id in the path', 'GET', '/api/paste-assistant-thread/not-a-thread-id');
  await r.take('malformed thread id in a link', 'GET', '/api/paste-assistant-messages/not-a-thread-id?limit=100&order=desc');

  const thread = await r.take<{ id: string }>('create thread', 'POST', '/api/paste-assistant-thread');
  await r.take('empty message', 'POST', '/api/paste-assistant-message', { threadId: thread.id, message: '   ' });
  await r.take('message without threadId', 'POST', '/api/paste-assistant-message', { message: 'Hi' });
  await r.take('malformed threadId', 'POST', '/api/paste-assistant-message', { threadId: 'nope', message: 'Hi' });
  await r.take('body that is not JSON', 'POST', '/api/paste-assistant-message', '{"threadId":');
  await r.take('message over the length limit', 'POST', '/api/paste-assistant-message', { threadId: thread.id, message: 'x'.repeat(8001) });
  await r.take('body over 32 KB', 'POST', '/api/paste-assistant-message', { threadId: thread.id, message: 'x'.repeat(40_000) });
  await r.take('title over 512 characters', 'PUT', `/api/paste-assistant-thread/${thread.id}`, { metadata: { threadTitle: 'x'.repeat(513) } });
  await r.take('rename without metadata', 'PUT', `/api/paste-assistant-thread/${thread.id}`, { title: 'x' });
  await r.take('vote that is not up or down', 'POST', '/api/paste-assistant-message-vote', { threadId: thread.id, messageId: UNKNOWN_MESSAGE, vote: 'sideways' });
  await r.take('empty title prompt', 'POST', '/api/paste-assistant-simple-completion', { prompt: '' });

  // A message while a run is active: the "slow" server's run stays active for seconds.
  side.scriptNextRun({ onSend: 'queued', polls: ['in_progress'] });
  const first = await r.take<{ run: { id: string } }>('send (run starts)', 'POST', '/api/paste-assistant-message', {
    threadId: thread.id,
    message: 'How do I configure Slack?',
    wait: false,
  });
  await r.take('second message during the active run', 'POST', '/api/paste-assistant-message', { threadId: thread.id, message: 'And Postgres?', wait: false });
  await r.take('cancel the active run', 'POST', `/api/paste-assistant-thread/${thread.id}/run/${first.run.id}/cancel`);
  const listed = await r.take<{ data: { role: string }[] }>('messages after the refused one', 'GET', `/api/paste-assistant-messages/${thread.id}?limit=100&order=desc`);
  r.fact('only the accepted message is stored', listed.data.map((message) => message.role));
  await r.take('unknown run', 'GET', `/api/paste-assistant-thread/${thread.id}/run/run_doesnotexist000000`);
  return r;
}

// Each scenario, with what it is about: the real server must answer these steps so, or the comparison
// proves little.
const scenarios = [
  {
    name: 'thread lifecycle',
    play: threadLifecycle,
    expected: { 'get thread': 200, 'rename (PUT metadata)': 200, 'delete thread': 200, 'get the deleted thread': 404, 'send to the deleted thread': 404 },
  },
  {
    name: 'message and run',
    play: messageAndRun,
    expected: { 'run followed to its end': 200, 'vote up': 200, 'vote on an unknown message': 404, 'cancel a finished run': 409 },
  },
  {
    name: 'error cases',
    play: errorCases,
    expected: {
      'get an unknown thread': 404,
      'messages of an unknown thread': 404,
      'malformed thread id in the path': 400,
      'empty message': 400,
      'malformed threadId': 400,
      'body that is not JSON': 400,
      'message over the length limit': 413,
      'body over 32 KB': 413,
      'title over 512 characters': 400,
      'send (run starts)': 200,
      'second message during the active run': 409,
      'cancel the active run': 200,
    },
  },
];

describe('the fake API matches the real one (next start)', () => {
  for (const { name, play, expected } of scenarios) {
    it(name, async () => {
      const real = await play(realSide(inject('slowUrl')));
      const fake = await play(fakeSide());
      const statuses = Object.fromEntries(real.steps.map((step) => [step.step, step.status]));
      expect(statuses).toMatchObject(expected);
      expect({ steps: fake.steps, facts: fake.facts }).toEqual({ steps: real.steps, facts: real.facts });
    });
  }
});
describe('shapeOf', () => {
  it('keeps keys, types, id prefixes and vocabulary; drops content', () => {
    expect(shapeOf({ id: 'msg_abc', object: 'thread.message', created_at: 1, content: [{ text: { value: 'hi' } }], run_id: null })).toEqual({
      content: [{ text: { value: 'string' } }],
      created_at: 'number',
      id: 'msg_…',
      object: 'thread.message',
      run_id: null,
    });
    expect(shapeOf({ data: [{ a: 1 }, { a: 2 }] })).toEqual({ data: [{ a: 'number' }, { a: 'number' }] });
    expect(shapeOf({ object: 'thread' })).not.toEqual(shapeOf({ object: 'thread.run' }));
  });
});
