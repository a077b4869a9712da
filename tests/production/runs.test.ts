import { describe, expect, inject, it } from 'vitest';
import { parseCursor } from '@/lib/shared/stream-protocol';
import { expectError } from '../helpers/contract';
import { openEventStream } from '../helpers/sse';
import { holdKey, isTerminal, mainClient, newThread, pollRun, releaseModel, send } from './helpers/tier';

// Runs under `next start`: the 409s (a message while a run is active, racing sends, cancelling a run that
// ended), cancel, and the run's event stream — including a thread deleted while its stream is open, which must
// end with a not_found error event, not internal. The fake model holds a run's model call ([[model:hold:KEY]])
// until the test releases it, so the run is active for as long as the test needs.

const eventsUrl = (threadId: string, runId: string) => `${inject('mainUrl')}/api/paste-assistant-thread/${threadId}/run/${runId}/events`;

describe('409 conflict', () => {
  it('refuses a message while a run is active, and takes one once it has ended', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const key = holdKey();
    const run = await send(reader, threadId, `How do I configure Slack? [[model:hold:${key}]]`, { wait: false });
    expect(['queued', 'in_progress']).toContain(run.status);
    try {
      const conflict = await reader.post('/api/paste-assistant-message', { threadId, message: 'Another question' });
      expectError(conflict, 409, 'conflict');
      const latest = await reader.get(`/api/paste-assistant-thread/${threadId}/runs`);
      expect(latest.body.data.map((item: { id: string }) => item.id)).toEqual([run.id]);
      expect(isTerminal(latest.body.data[0])).toBe(false);
    } finally {
      await releaseModel(key);
    }
    expect((await pollRun(reader, threadId, run.id, isTerminal)).status).toBe('completed');
    expect((await send(reader, threadId, 'Another question')).status).toBe('completed');
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('of 8 sends racing on one thread, exactly one is taken and 7 are 409; the thread holds one question', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const key = holdKey();
    let responses;
    try {
      responses = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          reader.post('/api/paste-assistant-message', { threadId, message: `Racing question ${index} [[model:hold:${key}]]`, wait: false }),
        ),
      );
    } finally {
      await releaseModel(key);
    }
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const response of responses.filter((item) => item.status === 409)) expectError(response, 409, 'conflict');
    const taken = responses.find((response) => response.status === 200)!.body.run;
    expect((await pollRun(reader, threadId, taken.id, isTerminal)).status).toBe('completed');
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
  });

  it('cancels an active run (its model call stops); cancelling it again, or a completed run, is 409', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const key = holdKey();
    const run = await send(reader, threadId, `Stop me [[model:hold:${key}]]`, { wait: false });
    try {
      const cancelled = await reader.post(`/api/paste-assistant-thread/${threadId}/run/${run.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ id: run.id, object: 'thread.run', status: 'cancelled', cancelled_at: expect.any(Number) });
      expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/run/${run.id}/cancel`), 409, 'conflict');
    } finally {
      await releaseModel(key);
    }
    expect((await reader.get(`/api/paste-assistant-thread/${threadId}/run/${run.id}`)).body.status).toBe('cancelled');

    const finished = await send(reader, threadId, 'How do I configure Slack?');
    expect(finished.status).toBe('completed');
    const late = await reader.post(`/api/paste-assistant-thread/${threadId}/run/${finished.id}/cancel`);
    expectError(late, 409, 'conflict');
    expect(late.body.error.message).toMatch(/completed/);
  });
});

describe('the run event stream', () => {
  it('streams the run: its statuses, the answer as deltas that add up to the stored answer, then done; every id is a cursor', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const key = holdKey();
    const run = await send(reader, threadId, `How do I configure Slack? [[model:hold:${key}]]`, { wait: false });
    const stream = await openEventStream(eventsUrl(threadId, run.id), { cookie: reader.cookie });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await stream.waitFor((event) => event.event === 'thread.run.in_progress', 10_000);
      await releaseModel(key);
      await stream.waitFor((event) => event.event === 'done', 15_000);
      await stream.ended;
    } finally {
      await releaseModel(key);
      stream.close();
    }
    const names = stream.events.map((event) => event.event);
    expect(names).toContain('thread.run.requires_action');
    expect(names).toContain('thread.message.delta');
    expect(names.slice(-3)).toEqual(['thread.message.completed', 'thread.run.completed', 'done']);
    expect(names).not.toContain('error');

    let text = '';
    for (const event of stream.events.filter((item) => item.event === 'thread.message.delta')) {
      text = text.slice(0, event.json.offset) + event.json.delta.content[0].text.value;
    }
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    const stored = messages.body.data[1].content[0].text.value as string;
    expect(stored).toMatch(/^The docs explain this in /);
    expect(text).toBe(stored);
    expect(stream.events.find((event) => event.event === 'thread.message.completed')!.json.content[0].text.value).toBe(stored);
    for (const event of stream.events) expect(parseCursor(event.id), `${event.event} ${event.id}`).not.toBeNull();

    // Reconnecting with the last id: nothing twice, just the end.
    const again = await openEventStream(eventsUrl(threadId, run.id), { cookie: reader.cookie, lastEventId: stream.lastEventId });
    await again.ended;
    expect(again.events.map((event) => event.event)).toEqual(['done']);
  });

  it('answers HEAD with the headers only, and a reader who sent more HEADs than its stream cap (10) still streams', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const key = holdKey();
    const run = await send(reader, threadId, `How do I configure Slack? [[model:hold:${key}]]`, { wait: false });
    const route = `/api/paste-assistant-thread/${threadId}/run/${run.id}/events`;
    try {
      for (let index = 0; index < 12; index += 1) {
        const head = await reader.request('HEAD', route);
        expect(head.status).toBe(200);
        expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
      }
      const stream = await openEventStream(eventsUrl(threadId, run.id), { cookie: reader.cookie });
      try {
        expect(stream.status).toBe(200);
        await stream.waitFor((event) => event.event === 'thread.run.in_progress', 10_000);
        await releaseModel(key);
        await stream.waitFor((event) => event.event === 'done', 15_000);
      } finally {
        stream.close();
      }
    } finally {
      await releaseModel(key);
    }
  });

  it('ends with a not_found error event (not internal) when the thread is deleted while the stream is open', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const key = holdKey();
    const run = await send(reader, threadId, `How do I configure Slack? [[model:hold:${key}]]`, { wait: false });
    const stream = await openEventStream(eventsUrl(threadId, run.id), { cookie: reader.cookie });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((event) => event.event === 'thread.run.in_progress', 10_000);
      const deleted = await reader.delete(`/api/paste-assistant-thread/${threadId}`);
      expect(deleted.status).toBe(200);
      const error = await stream.waitFor((event) => event.event === 'error', 10_000);
      expect(error.json).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      await stream.ended;
    } finally {
      await releaseModel(key);
      stream.close();
    }
    expect(stream.events.filter((event) => event.event === 'error')).toHaveLength(1);
    expect(stream.events.map((event) => event.event)).not.toContain('done');
    expectError(await reader.get(`/api/paste-assistant-thread/${threadId}/run/${run.id}`), 404, 'not_found');
  });
});
