import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { openRunEventStream } from '@/lib/assistant/streaming/events-stream';
import { FOLLOW_GRACE_MS } from '@/lib/assistant/service';
import { applyTextDelta, cursorFor } from '@/lib/shared/stream-protocol';
import { createLocalNotifier } from '@/lib/db/notifications';
import type { TDb } from '@/lib/db/types';
import { createTestApp, ENGINE_MODES, PIPELINING } from '../helpers/app';
import { createTestDb } from '../helpers/pglite-template';
import { STORES } from '../helpers/stores';
import { buildManualStreamingModel, buildTimedStreamingModel, waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { joinContiguousDeltas, openEventStream, type TReadEvent } from '../helpers/sse';

// The run event stream over real HTTP (the route handlers on a 127.0.0.1 server, real PGlite), read with
// fetch as a browser's EventSource reads it. The model is in-process and driven by the test, so that each
// step (text written, reader gone, reader back) happens in a known order.

let app: TApp | undefined;
let server: TTestServer | undefined;

afterEach(async () => {
  await server?.close();
  await app?.db.close();
  server = undefined;
  app = undefined;
});

async function setup(options: Parameters<typeof createTestApp>[0] = {}) {
  app = await createTestApp(options);
  server = await startTestServer(app);
  const reader = createClient(server.url);
  const thread = (await reader.post('/api/paste-assistant-thread')).body;
  const ask = async (message: string) => {
    const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.id, message, wait: false });
    expect(sent.status).toBe(200);
    return sent.body.run as { id: string; status: string };
  };
  const eventsUrl = (runId: string, query = '') => `${server!.url}/api/paste-assistant-thread/${thread.id}/run/${runId}/events${query}`;
  const open = (runId: string, options: { lastEventId?: string; query?: string } = {}) =>
    openEventStream(eventsUrl(runId, options.query), { cookie: reader.cookie, lastEventId: options.lastEventId });
  const messages = async () => (await reader.get(`/api/paste-assistant-messages/${thread.id}`)).body.data as any[];
  // A client that sends with wait: false follows the run; here, one read of it (which also starts a run left
  // to its follower, as in Supabase mode).
  const follow = async (runId: string) => (await reader.get(`/api/paste-assistant-thread/${thread.id}/run/${runId}`)).body;
  return { app, server, reader, thread, ask, open, messages, eventsUrl, follow };
}

const deltas = (events: TReadEvent[]) => events.filter((event) => event.event === 'thread.message.delta');
const names = (events: TReadEvent[]) => events.map((event) => event.event);
const textOf = (message: any) => message?.content?.[0]?.text?.value;
/** The text a reader ends up with, applying every delta as the protocol says (offsets may go back). */
const applyAll = (events: TReadEvent[], start = '') => deltas(events).reduce((text, event) => applyTextDelta(text, event.json), start);

describe.each(ENGINE_MODES)('the run event stream on $store, pipelining $pipelining', ({ store, pipelining }) => {
  const setupIn = ({ env, ...options }: Omit<NonNullable<Parameters<typeof createTestApp>[0]>, 'store'> = {}) =>
    setup({ ...options, store, env: { RUN_PIPELINING: pipelining, ...env } });

  it('sends status changes and the answer as it is written, with an id on every event, and ends when the run ends', async () => {
    const model = buildManualStreamingModel();
    const { ask, open, messages } = await setupIn({ overrides: { model } });
    const run = await ask('How do I make a delete button?');
    expect(run.status).toBe('queued');

    const stream = await open(run.id);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toMatch(/no-transform/);
    await stream.waitFor((event) => event.event === 'thread.run.in_progress');
    await waitUntil(() => model.isPending());

    model.emit('Use the ');
    await stream.waitFor((event) => event.event === 'thread.message.delta');
    model.emit('destructive ');
    model.emit('variant.');
    await stream.waitFor(() => joinContiguousDeltas(stream.events) === 'Use the destructive variant.');
    model.finish();
    await stream.ended;

    const sequence = names(stream.events).filter((name) => name !== 'thread.message.delta');
    expect(sequence.slice(-3)).toEqual(['thread.message.completed', 'thread.run.completed', 'done']);
    expect(sequence[0]).toMatch(/^thread\.run\.(queued|in_progress)$/);
    expect(stream.events.every((event) => typeof event.id === 'string' && event.id.length > 0)).toBe(true);
    const completed = stream.events.find((event) => event.event === 'thread.message.completed')!.json;
    expect(completed).toMatchObject({ object: 'thread.message', role: 'assistant', status: 'completed', run_id: run.id });
    expect(textOf(completed)).toBe('Use the destructive variant.');
    expect(deltas(stream.events).every((event) => event.json.id === completed.id && event.json.run_id === run.id)).toBe(true);
    expect(stream.events.find((event) => event.event === 'thread.run.completed')!.json).toMatchObject({ object: 'thread.run', status: 'completed' });

    // Exactly one assistant message: the streamed one, finalized.
    const stored = await messages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([
      ['user', 'completed'],
      ['assistant', 'completed'],
    ]);
    expect(stored[1].id).toBe(completed.id);
  });

  it('resumes after a disconnect from Last-Event-ID: no gap, no duplicate text', async () => {
    const model = buildManualStreamingModel();
    const { ask, open } = await setupIn({ overrides: { model } });
    const run = await ask('Tell me about buttons');
    const first = await open(run.id);
    await waitUntil(() => model.isPending());
    model.emit('Buttons come ');
    model.emit('in three ');
    await first.waitFor(() => joinContiguousDeltas(first.events) === 'Buttons come in three');
    const lastEventId = first.lastEventId!;
    first.close();

    // Written while nobody listens.
    model.emit('variants: ');
    model.emit('primary, ');
    const second = await open(run.id, { lastEventId });
    await second.waitFor(() => deltas(second.events).length > 0);
    model.emit('secondary and destructive.');
    model.finish();
    await second.ended;

    const before = joinContiguousDeltas(first.events);
    const after = joinContiguousDeltas(second.events, before);
    expect(after).toBe('Buttons come in three variants: primary, secondary and destructive.');
    // The reconnected stream picked up exactly where the first one stopped.
    expect(deltas(second.events)[0]!.json.offset).toBe(before.length);
    expect(second.events.find((event) => event.event === 'thread.run.completed')).toBeDefined();
    // The reader had seen in_progress: the resumed stream does not repeat it.
    expect(names(second.events)).not.toContain('thread.run.in_progress');
  });

  it('resumes after a page reload from the persisted text (?cursor= built from GET messages)', async () => {
    const model = buildManualStreamingModel();
    const { ask, open, messages, follow } = await setupIn({ overrides: { model } });
    const run = await ask('Slack?');
    await follow(run.id);
    await waitUntil(() => model.isPending());
    model.emit('Create a bot token, ');
    model.emit('then invite the bot');
    // A polling reader (or a reloaded page) sees the answer so far, in progress.
    await waitUntil(async () => textOf((await messages())[1]) === 'Create a bot token, then invite the bot');
    const [, partial] = await messages();
    expect(partial).toMatchObject({ role: 'assistant', status: 'in_progress', run_id: run.id, completed_at: null });

    const stream = await open(run.id, { query: `?cursor=${cursorFor(textOf(partial), 'in_progress')}` });
    model.emit(' to the channel.');
    model.finish();
    await stream.ended;
    const resumed = joinContiguousDeltas(stream.events, textOf(partial));
    expect(resumed).toBe('Create a bot token, then invite the bot to the channel.');
    expect(deltas(stream.events)[0]!.json.offset).toBe(textOf(partial).length);
    expect(names(stream.events)).not.toContain('thread.run.in_progress');
  });

  it('sends the whole text again from offset 0 when the reader\'s cursor does not match the text', async () => {
    const model = buildManualStreamingModel();
    const { ask, open, follow } = await setupIn({ overrides: { model } });
    const run = await ask('Anything');
    await follow(run.id);
    await waitUntil(() => model.isPending());
    model.emit('The real text');
    const stream = await open(run.id, { query: `?cursor=${cursorFor('Some other text', 'in_progress')}` });
    await stream.waitFor((event) => event.event === 'thread.message.delta');
    expect(deltas(stream.events)[0]!.json).toMatchObject({ offset: 0, delta: { content: [{ text: { value: 'The real text' } }] } });
    model.finish();
    await stream.ended;
  });

  it('moves the run along without any other request: the tool call is dispatched and the offline model\'s answer arrives in pieces', async () => {
    // The words 5 ms apart, as a model writes them. With none, the whole answer is written within a few
    // milliseconds, and a stream whose read of the run (after the claim) took longer than that got it as one
    // delta: it failed so on Postgres in a whole-suite run (npm test from a fresh clone, stop 32).
    const { ask, open, messages } = await setupIn({ env: { OFFLINE_MODEL_PIECE_MS: '5' } });
    const run = await ask('How do I create a Slack bot token?');
    const stream = await open(run.id);
    await stream.ended;
    const statuses = names(stream.events).filter((name) => name.startsWith('thread.run.'));
    // The executor dispatches the tool call it recorded at once (lib/assistant/engine/execute.ts): the stream may
    // open after requires_action is over. The answer quoting the docs section below is the search's.
    expect(statuses[statuses.length - 1]).toBe('thread.run.completed');
    expect(statuses.filter((name) => name === 'thread.run.completed')).toHaveLength(1);
    expect(deltas(stream.events).length).toBeGreaterThan(3);
    const answer = (await messages())[1];
    expect(joinContiguousDeltas(stream.events)).toBe(textOf(answer));
    expect(textOf(answer)).toContain('**Slack notifications › Creating a bot token**');
    const completed = stream.events.find((event) => event.event === 'thread.message.completed')!.json;
    expect(completed.content[0].text.annotations.length).toBeGreaterThan(0);
  });

  it('tells every status of a tool round once and in order, though the round is submitted and the next step claimed in one call', async () => {
    const model = buildManualStreamingModel();
    const { ask, open, messages } = await setupIn({ overrides: { model } });
    const run = await ask('Slack?');
    const stream = await open(run.id);
    await stream.waitFor((event) => event.event === 'thread.run.in_progress');
    await waitUntil(() => model.isPending());
    model.callTools([{ call_id: 'call_1', name: 'get_relevant_docs', arguments: '{"prompt":"slack"}' }]);
    await waitUntil(() => model.isPending());
    model.emit('Create a bot token.');
    model.finish();
    await stream.ended;
    const told = names(stream.events).filter((name) => name !== 'thread.message.delta');
    // The stream may open while the run is still queued (where a run is left to its follower, the stream's first
    // read starts it): that is told first, then everything the run went through.
    expect(told[0] === 'thread.run.queued' ? told.slice(1) : told).toEqual([
      'thread.run.in_progress',
      'thread.run.requires_action',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.message.completed',
      'thread.run.completed',
      'done',
    ]);
    const waiting = stream.events.find((event) => event.event === 'thread.run.requires_action')!.json;
    expect(waiting.required_action.submit_tool_outputs.tool_calls.map((call: { id: string }) => call.id)).toEqual(['call_1']);
    expect(applyAll(stream.events)).toBe('Create a bot token.');
    expect(textOf((await messages())[1])).toBe('Create a bot token.');
  });

  it('answers a finished run at once: its text, the completed message and run, then done', async () => {
    const { ask, open, messages, reader, thread } = await setupIn();
    const run = await ask('How do I create a Slack bot token?');
    await waitUntil(async () => (await reader.get(`/api/paste-assistant-thread/${thread.id}/run/${run.id}`)).body.status === 'completed');
    const stream = await open(run.id);
    await stream.ended;
    expect(names(stream.events)).toEqual(['thread.message.delta', 'thread.message.completed', 'thread.run.completed', 'done']);
    expect(joinContiguousDeltas(stream.events)).toBe(textOf((await messages())[1]));
    // A reader that already has everything gets only `done`.
    const again = await open(run.id, { lastEventId: stream.lastEventId });
    await again.ended;
    expect(names(again.events)).toEqual(['done']);
  });

  it('keeps the error contract before streaming: 404 for another reader\'s run, 400 for a bad cursor, 405 for POST', async () => {
    const model = buildManualStreamingModel();
    const { ask, server: api, eventsUrl, follow } = await setupIn({ overrides: { model } });
    const run = await ask('Mine');
    await follow(run.id);
    const stranger = await openEventStream(eventsUrl(run.id));
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    const owner = createClient(api.url);
    const badCursor = await openEventStream(eventsUrl(run.id, '?cursor=not-a-cursor'), { cookie: owner.cookie });
    expect(badCursor.status).toBe(400);
    const post = await fetch(eventsUrl(run.id), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const badId = await openEventStream(`${api.url}/api/paste-assistant-thread/thread_x/run/nope/events`);
    expect(badId.status).toBe(400);
    await waitUntil(() => model.isPending());
    model.finish('done');
  });
});

describe('cancellation, restarts and a slow database', () => {
  it('cancels mid-stream: the model call is stopped, the stream ends cancelled, the text persisted so far stays as an incomplete answer', async () => {
    const model = buildManualStreamingModel();
    const { ask, open, messages, reader, thread, follow } = await setup({ overrides: { model } });
    const run = await ask('Explain everything about buttons');
    const stream = await open(run.id);
    await waitUntil(() => model.isPending());
    model.emit('Buttons have ');
    model.emit('many variants');
    await waitUntil(async () => textOf((await messages())[1]) === 'Buttons have many variants');
    await stream.waitFor(() => applyAll(stream.events) === 'Buttons have many variants');

    const cancelled = await reader.post(`/api/paste-assistant-thread/${thread.id}/run/${run.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await stream.ended;
    expect(model.aborts).toBe(1);
    expect(names(stream.events).slice(-3)).toEqual(['thread.message.incomplete', 'thread.run.cancelled', 'done']);
    const incomplete = stream.events.find((event) => event.event === 'thread.message.incomplete')!.json;
    expect(incomplete).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_cancelled' }, completed_at: null });
    expect(incomplete.incomplete_at).toEqual(expect.any(Number));
    expect(applyAll(stream.events)).toBe(textOf(incomplete));

    const stored = await messages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([
      ['user', 'completed'],
      ['assistant', 'incomplete'],
    ]);
    expect(textOf(stored[1])).toBe('Buttons have many variants');
    // The thread is free again.
    const next = await ask('Something else');
    expect(next.status).toBe('queued');
    await follow(next.id);
    await waitUntil(() => model.isPending());
    model.finish('Short answer.');
  });

  it('drops a cancelled run\'s answer entirely when none of it was written yet', async () => {
    const model = buildManualStreamingModel();
    const { ask, open, messages, reader, thread } = await setup({ overrides: { model } });
    const run = await ask('Quick one');
    const stream = await open(run.id);
    await waitUntil(() => model.isPending());
    await reader.post(`/api/paste-assistant-thread/${thread.id}/run/${run.id}/cancel`);
    await stream.ended;
    expect(names(stream.events)).not.toContain('thread.message.incomplete');
    expect((await messages()).map((message) => message.role)).toEqual(['user']);
  });

  it.each(PIPELINING)('drops text written before a tool call: the reader\'s text is replaced by the answer (offset 0); pipelining %s', async (pipelining) => {
    const model = buildManualStreamingModel();
    const { ask, open, messages } = await setup({ overrides: { model }, env: { RUN_PIPELINING: pipelining } });
    const run = await ask('Slack?');
    const stream = await open(run.id);
    await waitUntil(() => model.isPending());
    model.emit('Let me search the docs.');
    await stream.waitFor(() => applyAll(stream.events) === 'Let me search the docs.');
    model.callTools([{ call_id: 'call_1', name: 'get_relevant_docs', arguments: '{"prompt":"slack"}' }]);
    await stream.waitFor((event) => event.event === 'thread.run.requires_action');
    await waitUntil(() => model.isPending());
    model.emit('Create a bot token.');
    model.finish();
    await stream.ended;
    expect(applyAll(stream.events)).toBe('Create a bot token.');
    const replacing = deltas(stream.events).find((event) => event.json.delta.content[0].text.value.startsWith('Create'));
    expect(replacing?.json.offset).toBe(0);
    expect((await messages()).map((message) => [message.role, textOf(message)])).toEqual([
      ['user', 'Slack?'],
      ['assistant', 'Create a bot token.'],
    ]);
  });

  it('resumes across a restart: another instance takes the run over and the reader continues from the persisted text', async () => {
    const shared = await createTestDb();
    let isDead = false;
    // The first instance's view of the database, which goes away with it.
    const firstDb: TDb = {
      ...createLocalNotifier(),
      transport: 'pglite',
      rpc: (name, args) => (isDead ? Promise.reject(new Error('instance stopped')) : shared.rpc(name, args)),
      close: async () => {},
    };
    const env = { RUN_LEASE_SECONDS: '2' };
    const firstModel = buildManualStreamingModel();
    const first = await createTestApp({ env, overrides: { db: firstDb, model: firstModel } });
    const firstServer = await startTestServer(first);
    const reader = createClient(firstServer.url);
    const thread = (await reader.post('/api/paste-assistant-thread')).body;
    const run = (await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Restart?', wait: false })).body.run;
    const url = (base: string) => `${base}/api/paste-assistant-thread/${thread.id}/run/${run.id}/events`;
    const before = await openEventStream(url(firstServer.url), { cookie: reader.cookie });
    await waitUntil(() => firstModel.isPending());
    firstModel.emit('Part one. ');
    await before.waitFor(() => applyAll(before.events) === 'Part one.');
    // Wait until it is persisted: that is what survives.
    await waitUntil(async () => textOf((await reader.get(`/api/paste-assistant-messages/${thread.id}`)).body.data[1]) === 'Part one.');

    // The first instance dies mid-answer: its connections drop and it no longer reaches the database.
    isDead = true;
    await firstServer.close();
    await before.ended;

    const secondModel = buildManualStreamingModel();
    app = await createTestApp({ env, overrides: { db: shared, model: secondModel } });
    server = await startTestServer(app);
    const after = await openEventStream(url(server.url), { cookie: reader.cookie, lastEventId: before.lastEventId });
    // Once the first instance's lease lapses, the second one's stream resumes the run here.
    await waitUntil(() => secondModel.isPending(), 10_000);
    // The new attempt writes the same words again first: the reader does not see them shrink and regrow.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
    secondModel.emit('Part ');
    await pause();
    secondModel.emit('one. ');
    await pause();
    secondModel.emit('Part two.');
    secondModel.finish();
    await after.ended;

    const seen = joinContiguousDeltas(before.events);
    expect(seen).toBe('Part one.');
    expect(joinContiguousDeltas(after.events, seen)).toBe('Part one. Part two.');
    expect(deltas(after.events)[0]!.json.offset).toBe(seen.length);
    expect(names(after.events).slice(-2)).toEqual(['thread.run.completed', 'done']);
    const stored = (await createClient(server.url).request('GET', `/api/paste-assistant-messages/${thread.id}`, { headers: { cookie: reader.cookie! } })).body.data;
    expect(stored.map((message: any) => [message.role, message.status, textOf(message)])).toEqual([
      ['user', 'completed', 'Restart?'],
      ['assistant', 'completed', 'Part one. Part two.'],
    ]);
    expect(firstModel.calls).toBe(1);
    expect(secondModel.calls).toBe(1);
  });

  it('persists deltas at a bounded rate under a slow database, losing nothing, while the stream here stays live', async () => {
    const text = 'Slow databases must not slow the reader down, and they must not lose a single word of the answer either.';
    const model = buildTimedStreamingModel(text, { pieceMs: 20, pieceChars: 3 });
    const respond = model.respond.bind(model);
    let modelEndedAt = 0;
    model.respond = async (...args) => {
      try {
        return await respond(...args);
      } finally {
        modelEndedAt = performance.now();
      }
    };
    const base = await createTestDb();
    const appends: { at: number; offset: number; text: string }[] = [];
    const slowDb: TDb = {
      ...createLocalNotifier(),
      transport: 'pglite',
      async rpc(name, args) {
        if (name === 'append_run_message_by_id') {
          appends.push({ at: performance.now(), offset: args?.p_offset as number, text: args?.p_text as string });
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        return base.rpc(name, args);
      },
      close: () => base.close(),
    };
    // The reader below polls often; the burst limit is not what this test is about.
    const { ask, open, messages } = await setup({ overrides: { db: slowDb, model }, env: { RATE_LIMIT_BURST: '100000' } });
    const run = await ask('Slow?');
    const stream = await open(run.id);
    const seenByPolling: string[] = [];
    const polling = (async () => {
      while (!stream.events.some((event) => event.event === 'done')) {
        const answer = (await messages())[1];
        if (answer) seenByPolling.push(textOf(answer));
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    await stream.ended;
    await polling;

    // How long the model took to write the answer, as measured: its 20 ms pauses last longer on a loaded machine.
    const streamingMs = Math.max((text.length / 3) * 20, modelEndedAt - model.started[0]!);
    // One write in flight at a time, at most one per 100 ms: far fewer writes than pieces.
    expect(appends.length).toBeGreaterThanOrEqual(2);
    expect(appends.length).toBeLessThanOrEqual(Math.ceil((streamingMs + 300) / 150) + 1);
    for (let index = 1; index < appends.length; index += 1) expect(appends[index]!.at - appends[index - 1]!.at).toBeGreaterThanOrEqual(99);
    // Every write continues where the previous one stopped, so the stored text only grows.
    const persisted = appends.reduce<string[]>((texts, write) => [...texts, (texts[texts.length - 1] ?? '').slice(0, write.offset) + write.text], []);
    for (const snapshot of persisted) expect(text.startsWith(snapshot)).toBe(true);
    for (const snapshot of seenByPolling) expect(text.trim().startsWith(snapshot)).toBe(true);
    expect(new Set(seenByPolling.filter((snapshot) => snapshot !== '')).size).toBeGreaterThanOrEqual(2);
    // The stream on this instance got the text as the model wrote it, not at the database's pace.
    expect(deltas(stream.events).length).toBeGreaterThan(appends.length * 2);
    expect(joinContiguousDeltas(stream.events)).toBe(text.trim());
    const stored = await messages();
    expect(stored.filter((message) => message.role === 'assistant')).toHaveLength(1);
    expect(textOf(stored[1])).toBe(text.trim());
  });
});

describe.each(STORES)('POST …-message with wait: false on %s', (store) => {
  it('leaves the run to its follower where instances may share the database, starting it itself if nobody follows', async () => {
    const model = buildManualStreamingModel();
    // A store several instances may share: DATABASE_URL on Postgres; on PGlite, Supabase mode over the test's database.
    const { reader, thread, open } = await setup({
      store,
      overrides: { model },
      env: store === 'pglite' ? { SUPABASE_URL: 'http://supabase.test', SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-for-tests' } : {},
    });
    const followed = (await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Followed', wait: false })).body.run;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(model.calls).toBe(0);
    // Its event stream starts it, on this instance.
    const stream = await open(followed.id);
    await waitUntil(() => model.isPending());
    model.emit('Live.');
    model.finish();
    await stream.ended;
    expect(joinContiguousDeltas(stream.events)).toBe('Live.');

    const unfollowed = (await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Alone', wait: false })).body.run;
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_GRACE_MS / 2));
    expect(model.calls).toBe(1);
    // Started by the server after its grace: a bound for liveness, generous because CI runs this beside other tiers
    // (ci14: more than three graces at load 10); the check above is what says it did not start at once.
    await waitUntil(() => model.isPending(), FOLLOW_GRACE_MS * 15);
    model.finish('Started anyway.');
    await waitUntil(async () => (await reader.get(`/api/paste-assistant-thread/${thread.id}/run/${unfollowed.id}`)).body.status === 'completed');
  });

  it.each(PIPELINING)('answers at once with the queued run; without it the route still waits for the answer; pipelining %s', async (pipelining) => {
    const model = buildManualStreamingModel();
    const { reader, thread } = await setup({ store, overrides: { model }, env: { RUN_PIPELINING: pipelining } });
    // The model answers only when the test says so: a POST that waited for the run could not have returned.
    const quick = await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Fast', wait: false });
    expect(quick.status).toBe(200);
    expect(quick.body.run).toMatchObject({ object: 'thread.run', status: 'queued' });
    // Embedded (one process) the run starts at once; on Postgres, with nobody following, this instance or the
    // sweeper starts it after the follow grace period (2 s), so the wait allows for that on a busy machine.
    await waitUntil(() => model.isPending(), 15_000);
    model.finish('Done.');
    // The next message is refused (409) until that run has stored its answer, so wait for it first.
    await waitUntil(async () => (await reader.get(`/api/paste-assistant-thread/${thread.id}/run/${quick.body.run.id}`)).body.status === 'completed', 15_000);

    const waiting = reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Slow' });
    await waitUntil(() => model.isPending(), 15_000);
    model.emit('Answer');
    model.finish();
    expect((await waiting).body.run.status).toBe('completed');
    expect((await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'x', wait: 'no' })).status).toBe(400);
  });
});

describe('the stream\'s plumbing', () => {
  it('sends heartbeat comments while nothing happens, and stops when the reader goes away', async () => {
    const model = buildManualStreamingModel();
    const { ask, thread, reader, follow } = await setup({ overrides: { model } });
    const run = await ask('Quiet?');
    await follow(run.id);
    await waitUntil(() => model.isPending());
    const produce = await openRunEventStream({
      deps: { db: app!.db, engine: app!.engine, pollMs: app!.config.runs.pollMs },
      // The session id (the signed cookie's first part) owns the reader's threads.
      owner: reader.cookie!.split('=')[1]!.split('.')[0]!,
      threadId: thread.id,
      runId: run.id,
      cursor: null,
      heartbeatMs: 60,
    });
    const written: string[] = [];
    const gone = new AbortController();
    let lastWriteAt = performance.now();
    const streaming = produce({
      signal: gone.signal,
      send: (event) => {
        written.push(`event:${event.event}`);
        lastWriteAt = performance.now();
      },
      comment: (text) => {
        written.push(`comment:${text}`);
        lastWriteAt = performance.now();
      },
      idleMs: () => performance.now() - lastWriteAt,
    });
    await waitUntil(() => written.filter((entry) => entry === 'comment:ping').length >= 3, 5_000);
    gone.abort();
    await streaming;
    expect(written[0]).toMatch(/^event:thread\.run\./);
    model.finish('bye');
  });

  it('tells a reader whose stream fails after it started, as an error event, and closes it', async () => {
    const model = buildManualStreamingModel();
    const { ask, open } = await setup({ overrides: { model } });
    const run = await ask('Break?');
    const stream = await open(run.id);
    await stream.waitFor((event) => event.event.startsWith('thread.run.'));
    await waitUntil(() => model.isPending());
    const original = app!.db.rpc;
    app!.db.rpc = async (name, args) => {
      // One stream's own read, or the process's shared read of the runs its streams follow.
      if (name === 'get_run_stream_state_by_id' || name === 'get_run_stream_states') throw new Error('database gone');
      return original(name, args);
    };
    try {
      // The stream reads the database at its next poll, which now fails.
      await stream.ended;
    } finally {
      app!.db.rpc = original;
    }
    const last = stream.events[stream.events.length - 1]!;
    expect(last.event).toBe('error');
    expect(last.json).toEqual({ error: { code: 'internal', message: expect.stringMatching(/Reconnect/) } });
    model.finish('done');
  });
});
