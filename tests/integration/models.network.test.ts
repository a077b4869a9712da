import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { INSTRUCTIONS } from '@/lib/assistant/instructions';
import { TITLE_INSTRUCTIONS } from '@/lib/model/shared';
import { simpleCompletion } from '@/lib/assistant/service';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { listMessagesByThread } from '@/lib/db/messages';
import { createThread } from '@/lib/db/threads';
import { isTerminalRunStatus } from '@/lib/shared/runs';
import { getHealth } from '@/lib/health';
import { createTestApp, PIPELINING } from '../helpers/app';
import { makeCodeCheckout } from '../helpers/code-checkout';
import {
  answer,
  chatDialect,
  docsCall,
  embeddingsWithoutAccess,
  failWith,
  responsesDialect,
  scriptModel,
  sseResponse,
  toolCalls,
  type TDialect,
  type TReply,
} from '../helpers/openai';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The run flow against real Postgres (PGlite) and the real docs tool, with the model at the network edge:
// msw answers as the Responses API or as a Chat Completions server. Anything else on the network is an error.

const server = setupServer(embeddingsWithoutAccess);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const OWNER = 'owner_models_aaaaaaaaaaa';
const TEST_CLIENT = { sessionId: OWNER, ip: '127.0.0.1' };

// One app (database, docs index, model client) per configuration; each test gets a fresh thread in it.
const apps = new Map<string, Promise<TApp>>();
afterAll(async () => {
  for (const app of apps.values()) await (await app).db.close();
});

function appFor(env: Record<string, string>): Promise<TApp> {
  const key = JSON.stringify(Object.entries(env).sort());
  let app = apps.get(key);
  if (!app) {
    app = createTestApp({ env });
    apps.set(key, app);
  }
  return app;
}

async function setup(dialect: TDialect, replies: Parameters<typeof scriptModel>[1], env: Record<string, string> = {}) {
  const script = scriptModel(dialect, replies);
  server.use(script.handler);
  const current = await appFor({ ...dialect.env, ...env });
  const thread = await createThread({ db: current.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
  const ask = async (text: string) => {
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text });
    return current.engine.waitForRun({ owner: OWNER, threadId: thread.id, runId: run.id, timeoutMs: 15_000 });
  };
  const messages = async () =>
    (await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 100, order: 'asc' })).data;
  return { app: current, thread, script, ask, messages };
}

const textOf = (message: { content: { text: { value: string } }[] } | undefined) => message?.content[0]?.text.value;
const BUTTON_URL = '/docs/guides/buttons#destructive-button';
const SLACK_URL = '/docs/guides/slack#creating-a-bot-token';

describe.each([responsesDialect, chatDialect])('$name adapter', (dialect) => {
  it('answers a plain question, storing the answer, the model name and the usage', async () => {
    const { script, ask, messages, app: current } = await setup(dialect, [answer('Hello! Ask me about the docs.', { prompt: 42, completion: 7 })]);
    const run = await ask('Hi there');
    expect(run.status).toBe('completed');
    expect(run.model).toBe(dialect.model);
    expect(run.usage).toEqual({ prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 });
    expect(script.requests).toHaveLength(1);
    const stored = await messages();
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(textOf(stored[1])).toBe('Hello! Ask me about the docs.');
    expect(stored[1]?.content[0]?.text.annotations).toEqual([]);
    expect((await getHealth(current)).modes.model).toBe(dialect.name);
  });

  it.each(PIPELINING)('runs a docs search, sends its output back, and turns the cited links into url_citation annotations; pipelining %s', async (pipelining) => {
    const reply = `Use the destructive variant and confirm first. See [Destructive button](${BUTTON_URL}).`;
    const { script, ask, messages } = await setup(dialect, [toolCalls(docsCall('destructive button', 'call_abc')), answer(reply)], { RUN_PIPELINING: pipelining });
    const run = await ask('How do I make a delete button?');

    expect(run.status).toBe('completed');
    expect(run.tool_rounds).toHaveLength(1);
    expect(run.tool_rounds[0]?.tool_calls).toEqual([
      { id: 'call_abc', type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"destructive button"}' } },
    ]);
    expect(run.usage).toEqual({ prompt_tokens: 200, completion_tokens: 40, total_tokens: 240 });

    const second = dialect.items(script.requests[1]?.body);
    expect(second.slice(0, 2)).toEqual([
      { type: 'message', role: 'user', content: 'How do I make a delete button?' },
      { type: 'function_call', call_id: 'call_abc', name: 'get_relevant_docs', arguments: '{"prompt":"destructive button"}' },
    ]);
    expect(second[2]).toMatchObject({ type: 'function_call_output', call_id: 'call_abc' });
    const output = JSON.parse((second[2] as { output: string }).output);
    expect(output.results[0]).toEqual({
      title: 'Buttons',
      heading: 'Destructive button',
      url: BUTTON_URL,
      content: expect.stringContaining('destructive variant'),
      // Where the section comes from (issue 37): a docs page; a thread would also carry its number and state.
      kind: 'docs',
    });

    const answerMessage = (await messages())[1];
    expect(textOf(answerMessage)).toBe(reply);
    const link = `[Destructive button](${BUTTON_URL})`;
    const start = reply.indexOf(link);
    expect(answerMessage?.content[0]?.text.annotations).toEqual([
      { type: 'url_citation', url: BUTTON_URL, title: 'Buttons › Destructive button', start_index: start, end_index: start + link.length },
    ]);
  });

  it.each(PIPELINING)('handles two tool rounds before answering, sending both rounds in order; pipelining %s', async (pipelining) => {
    const { script, ask } = await setup(
      dialect,
      [toolCalls(docsCall('delete button', 'call_1')), toolCalls(docsCall('destructive variant', 'call_2')), answer(`See [Destructive button](${BUTTON_URL}).`)],
      { RUN_PIPELINING: pipelining },
    );
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('completed');
    expect(run.tool_rounds.map((round) => round.tool_calls.map((call) => call.id))).toEqual([['call_1'], ['call_2']]);
    expect(script.requests).toHaveLength(3);
    expect(dialect.items(script.requests[2]?.body).map((item) => `${item.type}:${'call_id' in item ? item.call_id : item.role}`)).toEqual([
      'message:user',
      'function_call:call_1',
      'function_call_output:call_1',
      'function_call:call_2',
      'function_call_output:call_2',
    ]);
  });

  it('runs parallel tool calls in one round and cites sections from both', async () => {
    const reply = `Make a [bot token](${SLACK_URL}), and use a [destructive button](${BUTTON_URL}) to remove it.`;
    const { script, ask, messages } = await setup(dialect, [
      toolCalls(docsCall('slack bot token', 'call_slack'), docsCall('destructive button', 'call_button')),
      answer(reply),
    ]);
    const run = await ask('Slack token and delete buttons?');
    expect(run.status).toBe('completed');
    expect(run.tool_rounds).toHaveLength(1);
    expect(run.tool_rounds[0]?.tool_calls.map((call) => call.id)).toEqual(['call_slack', 'call_button']);
    const second = dialect.items(script.requests[1]?.body);
    expect(second.filter((item) => item.type === 'function_call').map((item) => (item as { call_id: string }).call_id)).toEqual([
      'call_slack',
      'call_button',
    ]);
    const outputs = second.filter((item) => item.type === 'function_call_output') as { call_id: string; output: string }[];
    expect(outputs.map((item) => item.call_id).sort()).toEqual(['call_button', 'call_slack']);
    expect(outputs.find((item) => item.call_id === 'call_slack')?.output).toContain(SLACK_URL);
    const annotations = (await messages())[1]?.content[0]?.text.annotations ?? [];
    expect(annotations.map((a) => [a.url, a.title])).toEqual([
      [SLACK_URL, 'Slack notifications › Creating a bot token'],
      [BUTTON_URL, 'Buttons › Destructive button'],
    ]);
    for (const annotation of annotations) {
      expect(reply.slice(annotation.start_index, annotation.end_index)).toMatch(/^\[.+\]\(.+\)$/);
    }
  });

  it('fails with invalid_api_key on 401, without retrying, keeping the user message', async () => {
    const { script, ask, messages } = await setup(dialect, [
      failWith(401, { error: { message: 'Incorrect API key provided: sk-te*****key', type: 'invalid_request_error', code: 'invalid_api_key' } }),
    ]);
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(run.last_error?.code).toBe('invalid_api_key');
    expect(run.last_error?.message).toMatch(/AI key/);
    expect(run.last_error?.message).toMatch(/maintainers/);
    expect(run.last_error?.message).not.toContain('sk-te');
    expect(script.requests).toHaveLength(1);
    expect((await messages()).map((m) => [m.role, textOf(m)])).toEqual([['user', 'How do I make a delete button?']]);
  });

  it('retries 429 with backoff (bounded), then fails with rate_limit_exceeded', async () => {
    const { script, ask, messages } = await setup(dialect, [
      failWith(429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }),
    ]);
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(run.last_error?.code).toBe('rate_limit_exceeded');
    expect(script.requests).toHaveLength(3);
    expect(script.requests.map((request) => request.headers.get('x-stainless-retry-count'))).toEqual(['0', '1', '2']);
    expect(await messages()).toHaveLength(1);
  });

  it('does not retry a 429 that asks for a longer wait than a reader would accept', async () => {
    const { script, ask } = await setup(dialect, [failWith(429, undefined, { 'retry-after': '120' })]);
    const run = await ask('How do I make a delete button?');
    expect(run.last_error?.code).toBe('rate_limit_exceeded');
    expect(script.requests).toHaveLength(1);
  });

  it('retries 5xx (bounded), then fails with server_error', async () => {
    const { script, ask, messages } = await setup(dialect, [failWith(503)]);
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(run.last_error?.code).toBe('server_error');
    expect(run.last_error?.message).toMatch(/503/);
    expect(script.requests).toHaveLength(3);
    expect(await messages()).toHaveLength(1);
  });

  it('recovers when a retry succeeds after a 500', async () => {
    const { script, ask } = await setup(dialect, [failWith(500), answer('Recovered answer.')]);
    const run = await ask('Hi');
    expect(run.status).toBe('completed');
    expect(script.requests).toHaveLength(2);
  });

  it('fails with timeout when the model does not answer in time', async () => {
    const { script, ask, messages } = await setup(dialect, [{ kind: 'hang', ms: 5_000 }], {
      OPENAI_TIMEOUT_MS: '150',
      OPENAI_MAX_RETRIES: '1',
    });
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(run.last_error?.code).toBe('timeout');
    expect(script.requests).toHaveLength(2);
    expect(await messages()).toHaveLength(1);
  });

  it('lets the model recover from malformed tool arguments and an unknown tool name', async () => {
    const { script, ask } = await setup(dialect, [
      toolCalls(
        { call_id: 'call_bad_args', name: 'get_relevant_docs', arguments: '{"prompt": "destructive' },
        { call_id: 'call_bad_tool', name: 'search_web', arguments: '{"q":"buttons"}' },
      ),
      (body): TReply => {
        const outputs = dialect.items(body).filter((item) => item.type === 'function_call_output') as { call_id: string; output: string }[];
        const isRetrying = outputs.every((item) => 'error' in JSON.parse(item.output));
        return isRetrying ? toolCalls(docsCall('destructive button', 'call_fixed')) : answer(`See [Destructive button](${BUTTON_URL}).`);
      },
    ]);
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('completed');
    expect(run.tool_rounds).toHaveLength(2);
    const outputs = Object.fromEntries(
      (run.tool_rounds[0]?.tool_outputs ?? []).map((output) => [output.tool_call_id, JSON.parse(output.output).error as string]),
    );
    expect(outputs.call_bad_args).toMatch(/Invalid arguments for get_relevant_docs/);
    expect(outputs.call_bad_tool).toMatch(/Unknown tool "search_web"/);
    const secondRequest = dialect.items(script.requests[1]?.body);
    expect(secondRequest.filter((item) => item.type === 'function_call_output')).toHaveLength(2);
    expect(script.requests).toHaveLength(3);
  });

  it('drops the oldest turns of a long thread first, always keeping the current question and its tool outputs', async () => {
    const long = (label: string) => `${label} ${'lorem ipsum dolor sit amet '.repeat(40)}`.trim();
    const replies: Parameters<typeof scriptModel>[1] = [];
    for (let turn = 1; turn <= 5; turn += 1) replies.push(answer(long(`answer ${turn}`)));
    replies.push(toolCalls(docsCall('destructive button', 'call_last')), answer(`See [Destructive button](${BUTTON_URL}).`));
    // The budget holds the three tools' definitions, the instructions, the current question's round and a few turns.
    const { script, ask } = await setup(dialect, replies, { OPENAI_CONTEXT_TOKENS: '2400' });
    for (let turn = 1; turn <= 5; turn += 1) expect((await ask(long(`question ${turn}`))).status).toBe('completed');
    const final = await ask('How do I make a delete button?');
    expect(final.status).toBe('completed');

    const lastItems = dialect.items(script.requests[script.requests.length - 1]?.body);
    const contents = lastItems.map((item) => (item.type === 'message' ? item.content.split(' ').slice(0, 2).join(' ') : item.type));
    // Whole turns, newest kept, oldest dropped; the current question and its tool round always at the end.
    expect(contents[0]).toMatch(/^question \d$/);
    expect(contents).not.toContain('question 1');
    expect(contents).toContain('question 5');
    expect(contents.slice(-3)).toEqual(['How do', 'function_call', 'function_call_output']);
    const keptQuestions = contents.filter((text) => /^question \d$/.test(text)).map((text) => Number(text.split(' ')[1]));
    expect(keptQuestions).toEqual(Array.from({ length: keptQuestions.length }, (_, index) => 6 - keptQuestions.length + index));
    expect(keptQuestions.length).toBeLessThan(5);
    expect(contents).toContain(`answer ${keptQuestions[0]}`);
    expect(contents).not.toContain(`answer ${keptQuestions[0]! - 1}`);
  });

  it('titles a thread with the model, cleaned of quotes and trailing punctuation', async () => {
    const { script, app: current } = await setup(dialect, [answer('"Setting up Slack notifications for your whole team."')]);
    const completion = await simpleCompletion({ deps: current, client: TEST_CLIENT, prompt: 'How do I set up Slack notifications for my team?' });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: dialect.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Setting up Slack notifications for your whole team' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    });
    expect(dialect.instructions(script.requests[0]?.body)).toBe(TITLE_INSTRUCTIONS);
    expect(dialect.items(script.requests[0]?.body)).toEqual([
      { type: 'message', role: 'user', content: 'How do I set up Slack notifications for my team?' },
    ]);
  });

  it('falls back to the question when the title request fails', async () => {
    const { app: current } = await setup(dialect, [failWith(401)]);
    const completion = await simpleCompletion({ deps: current, client: TEST_CLIENT, prompt: 'How do I set up Slack notifications for my team?' });
    expect(completion.model).toBe('offline');
    expect(completion.choices[0]?.message.content).toBe('How do I set up Slack notifications for my team');
  });
});

describe('exact request bodies', () => {
  const tool = TOOL_DEFINITIONS[0]!;
  // The site's second tool (issue 68): its wire fields only, as the first's.
  const readPage = TOOL_DEFINITIONS[1]!;
  // The third (issue 70): lines of an indexed source file, offered only when a code source is configured (none here
  // but in the last test: read_file could only answer "not indexed").
  const readFile = TOOL_DEFINITIONS[2]!;

  it('Responses API: model, instructions, strict function tool, stateless input items, bearer key', async () => {
    const { script, ask } = await setup(responsesDialect, [toolCalls(docsCall('destructive button', 'call_x')), answer('Done.')]);
    await ask('How do I make a delete button?');
    const [first, second] = script.requests;
    expect(first?.headers.get('authorization')).toBe('Bearer sk-test-key');
    expect(first?.body).toEqual({
      model: 'gpt-5.4-mini',
      instructions: INSTRUCTIONS,
      input: [{ type: 'message', role: 'user', content: 'How do I make a delete button?' }],
      tools: [
        { type: 'function', name: 'get_relevant_docs', description: tool.description, parameters: tool.parameters, strict: true },
        { type: 'function', name: 'read_page', description: readPage.description, parameters: readPage.parameters, strict: true },
      ],
      parallel_tool_calls: true,
      store: false,
      stream: true,
    });
    expect(second?.body.input).toEqual([
      { type: 'message', role: 'user', content: 'How do I make a delete button?' },
      { type: 'function_call', call_id: 'call_x', name: 'get_relevant_docs', arguments: '{"prompt":"destructive button"}' },
      { type: 'function_call_output', call_id: 'call_x', output: expect.stringContaining(BUTTON_URL) },
    ]);
    expect(Object.keys(second?.body ?? {}).sort()).toEqual(['input', 'instructions', 'model', 'parallel_tool_calls', 'store', 'stream', 'tools']);
  });

  it('Chat Completions: model, system instructions, function tools, assistant tool_calls and tool messages, placeholder key', async () => {
    const { script, ask } = await setup(chatDialect, [
      toolCalls(docsCall('destructive button', 'call_y'), docsCall('primary button', 'call_z')),
      answer('Done.'),
    ]);
    await ask('Which button do I use?');
    const [first, second] = script.requests;
    // No key configured (as with Ollama): a placeholder satisfies the SDK and the server ignores it.
    expect(first?.headers.get('authorization')).toBe('Bearer no-key');
    expect(first?.body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: 'Which button do I use?' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_relevant_docs', description: tool.description, parameters: tool.parameters } },
        { type: 'function', function: { name: 'read_page', description: readPage.description, parameters: readPage.parameters } },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(second?.body.messages).toEqual([
      { role: 'system', content: INSTRUCTIONS },
      { role: 'user', content: 'Which button do I use?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_y', type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"destructive button"}' } },
          { id: 'call_z', type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"primary button"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_y', content: expect.stringContaining(BUTTON_URL) },
      { role: 'tool', tool_call_id: 'call_z', content: expect.stringContaining('primary-button') },
    ]);
  });

  it('with a code source (DOCS_CODE_DIR), read_file is offered too, in both dialects', async () => {
    const env = { DOCS_CODE_DIR: makeCodeCheckout() };
    const responses = await setup(responsesDialect, [answer('Done.')], env);
    await responses.ask('Where is the toast dismissed?');
    expect(responses.script.requests[0]?.body.tools).toEqual([
      { type: 'function', name: 'get_relevant_docs', description: tool.description, parameters: tool.parameters, strict: true },
      { type: 'function', name: 'read_page', description: readPage.description, parameters: readPage.parameters, strict: true },
      { type: 'function', name: 'read_file', description: readFile.description, parameters: readFile.parameters, strict: true },
    ]);
    const chat = await setup(chatDialect, [answer('Done.')], env);
    await chat.ask('Where is the toast dismissed?');
    expect(chat.script.requests[0]?.body.tools).toEqual([
      { type: 'function', function: { name: 'get_relevant_docs', description: tool.description, parameters: tool.parameters } },
      { type: 'function', function: { name: 'read_page', description: readPage.description, parameters: readPage.parameters } },
      { type: 'function', function: { name: 'read_file', description: readFile.description, parameters: readFile.parameters } },
    ]);
  });

  it('sends earlier turns of the thread as user and assistant messages before the question', async () => {
    const { script, ask } = await setup(chatDialect, [answer('First answer.'), answer('Second answer.')]);
    await ask('First question');
    await ask('Second question');
    expect(script.requests[1]?.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'Second question' },
    ]);
  });
});

describe('failure messages a reader can act on', () => {
  const cases: [string, TReply, string, RegExp][] = [
    ['a model the provider does not have (404)', failWith(404, { error: { message: 'model not found', type: 'invalid_request_error', code: 'model_not_found' } }), 'invalid_request', /"gpt-5\.4-mini".*OPENAI_MODEL/],
    ['a key without access to the model (403)', failWith(403, { error: { message: 'no access', type: 'invalid_request_error', code: null } }), 'invalid_api_key', /not allowed to use the model/],
    ['an account out of quota (429 insufficient_quota)', failWith(429, { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } }), 'rate_limit_exceeded', /run out of quota/],
    ['a conversation too long for the model (400)', failWith(400, { error: { message: 'too long', type: 'invalid_request_error', code: 'context_length_exceeded' } }), 'invalid_request', /start a new thread/],
  ];
  it.each(cases)('explains %s, without retrying', async (_label, reply, code, message) => {
    const { ask, script } = await setup(responsesDialect, [reply]);
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(script.requests).toHaveLength(1);
    expect(run.last_error).toEqual({ code, message: expect.stringMatching(message) });
    expect(run.last_error?.message).toMatch(/Your message was saved\.$/);
  });

  it('fails with server_error when the server answers 200 with no choices', async () => {
    const { ask } = await setup(chatDialect, []);
    server.use(http.post(chatDialect.url, () => HttpResponse.json({ id: 'x', object: 'chat.completion', choices: [] })));
    const run = await ask('Hi');
    expect(run.last_error).toEqual({ code: 'server_error', message: expect.stringMatching(/empty answer/) });
  });
});

describe.each([responsesDialect, chatDialect])('$name streaming', (dialect) => {
  const request = (text: string) => ({
    instructions: 'Answer.',
    input: [{ type: 'message' as const, role: 'user' as const, content: text }],
    tools: TOOL_DEFINITIONS,
  });

  it('passes the answer to onDelta piece by piece, in order, and returns the same text', async () => {
    const text = `Use the destructive variant. See [Destructive button](${BUTTON_URL}).`;
    const { app: current } = await setup(dialect, [answer(text, { prompt: 11, completion: 3 })]);
    const deltas: string[] = [];
    const response = await current.model.respond({ ...request('delete button?'), onDelta: (delta) => deltas.push(delta) });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(text);
    expect(response.output).toMatchObject({ type: 'message', text });
    expect(response.usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });

  it('assembles tool calls from argument pieces and streams no text for them', async () => {
    const { app: current } = await setup(dialect, [toolCalls(docsCall('slack bot token', 'call_s'), docsCall('destructive button', 'call_d'))]);
    const deltas: string[] = [];
    const response = await current.model.respond({ ...request('Slack and buttons?'), onDelta: (delta) => deltas.push(delta) });
    expect(deltas).toEqual([]);
    expect(response.output).toEqual({
      type: 'tool_calls',
      calls: [
        { call_id: 'call_s', name: 'get_relevant_docs', arguments: '{"prompt":"slack bot token"}' },
        { call_id: 'call_d', name: 'get_relevant_docs', arguments: '{"prompt":"destructive button"}' },
      ],
    });
  });

  it('fails with timeout when the stream goes quiet mid-answer, keeping the text shown so far as an incomplete answer', async () => {
    const { ask, messages } = await setup(dialect, [{ kind: 'stall', text: 'The first words of an answer that never' }], {
      OPENAI_TIMEOUT_MS: '300',
      OPENAI_MAX_RETRIES: '0',
    });
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({ code: 'timeout', message: expect.stringMatching(/stopped sending its answer.*saved/) });
    const [question, partial] = await messages();
    expect(question?.role).toBe('user');
    expect(partial).toMatchObject({ role: 'assistant', status: 'incomplete', incomplete_details: { reason: 'run_failed' } });
    expect(textOf(partial)).toBe('The first words of an answer that never');
  });

  it('fails with server_error when the stream ends before the model finished', async () => {
    const { ask } = await setup(dialect, [{ kind: 'cut', text: 'Half an' }]);
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('failed');
    expect(run.last_error?.code).toBe('server_error');
  });

  it('stops reading the stream when the caller aborts', async () => {
    const { app: current } = await setup(dialect, [{ kind: 'stall', text: 'Some words before the reader stops it' }]);
    const stop = new AbortController();
    const deltas: string[] = [];
    const pending = current.model.respond({
      ...request('anything'),
      signal: stop.signal,
      onDelta: (delta) => {
        deltas.push(delta);
        if (deltas.length === 2) stop.abort(new Error('cancelled by the reader'));
      },
    });
    await expect(pending).rejects.toBeDefined();
    expect(deltas).toHaveLength(2);
  });
});

describe('streaming details', () => {
  it('Chat Completions: takes a JSON completion from a server that ignores stream: true', async () => {
    const { ask, messages } = await setup(chatDialect, []);
    server.use(http.post(chatDialect.url, () => HttpResponse.json(chatDialect.build({ kind: 'answer', text: 'A whole answer at once.' }))));
    const run = await ask('Hi');
    expect(run.status).toBe('completed');
    expect(textOf((await messages())[1])).toBe('A whole answer at once.');
  });

  it('Responses API: takes a JSON response from a compatible server that ignores stream: true', async () => {
    const { ask, messages } = await setup(responsesDialect, []);
    server.use(http.post(responsesDialect.url, () => HttpResponse.json(responsesDialect.build({ kind: 'answer', text: 'A whole response at once.' }))));
    const run = await ask('Hi');
    expect(run.status).toBe('completed');
    expect(textOf((await messages())[1])).toBe('A whole response at once.');
  });

  it('Chat Completions: hides a leading <think> block from readers and from the stored answer', async () => {
    const { app: current, thread, messages } = await setup(chatDialect, [answer('<think>The reader wants buttons.</think>\n\nUse a button.')]);
    // Follows the run as the event stream does: on each text change, what a reader would be shown.
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'Buttons?', isExecutedHere: false });
    const changes = current.engine.subscribe(run.id);
    const shown: string[] = [];
    try {
      let latest = await current.engine.readRunAndAdvance({ owner: OWNER, threadId: thread.id, runId: run.id });
      while (!isTerminalRunStatus(latest.status)) {
        const wake = await changes.wait(200);
        const draft = current.engine.getLiveDraft(run.id);
        if (wake.isText && draft) shown.push(draft.text);
        latest = await current.engine.readRunAndAdvance({ owner: OWNER, threadId: thread.id, runId: run.id });
      }
      expect(latest.status).toBe('completed');
    } finally {
      changes.close();
    }
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect('Use a button.'.startsWith(text), text).toBe(true);
    expect(textOf((await messages())[1])).toBe('Use a button.');
  });

  it('Responses API: joins separate text parts with a blank line, in the stream as in the stored answer', async () => {
    const { app: current } = await setup(responsesDialect, []);
    const events = [
      ...responsesDialect.partialEvents('First part.'),
      ...responsesDialect.partialEvents('Second part.').map((event) => ({ ...event, data: { ...(event.data as object), item_id: 'msg_other' } })),
    ];
    const final = responsesDialect.build({ kind: 'answer', text: 'x' }) as any;
    final.output = [
      { ...final.output[0], content: [{ type: 'output_text', text: 'First part.', annotations: [] }] },
      { ...final.output[0], id: 'msg_other', content: [{ type: 'output_text', text: 'Second part.', annotations: [] }] },
    ];
    events.push({ event: 'response.completed', data: { type: 'response.completed', response: final } });
    server.use(http.post(responsesDialect.url, () => sseResponse(events)));
    const deltas: string[] = [];
    const response = await current.model.respond({
      instructions: 'Answer.',
      input: [{ type: 'message', role: 'user', content: 'Two parts?' }],
      tools: TOOL_DEFINITIONS,
      onDelta: (delta) => deltas.push(delta),
    });
    expect(deltas.join('')).toBe('First part.\n\nSecond part.');
    expect(response.output).toMatchObject({ type: 'message', text: 'First part.\n\nSecond part.' });
  });
});
