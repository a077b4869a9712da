import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEEP_ALIVE_MS } from './server';

// A small Chat Completions server on 127.0.0.1 (a real socket, not msw), behaving like a local model that
// uses tools: it searches the docs for the reader's question, then answers citing the first section found.
// Title requests (no tools) get a title. `Bearer rejected-key` gets a 401 as OpenAI sends it. A request with
// `stream: true` is answered as Chat Completions streams: chunks of deltas, a finish_reason, the usage, [DONE].
// `answer` replaces the answer's text (given the docs search's results), for a model that writes something else;
// `call` the tool call it makes for a question (default: get_relevant_docs with the question), for a model that
// calls another tool (its output, in the passages envelope, is what `answer` is given).

export type TChatServer = {
  url: string;
  requests: { path: string; authorization: string | undefined; body: any }[];
  close(): Promise<void>;
};

export type TSearchResult = { title: string; heading: string; url: string };

export type TToolCallOf = (question: string) => { name: string; arguments: string };

const SEARCH_QUESTION: TToolCallOf = (question) => ({ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) });

/**
 * A scripted model's turn (a research run's: issue 71), given the request's messages and whether tools were offered:
 * tool calls, or an answer's text. Given, it decides every request that has a tool message or offers tools.
 */
export type TScriptedTurn = (request: { messages: TMessage[]; hasTools: boolean; instructions: string }) => { calls: { name: string; arguments: string }[] } | { text: string };

export async function startChatServer({
  answer = citeFirst,
  call = SEARCH_QUESTION,
  script,
  hold,
}: {
  answer?: (results: TSearchResult[]) => string;
  call?: TToolCallOf;
  script?: TScriptedTurn;
  /** Awaited before a request is answered (a model that takes its time, for as long as a test needs): none by default. */
  hold?: (request: { messages: TMessage[] }) => Promise<void> | undefined;
} = {}): Promise<TChatServer> {
  const requests: TChatServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        send(404, { error: { message: `Unknown route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ path: req.url, authorization: req.headers.authorization, body });
      if (req.headers.authorization === 'Bearer rejected-key') {
        send(401, { error: { message: 'Incorrect API key provided: rejec*****key', type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
      await hold?.({ messages: body.messages });
      if (res.destroyed) return;
      const completion = complete(body, answer, call, script);
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const chunk of toChunks(completion, body.stream_options?.include_usage === true)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      send(200, completion);
    });
  });
  // As the API's test server (tests/helpers/server.ts): no idle connection closed under a client reusing it.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type TMessage = { role: string; content: string | null; tool_calls?: unknown[] };

function citeFirst(results: TSearchResult[]): string {
  const first = results[0];
  return first ? `The docs explain this in [${first.heading}](${first.url}).` : 'The docs do not cover that; ask the maintainers.';
}

function complete(
  body: { model: string; messages: TMessage[]; tools?: unknown[] },
  answer: (results: TSearchResult[]) => string,
  call: TToolCallOf,
  script?: TScriptedTurn,
) {
  const last = body.messages[body.messages.length - 1] as TMessage;
  let message: Record<string, unknown>;
  let finishReason = 'stop';
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const turn = script && (hasTools || body.messages.some((item) => item.role === 'tool'))
    ? script({ messages: body.messages, hasTools, instructions: body.messages.find((item) => item.role === 'system')?.content ?? '' })
    : null;
  if (turn) {
    if ('text' in turn) message = { role: 'assistant', content: turn.text };
    else {
      finishReason = 'tool_calls';
      message = { role: 'assistant', content: null, tool_calls: turn.calls.map((one, index) => ({ id: `call_${body.messages.length}_${index}`, type: 'function', function: one })) };
    }
  } else if (!body.tools) {
    message = { role: 'assistant', content: 'Creating a Slack bot token.' };
  } else if (last.role === 'user') {
    finishReason = 'tool_calls';
    message = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: `call_${body.messages.length}`, type: 'function', function: call(last.content ?? '') }],
    };
  } else {
    const results = (JSON.parse(last.content ?? '{}') as { results?: TSearchResult[] }).results ?? [];
    message = { role: 'assistant', content: answer(results) };
  }
  const promptTokens = JSON.stringify(body.messages).length >> 2;
  return {
    id: `chatcmpl-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage: { prompt_tokens: promptTokens, completion_tokens: 12, total_tokens: promptTokens + 12 },
  };
}

/** A completion as the chunks a streaming server sends: the content a few words at a time, each tool call whole. */
function toChunks(completion: ReturnType<typeof complete>, isUsageIncluded: boolean) {
  const base = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model };
  const choice = completion.choices[0] as unknown as { message: { content: string | null; tool_calls?: unknown[] }; finish_reason: string };
  const chunks: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  for (const words of (choice.message.content ?? '').match(/\s*\S+(\s+\S+){0,2}/g) ?? []) {
    chunks.push({ ...base, choices: [{ index: 0, delta: { content: words }, finish_reason: null }] });
  }
  (choice.message.tool_calls ?? []).forEach((call, index) => {
    chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, ...(call as object) }] }, finish_reason: null }] });
  });
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: choice.finish_reason }] });
  if (isUsageIncluded) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}
