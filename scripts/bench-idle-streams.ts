import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { processCpuSeconds, processTree } from './lib/proc-cpu';
import { createCookieClient, percentile, startNextServer, type TNextServer } from './lib/next-server';

// What many open event streams cost a server while they wait (issue 67: 1,500 streams, 0.02 of a core when first
// measured). Against `next start` of the production build (PGlite, the default stream caps: 10 per session, 300 per
// address), 30 readers each have a run in progress (its model request held by the local model server below) and each
// asks for 50 streams of it: 300 are open, 1,200 refused with 429 by the per-session cap. The figures:
//   - opening: how long until every one of the 1,500 requests had its answer (asked 100 at a time, each hundred once
//     the one before was answered, so that no connection waits in a full listen queue), and the server's CPU per request;
//   - the server's CPU over 10 s while the 300 streams wait (from 3 s after the last answer), beside the same
//     server with the same runs in progress and no stream open; the budget is 5% of a core;
//   - /api/health p95 with the streams open, and a new reader's question answered meanwhile (send → completed);
//   - heartbeats: every open stream gets its ping comment (lib/assistant/streaming/run-stream.ts, every 15 s when quiet).
// `npm run bench:idle-streams` runs it alone; `npm run bench` has it as a section.

const READERS = 30;
const STREAMS_PER_READER = 50;
const WAVE = 100;
const WINDOW_MS = 10_000;
const SETTLE_MS = 3000;
/** The most a server may spend on open streams that wait (issue 67). */
const IDLE_BUDGET_PERCENT = 5;
/** A question holding this word gets its answer at once; every other one is held until the bench ends. */
const ANSWER_NOW = 'answer-now';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Chat Completions server that holds every request (its runs stay in progress), but answers ANSWER_NOW's at once. */
async function startHoldingModel(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!Buffer.concat(chunks).toString('utf8').includes(ANSWER_NOW)) return;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = { id: 'chatcmpl-idle', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'bench-model' };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Answered while the streams wait.' }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** CPU seconds of the server and its child processes. */
const serverCpu = (server: TNextServer) => processTree(server.process.pid!).reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);

/** The server's CPU over `ms`, in percent of one core. */
async function cpuPercentOver(server: TNextServer, ms: number): Promise<number> {
  const before = serverCpu(server);
  await sleep(ms);
  return ((serverCpu(server) - before) / (ms / 1000)) * 100;
}

type TStream = { status: number; pings: number };

/** One stream request: its status, and (open ones) read until aborted, counting the heartbeat comments. */
function requestStream(url: string, cookie: string, signal: AbortSignal): { answered: Promise<TStream>; read: Promise<void> } {
  const stream: TStream = { status: 0, pings: 0 };
  let onAnswered: (value: TStream) => void = () => {};
  const answered = new Promise<TStream>((resolve) => (onAnswered = resolve));
  const read = (async () => {
    const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
    stream.status = response.status;
    onAnswered(stream);
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      stream.pings += decoder.decode(chunk, { stream: true }).split('\n').filter((line) => line.startsWith(': ping')).length;
    }
  })().catch((error: unknown) => {
    // Aborted at the end; any other failure before an answer is one (status 0).
    onAnswered(stream);
    if (!signal.aborted) throw error;
  });
  return { answered, read: read.catch(() => {}) };
}

export async function benchIdleStreams(): Promise<Record<string, string>> {
  const model = await startHoldingModel();
  const server = await startNextServer({
    isMigrated: true,
    env: {
      OPENAI_API_KEY: 'bench-key',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_STYLE: 'chat',
      OPENAI_MODEL: 'bench-model',
      MODEL_TIMEOUT_SECONDS: '600',
      MODERATION: 'off',
      // The burst limits lifted, so that every refusal is the stream cap's (EVENT_STREAMS_PER_* stay at their defaults).
      RATE_LIMIT_BURST: '1000000',
      RATE_LIMIT_IP_BURST: '1000000',
      RATE_LIMIT_MESSAGES_PER_HOUR: '1000000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '1000000',
    },
  });
  const controller = new AbortController();
  const reads: Promise<void>[] = [];
  try {
    const readers = await Promise.all(
      Array.from({ length: READERS }, async (_, index) => {
        const client = createCookieClient(server.url);
        const threadId = (await client.call('/api/paste-assistant-thread', { json: {} })).body.id as string;
        const run = (await client.call('/api/paste-assistant-message', { json: { threadId, message: `Hold question ${index}`, wait: false } })).body.run;
        return { cookie: client.cookie(), url: `${server.url}/api/paste-assistant-thread/${threadId}/run/${run.id}/events` };
      }),
    );
    await sleep(SETTLE_MS);
    const baselinePercent = await cpuPercentOver(server, WINDOW_MS);

    const streams: TStream[] = [];
    const openedAt = performance.now();
    const cpuBeforeOpening = serverCpu(server);
    for (let first = 0; first < READERS * STREAMS_PER_READER; first += WAVE) {
      const wave = Array.from({ length: WAVE }, (_, offset) => {
        const reader = readers[(first + offset) % READERS]!;
        const stream = requestStream(reader.url, reader.cookie, controller.signal);
        reads.push(stream.read);
        return stream.answered;
      });
      streams.push(...(await Promise.all(wave)));
    }
    const openingMs = performance.now() - openedAt;
    const openingCpuMs = (serverCpu(server) - cpuBeforeOpening) * 1000;
    const open = streams.filter((stream) => stream.status === 200);
    const refused = streams.filter((stream) => stream.status === 429).length;
    const other = streams.length - open.length - refused;
    if (other > 0) throw new Error(`${other} of ${streams.length} stream requests got neither 200 nor 429`);

    await sleep(SETTLE_MS);
    const idlePercent = await cpuPercentOver(server, WINDOW_MS);
    const health: number[] = [];
    for (let index = 0; index < 20; index += 1) {
      const started = performance.now();
      await (await fetch(`${server.url}/api/health`)).text();
      health.push(performance.now() - started);
    }
    const newReader = createCookieClient(server.url);
    const threadId = (await newReader.call('/api/paste-assistant-thread', { json: {} })).body.id as string;
    const sent = performance.now();
    const { run } = (await newReader.call('/api/paste-assistant-message', { json: { threadId, message: `A new reader (${ANSWER_NOW})` } })).body;
    const answeredMs = performance.now() - sent;
    if (run.status !== 'completed') throw new Error(`the new reader's run ended ${run.status}`);
    // Every open stream has been quiet since it opened: each gets a ping within the heartbeat period.
    const pingDeadline = Date.now() + 30_000;
    while (open.some((stream) => stream.pings === 0) && Date.now() < pingDeadline) await sleep(250);
    const pinged = open.filter((stream) => stream.pings > 0).length;

    return {
      'stream requests': `${streams.length.toLocaleString('en')} on ${READERS} runs in progress: ${open.length} open, ${refused.toLocaleString('en')} refused with 429 (the per-session cap)`,
      'opening (100 at a time)': `every request answered in ${(openingMs / 1000).toFixed(1)} s; server CPU ${(openingCpuMs / streams.length).toFixed(2)} ms per request`,
      'server CPU while they wait (10 s)': `${idlePercent.toFixed(1)}% of a core (${baselinePercent.toFixed(1)}% with the same runs and no stream) | budget < ${IDLE_BUDGET_PERCENT}%${idlePercent >= IDLE_BUDGET_PERCENT ? ' (OVER budget)' : ''}`,
      '/api/health with them open': `p95 ${Math.round(percentile(health, 95))} ms`,
      'a new reader meanwhile': `answered in ${Math.round(answeredMs)} ms (send → completed)`,
      heartbeats: `${pinged} of ${open.length} open streams got a ping`,
    };
  } finally {
    controller.abort();
    await Promise.all(reads);
    await server.stop();
    model.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchIdleStreams().then(
    (rows) => {
      for (const [key, value] of Object.entries(rows)) process.stdout.write(`${key}: ${value}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
