import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { researchStepsOf } from '@/lib/assistant/research-steps';
import { DELTA_EVENT } from '@/lib/shared/stream-protocol';
import type { TResearchStep } from '@/lib/shared/research-steps';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { openEventStream, type TReadEvent } from '../helpers/sse';

// A research run's steps seen as it works (issue 71): the site's event stream tells the run object again each time
// its steps change (what it searched and how many results, what it read), before the answer's first text; the polled
// run carries the same steps; Stop (the run's cancel) ends a research run mid-way. Offline model, fixture docs; each
// offline step waits 300 ms, so that the steps arrive one by one.

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp({ env: { OFFLINE_MODEL_DELAY_MS: '300' } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

const QUESTION = 'How do I invite the bot to the Slack channel, and which events does it post?';

async function askResearch() {
  const reader = createClient(server.url);
  const thread = await reader.post('/api/paste-assistant-thread');
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: QUESTION, mode: 'research', wait: false });
  expect(sent.status).toBe(200);
  const runUrl = `/api/paste-assistant-thread/${thread.body.id}/run/${sent.body.run.id}`;
  return { reader, threadId: thread.body.id as string, run: sent.body.run, runUrl };
}

const stepsOf = (event: TReadEvent): TResearchStep[] | undefined => (event.event.startsWith('thread.run.') ? event.json?.research_steps : undefined);

describe('research steps, streamed', () => {
  it('streams each step (searches with their result counts, then pages read) before the answer, and ends with them all', async () => {
    const { reader, run, runUrl } = await askResearch();
    expect(run.research_steps).toEqual([]);
    const stream = await openEventStream(`${server.url}${runUrl}/events`, { cookie: reader.cookie });
    expect(stream.status).toBe(200);
    await stream.ended;
    const events = stream.events;
    const firstDelta = events.findIndex((event) => event.event === DELTA_EVENT);
    expect(firstDelta).toBeGreaterThan(0);
    const told = events.slice(0, firstDelta).flatMap((event) => (stepsOf(event) ? [stepsOf(event)!] : []));
    // Told as they grew: several run events with more steps each time, all before the first text.
    const counts = told.map((steps) => steps.length);
    expect(new Set(counts.filter((count) => count > 0)).size).toBeGreaterThanOrEqual(2);
    const before = told[told.length - 1]!;
    const searches = before.filter((step) => step.kind === 'search');
    const reads = before.filter((step) => step.kind === 'read');
    expect(searches.length).toBeGreaterThanOrEqual(2);
    expect(searches[0]).toMatchObject({ kind: 'search', query: expect.stringMatching(/slack/i), results: expect.any(Number) });
    expect(searches.every((step) => step.kind === 'search' && step.results !== null && step.results > 0)).toBe(true);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads[0]).toMatchObject({ kind: 'read', title: expect.any(String), sections: expect.any(Number) });
    expect(reads.some((step) => step.kind === 'read' && /slack/i.test(step.title))).toBe(true);
    // The searches come before the reads, in the order taken.
    expect(before.findIndex((step) => step.kind === 'read')).toBeGreaterThan(before.findIndex((step) => step.kind === 'search'));

    const completed = events.find((event) => event.event === 'thread.run.completed');
    expect(completed?.json.research_steps).toEqual(before);
    // The polled run carries the same steps, read off the stored run.
    const polled = await reader.get(runUrl);
    expect(polled.body.research_steps).toEqual(before);
  });

  it('a quick run carries no steps, and /v1 run objects none either', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'How do I invite the bot to the Slack channel?' });
    expect(sent.body.run.status).toBe('completed');
    expect(sent.body.run).not.toHaveProperty('research_steps');
    const { toApiRunObject } = await import('@/lib/v1/objects');
    const row = { ...sampleRun, options: { mode: 'research' }, metadata: { mode: 'research' } };
    expect(researchStepsOf(row)).toHaveLength(2);
    expect(toApiRunObject(row as never)).not.toHaveProperty('research_steps');
  });

  it('Stop (the run\'s cancel) ends a research run that is taking its steps, and no answer follows', async () => {
    const { reader, threadId, runUrl } = await askResearch();
    const stream = await openEventStream(`${server.url}${runUrl}/events`, { cookie: reader.cookie });
    await stream.waitFor((event) => (stepsOf(event)?.length ?? 0) > 0, 20_000);
    const cancelled = await reader.post(`${runUrl}/cancel`);
    expect(cancelled.status).toBe(200);
    await stream.ended;
    expect(stream.events.some((event) => event.event === 'thread.run.cancelled')).toBe(true);
    expect(stream.events.some((event) => event.event === 'thread.message.completed')).toBe(false);
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data.filter((message: { role: string; status: string }) => message.role === 'assistant' && message.status === 'completed')).toHaveLength(0);
  });
});

const sampleRun = {
  tool_rounds: [
    {
      tool_calls: [
        { id: 'a', type: 'function' as const, function: { name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: 'slack   bot\ninvite' }) } },
        { id: 'b', type: 'function' as const, function: { name: 'read_page', arguments: JSON.stringify({ url: '/docs/guides/slack' }) } },
        { id: 'c', type: 'function' as const, function: { name: 'a_client_tool', arguments: '{}' } },
      ],
      tool_outputs: [{ tool_call_id: 'a', output: JSON.stringify({ results: [{ url: '/docs/x' }, { url: '/docs/y' }] }) }],
    },
  ],
  id: 'run_x', thread_id: 'thread_x', status: 'completed', model: 'offline', instructions: '', tools: [], required_action: null,
  last_error: null, incomplete_details: null, usage: null, max_tool_rounds: 7, max_attempts: 3, attempts: 1, lease_expires_at: null,
  is_lease_stale: false, created_at: '2026-01-01T00:00:00Z', started_at: null, expires_at: '2026-01-01T00:10:00Z', cancelled_at: null,
  failed_at: null, completed_at: null,
};

describe('a research answer says it is one', () => {
  it('offline, even when it found nothing (so the reader is not offered to research it again; a model\'s: research-model.test.ts)', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'xyzzy plugh frobnicate?', mode: 'research' });
    expect(sent.body.run.status).toBe('completed');
    const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
    const answer = messages.body.data.find((message: { role: string }) => message.role === 'assistant');
    expect(answer.metadata).toMatchObject({ no_docs_match: true, research: true });
  });
});

describe('researchStepsOf', () => {
  it('reads searches and reads off the rounds (pending ones without counts), skips other tools, one line each', () => {
    const steps = researchStepsOf({ ...sampleRun, options: { mode: 'research' }, metadata: {} });
    expect(steps).toEqual([
      { kind: 'search', query: 'slack bot invite', results: 2 },
      { kind: 'read', title: '/docs/guides/slack', sections: null },
    ]);
    expect(researchStepsOf({ ...sampleRun, options: {}, metadata: {} })).toBeUndefined();
  });
});
