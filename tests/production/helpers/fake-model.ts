import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A Chat Completions server on 127.0.0.1 for the production tier. The app under `next start` reaches it through
// OPENAI_BASE_URL, as it would reach Ollama or vLLM. It lives in the global setup's process, so a test (in
// another process) steers it by what the reader asks: a directive in the question picks the behaviour of every
// model request made for that question.
//
//   (no directive)          a tool call to get_relevant_docs, then an answer citing the first section found
//   [[model:429]]           HTTP 429 as OpenAI sends it (code rate_limit_exceeded)
//   [[model:401]]           HTTP 401 (code invalid_api_key)
//   [[model:context]]       HTTP 400 with code context_length_exceeded
//   [[model:hang]]          accepts the request and never answers (until the app gives up and disconnects)
//   [[model:hold:KEY]]      waits until the test releases KEY (POST /__control/release/KEY), then answers
//
// Title requests (no tools) get a fixed title. Control routes, for the tests: GET /__control/requests lists what
// the model was asked; POST /__control/release/KEY lets held requests go.

export const FAKE_TITLE = 'Production tier title';

type TMessage = { role: string; content: string | null };
type TRecorded = { question: string; kind: 'title' | 'tool_call' | 'answer'; isStreamed: boolean; authorization: string | null };

export type TFakeModel = { url: string; controlUrl: string; close(): Promise<void> };

/** How long a held request waits at most, so that a test that forgets to release cannot hang the tier. */
const HOLD_LIMIT_MS = 60_000;

export async function startFakeModel(): Promise<TFakeModel> {
  const requests: TRecorded[] = [];
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
    if (url.pathname === '/__control/requests' && req.method === 'GET') return json(res, 200, { requests });
    const releaseMatch = /^\/__control\/release\/([\w-]+)$/.exec(url.pathname);
    if (releaseMatch && req.method === 'POST') {
      release(releaseMatch[1] as string);
      return json(res, 200, { released: releaseMatch[1] });
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      return json(res, 404, { error: { message: `Unknown route ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
    }
    const body = JSON.parse(text) as { model: string; messages: TMessage[]; tools?: unknown[]; stream?: boolean };
    const last = body.messages[body.messages.length - 1] as TMessage;
    const question = [...body.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
    const kind: TRecorded['kind'] = !body.tools ? 'title' : last.role === 'user' ? 'tool_call' : 'answer';
    requests.push({ question, kind, isStreamed: body.stream === true, authorization: req.headers.authorization ?? null });

    const directive = /\[\[model:(429|401|context|hang|hold:([\w-]+))\]\]/.exec(question);
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
    const completion = complete(body, kind, last);
    if (body.stream !== true) return json(res, 200, completion);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const chunk of toChunks(completion)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end('data: [DONE]\n\n');
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

function complete(body: { model: string; messages: TMessage[] }, kind: TRecorded['kind'], last: TMessage) {
  let message: Record<string, unknown>;
  let finishReason = 'stop';
  if (kind === 'title') {
    message = { role: 'assistant', content: FAKE_TITLE };
  } else if (kind === 'tool_call') {
    finishReason = 'tool_calls';
    const prompt = (last.content ?? '').replace(/\[\[model:[^\]]*\]\]/g, '').trim() || 'slack';
    message = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: `call_${body.messages.length}`, type: 'function', function: { name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) } }],
    };
  } else {
    let first: { heading: string; url: string } | undefined;
    try {
      first = (JSON.parse(last.content ?? '{}') as { results?: { heading: string; url: string }[] }).results?.[0];
    } catch {
      // Not the docs tool's JSON: answered without a link.
    }
    message = { role: 'assistant', content: first ? `The docs explain this in [${first.heading}](${first.url}).` : 'The docs do not cover that.' };
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

/** A completion as a streaming server sends it: the content a few words at a time, each tool call whole, then the usage. */
function toChunks(completion: ReturnType<typeof complete>) {
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
  chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}
