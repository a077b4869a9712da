import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A small Chat Completions server on 127.0.0.1 (a real socket, not msw), behaving like a local model that
// uses tools: it searches the docs for the reader's question, then answers citing the first section found.
// Title requests (no tools) get a title. `Bearer rejected-key` gets a 401 as OpenAI sends it.

export type TChatServer = {
  url: string;
  requests: { path: string; authorization: string | undefined; body: any }[];
  close(): Promise<void>;
};

export async function startChatServer(): Promise<TChatServer> {
  const requests: TChatServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
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
      send(200, complete(body));
    });
  });
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

type TMessage = { role: string; content: string | null; tool_calls?: unknown[] };

function complete(body: { model: string; messages: TMessage[]; tools?: unknown[] }) {
  const last = body.messages[body.messages.length - 1] as TMessage;
  let message: Record<string, unknown>;
  let finishReason = 'stop';
  if (!body.tools) {
    message = { role: 'assistant', content: 'Creating a Slack bot token.' };
  } else if (last.role === 'user') {
    finishReason = 'tool_calls';
    message = {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: `call_${body.messages.length}`, type: 'function', function: { name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: last.content }) } },
      ],
    };
  } else {
    const results = (JSON.parse(last.content ?? '{}') as { results?: { title: string; heading: string; url: string }[] }).results ?? [];
    const first = results[0];
    message = {
      role: 'assistant',
      content: first ? `The docs explain this in [${first.heading}](${first.url}).` : 'The docs do not cover that; ask the maintainers.',
    };
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
