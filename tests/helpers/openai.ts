import { delay, http, HttpResponse, type JsonBodyType } from 'msw';

// Model servers as msw handlers: the Responses API and Chat Completions, each answering from a script, one
// reply per request, and recording every request body and its headers. Both "dialects" expose the same
// builders so that one test suite can run against either adapter. A request with `stream: true` (every run
// step) is answered with the dialect's server-sent events, the text cut into pieces; others with JSON.

export type TCall = { call_id: string; name: string; arguments: string };
export type TUsageIn = { prompt: number; completion: number };

export type TReply =
  | { kind: 'answer'; text: string; usage?: TUsageIn }
  | { kind: 'tool_calls'; calls: TCall[]; usage?: TUsageIn }
  | { kind: 'status'; status: number; body?: JsonBodyType; headers?: Record<string, string> }
  | { kind: 'hang'; ms: number }
  /** Streams `text` in pieces, then goes quiet without finishing (until the client gives up). */
  | { kind: 'stall'; text: string }
  /** Streams `text` in pieces, then closes the connection without finishing. */
  | { kind: 'cut'; text: string };

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
  /** The reply as the dialect's stream: one JSON object per server-sent event (`event` names it, if the dialect does). */
  events(reply: Extract<TReply, { kind: 'answer' | 'tool_calls' }>): TStreamEvent[];
  /** The first events of an answer, without the ones that finish it. */
  partialEvents(text: string): TStreamEvent[];
  /** The conversation items of a recorded request (without instructions / system message). */
  items(body: any): TNormalizedItem[];
  instructions(body: any): string;
};

const FAST_RETRIES = { OPENAI_MAX_RETRIES: '2', OPENAI_RETRY_BASE_MS: '1', OPENAI_TIMEOUT_MS: '3000' };

export type TStreamEvent = { event?: string; data: unknown };

/** Cuts text into pieces of about `size` characters, as a model streams tokens. */
export function pieces(text: string, size = 6): string[] {
  const out: string[] = [];
  for (let index = 0; index < text.length; index += size) out.push(text.slice(index, index + size));
  return out;
}

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
  events(reply) {
    const final = this.build(reply) as any;
    const events: TStreamEvent[] = [{ event: 'response.created', data: { type: 'response.created', response: { ...final, status: 'in_progress', output: [], usage: null } } }];
    final.output.forEach((item: any, outputIndex: number) => {
      if (item.type === 'message') {
        const text = item.content[0].text as string;
        for (const delta of pieces(text)) {
          events.push({
            event: 'response.output_text.delta',
            data: { type: 'response.output_text.delta', item_id: item.id, output_index: outputIndex, content_index: 0, delta, logprobs: [] },
          });
        }
      } else {
        events.push({ event: 'response.output_item.added', data: { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, arguments: '' } } });
        for (const delta of pieces(item.arguments, 5)) {
          events.push({
            event: 'response.function_call_arguments.delta',
            data: { type: 'response.function_call_arguments.delta', item_id: item.id, output_index: outputIndex, delta },
          });
        }
        events.push({
          event: 'response.function_call_arguments.done',
          data: { type: 'response.function_call_arguments.done', item_id: item.id, output_index: outputIndex, name: item.name, arguments: item.arguments },
        });
      }
      events.push({ event: 'response.output_item.done', data: { type: 'response.output_item.done', output_index: outputIndex, item } });
    });
    events.push({ event: 'response.completed', data: { type: 'response.completed', response: final } });
    return events;
  },
  partialEvents(text) {
    return this.events({ kind: 'answer', text }).filter((event) => event.event === 'response.output_text.delta');
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
  events(reply) {
    const final = this.build(reply) as any;
    const base = { id: final.id, object: 'chat.completion.chunk', created: final.created, model: final.model };
    const chunk = (delta: unknown, finishReason: string | null = null) => ({
      data: { ...base, choices: [{ index: 0, delta, finish_reason: finishReason }] },
    });
    const events: TStreamEvent[] = [chunk({ role: 'assistant', content: '' })];
    const message = final.choices[0].message;
    if (reply.kind === 'answer') {
      for (const delta of pieces(message.content)) events.push(chunk({ content: delta }));
    } else {
      message.tool_calls.forEach((call: any, index: number) => {
        events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
        for (const delta of pieces(call.function.arguments, 5)) events.push(chunk({ tool_calls: [{ index, function: { arguments: delta } }] }));
      });
    }
    events.push(chunk({}, final.choices[0].finish_reason));
    events.push({ data: { ...base, choices: [], usage: final.usage } });
    return events;
  },
  partialEvents(text) {
    return this.events({ kind: 'answer', text }).slice(0, -2);
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

const encoder = new TextEncoder();

/** Server-sent events as a response body; Chat Completions ends with `data: [DONE]`. */
export function sseResponse(
  events: TStreamEvent[],
  { isDone = true, gapMs = 0, isStalled = false }: { isDone?: boolean; gapMs?: number; isStalled?: boolean } = {},
) {
  const frames = events.map((event) => `${event.event ? `event: ${event.event}\n` : ''}data: ${JSON.stringify(event.data)}\n\n`);
  if (isDone) frames.push('data: [DONE]\n\n');
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const frame of frames) {
        if (cancelled) return;
        controller.enqueue(encoder.encode(frame));
        if (gapMs > 0) await delay(gapMs);
      }
      if (isStalled) return;
      controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}

/**
 * An msw handler answering `replies` in order (the last one repeats). A function reply sees the request body.
 */
export function scriptModel(dialect: TDialect, replies: (TReply | ((body: any) => TReply))[], { gapMs = 0 }: { gapMs?: number } = {}) {
  const requests: TRecorded[] = [];
  const handler = http.post(dialect.url, async ({ request }) => {
    const body = await request.json();
    requests.push({ body, headers: request.headers });
    const next = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (!next) throw new Error('script has no replies');
    const reply = typeof next === 'function' ? next(body) : next;
    const isStream = (body as { stream?: boolean }).stream === true;
    if (reply.kind === 'hang') {
      await delay(reply.ms);
      const late = { kind: 'answer' as const, text: 'too late' };
      return isStream ? sseResponse(dialect.events(late)) : HttpResponse.json(dialect.build(late));
    }
    if (reply.kind === 'status') {
      return HttpResponse.json(reply.body ?? { error: { message: 'error', type: 'server_error', code: null } }, {
        status: reply.status,
        headers: reply.headers,
      });
    }
    if (reply.kind === 'stall') return sseResponse(dialect.partialEvents(reply.text), { isDone: false, isStalled: true, gapMs });
    if (reply.kind === 'cut') return sseResponse(dialect.partialEvents(reply.text), { isDone: false, gapMs });
    return isStream ? sseResponse(dialect.events(reply), { gapMs }) : HttpResponse.json(dialect.build(reply));
  });
  return { handler, requests };
}

/**
 * OpenAI's embeddings endpoint for an account without access to the embeddings model. With OPENAI_API_KEY set (the
 * Responses dialect) the app embeds the docs at start and every search query: a test of the model, not of hybrid
 * search, serves this so that search runs on full text (the documented fallback) and msw sees no unhandled request.
 */
export const embeddingsWithoutAccess = http.post('https://api.openai.com/v1/embeddings', () =>
  HttpResponse.json(
    { error: { message: 'The model `text-embedding-3-small` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' } },
    { status: 404 },
  ),
);

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
