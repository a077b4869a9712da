import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';

// Research mode (issue 71) through the routes, with the offline model, on the fixture docs: the run is kept as a
// research run, searches several times and reads pages whole before it answers by page; one at a time per reader;
// it counts more against the reader's hourly quota.

// Each offline step waits 400 ms, so that a research run is still active when a second question is sent.
let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp({ env: { OFFLINE_MODEL_DELAY_MS: '400' } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

type TCall = { function: { name: string; arguments: string } };

describe('research mode, offline, through the routes', () => {
  it('keeps mode "research" on the run, searches several times, reads pages whole and answers by page with citations', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const sent = await reader.post('/api/paste-assistant-message', {
      threadId: thread.body.id,
      message: 'How do I invite the bot to the Slack channel, and which events does it post?',
      mode: 'research',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.run.status).toBe('completed');
    expect(sent.body.run.metadata).toMatchObject({ mode: 'research' });

    const { rows } = await querySql<{ options: Record<string, unknown>; tool_rounds: { tool_calls: TCall[] }[]; max_tool_rounds: number }>(
      app.db,
      'select options, tool_rounds, max_tool_rounds from assistant_run where id = $1',
      [sent.body.run.id],
    );
    const run = rows[0]!;
    expect(run.options.mode).toBe('research');
    // RESEARCH_MAX_STEPS (8) steps: seven rounds of tools, then the answer.
    expect(run.max_tool_rounds).toBe(7);
    const calls = run.tool_rounds.flatMap((round) => round.tool_calls.map((call) => call.function.name));
    expect(calls.filter((name) => name === 'get_relevant_docs').length).toBeGreaterThanOrEqual(2);
    expect(calls).toContain('read_page');
    expect(run.tool_rounds.length).toBeGreaterThanOrEqual(2);

    const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
    const answer = messages.body.data[1];
    const text: string = answer.content[0].text.value;
    expect(answer.metadata).toMatchObject({ offline: true, research: true });
    expect(text).toMatch(/^\*\*Summary\.\*\* I searched \d+ times and read [1-9]\d* pages? whole/);
    expect(text).toMatch(/### Slack notifications/);
    expect(text).toMatch(/_Answers: “/);
    const cited = answer.content[0].text.annotations.map((annotation: { url: string }) => annotation.url);
    expect(cited.length).toBeGreaterThanOrEqual(1);
    expect(cited.length).toBeLessThanOrEqual(5);
    expect(cited[0]).toMatch(/^\/docs\/guides\/slack#/);
  });

  it('a quick question stays quick: one round of searches, no reads, no mode', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'How do I invite the bot to the Slack channel?' });
    expect(sent.body.run.metadata.mode).toBeUndefined();
    const { rows } = await querySql<{ options: Record<string, unknown>; tool_rounds: { tool_calls: TCall[] }[] }>(
      app.db,
      'select options, tool_rounds from assistant_run where id = $1',
      [sent.body.run.id],
    );
    expect(rows[0]!.options.mode).toBeUndefined();
    expect(rows[0]!.tool_rounds.flatMap((round) => round.tool_calls.map((call) => call.function.name))).not.toContain('read_page');
  });

  it('refuses a second research run of the same reader while the first is active (409), on another thread too', async () => {
    const reader = createClient(server.url);
    const first = await reader.post('/api/paste-assistant-thread');
    const second = await reader.post('/api/paste-assistant-thread');
    // Not executed here: the first stays queued (this test's reader never follows it).
    const queued = await reader.post('/api/paste-assistant-message', { threadId: first.body.id, message: 'How do I theme the widget?', mode: 'research', wait: false });
    expect(queued.status).toBe(200);
    const refused = await reader.post('/api/paste-assistant-message', { threadId: second.body.id, message: 'How do I invite the bot?', mode: 'research' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.message).toMatch(/one research question at a time/);
    // The reader stops the first; then they may research again.
    const stopped = await reader.post(`/api/paste-assistant-thread/${first.body.id}/run/${queued.body.run.id}/cancel`);
    expect(stopped.body.status).toBe('cancelled');
    // A quick question on the other thread is not held up.
    const quick = await reader.post('/api/paste-assistant-message', { threadId: second.body.id, message: 'How do I invite the bot?' });
    expect(quick.status).toBe(200);
    // Another reader may research meanwhile.
    const other = createClient(server.url);
    const theirs = await other.post('/api/paste-assistant-thread');
    const allowed = await other.post('/api/paste-assistant-message', { threadId: theirs.body.id, message: 'How do I invite the bot?', mode: 'research' });
    expect(allowed.status).toBe(200);
    const third = await reader.post('/api/paste-assistant-thread');
    const again = await reader.post('/api/paste-assistant-message', { threadId: third.body.id, message: 'How do I invite the bot?', mode: 'research' });
    expect(again.status).toBe(200);
  });

  it('rejects an unknown mode with 400', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const bad = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'Hi', mode: 'deep' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
  });
});

describe('research counts more against the hourly quota', () => {
  let limited: TApp;
  let limitedServer: TTestServer;
  beforeAll(async () => {
    limited = await createTestApp({ env: { RATE_LIMIT_MESSAGES_PER_HOUR: '4', RESEARCH_COST: '3' } });
    limitedServer = await startTestServer(limited);
  });
  afterAll(async () => {
    await limitedServer.close();
    await limited.db.close();
  });

  it('a research question takes RESEARCH_COST messages of the hour: after one, a second is refused (429) where quick ones pass', async () => {
    const reader = createClient(limitedServer.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const research = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'How do I invite the bot?', mode: 'research' });
    expect(research.status).toBe(200);
    const next = await reader.post('/api/paste-assistant-thread');
    const refused = await reader.post('/api/paste-assistant-message', { threadId: next.body.id, message: 'How do I theme the widget?', mode: 'research' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    const quick = await reader.post('/api/paste-assistant-message', { threadId: next.body.id, message: 'How do I theme the widget?' });
    expect(quick.status).toBe(200);
  });
});
