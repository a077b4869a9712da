import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JUDGE_INSTRUCTIONS_START } from './eval-judge';

// A model server for benches, on 127.0.0.1, speaking the Chat Completions streaming protocol as a real model
// does, at a pace set by the bench: it waits `ttftMs` before the first token, then sends `tokensPerSecond`.
// A run's first request (the reader's question) gets a docs-search tool call; the request carrying the tool's
// output gets an answer of `answerTokens` words citing the first section found. It records, for every
// request, when it arrived, when its first token left and when its last did (performance.now() of this
// process), so that the bench can subtract the model's own time from what a reader waited.
// A request whose instructions are `npm run eval --judge`'s (scripts/lib/eval-judge.ts) gets a fixed verdict that
// says it comes from this fake: it shows the judge's plumbing, not an opinion.

/** `port`: where to listen on 127.0.0.1 (default: a free port). */
export type TFakeModelOptions = { ttftMs: number; tokensPerSecond: number; answerTokens: number; port?: number };

export type TModelRequestTiming = {
  /** The reader's question (the last user message), which identifies the conversation. */
  question: string;
  kind: 'tool_call' | 'answer' | 'title' | 'judge';
  receivedAt: number;
  firstTokenAt: number;
  doneAt: number;
};

export type TFakeModelServer = {
  url: string;
  timings: TModelRequestTiming[];
  close(): Promise<void>;
};

type TMessage = { role: string; content: string | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeModelServer(options: TFakeModelOptions): Promise<TFakeModelServer> {
  const timings: TModelRequestTiming[] = [];
  const tokenMs = 1000 / options.tokensPerSecond;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const receivedAt = performance.now();
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: TMessage[]; tools?: unknown[]; stream?: boolean };
        const messages = body.messages;
        const last = messages[messages.length - 1] as TMessage;
        const question = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
        const isJudge = messages[0]?.role === 'system' && (messages[0].content ?? '').startsWith(JUDGE_INSTRUCTIONS_START);
        const kind: TModelRequestTiming['kind'] = isJudge ? 'judge' : !body.tools ? 'title' : last.role === 'user' ? 'tool_call' : 'answer';
        const base = { id: `chatcmpl-${timings.length}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'bench-model' };
        const deltas: unknown[] = [];
        if (kind === 'tool_call') {
          const args = JSON.stringify({ prompt: question });
          const pieces = args.match(/.{1,12}/g) ?? [args];
          deltas.push({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${timings.length}`, type: 'function', function: { name: 'get_relevant_docs', arguments: '' } }] });
          for (const piece of pieces) deltas.push({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
        } else {
          for (const word of answerWords(kind, last, options.answerTokens)) deltas.push({ content: word });
        }
        const finishReason = kind === 'tool_call' ? 'tool_calls' : 'stop';
        const timing: TModelRequestTiming = { question, kind, receivedAt, firstTokenAt: NaN, doneAt: NaN };
        timings.push(timing);
        if (!body.stream) {
          await sleep(options.ttftMs + tokenMs * deltas.length);
          timing.firstTokenAt = timing.doneAt = performance.now();
          const content = deltas.map((delta) => (delta as { content?: string }).content ?? '').join('');
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
          return;
        }
        // The status and headers leave as the request is accepted, as a streaming API's do (Node would hold them
        // until the first write): the client has its response, and waits only for tokens.
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        res.socket?.setNoDelay(true);
        const started = performance.now();
        await sleep(options.ttftMs);
        // OpenAI's first chunk of an answer names the role with empty content; here it leaves with the first token.
        if (kind !== 'tool_call') res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
        for (let index = 0; index < deltas.length; index += 1) {
          // Paced from the start, so that timer drift does not accumulate.
          const due = started + options.ttftMs + index * tokenMs;
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: deltas[index], finish_reason: null }] })}\n\n`);
          if (index === 0) timing.firstTokenAt = performance.now();
        }
        res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 200, completion_tokens: deltas.length, total_tokens: 200 + deltas.length } })}\n\n`);
        res.end('data: [DONE]\n\n');
        timing.doneAt = performance.now();
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    timings,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answerWords(kind: TModelRequestTiming['kind'], last: TMessage, count: number): string[] {
  if (kind === 'title') return ['Bench', ' conversation'];
  if (kind === 'judge') return [JSON.stringify({ verdict: 'partly', unsupported: [], reason: 'a fake model: it read nothing, this verdict only shows the plumbing' })];
  let link = '';
  try {
    const first = (JSON.parse(last.content ?? '{}') as { results?: { heading: string; url: string }[] }).results?.[0];
    if (first) link = ` See [${first.heading}](${first.url}).`;
  } catch {
    // No results: the answer has no link.
  }
  const words = Array.from({ length: Math.max(1, count - 1) }, (_, index) => `${index === 0 ? 'Answer' : ' word'}${index}`);
  words.push(`${link || ' Done'}.`);
  return words;
}
