// `npm run bench:search [-- --docs ../shared/corpora/paste-docs --rounds 2]` (also a section of `npm run bench`):
// docs search latency as a reader meets it, over HTTP. `next start` of a production build of the Paste corpus
// (scripts/lib/paste-build.ts builds one into .bench/ when missing or stale), on PGlite in a fresh DATA_DIR,
// offline (no model, no embeddings); start-up indexes the corpus. The server is first warmed up as a running one
// would be (JIT, caches, each client's session) by other questions than the measured ones: the blind checks, the
// off-topic questions and the own-docs questions. Then POST /api/docs-search with every eval question of the
// corpus (evals/paste-docs.json and evals/paste-real.json), one request at a time and then 8 at once, each client
// keeping its session cookie like a browser. Prints p50/p95 beside the budgets of issue 24 (p95 ≤ 30 ms one at a
// time, ≤ 100 ms with 8 at once), and the server's CPU time per request (Linux): latency on a busy machine
// depends on what else runs, CPU time much less so. Then the same again on a server with DOCS_AUDIENCES set (a page
// audience, issue 57), as a reader without identity meets it, and how much slower its p95 is. Asserts nothing.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCookieClient, percentile, startNextServer } from './lib/next-server';
import { preparePasteBuild } from './lib/paste-build';
import { processCpuSeconds } from './lib/proc-cpu';
import { listQuestionSetFiles, loadOffTopicQuestions, loadQuestionSet } from './lib/search-eval';

const BUDGET_P95_MS = { sequential: 30, concurrent: 100 } as const;
const CONCURRENCY = 8;

// Offline whatever the environment holds, and limits that a bench of one client does not trip (their
// bookkeeping is still paid on every request).
export const SERVER_ENV: Record<string, string> = {
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_MODEL: '',
  OPENAI_EMBEDDING_MODEL: '',
  EMBEDDINGS_BASE_URL: '',
  EMBEDDINGS_MODEL: '',
  DATABASE_URL: '',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  SLACK_BOT_TOKEN: '',
  SLACK_CHANNEL_ID: '',
  SLACK_API_URL: '',
  RATE_LIMIT_BURST: '1000000',
  RATE_LIMIT_IP_BURST: '1000000',
};

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Rounds of the warm-up questions before any request is timed. */
const WARM_UP_ROUNDS = 2;

/** CPU time (user + system) the process `pid` has used, in ms; undefined where /proc is not there. */
function processCpuMs(pid: number | undefined): number | undefined {
  const seconds = pid === undefined ? undefined : processCpuSeconds(pid);
  return seconds === undefined ? undefined : seconds * 1000;
}

/**
 * Questions to warm a server up with before timing `measured` (JIT, caches), as a running server is warm: every
 * question of evals/ and evals/checks/ that is not measured, and the off-topic ones. Warming up with the measured
 * questions themselves would have their words' work cached before they are timed.
 */
export function warmUpQuestions(measured: string[]): string[] {
  const isMeasured = new Set(measured);
  const sets = [...listQuestionSetFiles(), ...listQuestionSetFiles('evals/checks')].map((file) => loadQuestionSet(file));
  const every = [...sets.flatMap((set) => set.questions.map((question) => question.q)), ...loadOffTopicQuestions()];
  return [...new Set(every)].filter((question) => !isMeasured.has(question));
}

/** Each query through `clients` (one request per client at a time); the milliseconds of each request. */
async function timeRequests(clients: ReturnType<typeof createCookieClient>[], queries: string[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < queries.length) {
        const prompt = queries[next]!;
        next += 1;
        let started = performance.now();
        try {
          await client.call('/api/docs-search', { json: { prompt } });
        } catch (error) {
          // A kept-alive connection the server closed while this client sat idle (between the phases) fails
          // with ECONNRESET: sent again once, on a new connection, and timed from there. A server that is down
          // fails the retry too.
          if (!(error instanceof TypeError)) throw error;
          started = performance.now();
          await client.call('/api/docs-search', { json: { prompt } });
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

function line(label: string, latencies: number[], budget: number, cpuMs: number | undefined): string {
  const p95 = percentile(latencies, 95);
  const verdict = p95 <= budget ? 'within budget' : 'OVER budget';
  const cpu = cpuMs === undefined ? '' : `  server CPU ${ms(cpuMs / latencies.length)}/request`;
  return `${label.padEnd(34)} p50 ${ms(percentile(latencies, 50))}  p95 ${ms(p95)}  max ${ms(Math.max(...latencies))}  (budget p95 ≤ ${budget} ms: ${verdict})${cpu}`;
}

/** The requests, timed, and the server's CPU time over them. */
async function measure(pid: number | undefined, clients: ReturnType<typeof createCookieClient>[], queries: string[]) {
  const before = processCpuMs(pid);
  const latencies = await timeRequests(clients, queries);
  const after = processCpuMs(pid);
  return { latencies, cpuMs: before === undefined || after === undefined ? undefined : after - before };
}

export async function benchSearch({ docs = '../shared/corpora/paste-docs', rounds = 2 }: { docs?: string; rounds?: number } = {}): Promise<string> {
  const docsDir = path.resolve(docs);
  if (!existsSync(docsDir)) return `bench:search: ${docsDir} does not exist; pass --docs DIR. Skipped.`;
  const questions = listQuestionSetFiles()
    .map((file) => loadQuestionSet(file))
    .filter((set) => set.corpus === 'paste-docs')
    .flatMap((set) => set.questions.map((question) => question.q));
  const queries = Array.from({ length: rounds }, () => questions).flat();
  const warmUp = warmUpQuestions(questions);

  // The routes the bench requests: the search, and the health check that says the server is up.
  const build = preparePasteBuild({ docsDir, routes: ['pages/api/docs-search.ts', 'pages/api/health.ts'] });
  /** One server's run: warmed up, then the queries one at a time and CONCURRENCY at once. */
  const run = async (env: Record<string, string>) => {
    const server = await startNextServer({ cwd: build.dir, env: { ...SERVER_ENV, DOCS_DIR: docsDir, ...env }, readyTimeoutMs: 600_000, isMigrated: true });
    try {
      const readyMs = performance.now() - server.startedAt;
      const clients = Array.from({ length: CONCURRENCY }, () => createCookieClient(server.url));
      // Each client gets its session; the server warms up (JIT, plan cache) as a running one would be.
      await timeRequests(clients, Array.from({ length: WARM_UP_ROUNDS }, () => warmUp).flat());
      const pid = server.process.pid;
      const sequential = await measure(pid, clients.slice(0, 1), queries);
      const concurrent = await measure(pid, clients, queries);
      return { readyMs, sequential, concurrent };
    } finally {
      await server.stop();
    }
  };
  const plain = await run({});
  // The same public searches with audiences configured (issue 57): a reader without identity, whose searches leave
  // the toast pages out (the ranker's section filter), must not be slower than 10% at p95.
  const withAudiences = await run({ DOCS_AUDIENCES: BENCH_AUDIENCES });
  const ratio = (a: number[], b: number[]) => `${((percentile(b, 95) / percentile(a, 95) - 1) * 100).toFixed(1)}%`;
  return [
    `search over HTTP: POST /api/docs-search on next start, PGlite, ${docsDir} (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`,
    `build ${build.isFresh ? `made now in ${(build.buildMs / 1000).toFixed(0)} s` : 'reused from .bench/'}; next start → healthy (migrated DATA_DIR; indexing the corpus) ${(plain.readyMs / 1000).toFixed(1)} s`,
    `warm-up: ${warmUp.length} other questions × ${WARM_UP_ROUNDS}; then ${questions.length} eval questions × ${rounds} rounds = ${queries.length} requests per row`,
    line('1 request at a time', plain.sequential.latencies, BUDGET_P95_MS.sequential, plain.sequential.cpuMs),
    line(`${CONCURRENCY} at once`, plain.concurrent.latencies, BUDGET_P95_MS.concurrent, plain.concurrent.cpuMs),
    `with DOCS_AUDIENCES='${BENCH_AUDIENCES}', a reader without identity (budget: p95 within 10% of the rows above):`,
    line('1 request at a time, audiences', withAudiences.sequential.latencies, BUDGET_P95_MS.sequential, withAudiences.sequential.cpuMs) +
      `  p95 ${ratio(plain.sequential.latencies, withAudiences.sequential.latencies)}`,
    line(`${CONCURRENCY} at once, audiences`, withAudiences.concurrent.latencies, BUDGET_P95_MS.concurrent, withAudiences.concurrent.cpuMs) +
      `  p95 ${ratio(plain.concurrent.latencies, withAudiences.concurrent.latencies)}`,
  ].join('\n');
}

/** The audiences the bench configures: the Paste corpus's toast pages for staff only (issue 57's canary). */
const BENCH_AUDIENCES = 'staff=components/toast/**';

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { docs: { type: 'string' }, rounds: { type: 'string', default: '2' } } });
  benchSearch({ docs: values.docs, rounds: Number(values.rounds) }).then(
    (text) => console.log(text),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
