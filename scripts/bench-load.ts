import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { percentile, startNextServer } from './lib/next-server';

// `npm run bench:load` (after `npm run build`): `next start` on 127.0.0.1 with the offline model, under
//   - N concurrent sessions, each holding one conversation for the duration, as the browser client does:
//     a thread, then turn after turn — POST the message, poll the run every second while it is pending, read
//     the latest messages — with a pause of --think-ms (±50%) between turns, as a reader reads the answer and
//     types the next question (--think-ms=0 makes it a saturation test);
//   - docs-search traffic from autocannon at --search-rate requests a second, alongside.
// Rate limits are set generously for the server under test: this measures the app, not its 429s.
// Prints requests/s, latency percentiles per route, error counts and the runs by final status, then checks
// through the API, as a client would see it, that every run ended.
//
//   npm run bench:load -- --sessions=50 --duration=30 --think-ms=5000 --search-rate=10

type TAutocannonRequest = {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: TAutocannonRequest, context: TSession) => TAutocannonRequest;
  onResponse?: (status: number, body: string, context: TSession, headers: Record<string, string>) => void;
};
type TAutocannonResult = { errors: number; timeouts: number };
type TAutocannon = (options: Record<string, unknown>) => Promise<TAutocannonResult> & { on(event: string, listener: () => void): void };
const autocannon = createRequire(import.meta.url)('autocannon') as TAutocannon;

type TSession = { sentAt?: number; kind?: string };

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    'think-ms': { type: 'string', default: '5000' },
    'search-rate': { type: 'string', default: '10' },
  },
});
const SESSIONS = Number(args.sessions);
const DURATION_S = Number(args.duration);
const THINK_MS = Number(args['think-ms']);
const SEARCH_RATE = Number(args['search-rate']);

const QUESTIONS = [
  'How do I configure Slack?',
  'How do I send a message to a thread?',
  'What are the run limits?',
  'How do I install and run the site?',
  'Which environment variables set the model?',
  'How are sessions kept?',
  'What errors can the API return?',
  'How do I read the messages of a thread?',
  'Where is the database stored?',
  'How do I run the tests?',
];
const SEARCHES = ['slack channel', 'session secret', 'message limit', 'install', 'errors', 'model', 'storage', 'run the tests', 'threads', 'api routes'];
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'expired', 'incomplete']);

const latencies = new Map<string, number[]>();
const statuses = new Map<string, Map<number, number>>();
const runIds: { id: string; threadId: string; cookie: string }[] = [];
let socketErrors = 0;

function record(kind: string, status: number, ms: number) {
  if (!latencies.has(kind)) latencies.set(kind, []);
  latencies.get(kind)!.push(ms);
  const byStatus = statuses.get(kind) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  statuses.set(kind, byStatus);
}

const pick = <T,>(items: T[]) => items[Math.floor(Math.random() * items.length)] as T;

function started(context: TSession, kind: string) {
  context.kind = kind;
  context.sentAt = performance.now();
}

function finished(context: TSession, status: number) {
  if (context.kind && context.sentAt !== undefined) record(context.kind, status, performance.now() - context.sentAt);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One reader: a thread, then turns until the deadline. Every request is timed and counted by route. */
async function converse(url: string, deadline: number, startDelayMs: number): Promise<void> {
  let cookie = '';
  let errors = 0;
  const call = async (kind: string, method: string, route: string, json?: unknown) => {
    const sentAt = performance.now();
    try {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(60_000),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0] ?? cookie;
      const body = (await response.json()) as any;
      record(kind, response.status, performance.now() - sentAt);
      return { status: response.status, body };
    } catch {
      errors += 1;
      socketErrors += 1;
      record(kind, 0, performance.now() - sentAt);
      return { status: 0, body: undefined };
    }
  };
  await sleep(startDelayMs);
  const thread = await call('POST thread', 'POST', '/api/paste-assistant-thread');
  if (thread.status !== 200) return;
  const threadId: string = thread.body.id;
  for (let turn = 0; Date.now() < deadline && errors < 5; turn += 1) {
    const sent = await call('POST message', 'POST', '/api/paste-assistant-message', { threadId, message: `${pick(QUESTIONS)} (${turn})` });
    let run = sent.status === 200 ? (sent.body.run as { id: string; status: string }) : undefined;
    if (run) runIds.push({ id: run.id, threadId, cookie });
    while (run && !TERMINAL.has(run.status)) {
      await sleep(1000);
      const polled = await call('GET run (poll)', 'GET', `/api/paste-assistant-thread/${threadId}/run/${run.id}`);
      run = polled.status === 200 ? polled.body : undefined;
    }
    await call('GET messages', 'GET', `/api/paste-assistant-messages/${threadId}?order=desc&limit=2`);
    const pause = THINK_MS * (0.5 + Math.random());
    if (Date.now() + pause >= deadline) break;
    await sleep(pause);
  }
}

async function finalRunStatuses(url: string) {
  const byStatus = new Map<string, number>();
  const deadline = Date.now() + 60_000;
  let index = 0;
  const worker = async () => {
    while (index < runIds.length) {
      const run = runIds[index++]!;
      for (;;) {
        const response = await fetch(`${url}/api/paste-assistant-thread/${run.threadId}/run/${run.id}`, { headers: { cookie: run.cookie } });
        const body = (await response.json()) as { status?: string };
        const status = body.status ?? `http_${response.status}`;
        if (TERMINAL.has(status) || Date.now() > deadline) {
          byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return byStatus;
}

async function main() {
  const server = await startNextServer({
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SLACK_CHANNEL_ID: '',
      RATE_LIMIT_BURST: '1000000',
      RATE_LIMIT_IP_BURST: '1000000',
      RATE_LIMIT_MESSAGES_PER_HOUR: '1000000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '1000000',
      RATE_LIMIT_THREAD_MESSAGES: '1000000',
      RATE_LIMIT_DAILY_TOKENS: '0',
    },
  });
  try {
    process.stdout.write(
      `Load: ${SESSIONS} sessions × ${DURATION_S} s (think ${THINK_MS} ms ±50% between turns), plus docs search at ${SEARCH_RATE} req/s, against next start (offline model) at ${server.url}\n`,
    );
    const startedAt = performance.now();
    const deadline = Date.now() + DURATION_S * 1000;
    // Sessions start spread over the first think time, as readers arrive, not all in one instant.
    const sessions = Array.from({ length: SESSIONS }, (_, index) => converse(server.url, deadline, (index / SESSIONS) * Math.min(THINK_MS, 5000)));
    const [, search] = await Promise.all([
      Promise.all(sessions),
      autocannon({
        url: server.url,
        connections: Math.max(1, Math.min(10, SEARCH_RATE)),
        overallRate: SEARCH_RATE,
        duration: DURATION_S,
        timeout: 30,
        requests: [
          <TAutocannonRequest>{
            method: 'POST',
            path: '/api/docs-search',
            headers: { 'content-type': 'application/json' },
            setupRequest(request, context) {
              started(context, 'POST docs-search');
              return { ...request, body: JSON.stringify({ prompt: pick(SEARCHES) }) };
            },
            onResponse(status, _body, context) {
              finished(context, status);
            },
          },
        ],
      }),
    ]);
    const seconds = (performance.now() - startedAt) / 1000;
    const runs = await finalRunStatuses(server.url);

    const conversationRequests = [...latencies].filter(([kind]) => kind !== 'POST docs-search').reduce((sum, [, values]) => sum + values.length, 0);
    const searchRequests = latencies.get('POST docs-search')?.length ?? 0;
    const total = conversationRequests + searchRequests;
    const lines: [string, string][] = [
      ['requests', `${total} in ${seconds.toFixed(1)} s = ${(total / seconds).toFixed(0)} req/s (conversations ${(conversationRequests / seconds).toFixed(0)}/s, docs search ${(searchRequests / seconds).toFixed(0)}/s)`],
      ['turns', `${runIds.length} messages sent by ${SESSIONS} sessions = ${(runIds.length / seconds).toFixed(1)} messages/s`],
    ];
    let fiveHundreds = 0;
    for (const [kind, values] of [...latencies].sort()) {
      const codes = [...(statuses.get(kind) ?? new Map<number, number>())].sort();
      fiveHundreds += codes.filter(([code]) => code >= 500).reduce((sum, [, count]) => sum + count, 0);
      lines.push([
        kind,
        `n=${values.length}  p50 ${percentile(values, 50).toFixed(0)} ms  p95 ${percentile(values, 95).toFixed(0)} ms  p99 ${percentile(values, 99).toFixed(0)} ms  status ${codes.map(([code, count]) => `${code}×${count}`).join(' ')}`,
      ]);
    }
    const all = [...latencies.values()].flat();
    lines.push(['all requests', `p50 ${percentile(all, 50).toFixed(0)} ms  p95 ${percentile(all, 95).toFixed(0)} ms  p99 ${percentile(all, 99).toFixed(0)} ms`]);
    const non2xx = [...statuses.values()].flatMap((byStatus) => [...byStatus]).filter(([code]) => code !== 0 && (code < 200 || code > 299)).reduce((sum, [, count]) => sum + count, 0);
    lines.push(['errors', `5xx ${fiveHundreds}, non-2xx ${non2xx}, socket errors/timeouts ${socketErrors + search.errors + search.timeouts}`]);
    const nonTerminal = [...runs].filter(([status]) => !TERMINAL.has(status)).reduce((sum, [, count]) => sum + count, 0);
    lines.push(['runs by final status', [...runs].map(([status, count]) => `${status} ${count}`).join(', ') || 'none']);
    const messageP95 = percentile(latencies.get('POST message') ?? [], 95);
    lines.push(['target: zero 5xx', fiveHundreds === 0 ? 'met' : `MISSED (${fiveHundreds})`]);
    lines.push(['target: no run left non-terminal', nonTerminal === 0 ? 'met' : `MISSED (${nonTerminal})`]);
    lines.push(['target: p95 POST message < 1 s', messageP95 < 1000 ? `met (${messageP95.toFixed(0)} ms)` : `MISSED (${messageP95.toFixed(0)} ms)`]);
    const width = Math.max(...lines.map(([key]) => key.length));
    for (const [key, value] of lines) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
    // Correctness (5xx, runs left hanging) fails the command; speed is reported, not enforced.
    process.exitCode = fiveHundreds > 0 || nonTerminal > 0 || socketErrors + search.errors > 0 ? 1 : 0;
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:load failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
