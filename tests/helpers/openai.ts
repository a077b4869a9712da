import { delay, http, HttpResponse, type JsonBodyType } from 'msw';

// Model servers as msw handlers: the Responses API and Chat Completions, each answering from a script, one
// reply per request, and recording every request body and its headers. Both "dialects" expose the same
// builders so that one test suite can run against either adapter.

export type TCall = { call_id: string; name: string; arguments: string };
export type TUsageIn = { prompt: number; completion: number };

export type TReply =
  | { kind: 'answer'; text: string; usage?: TUsageIn }
  | { kind: 'tool_calls'; calls: TCall[]; usage?: TUsageIn }
  | { kind: 'status'; status: number; body?: JsonBodyType; headers?: Record<string, string> }
  | { kind: 'hang'; ms: number };

export type TRecorded = { body: any; headers: Headers };

/** What a request sent, normalised across dialects: [{type:'message'|'function_call'|'function_call_output', …}]. */
export type TNormalizedItem =
  | { type: 'message'; role: string; content: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

export type TDialect = {
  name: 'responses' | 'chat';
  url: string;
  env: Record<string, string>;
  model: string;
  build(reply: Extract<TReply, { kind: 'answer' | 'tool_calls' }>): JsonBodyType;
  /** The conversation items of a recorded request (without instructions / system message). */
  items(body: any): TNormalizedItem[];
  instructions(body: any): string;
};

const FAST_RETRIES = { OPENAI_MAX_RETRIES: '2', OPENAI_RETRY_BASE_MS: '1', OPENAI_TIMEOUT_MS: '3000' };

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${(counter += 1).toString().padStart(4, '0')}`;

function usageOf(reply: { usage?: TUsageIn }) {
  const usage = reply.usage ?? { prompt: 100, completion: 20 };
  return { ...usage, total: usage.prompt + usage.completion };
}

export const responsesDialect: TDialect = {
  name: 'responses',
  url: 'https://api.openai.com/v1/responses',
  env: { OPENAI_API_KEY: 'sk-test-key', ...FAST_RETRIES },
  model: 'gpt-5.4-mini',
  build(reply) {
    const usage = usageOf(reply);
    const output =
      reply.kind === 'answer'
        ? [
            {
              type: 'message',
              id: nextId('msg'),
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: reply.text, annotations: [] }],
            },
          ]
        : reply.calls.map((call) => ({ type: 'function_call', id: nextId('fc'), status: 'completed', ...call }));
    return {
      id: nextId('resp'),
      object: 'response',
      created_at: 1_790_000_000,
      status: 'completed',
      model: 'gpt-5.4-mini-2026-03-17',
      output,
      error: null,
      incomplete_details: null,
      usage: {
        input_tokens: usage.prompt,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.completion,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.total,
      },
    };
  },
  items(body) {
    return (body.input as any[]).map((item) =>
      item.type === 'message' ? { type: 'message', role: item.role, content: item.content } : item,
    );
  },
  instructions: (body) => body.instructions,
};

export const chatDialect: TDialect = {
  name: 'chat',
  url: 'http://models.test:11434/v1/chat/completions',
  env: { OPENAI_BASE_URL: 'http://models.test:11434/v1', OPENAI_MODEL: 'llama3.2', ...FAST_RETRIES },
  model: 'llama3.2',
  build(reply) {
    const usage = usageOf(reply);
    const message =
      reply.kind === 'answer'
        ? { role: 'assistant', content: reply.text }
        : {
            role: 'assistant',
            content: null,
            tool_calls: reply.calls.map((call) => ({
              id: call.call_id,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          };
    return {
      id: nextId('chatcmpl'),
      object: 'chat.completion',
      created: 1_790_000_000,
      model: 'llama3.2',
      choices: [{ index: 0, message, finish_reason: reply.kind === 'answer' ? 'stop' : 'tool_calls' }],
      usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.total },
    };
  },
  items(body) {
    const items: TNormalizedItem[] = [];
    for (const message of (body.messages as any[]).slice(1)) {
      if (message.role === 'tool') items.push({ type: 'function_call_output', call_id: message.tool_call_id, output: message.content });
      else if (message.tool_calls) {
        for (const call of message.tool_calls) {
          items.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
      } else items.push({ type: 'message', role: message.role, content: message.content });
    }
    return items;
  },
  instructions: (body) => body.messages[0].content,
};

/**
 * An msw handler answering `replies` in order (the last one repeats). A function reply sees the request body.
 */
export function scriptModel(dialect: TDialect, replies: (TReply | ((body: any) => TReply))[]) {
  const requests: TRecorded[] = [];
  const handler = http.post(dialect.url, async ({ request }) => {
    const body = await request.json();
    requests.push({ body, headers: request.headers });
    const next = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (!next) throw new Error('script has no replies');
    const reply = typeof next === 'function' ? next(body) : next;
    if (reply.kind === 'hang') {
      await delay(reply.ms);
      return HttpResponse.json(dialect.build({ kind: 'answer', text: 'too late' }));
    }
    if (reply.kind === 'status') {
      return HttpResponse.json(reply.body ?? { error: { message: 'error', type: 'server_error', code: null } }, {
        status: reply.status,
        headers: reply.headers,
      });
    }
    return HttpResponse.json(dialect.build(reply));
  });
  return { handler, requests };
}

export const answer = (text: string, usage?: TUsageIn): TReply => ({ kind: 'answer', text, usage });
export const toolCalls = (...calls: TCall[]): TReply => ({ kind: 'tool_calls', calls });
export const docsCall = (prompt: string, callId: string): TCall => ({
  call_id: callId,
  name: 'get_relevant_docs',
  arguments: JSON.stringify({ prompt }),
});
export const failWith = (status: number, body?: JsonBodyType, headers?: Record<string, string>): TReply => ({
  kind: 'status',
  status,
  body,
  headers,
});
