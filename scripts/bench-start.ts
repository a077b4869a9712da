import { createCookieClient, percentile, startNextServer } from './lib/next-server';

// From `next start` to the first answer, on a fresh DATA_DIR (migrations, docs index, first request), then
// the latency of a whole offline conversation turn (POST …-message returning a completed run).

export async function benchStart({ turns: count = 20 }: { turns?: number } = {}): Promise<Record<string, string>> {
  const server = await startNextServer();
  try {
    const healthyMs = performance.now() - server.startedAt;
    const { call } = createCookieClient(server.url);
    const thread = await call('/api/paste-assistant-thread', { method: 'POST' });
    const first = await call('/api/paste-assistant-message', { json: { threadId: thread.body.id, message: 'How do I configure Slack?' } });
    const firstAnswerMs = performance.now() - server.startedAt;
    if (first.body.run?.status !== 'completed') throw new Error(`first run ended ${JSON.stringify(first.body)}`);

    const turns: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const next = await call('/api/paste-assistant-thread', { method: 'POST' });
      const started = performance.now();
      const sent = await call('/api/paste-assistant-message', { json: { threadId: next.body.id, message: `How do I set the session secret ${index}?` } });
      if (sent.body.run?.status !== 'completed') throw new Error(`run ended ${sent.body.run?.status}`);
      turns.push(performance.now() - started);
    }
    return {
      'next start → healthy (fresh DATA_DIR)': `${healthyMs.toFixed(0)} ms`,
      'next start → first answer': `${firstAnswerMs.toFixed(0)} ms`,
      [`offline turn p50 / p95 (${count} turns)`]: `${percentile(turns, 50).toFixed(0)} / ${percentile(turns, 95).toFixed(0)} ms`,
    };
  } finally {
    await server.stop();
  }
}
