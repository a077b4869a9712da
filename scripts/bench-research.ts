import { isActiveRunStatus } from '../lib/shared/runs';
import { createCookieClient, percentile, startNextServer } from './lib/next-server';

// A research run offline (issue 71's goal: p50 under 5 s on this machine), beside a quick answer to the same question,
// on `next start` of this site's docs: send → the run completed, for each question in turn (one research run at a time
// per reader). The questions are several-part questions a reader of these docs asks; none was tuned on.

const QUESTIONS = [
  'How do I connect the assistant to Slack, and how do maintainers reply from a Slack thread?',
  'Can I run it without an OpenAI key, and what changes in the answers when I do?',
  'How do I keep some pages private to staff, and do hand-offs to GitHub carry them?',
  'Which database does it use by default, and how do I move to Postgres?',
  'How are answers graded, and where do I see the week’s worst answers?',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchResearch({ questions = QUESTIONS.length }: { questions?: number } = {}): Promise<Record<string, string>> {
  const server = await startNextServer({
    env: {
      // Research counts RESEARCH_COST messages against a reader's limits; the bench asks more than a reader would.
      RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
    },
  });
  try {
    const reader = createCookieClient(server.url);
    const timings: Record<'quick' | 'research', number[]> = { quick: [], research: [] };
    let steps = 0;
    // The first question, once each way, warms the server up (route compilation, JIT) and is not counted.
    for (const [index, question] of [QUESTIONS[0] as string, ...QUESTIONS.slice(0, questions)].entries()) {
      for (const mode of ['quick', 'research'] as const) {
        const thread = (await reader.call('/api/paste-assistant-thread', { method: 'POST' })).body;
        const started = performance.now();
        let { run } = (await reader.call('/api/paste-assistant-message', { json: { threadId: thread.id, message: question, mode } })).body;
        const deadline = Date.now() + 300_000;
        while (isActiveRunStatus(run.status) && Date.now() < deadline) {
          await sleep(50);
          run = (await reader.call(`/api/paste-assistant-thread/${thread.id}/run/${run.id}`)).body;
        }
        const elapsed = performance.now() - started;
        if (run.status !== 'completed') throw new Error(`the ${mode} run for “${question}” ended ${run.status}`);
        if (index === 0) continue;
        timings[mode].push(elapsed);
        if (mode === 'research') steps += Array.isArray(run.research_steps) ? run.research_steps.length : 0;
      }
    }
    const line = (values: number[]) => `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
    return {
      [`quick answer, send → completed (${timings.quick.length} questions)`]: line(timings.quick),
      [`research run, send → completed (${timings.research.length} questions)`]: `${line(timings.research)}; ${(steps / timings.research.length).toFixed(1)} steps a run`,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchResearch().then(
    (rows) => {
      for (const [key, value] of Object.entries(rows)) process.stdout.write(`${key}: ${value}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
