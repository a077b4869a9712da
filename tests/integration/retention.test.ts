import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { deleteThreadsByOwner, deleteThreadsInactiveSince } from '@/lib/db/retention';
import { createSupabaseDb } from '@/lib/db/supabase';
import type { TDb } from '@/lib/db/types';
import { createTestApp } from '../helpers/app';
import { createTestDb } from '../helpers/pglite-template';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { SLACK_ENV } from '../helpers/slack';
import { querySql, STORES } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Retention: threads inactive for longer than RETENTION_DAYS are deleted by the sweeper, with their messages,
// runs and Slack outbox rows; and a reader deletes all their threads at once (DELETE /api/paste-assistant-thread).
// On PGlite and on a real Postgres server, and the SQL through the Supabase transport (PostgREST at the edge).

const READER = 'owner_retention_reader_0001';
const OTHER = 'owner_retention_other_00002';

async function threadWithMessage(app: TApp, owner: string, text: string) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner, metadata: { threadTitle: text } });
  const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner, threadId: thread.id, text });
  expect(run.status).toBe('completed');
  return thread.id;
}

async function countRows(db: TDb, threadIds: string[]) {
  const count = async (table: string) =>
    Number((await querySql<{ n: string }>(db, `select count(*)::text as n from ${table} where thread_id = any($1)`, [threadIds])).rows[0]?.n);
  return {
    threads: Number((await querySql<{ n: string }>(db, 'select count(*)::text as n from assistant_thread where id = any($1)', [threadIds])).rows[0]?.n),
    messages: await count('assistant_message'),
    runs: await count('assistant_run'),
    outbox: await count('slack_outbox'),
  };
}

const age = (db: TDb, threadId: string, days: number) =>
  querySql(db, `update assistant_thread set updated_at = now() - make_interval(days => $2) where id = $1`, [threadId, days]);

describe.each(STORES)('retention on %s', (store) => {
  const apps: TApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.db.close();
  });

  async function setup(env: Record<string, string> = {}) {
    // Slack enabled (delivery off): every thread and message queues outbox rows, as in production.
    const app = await createTestApp({ store, env: { ...SLACK_ENV, ...env }, overrides: { reviewChannelOptions: { isAutoDelivering: false } }, isStarted: false });
    await import('@/lib/db/slack-outbox').then(({ setSlackOutboxEnabled }) => setSlackOutboxEnabled({ db: app.db, isEnabled: true }));
    apps.push(app);
    return app;
  }

  it('the sweeper deletes threads inactive past RETENTION_DAYS, with their messages, runs and Slack outbox rows', async () => {
    const app = await setup({ RETENTION_DAYS: '30' });
    const old = await threadWithMessage(app, READER, 'An old question');
    const recent = await threadWithMessage(app, READER, 'A recent question');
    const othersOld = await threadWithMessage(app, OTHER, 'Another reader’s old question');
    await age(app.db, old, 31);
    await age(app.db, othersOld, 45);
    await age(app.db, recent, 29);
    expect(await countRows(app.db, [old, othersOld])).toEqual({ threads: 2, messages: 4, runs: 2, outbox: expect.any(Number) });
    expect((await countRows(app.db, [old])).outbox).toBeGreaterThan(0);

    expect(await app.retention.sweep()).toBe(2);
    expect(await countRows(app.db, [old, othersOld])).toEqual({ threads: 0, messages: 0, runs: 0, outbox: 0 });
    const kept = await countRows(app.db, [recent]);
    expect(kept).toMatchObject({ threads: 1, messages: 2, runs: 1 });
    expect(kept.outbox).toBeGreaterThan(0);
    // Nothing more to delete.
    expect(await app.retention.sweep()).toBe(0);
  });

  it('its own job’s rounds apply it (the first after RUN_SWEEP_SECONDS)', async () => {
    const app = await setup({ RETENTION_DAYS: '7', RUN_SWEEP_SECONDS: '1' });
    const old = await threadWithMessage(app, READER, 'Stale thread');
    await age(app.db, old, 8);
    app.retention.start();
    await waitUntil(async () => (await countRows(app.db, [old])).threads === 0, 15_000);
    expect(await countRows(app.db, [old])).toEqual({ threads: 0, messages: 0, runs: 0, outbox: 0 });
  });

  it('keeps every thread when RETENTION_DAYS is not set (the default)', async () => {
    const app = await setup();
    expect(app.config.retentionDays).toBeNull();
    const old = await threadWithMessage(app, READER, 'Kept forever');
    await age(app.db, old, 3650);
    expect(await app.retention.sweep()).toBe(0);
    expect((await countRows(app.db, [old])).threads).toBe(1);
  });

  describe('DELETE /api/paste-assistant-thread', () => {
    let server: TTestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('deletes all of the caller’s threads with their outbox rows, and nobody else’s', async () => {
      const app = await setup();
      server = await startTestServer(app);
      const reader = createClient(server.url);
      const other = createClient(server.url);
      const mine: string[] = [];
      for (const text of ['First', 'Second', 'Third']) {
        const thread = await reader.post('/api/paste-assistant-thread');
        expect((await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: text })).status).toBe(200);
        mine.push(thread.body.id);
      }
      const theirs = (await other.post('/api/paste-assistant-thread')).body.id as string;
      expect((await other.post('/api/paste-assistant-message', { threadId: theirs, message: 'Mine' })).status).toBe(200);
      expect((await countRows(app.db, mine)).outbox).toBeGreaterThan(0);

      const deleted = await reader.delete('/api/paste-assistant-thread');
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ object: 'thread.deleted_all', deleted: true, count: 3 });
      expect(await countRows(app.db, mine)).toEqual({ threads: 0, messages: 0, runs: 0, outbox: 0 });
      expect((await reader.get('/api/paste-assistant-thread')).body.data).toEqual([]);
      expect((await reader.get(`/api/paste-assistant-thread/${mine[0]}`)).status).toBe(404);
      expect((await other.get('/api/paste-assistant-thread')).body.data.map((thread: { id: string }) => thread.id)).toEqual([theirs]);
      expect((await countRows(app.db, [theirs])).threads).toBe(1);
      // Again: nothing left, still a success.
      expect((await reader.delete('/api/paste-assistant-thread')).body.count).toBe(0);
    });

    it('is a write: refused from another site’s page', async () => {
      const app = await setup();
      server = await startTestServer(app);
      const reader = createClient(server.url);
      await reader.post('/api/paste-assistant-thread');
      const refused = await reader.request('DELETE', '/api/paste-assistant-thread', { headers: { origin: 'https://evil.example' } });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('origin_not_allowed');
      expect((await reader.get('/api/paste-assistant-thread')).body.data).toHaveLength(1);
    });
  });
});

describe('retention SQL through the Supabase transport (PostgREST at the network edge, PGlite behind it)', () => {
  const SUPABASE_URL = 'https://project-ref.supabase.test';
  const server = setupServer();
  let backing: TDb;
  beforeAll(async () => {
    backing = await createTestDb();
    server.use(
      http.post(`${SUPABASE_URL}/rest/v1/rpc/:fn`, async ({ request, params }) => {
        // PostgREST passes the JSON body's keys as named arguments; so does the PGlite transport.
        const args = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(await backing.rpc(String(params.fn), args));
      }),
    );
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    server.close();
    await backing.close();
  });

  it('deletes by owner and by age', async () => {
    const db = createSupabaseDb({ url: SUPABASE_URL, serviceRoleKey: 'service-role-key-for-tests' });
    const a = await backing.rpc<{ id: string }>('create_thread', { p_owner: READER, p_metadata: {} });
    const b = await backing.rpc<{ id: string }>('create_thread', { p_owner: OTHER, p_metadata: {} });
    await querySql(backing, `update assistant_thread set updated_at = now() - interval '100 days' where id = $1`, [b.id]);
    expect(await deleteThreadsInactiveSince({ db, days: 90 })).toEqual({ deleted: 1, slack_posts_deleted: 0 });
    expect(await deleteThreadsByOwner({ db, owner: READER })).toEqual({ deleted: 1, slack_posts_deleted: 0 });
    expect((await querySql(backing, 'select id from assistant_thread where id = any($1)', [[a.id, b.id]])).rows).toEqual([]);
  });
});
