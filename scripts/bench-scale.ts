import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startPostgresServer } from '../tests/helpers/postgres-server';
import { benchScaleCopies } from './bench-scale-copies';
import { benchScaleCrawl } from './bench-scale-crawl';
import { startCluster, CLUSTER_SESSION_SECRET, type TCluster } from './lib/cluster';
import { processCpuSeconds, processTree } from './lib/proc-cpu';
import { assertBuilt, createCookieClient, percentile, startNextServer, type TNextServer } from './lib/next-server';

// npm run bench:scale -- --copies 10|100: docs search at ten or a hundred times the Paste corpus beside ×1
// (scripts/bench-scale-copies.ts). `npm run bench:scale -- --crawl [--copies 10]`: the same corpus crawled from a
// static site it was built into, the server's memory at the end of the crawl and after a restart
// (scripts/bench-scale-crawl.ts). Without --copies or --crawl:
// npm run bench:scale — many instances on one Postgres, against `next start` of the production build
// (`npm run build` first). For 1, 2 and 3 instances on Postgres (behind a round-robin proxy) and 1 PGlite
// instance, with 200 sessions:
//   - POST message: requests/s and p95 latency of 200 messages sent at once (wait: false);
//   - event-stream delivery: p95 of the time from the model server writing a piece of text to a reader's
//     stream receiving it, readers connected through the proxy (so, with several instances, mostly on another
//     instance than the one executing the run);
// then, on 2 Postgres instances, cross-instance delivery p50/p95 (runs executed on A, every reader on B), and
// the CPU of 1,500 idle open streams on one instance once every request for them has been answered, with /api/health
// latency while they are open (`npm run bench` measures the same with the default stream caps: scripts/bench-idle-streams.ts).
// The model is a Chat Completions server on 127.0.0.1 that stamps each piece of text with the time it was sent.

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const IDLE_STREAMS = Number(process.env.BENCH_IDLE_STREAMS ?? 1500);
const PIECES = 8;
const PIECE_MS = 40;

type TRow = { setup: string; postRps: number; postP95: number; deliveryP50: number; deliveryP95: number; answered: number; total?: number };

/** A streaming Chat Completions server: each answer is PIECES pieces "[t=<ms since epoch>]", PIECE_MS apart. */
async function startStampingModel(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: object, finish: string | null = null) =>
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'stamp', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      let sent = 0;
      const timer = setInterval(() => {
        if (sent === PIECES) {
          clearInterval(timer);
          chunk({}, 'stop');
          res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'stamp', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
          res.end('data: [DONE]\n\n');
          return;
        }
        chunk(sent === 0 ? { role: 'assistant', content: `[t=${Date.now()}] ` } : { content: `[t=${Date.now()}] ` });
        sent += 1;
      }, PIECE_MS);
      res.on('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** Reads a run's event stream; records for each stamped piece how long after its stamp it arrived. */
async function followRun(url: string, cookie: string, delays: number[], signal?: AbortSignal): Promise<boolean> {
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) return false;
  const decoder = new TextDecoder();
  let buffer = '';
  let isCompleted = false;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const now = Date.now();
    buffer += decoder.decode(chunk, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      if (event.includes('event: thread.message.delta')) {
        for (const match of event.matchAll(/\[t=(\d+)\]/g)) delays.push(now - Number(match[1]));
      }
      if (event.includes('event: thread.run.completed')) isCompleted = true;
    }
  }
  return isCompleted;
}

async function measure(
  setup: string,
  baseUrls: string[],
  { readerUrls = baseUrls, isWaiting = false, sessions = SESSIONS }: { readerUrls?: string[]; isWaiting?: boolean; sessions?: number } = {},
): Promise<TRow> {
  const clients = Array.from({ length: sessions }, (_, index) => createCookieClient(baseUrls[index % baseUrls.length] as string));
  const threads = await Promise.all(clients.map(async (client) => (await client.call('/api/paste-assistant-thread', { json: {} })).body.id as string));
  const postMs: number[] = [];
  const delays: number[] = [];
  let answered = 0;
  const startedAt = performance.now();
  await Promise.all(
    clients.map(async (client, index) => {
      const threadId = threads[index] as string;
      const before = performance.now();
      if (isWaiting) {
        // Executed where it is sent (A); the reader follows on another instance (B) from the start.
        const readerUrl = readerUrls[index % readerUrls.length] as string;
        const sending = client.call('/api/paste-assistant-message', { json: { threadId, message: `Question ${index}` } });
        const runId = await waitForRunId(baseUrls[0] as string, client.cookie(), threadId);
        const followed = followRun(`${readerUrl}/api/paste-assistant-thread/${threadId}/run/${runId}/events`, client.cookie(), delays);
        await sending;
        postMs.push(performance.now() - before);
        if (await followed) answered += 1;
        return;
      }
      const sent = await client.call('/api/paste-assistant-message', { json: { threadId, message: `Question ${index}`, wait: false } });
      postMs.push(performance.now() - before);
      const readerUrl = readerUrls[(index + 1) % readerUrls.length] as string;
      if (await followRun(`${readerUrl}/api/paste-assistant-thread/${threadId}/run/${sent.body.run.id}/events`, client.cookie(), delays)) answered += 1;
    }),
  );
  const elapsedS = (performance.now() - startedAt) / 1000;
  return {
    setup,
    postRps: isWaiting ? NaN : sessions / Math.max(elapsedS, 0.001),
    postP95: percentile(postMs, 95),
    deliveryP50: percentile(delays, 50),
    deliveryP95: percentile(delays, 95),
    answered,
    total: sessions,
  };
}

async function waitForRunId(url: string, cookie: string, threadId: string): Promise<string> {
  for (;;) {
    const response = await fetch(`${url}/api/paste-assistant-thread/${threadId}/runs`, { headers: { cookie } });
    const body = (await response.json()) as { data: { id: string }[] };
    if (body.data[0]) return body.data[0].id;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Requests/s of POST alone: 200 messages at once, each to its own session's thread, timed to the last answer. */
async function measurePosts(baseUrl: string): Promise<{ rps: number; p95: number }> {
  const clients = Array.from({ length: SESSIONS }, () => createCookieClient(baseUrl));
  const threads = await Promise.all(clients.map(async (client) => (await client.call('/api/paste-assistant-thread', { json: {} })).body.id as string));
  const latencies: number[] = [];
  const startedAt = performance.now();
  await Promise.all(
    clients.map(async (client, index) => {
      const before = performance.now();
      await client.call('/api/paste-assistant-message', { json: { threadId: threads[index], message: `Post ${index}`, wait: false } });
      latencies.push(performance.now() - before);
    }),
  );
  return { rps: SESSIONS / ((performance.now() - startedAt) / 1000), p95: percentile(latencies, 95) };
}

function cpuSeconds(pid: number): number {
  return processCpuSeconds(pid) ?? 0;
}

async function healthLatency(url: string, count = 20): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const before = performance.now();
    await fetch(`${url}/api/health`);
    times.push(performance.now() - before);
  }
  return percentile(times, 95);
}

async function idleStreams(
  instance: TNextServer,
): Promise<{ cpuPercent: number; baselinePercent: number; healthIdleP95: number; healthLoadedP95: number; opened: number; openingMs: number }> {
  // Streams on runs held in progress: the model server answers these only when the bench ends.
  const healthIdleP95 = await healthLatency(instance.url);
  const runsNeeded = Math.ceil(IDLE_STREAMS / 10);
  const controller = new AbortController();
  const clients = Array.from({ length: runsNeeded }, () => createCookieClient(instance.url));
  const runs: { threadId: string; runId: string; cookie: string }[] = [];
  for (const client of clients) {
    const threadId = (await client.call('/api/paste-assistant-thread', { json: {} })).body.id as string;
    const runId = (await client.call('/api/paste-assistant-message', { json: { threadId, message: 'hold', wait: false } })).body.run.id as string;
    runs.push({ threadId, runId, cookie: client.cookie() });
  }
  // The same instance with the same runs in progress and no stream open: what the streams add is the difference.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const baselinePids = processTree(instance.process.pid!);
  const baselineBefore = baselinePids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const baselinePercent = ((baselinePids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - baselineBefore) / 10) * 100;
  let opened = 0;
  // Requests answered (open or refused) or failed: the streams wait only once every request has had its answer.
  // Measured from the last request sent, the window took in the tail of the opening on a busy machine (each request
  // costs the server milliseconds of CPU; 1,500 of them took it tens of seconds): 17–21% of a core instead of ~2%.
  let settled = 0;
  const openedAt = performance.now();
  const readers: Promise<unknown>[] = [];
  for (let index = 0; index < IDLE_STREAMS; index += 1) {
    const run = runs[index % runs.length]!;
    let isAnswered = false;
    const response = fetch(`${instance.url}/api/paste-assistant-thread/${run.threadId}/run/${run.runId}/events`, {
      headers: { cookie: run.cookie, accept: 'text/event-stream' },
      signal: controller.signal,
    }).then(async (answer) => {
      isAnswered = true;
      settled += 1;
      if (answer.ok) opened += 1;
      for await (const _chunk of answer.body as unknown as AsyncIterable<Uint8Array>) {
        // Idle: nothing to read but heartbeats.
      }
    });
    readers.push(
      response.catch(() => {
        // A connection that failed before its answer is settled too (not opened).
        if (!isAnswered) settled += 1;
      }),
    );
    if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  while (settled < IDLE_STREAMS) await new Promise((resolve) => setTimeout(resolve, 100));
  const openingMs = performance.now() - openedAt;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const pids = processTree(instance.process.pid!);
  const before = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const windowMs = 10_000;
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const healthLoadedP95 = await healthLatency(instance.url);
  controller.abort();
  await Promise.all(readers);
  return { cpuPercent: ((after - before) / (windowMs / 1000)) * 100, baselinePercent, healthIdleP95, healthLoadedP95, opened, openingMs };
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : '–');

async function main() {
  const { values } = parseArgs({ options: { copies: { type: 'string' }, rounds: { type: 'string', default: '2' }, crawl: { type: 'boolean', default: false } } });
  if (values.crawl) {
    const copies = Number(values.copies ?? 10);
    if (!Number.isInteger(copies) || copies < 1) throw new Error(`--copies takes a whole number of copies (10, 100), not ${values.copies}`);
    console.log(await benchScaleCrawl({ copies, rounds: Number(values.rounds) }));
    return;
  }
  if (values.copies !== undefined) {
    const copies = Number(values.copies);
    if (!Number.isInteger(copies) || copies < 1) throw new Error(`--copies takes a whole number of copies (10, 100), not ${values.copies}`);
    console.log(await benchScaleCopies({ copies, rounds: Number(values.rounds) }));
    return;
  }
  assertBuilt();
  const model = await startStampingModel();
  const postgres = await startPostgresServer();
  const modelEnv = { OPENAI_BASE_URL: model.url, OPENAI_API_STYLE: 'chat', OPENAI_MODEL: 'stamp', MESSAGE_WAIT_SECONDS: '60' };
  const rows: TRow[] = [];
  const printRow = (row: TRow) =>
    console.log(`| ${row.setup} | ${Number.isFinite(row.postRps) ? row.postRps.toFixed(0) : '–'} | ${ms(row.postP95)} | ${ms(row.deliveryP50)} | ${ms(row.deliveryP95)} | ${row.answered}/${row.total ?? SESSIONS} |`);
  console.log(`\nbench:scale — ${SESSIONS} sessions, answers of ${PIECES} stamped pieces ${PIECE_MS} ms apart\n`);
  console.log('| setup | POST message req/s | POST p95 | stream delivery p50 | stream delivery p95 | answered |');
  console.log('|---|---|---|---|---|---|');
  const streamLimits = { EVENT_STREAMS_PER_SESSION: '100000', EVENT_STREAMS_PER_IP: '100000' };
  try {
    const only = process.env.BENCH_ONLY;
    for (const count of only === 'idle' ? [] : only === 'cross' ? [2] : [1, 2, 3]) {
      const cluster: TCluster = await startCluster({ count, postgres, env: { ...modelEnv, ...streamLimits } });
      try {
        const posts = await measurePosts(cluster.url);
        const row = await measure(`postgres × ${count}`, [cluster.url]);
        rows.push({ ...row, postRps: posts.rps, postP95: posts.p95 });
        printRow(rows.at(-1)!);
        if (count === 2) {
          const [a, b] = cluster.instances as [TNextServer, TNextServer];
          // Latency alone: one run at a time, executed on A, read on B.
          const single: number[] = [];
          for (let index = 0; index < 20; index += 1) {
            const client = createCookieClient(a.url);
            const threadId = (await client.call('/api/paste-assistant-thread', { json: {} })).body.id as string;
            const sending = client.call('/api/paste-assistant-message', { json: { threadId, message: `One ${index}` } });
            const runId = await waitForRunId(a.url, client.cookie(), threadId);
            await Promise.all([followRun(`${b.url}/api/paste-assistant-thread/${threadId}/run/${runId}/events`, client.cookie(), single), sending]);
          }
          const one: TRow = { setup: 'cross-instance, one run at a time', postRps: NaN, postP95: NaN, deliveryP50: percentile(single, 50), deliveryP95: percentile(single, 95), answered: 20, total: 20 };
          rows.push(one);
          printRow(one);
          // The same with fewer runs at once: how delivery grows with load on two shared cores.
          for (const sessions of [20, 50, SESSIONS]) {
            const cross = await measure(`cross-instance (run on A, reader on B), ${sessions} at once`, [a.url], { readerUrls: [b.url], isWaiting: true, sessions });
            rows.push(cross);
            printRow(cross);
          }
        }
      } finally {
        await cluster.stop();
      }
    }
    const pglite = only ? undefined : await startNextServer({ env: { ...modelEnv, ...streamLimits, SESSION_SECRET: CLUSTER_SESSION_SECRET, DATABASE_URL: '', SUPABASE_URL: '', SLACK_BOT_TOKEN: '', SLACK_CHANNEL_ID: '', SLACK_API_URL: '', MODERATION: 'off', RATE_LIMIT_BURST: '1000000', RATE_LIMIT_IP_BURST: '1000000', RATE_LIMIT_MESSAGES_PER_HOUR: '1000000', RATE_LIMIT_IP_MESSAGES_PER_HOUR: '1000000' } });
    if (pglite) {
      try {
        const posts = await measurePosts(pglite.url);
        const row = await measure('pglite × 1', [pglite.url]);
        rows.push({ ...row, postRps: posts.rps, postP95: posts.p95 });
        printRow(rows.at(-1)!);
      } finally {
        await pglite.stop();
      }
    }
    if (only === 'cross') return;

    // Idle streams: one Postgres instance whose model never answers while they are open.
    const holding = http.createServer(() => {
      // Never answers: runs stay in progress.
    });
    await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
    const holdUrl = `http://127.0.0.1:${(holding.address() as AddressInfo).port}/v1`;
    const cluster = await startCluster({ count: 1, postgres, env: { ...modelEnv, ...streamLimits, OPENAI_BASE_URL: holdUrl, MODEL_TIMEOUT_SECONDS: '600', OPENAI_TIMEOUT_MS: '600000' } });
    try {
      const idle = await idleStreams(cluster.instances[0]!);
      console.log(
        `\nidle streams: ${idle.opened} of ${IDLE_STREAMS} open on one instance (${Math.ceil(IDLE_STREAMS / 10)} runs in progress; every request answered ${(idle.openingMs / 1000).toFixed(1)} s after the first was sent): ${idle.cpuPercent.toFixed(1)}% of a core ` +
          `(${idle.baselinePercent.toFixed(1)}% with the same runs and no stream open); ` +
          `/api/health p95 ${ms(idle.healthIdleP95)} before, ${ms(idle.healthLoadedP95)} with them open`,
      );
    } finally {
      holding.closeAllConnections();
      holding.close();
      await cluster.stop();
    }
  } finally {
    await model.close();
    postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
