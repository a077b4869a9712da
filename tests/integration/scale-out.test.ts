import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createApp, startApp } from '@/lib/app';
import { getRunWatcher } from '@/lib/assistant/streaming/run-watcher';
import { parseConfig } from '@/lib/config';
import { setSlackOutboxEnabled } from '@/lib/db/slack-outbox';
import { claimRunById, requireRunActionById } from '@/lib/db/runs';
import { createThread } from '@/lib/db/threads';
import type { TDb } from '@/lib/db/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp, ENGINE_MODES, FIXTURE_DOCS_DIR, TEST_SESSION_SECRET } from '../helpers/app';
import { createSession, expectRateLimited, startInstances, type TInstances } from '../helpers/instances';
import { seedDataDir } from '../helpers/pglite-template';
import { buildManualStreamingModel, waitUntil } from '../helpers/models';
import { openEventStream, joinContiguousDeltas, type TEventReader } from '../helpers/sse';
import { createPostgresTestDatabase, querySql } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Many instances on one database: answer text and run changes cross instances through the store's
// notifications, one watcher per process serves every stream, open streams are capped, and no run depends on
// a reader (the sweeper), including after a restart of the embedded store.

const OWNER = 'owner_scale_aaaaaaaaaaaaa';
let instances: TInstances | undefined;
const apps: TApp[] = [];
const streams: TEventReader[] = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await instances?.close();
  instances = undefined;
  for (const app of apps.splice(0)) await app.db.close();
});

const statusOf = async (db: TDb, runId: string) =>
  (await querySql<{ status: string }>(db, 'select status from assistant_run where id = $1', [runId])).rows[0]?.status;

describe('across instances on Postgres (LISTEN/NOTIFY)', () => {
  it('a reader on instance B gets the text instance A writes before A has persisted any of it', async () => {
    const model = buildManualStreamingModel();
    // A's database writes of the answer text never finish during the test: B can learn the text only from A's notifications.
    let isPersistHeld = true;
    const held: (() => void)[] = [];
    instances = await startInstances({
      store: 'postgres',
      count: 2,
      overrides: (index) => (index === 0 ? { model } : {}),
    });
    const [a, b] = instances.apps as [TApp, TApp];
    const realRpc = a.db.rpc.bind(a.db);
    a.db.rpc = (async (name: string, args?: Record<string, unknown>) => {
      if (name === 'append_run_message_by_id' && isPersistHeld) await new Promise<void>((resolve) => held.push(resolve));
      return realRpc(name, args);
    }) as TDb['rpc'];
    const reader = createSession();
    const [urlA, urlB] = instances.urls as [string, string];
    const thread = (await reader.post(urlA, '/api/paste-assistant-thread')).body;
    // Sent through A, which executes it (it waits), while the reader follows on B.
    const sending = reader.post(urlA, '/api/paste-assistant-message', { threadId: thread.id, message: 'Buttons?' });
    await waitUntil(() => model.isPending());
    const run = (await querySql<{ id: string }>(a.db, 'select id from assistant_run where thread_id = $1', [thread.id])).rows[0]!;
    const stream = await openEventStream(`${urlB}/api/paste-assistant-thread/${thread.id}/run/${run.id}/events`, { cookie: reader.cookie });
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.waitFor((event) => event.event === 'thread.run.in_progress');
    model.emit('Use the ');
    model.emit('primary variant.');
    await stream.waitFor(() => joinContiguousDeltas(stream.events) === 'Use the primary variant.');
    const stored = await querySql<{ n: number }>(b.db, `select count(*)::int as n from assistant_message where run_id = $1 and role = 'assistant'`, [run.id]);
    expect(stored.rows[0]?.n).toBe(0);
    isPersistHeld = false;
    for (const release of held.splice(0)) release();
    model.finish();
    await stream.ended;
    expect((await sending).body.run.status).toBe('completed');
    expect(stream.events.map((event) => event.event).slice(-2)).toEqual(['thread.run.completed', 'done']);
  });

  it('one session cookie works on every instance, and the streams of a process share one database read per tick', async () => {
    const model = buildManualStreamingModel();
    instances = await startInstances({ store: 'postgres', count: 2, overrides: () => ({ model }), env: { EVENT_STREAMS_PER_SESSION: '50' } });
    const [urlA, urlB] = instances.urls as [string, string];
    const reader = createSession();
    const thread = (await reader.post(urlA, '/api/paste-assistant-thread')).body;
    expect((await reader.get(urlB, `/api/paste-assistant-thread/${thread.id}`)).status).toBe(200);
    const sent = await reader.post(urlB, '/api/paste-assistant-message', { threadId: thread.id, message: 'Hold', wait: false });
    const runId = sent.body.run.id as string;
    // Count B's database calls from here.
    const b = instances.apps[1]!;
    const calls: string[] = [];
    const realRpc = b.db.rpc.bind(b.db);
    b.db.rpc = ((name: string, args?: Record<string, unknown>) => {
      calls.push(name);
      return realRpc(name, args);
    }) as TDb['rpc'];
    for (let index = 0; index < 20; index += 1) {
      const stream = await openEventStream(`${urlB}/api/paste-assistant-thread/${thread.id}/run/${runId}/events`, { cookie: reader.cookie });
      expect(stream.status).toBe(200);
      streams.push(stream);
    }
    await waitUntil(() => model.isPending(), 10_000);
    const before = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const during = calls.slice(before);
    // 20 streams polling on their own would read 80 times in 2 s; the shared watcher reads about 4 times.
    expect(during.filter((name) => name === 'get_run_stream_state_by_id')).toEqual([]);
    expect(during.filter((name) => name === 'get_run_stream_states').length).toBeLessThanOrEqual(6);
    model.finish('Released.');
    await Promise.all(streams.map((stream) => stream.ended));
    for (const stream of streams) expect(stream.events.at(-1)?.event).toBe('done');
  });
});

describe.each(ENGINE_MODES)('the sweeper on $store, pipelining $pipelining', ({ store, pipelining }) => {
  it('answers a wait:false message nobody follows: tool calls dispatched, run completed, the answer queued for Slack', async () => {
    instances = await startInstances({ store, count: 1, env: { RUN_SWEEP_SECONDS: '1', RUN_PIPELINING: pipelining } });
    const app = instances.apps[0]!;
    await setSlackOutboxEnabled({ db: app.db, isEnabled: true });
    const reader = createSession();
    const [url] = instances.urls as [string];
    const thread = (await reader.post(url, '/api/paste-assistant-thread')).body;
    // The offline model asks for the docs tool first: without a reader, only the sweeper dispatches it.
    const sent = await reader.post(url, '/api/paste-assistant-message', { threadId: thread.id, message: 'How do I create a Slack bot token?', wait: false });
    expect(sent.status).toBe(200);
    await waitUntil(async () => (await statusOf(app.db, sent.body.run.id)) === 'completed', 20_000);
    const answers = await querySql<{ n: number }>(app.db, `select count(*)::int as n from slack_outbox where thread_id = $1 and kind = 'answer'`, [thread.id]);
    expect(answers.rows[0]?.n).toBe(1);
  });

  it('starts a run another instance queued but never started, and dispatches one left in requires_action', async () => {
    instances = await startInstances({ store, count: 2, isEveryInstanceStarted: true, env: { RUN_SWEEP_SECONDS: '1', RUN_PIPELINING: pipelining } });
    const [a] = instances.apps as [TApp, TApp];
    const threadA = await createThread({ db: a.db, owner: OWNER, metadata: {} });
    // Queued on A, which never executes it (as if A died right after answering the POST).
    a.engine.stop();
    const queued = await a.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: threadA.id, text: 'How do I configure Slack?', isExecutedHere: false });
    await waitUntil(async () => (await statusOf(a.db, queued.run.id)) === 'completed', 20_000);

    // An executor that asked for tools and died: the run waits in requires_action with nobody to dispatch them.
    const threadB = await createThread({ db: a.db, owner: OWNER, metadata: {} });
    const waiting = await a.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: threadB.id, text: 'How do I create a Slack bot token?', isExecutedHere: false });
    expect((await claimRunById({ db: a.db, runId: waiting.run.id, worker: 'worker_gone', leaseSeconds: 30 })).claimed).toBe(true);
    await requireRunActionById({ db: a.db, runId: waiting.run.id, worker: 'worker_gone', toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"slack bot token"}' } }] });
    expect(await statusOf(a.db, waiting.run.id)).toBe('requires_action');
    await waitUntil(async () => (await statusOf(a.db, waiting.run.id)) === 'completed', 20_000);
    const rounds = await querySql<{ n: number }>(a.db, 'select jsonb_array_length(tool_rounds) as n from assistant_run where id = $1', [waiting.run.id]);
    expect(rounds.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });
});

describe('open event streams per session and per address', () => {
  it('refuses one more than the limit with 429 and Retry-After, and accepts again once a stream ends', async () => {
    const model = buildManualStreamingModel();
    instances = await startInstances({ count: 1, overrides: () => ({ model }), env: { EVENT_STREAMS_PER_SESSION: '2', EVENT_STREAMS_PER_IP: '3' } });
    const [url] = instances.urls as [string];
    const reader = createSession();
    const thread = (await reader.post(url, '/api/paste-assistant-thread')).body;
    const run = (await reader.post(url, '/api/paste-assistant-message', { threadId: thread.id, message: 'Hold', wait: false })).body.run;
    const eventsUrl = `${url}/api/paste-assistant-thread/${thread.id}/run/${run.id}/events`;
    const open = async (cookie = reader.cookie) => {
      const stream = await openEventStream(eventsUrl, { cookie });
      streams.push(stream);
      return stream;
    };
    const first = await open();
    expect((await open()).status).toBe(200);
    const refused = await open();
    expectRateLimited({ status: refused.status, body: refused.body, headers: refused.headers }, { message: /Too many open event streams/, maxRetry: 60 });
    first.close();
    await waitUntil(async () => {
      const again = await open();
      return again.status === 200;
    });
    // The address's cap counts every session from it: 2 open here, so another session gets 1 (3 per address), then 429.
    const other = createSession();
    const otherThread = (await other.post(url, '/api/paste-assistant-thread')).body;
    const otherRun = (await other.post(url, '/api/paste-assistant-message', { threadId: otherThread.id, message: 'Hold', wait: false })).body.run;
    const otherEvents = `${url}/api/paste-assistant-thread/${otherThread.id}/run/${otherRun.id}/events`;
    const accepted = await openEventStream(otherEvents, { cookie: other.cookie });
    streams.push(accepted);
    expect(accepted.status).toBe(200);
    const byAddress = await openEventStream(otherEvents, { cookie: other.cookie });
    streams.push(byAddress);
    expectRateLimited({ status: byAddress.status, body: byAddress.body, headers: byAddress.headers }, { message: /Too many open event streams/, maxRetry: 60 });
  });

  it("refuses a stream past the cap before taking any of the session's burst: the refused ones cost it nothing", async () => {
    const model = buildManualStreamingModel();
    // Six requests an hour: a thread, its message and one stream take three; the fourth is the GET at the end.
    instances = await startInstances({
      count: 1,
      overrides: () => ({ model }),
      env: { EVENT_STREAMS_PER_SESSION: '1', RATE_LIMIT_BURST: '6', RATE_LIMIT_BURST_SECONDS: '3600' },
    });
    const [url] = instances.urls as [string];
    const reader = createSession();
    const thread = (await reader.post(url, '/api/paste-assistant-thread')).body;
    const run = (await reader.post(url, '/api/paste-assistant-message', { threadId: thread.id, message: 'Hold', wait: false })).body.run;
    const eventsUrl = `${url}/api/paste-assistant-thread/${thread.id}/run/${run.id}/events`;
    const open = await openEventStream(eventsUrl, { cookie: reader.cookie });
    streams.push(open);
    expect(open.status).toBe(200);
    // More refusals than the burst has tokens left: each is the stream cap's, none the burst's.
    for (let index = 0; index < 5; index += 1) {
      const refused = await openEventStream(eventsUrl, { cookie: reader.cookie });
      streams.push(refused);
      expectRateLimited({ status: refused.status, body: refused.body, headers: refused.headers }, { message: /Too many open event streams/, maxRetry: 60 });
    }
    expect((await reader.get(url, `/api/paste-assistant-thread/${thread.id}`)).status).toBe(200);
  });

  it('gives back the slot and the followed run of a HEAD request to the stream, which streams nothing', async () => {
    const model = buildManualStreamingModel();
    instances = await startInstances({ count: 1, overrides: () => ({ model }), env: { EVENT_STREAMS_PER_SESSION: '2' } });
    const [url] = instances.urls as [string];
    const reader = createSession();
    const thread = (await reader.post(url, '/api/paste-assistant-thread')).body;
    const run = (await reader.post(url, '/api/paste-assistant-message', { threadId: thread.id, message: 'Hold', wait: false })).body.run;
    const eventsUrl = `${url}/api/paste-assistant-thread/${thread.id}/run/${run.id}/events`;
    const app = instances.apps[0]!;
    const watcher = getRunWatcher({ db: app.db, engine: app.engine, pollMs: app.config.runs.pollMs });
    for (let index = 0; index < 3; index += 1) {
      const head = await reader.request(url, 'HEAD', `/api/paste-assistant-thread/${thread.id}/run/${run.id}/events`);
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(head.body).toBe('');
    }
    // Nothing is left open after the HEADs: no follower, and the run no longer watched.
    expect(watcher.stats()).toMatchObject({ runs: 0, followers: 0 });
    const stream = await openEventStream(eventsUrl, { cookie: reader.cookie });
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.waitFor((event) => event.event.startsWith('thread.run.'));
  });
});

describe('restart of the embedded store', () => {
  it('resumes at boot, at once, a run the previous process of the same DATA_DIR was executing', async () => {
    const dataDir = await seedDataDir(makeTempDir('pa-scale-restart-'));
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DOCS_DIR: FIXTURE_DOCS_DIR,
      SESSION_SECRET: TEST_SESSION_SECRET,
      MODERATION: 'off',
      // A lease far longer than the test: only a resume at boot can finish the run in time.
      RUN_LEASE_SECONDS: '600',
    };
    const first = await createApp(parseConfig(env));
    await startApp(first);
    const thread = await createThread({ db: first.db, owner: OWNER, metadata: {} });
    const { run } = await first.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'How do I configure Slack?', isExecutedHere: false });
    // The first process takes the run and dies holding its lease.
    expect((await claimRunById({ db: first.db, runId: run.id, worker: 'worker_previous_process', leaseSeconds: 600 })).claimed).toBe(true);
    await first.db.close();

    const second = await createApp(parseConfig(env));
    apps.push(second);
    await startApp(second);
    await waitUntil(async () => (await statusOf(second.db, run.id)) === 'completed', 20_000);
  });

  it('does not take over runs leased on a shared Postgres at boot (another instance may be executing them)', async () => {
    const url = await createPostgresTestDatabase();
    const app = await createTestApp({ env: { DATABASE_URL: url, RUN_LEASE_SECONDS: '600' }, isStarted: false });
    apps.push(app);
    const thread = await createThread({ db: app.db, owner: OWNER, metadata: {} });
    const { run } = await app.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'Held elsewhere', isExecutedHere: false });
    expect((await claimRunById({ db: app.db, runId: run.id, worker: 'worker_alive_elsewhere', leaseSeconds: 600 })).claimed).toBe(true);
    await startApp(app);
    expect(await statusOf(app.db, run.id)).toBe('in_progress');
    const lease = await querySql<{ owner: string }>(app.db, 'select lease_owner as owner from assistant_run where id = $1', [run.id]);
    expect(lease.rows[0]?.owner).toBe('worker_alive_elsewhere');
  });
});
