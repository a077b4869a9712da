import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A model server on 127.0.0.1 for the production tier, speaking both of OpenAI's dialects the app uses: Chat
// Completions (POST /v1/chat/completions, as Ollama or vLLM would) and the Responses API (POST /v1/responses, as
// OpenAI does), streamed or not. The app under `next start` reaches it through OPENAI_BASE_URL. It lives in the
// global setup's process, so a test (in another process) steers it by what the reader asks: a directive in the
// question picks the behaviour of every model request made for that question.
//
//   (no directive)          a tool call to get_relevant_docs, then an answer citing the first section found
//   [[model:429]]           HTTP 429 as OpenAI sends it (code rate_limit_exceeded)
//   [[model:401]]           HTTP 401 (code invalid_api_key)
//   [[model:context]]       HTTP 400 with code context_length_exceeded
//   [[model:hang]]          accepts the request and never answers (until the app gives up and disconnects)
//   [[model:hold:KEY]]      waits until the test releases KEY (POST /__control/release/KEY), then answers
//   [[model:huge]]          answers (after the docs search) with HUGE_ANSWER: 40,000 characters
//   [[model:hostile]]       answers with HOSTILE_ANSWER: a NUL and lone surrogates, which Postgres cannot store
//   [[model:drip:MS]]       streams its answer a few words at a time, MS apart (an answer being written)
//   [[model:markdown]]      answers (after the docs search) with MARKDOWN_ANSWER: a list, links safe and hostile,
//                           a fenced code block and raw HTML
//   [[model:mentions]]      answers (after the docs search) with MENTIONS_ANSWER: Slack's and Discord's mentions of
//                           every kind, a link to the docs, a labelled link to another site, an image
//   [[model:choices]]       answers (after the docs search) citing the first section found, then offers two clarifying
//                           choices (a last line `Choices: Slack | Discord`, as a model's instructions allow)
//   [[model:read:URL]]      calls read_page with URL (instead of the docs search), then answers citing the first
//                           section it read that has a heading
//
// Title requests (no tools) get a fixed title; POST /v1/embeddings gets deterministic vectors (hashed words).
// Control routes, for the tests: GET /__control/requests lists what the model was asked (with the tool output it was
// given, for an answer); POST
// /__control/release/KEY lets held requests go.

export const FAKE_TITLE = 'Production tier title';
export const HUGE_ANSWER = 'word '.repeat(8_000);
export const MARKDOWN_ANSWER = [
  'Steps:',
  '',
  '- Open [the Slack guide](/docs/configuration)',
  '- Read [the API](https://api.example/ref) and [this](javascript:alert(1))',
  '',
  '```ts',
  'const markdownProbe = 42;',
  '```',
  '',
  '<script>window.pwned = 1</script>',
].join('\n');
export const MENTIONS_ANSWER = [
  'Attention <!channel> <!here> <!everyone> <@U0ADMIN> <!subteam^S0TEAM> @everyone @here @channel <@123456789> <@&987654321>.',
  '',
  'See [the Slack guide](/docs/configuration), then [Verify your account](https://evil.example/login).',
  '',
  '![pixel](https://evil.example/p.png)',
].join('\n');
export const HOSTILE_ANSWER = 'Before\u0000 after \uD800 lone, pair \u{1F600} kept, low \uDC00 alone.';

type TMessage = { role: string; content: string | null };
type TKind = 'title' | 'tool_call' | 'answer';
type TRecorded = { path: string; question: string; userMessages: string[]; kind: TKind; toolOutput: string; isStreamed: boolean; authorization: string | null };
/** What a request asks for, whatever its dialect. */
type TAsk = { model: string; question: string; userMessages: string[]; kind: TKind; toolOutput: string; isStreamed: boolean; promptChars: number };
/** The model's reply, whatever the dialect: an answer, or one call of a tool (the docs search, unless named). */
type TReply = { text: string } | { call: { id: string; arguments: string; name?: string } };

export type TFakeModel = { url: string; controlUrl: string; close(): Promise<void> };

/** How long a held request waits at most, so that a test that forgets to release cannot hang the tier. */
const HOLD_LIMIT_MS = 60_000;

export async function startFakeModel(): Promise<TFakeModel> {
  const requests: TRecorded[] = [];
  let embeddedTexts = 0;
  const released = new Set<string>();
  const waiters = new Map<string, (() => void)[]>();
  const open = new Set<http.ServerResponse>();

  const release = (key: string) => {
    released.add(key);
    for (const wake of waiters.get(key) ?? []) wake();
    waiters.delete(key);
  };
  const held = (key: string) =>
    released.has(key)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, HOLD_LIMIT_MS);
          waiters.set(key, [...(waiters.get(key) ?? []), () => (clearTimeout(timer), resolve())]);
        });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { message: String(error), type: 'server_error' } });
        else res.destroy();
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__control/requests' && req.method === 'GET') return json(res, 200, { requests, embeddedTexts });
    const releaseMatch = /^\/__control\/release\/([\w-]+)$/.exec(url.pathname);
    if (releaseMatch && req.method === 'POST') {
      release(releaseMatch[1] as string);
      return json(res, 200, { released: releaseMatch[1] });
    }
    if (req.method === 'POST' && url.pathname === '/v1/embeddings') {
      const { model, input } = JSON.parse(text) as { model: string; input: string | string[] };
      const texts = Array.isArray(input) ? input : [input];
      embeddedTexts += texts.length;
      return json(res, 200, {
        object: 'list',
        data: texts.map((item, index) => ({ object: 'embedding', index, embedding: embed(item) })),
        model,
        usage: { prompt_tokens: texts.join(' ').length >> 2, total_tokens: texts.join(' ').length >> 2 },
      });
    }
    const isChat = url.pathname === '/v1/chat/completions';
    if (req.method !== 'POST' || !(isChat || url.pathname === '/v1/responses')) {
      return json(res, 404, { error: { message: `Unknown route ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
    }
    const ask = isChat ? readChatRequest(JSON.parse(text)) : readResponsesRequest(JSON.parse(text));
    requests.push({
      path: url.pathname,
      question: ask.question,
      userMessages: ask.userMessages,
      kind: ask.kind,
      toolOutput: ask.toolOutput,
      isStreamed: ask.isStreamed,
      authorization: req.headers.authorization ?? null,
    });

    const directive = /\[\[model:(429|401|context|hang|hold:([\w-]+))\]\]/.exec(ask.question);
    switch (directive?.[1]) {
      case '429':
        return json(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
      case '401':
        return json(res, 401, { error: { message: 'Incorrect API key provided: sk-pr*****tier', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      case 'context':
        return json(res, 400, {
          error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
        });
      case 'hang':
        open.add(res);
        res.on('close', () => open.delete(res));
        return;
      default:
        if (directive?.[2]) {
          open.add(res);
          await held(directive[2]);
          open.delete(res);
          if (res.destroyed) return;
        }
    }
    const reply = replyTo(ask);
    const usage = { input: ask.promptChars >> 2, output: 12 };
    if (!ask.isStreamed) return json(res, 200, isChat ? chatCompletion(ask.model, reply, usage) : responsesObject(ask.model, reply, usage));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const dripMs = Number(/\[\[model:drip:(\d{1,5})\]\]/.exec(ask.question)?.[1] ?? 0);
    if (isChat) {
      for (const chunk of chatChunks(ask.model, reply, usage)) {
        if (dripMs > 0 && 'text' in reply) await new Promise((resolve) => setTimeout(resolve, dripMs));
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
      res.end('data: [DONE]\n\n');
    } else {
      for (const event of responsesEvents(ask.model, reply, usage)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      res.end();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    controlUrl: `http://127.0.0.1:${port}/__control`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

const DIRECTIVES = /\[\[model:[^\]]*\]\]/g;

function readChatRequest(body: { model: string; messages: TMessage[]; tools?: unknown[]; stream?: boolean }): TAsk {
  const last = body.messages[body.messages.length - 1] as TMessage;
  const userMessages = body.messages.filter((message) => message.role === 'user').map((message) => message.content ?? '');
  const question = userMessages[userMessages.length - 1] ?? '';
  const kind: TKind = !body.tools ? 'title' : last.role === 'user' ? 'tool_call' : 'answer';
  const toolOutput = last.role === 'tool' ? (last.content ?? '') : '';
  return { model: body.model, question, userMessages, kind, toolOutput, isStreamed: body.stream === true, promptChars: JSON.stringify(body.messages).length };
}

type TResponsesItem = { type: string; role?: string; content?: string; output?: string };

function readResponsesRequest(body: { model: string; input: TResponsesItem[]; tools?: unknown[]; stream?: boolean }): TAsk {
  const last = body.input[body.input.length - 1] as TResponsesItem;
  const userMessages = body.input.filter((item) => item.type === 'message' && item.role === 'user').map((item) => item.content ?? '');
  const question = userMessages[userMessages.length - 1] ?? '';
  const kind: TKind = !body.tools ? 'title' : last.type === 'message' ? 'tool_call' : 'answer';
  const toolOutput = last.type === 'function_call_output' ? (last.output ?? '') : '';
  return { model: body.model, question, userMessages, kind, toolOutput, isStreamed: body.stream === true, promptChars: JSON.stringify(body.input).length };
}

/** Like a model that uses tools: search the docs for the question, then answer citing the first section found. */
function replyTo(ask: TAsk): TReply {
  if (ask.kind === 'title') return { text: FAKE_TITLE };
  const read = /\[\[model:read:([^\]\s]+)\]\]/.exec(ask.question);
  if (ask.kind === 'tool_call' && read) return { call: { id: `call_${randomUUID().slice(0, 8)}`, name: 'read_page', arguments: JSON.stringify({ url: read[1] }) } };
  if (ask.kind === 'tool_call') {
    const prompt = ask.question.replace(DIRECTIVES, '').trim() || 'slack';
    return { call: { id: `call_${randomUUID().slice(0, 8)}`, arguments: JSON.stringify({ prompt }) } };
  }
  if (ask.question.includes('[[model:huge]]')) return { text: HUGE_ANSWER };
  if (ask.question.includes('[[model:hostile]]')) return { text: HOSTILE_ANSWER };
  if (ask.question.includes('[[model:markdown]]')) return { text: MARKDOWN_ANSWER };
  if (ask.question.includes('[[model:mentions]]')) return { text: MENTIONS_ANSWER };
  let first: { heading: string; url: string } | undefined;
  try {
    const results = (JSON.parse(ask.toolOutput || '{}') as { results?: { heading: string; url: string }[] }).results;
    first = read ? results?.find((result) => result.heading !== '') : results?.[0];
  } catch {
    // Not the docs tool's JSON: answered without a link.
  }
  const text = first ? `The docs explain this in [${first.heading}](${first.url}).` : 'The docs do not cover that.';
  return { text: ask.question.includes('[[model:choices]]') ? `${text}\n\nChoices: Slack | Discord` : text };
}

type TUsage = { input: number; output: number };

function chatCompletion(model: string, reply: TReply, usage: TUsage) {
  const message =
    'text' in reply
      ? { role: 'assistant', content: reply.text }
      : { role: 'assistant', content: null, tool_calls: [{ id: reply.call.id, type: 'function', function: { name: reply.call.name ?? 'get_relevant_docs', arguments: reply.call.arguments } }] };
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

/** Chat Completions streaming: the content a few words at a time, each tool call whole, the finish, then the usage. */
function chatChunks(model: string, reply: TReply, usage: TUsage) {
  const completion = chatCompletion(model, reply, usage);
  const base = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model };
  const chunks: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  if ('text' in reply) {
    for (const words of words3(reply.text)) chunks.push({ ...base, choices: [{ index: 0, delta: { content: words }, finish_reason: null }] });
  } else {
    const call = completion.choices[0]!.message.tool_calls![0]!;
    chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...call }] }, finish_reason: null }] });
  }
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: completion.choices[0]!.finish_reason }] });
  chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}

function responsesOutputItem(reply: TReply) {
  return 'text' in reply
    ? { type: 'message', id: `msg_${randomUUID().slice(0, 8)}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: reply.text, annotations: [] }] }
    : { type: 'function_call', id: `fc_${randomUUID().slice(0, 8)}`, status: 'completed', call_id: reply.call.id, name: reply.call.name ?? 'get_relevant_docs', arguments: reply.call.arguments };
}

function responsesObject(model: string, reply: TReply, usage: TUsage, output = [responsesOutputItem(reply)]) {
  return {
    id: `resp_${randomUUID().slice(0, 12)}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    error: null,
    incomplete_details: null,
    model,
    output,
    usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

/** Responses API streaming: the item is announced, its text (or arguments) streamed, finished, then the response. */
function responsesEvents(model: string, reply: TReply, usage: TUsage) {
  const item = responsesOutputItem(reply);
  const response = responsesObject(model, reply, usage);
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) => ({ type, sequence_number: (sequence += 1), ...fields });
  const events = [
    event('response.created', { response: { ...response, status: 'in_progress', output: [] } }),
    event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', ...('content' in item ? { content: [] } : { arguments: '' }) } }),
  ];
  if ('text' in reply) {
    for (const words of words3(reply.text)) events.push(event('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: words }));
    events.push(event('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text: reply.text }));
  } else {
    events.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: reply.call.arguments }));
    events.push(event('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: reply.call.arguments }));
  }
  events.push(event('response.output_item.done', { output_index: 0, item }));
  events.push(event('response.completed', { response }));
  return events;
}

/** A deterministic embedding: the text's words hashed into 32 dimensions, normalised (texts sharing words are near). */
function embed(text: string): number[] {
  const vector = Array.from({ length: 32 }, () => 0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 0;
    for (const char of word) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
    vector[hash % 32] = (vector[hash % 32] as number) + 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function words3(text: string): string[] {
  return text.match(/\s*\S+(\s+\S+){0,2}/g) ?? [];
}
