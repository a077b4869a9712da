import { isActiveRunStatus } from '../lib/shared/runs';
import { startFakeModelServer } from './lib/fake-model-server';
import { createCookieClient, percentile, startNextServer } from './lib/next-server';

// What a long answer costs the server. The model (a local Chat Completions server) streams an answer of a given
// size as fast as the socket takes it; the bench sends one question per size and measures, from the send, the
// time until the run has stored the whole answer, and meanwhile probes GET /api/health every 10 ms: its slowest
// reply is how long the event loop was held. Saving a draft only handles the new text, so the time per KB should
// stay flat as answers grow, and the stalls short. MAX_ANSWER_CHARS is raised to its highest setting (1,000,000)
// so that every size is stored whole; at the default (32,000) a longer answer ends `incomplete`.

const SIZES_KB = [32, 125, 500, 1000];
/** The fake model's words are about ten characters (" word12345"). */
const CHARS_PER_WORD = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchAnswer({ sizesKb = SIZES_KB }: { sizesKb?: number[] } = {}): Promise<Record<string, string>> {
  const maxWords = Math.floor((Math.max(...SIZES_KB) * 1000) / CHARS_PER_WORD) - 10;
  const rows: Record<string, string> = {};
  for (const kb of sizesKb) {
    const words = Math.min(maxWords, Math.floor((kb * 1000) / CHARS_PER_WORD));
    const fake = await startFakeModelServer({ ttftMs: 0, tokensPerSecond: 1e9, answerTokens: words });
    const server = await startNextServer({
      env: {
        OPENAI_BASE_URL: fake.url,
        OPENAI_API_STYLE: 'chat',
        OPENAI_MODEL: 'bench-model',
        // One retry: a connection to the local model refused or reset before it answers (seen once under CI's load,
        // for the 500 KB answer) is not what this section measures; a retry happens only before any text arrives.
        OPENAI_MAX_RETRIES: '1',
        MAX_ANSWER_CHARS: '1000000',
        MESSAGE_WAIT_SECONDS: '120',
        MODEL_TIMEOUT_SECONDS: '120',
        RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
        RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
        RATE_LIMIT_BURST: '100000',
        RATE_LIMIT_IP_BURST: '100000',
      },
      isMigrated: true,
    });
    try {
      const reader = createCookieClient(server.url);
      // The first conversation warms the server up (route compilation, JIT) and is not counted; the model's
      // answer has the same size for both, as it is fixed per model server.
      for (const phase of ['warm-up', 'measured'] as const) {
        const thread = (await reader.call('/api/paste-assistant-thread', { method: 'POST' })).body;
        const health: number[] = [];
        let isRunning = true;
        const prober = (async () => {
          while (isRunning) {
            const started = performance.now();
            await fetch(`${server.url}/api/health`);
            health.push(performance.now() - started);
            await sleep(10);
          }
        })();
        const started = performance.now();
        let { run } = (await reader.call('/api/paste-assistant-message', { json: { threadId: thread.id, message: `A ${kb} KB answer, please` } })).body;
        // The POST answers after MESSAGE_WAIT_SECONDS with the run still going on a slow or busy machine: the
        // run is followed to its end (the figure is then a little late, by at most one poll).
        const deadline = Date.now() + 600_000;
        while (isActiveRunStatus(run.status) && Date.now() < deadline) {
          await sleep(100);
          run = (await reader.call(`/api/paste-assistant-thread/${thread.id}/run/${run.id}`)).body;
        }
        const elapsed = performance.now() - started;
        isRunning = false;
        await prober;
        if (run.status !== 'completed') throw new Error(`the ${kb} KB answer ended ${run.status}: ${JSON.stringify(run.last_error ?? run.incomplete_details)}`);
        const messages = (await reader.call(`/api/paste-assistant-messages/${thread.id}?order=desc&limit=1`)).body.data as { content: { text: { value: string } }[] }[];
        const stored = messages[0]?.content[0]?.text.value.length ?? 0;
        if (phase === 'warm-up') continue;
        rows[`${kb} KB answer (${stored.toLocaleString('en')} chars stored)`] =
          `${Math.round(elapsed)} ms to complete, ${(elapsed / (stored / 1000)).toFixed(2)} ms per 1,000 chars; ` +
          `/api/health meanwhile p95 ${Math.round(percentile(health, 95))} ms, max ${Math.round(Math.max(...health))} ms`;
      }
    } finally {
      await server.stop();
      await fake.close();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAnswer().then(
    (rows) => {
      for (const [key, value] of Object.entries(rows)) process.stdout.write(`${key}: ${value}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
