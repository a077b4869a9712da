import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';
import { openEventStream } from '../helpers/sse';
import { PRODUCTION_SESSION_SECRET, PRODUCTION_SITE_URL } from './helpers/global-setup';
import { holdKey, modelRequests, newThread, releaseModel, send } from './helpers/tier';

// RUN_PIPELINING=off under `next start`: the run engine's plain path (lib/assistant/engine/execute.ts: the tool round
// recorded, then dispatched, then the next request) against the tier's fake model over HTTP, as an operator who
// turns the pipelined tool round off runs it. The tier's other servers run with it on (the default). The order of
// the writes in each way is the integration tier's (tests/integration/run-pipelined-tool-round.test.ts); here, that
// a reader meets the same run either way.

let server: TNextServer;

beforeAll(async () => {
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-'),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: PRODUCTION_SESSION_SECRET,
      SITE_URL: PRODUCTION_SITE_URL,
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      DATABASE_URL: '',
      MODERATION: 'off',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: inject('modelControlUrl').replace(/\/__control$/, '/v1'),
      OPENAI_API_STYLE: 'chat',
      OPENAI_MODEL: 'fake-model',
      SLACK_BOT_TOKEN: '',
      SLACK_CHANNEL_ID: '',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
      RUN_PIPELINING: 'off',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('the plain path (RUN_PIPELINING=off) under next start', () => {
  it('streams a run through a docs search: every status once and in order, the answer adding up to the stored one', async () => {
    const reader = createClient(server.url);
    const threadId = await newThread(reader);
    const key = holdKey();
    const question = `How do I configure Slack? (plain path, streamed) [[model:hold:${key}]]`;
    const run = await send(reader, threadId, question, { wait: false });
    const stream = await openEventStream(`${server.url}/api/paste-assistant-thread/${threadId}/run/${run.id}/events`, { cookie: reader.cookie });
    try {
      await stream.waitFor((event) => event.event === 'thread.run.in_progress', 10_000);
    } finally {
      await releaseModel(key);
    }
    await stream.ended;
    const told = stream.events.map((event) => event.event).filter((name) => name !== 'thread.message.delta');
    // The stream may open while the run is still queued: that is told first, then everything the run went through.
    expect(told[0] === 'thread.run.queued' ? told.slice(1) : told).toEqual([
      'thread.run.in_progress',
      'thread.run.requires_action',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.message.completed',
      'thread.run.completed',
      'done',
    ]);
    let text = '';
    for (const event of stream.events.filter((item) => item.event === 'thread.message.delta')) {
      text = text.slice(0, event.json.offset) + event.json.delta.content[0].text.value;
    }
    const stored = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data[1].content[0].text.value as string;
    expect(stored).toMatch(/^The docs explain this in /);
    expect(text).toBe(stored);
    expect((await modelRequests()).filter((request) => request.question === question).map((request) => request.kind)).toEqual(['tool_call', 'answer']);
  });

  it('answers a POST that waits, with the docs search recorded on the run', async () => {
    const reader = createClient(server.url);
    const threadId = await newThread(reader);
    const run = await send(reader, threadId, 'How do I configure Slack? (plain path, POST waits)');
    expect(run.status).toBe('completed');
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
  });
});
