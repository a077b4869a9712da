import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { createLocalNotifier } from '@/lib/db/notifications';
import type { TDb } from '@/lib/db/types';
import { createTestApp } from '../helpers/app';
import { buildBlockingModel, waitUntil } from '../helpers/models';
import { expectError } from '../helpers/contract';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Every paste-assistant route over real HTTP: success shapes, and each error of the contract.

let app: TApp;
let server: TTestServer;
const model = buildBlockingModel('Held answer with [a link](/docs/reference#rate-limits).');

beforeAll(async () => {
  app = await createTestApp({ overrides: { model }, env: { MESSAGE_WAIT_SECONDS: '1' } });
  server = await startTestServer(app);
});

afterAll(async () => {
  model.release();
  await server.close();
  await app.db.close();
});

const client = () => createClient(server.url);

describe('sessions', () => {
  it('gives the first request an httpOnly, SameSite=Lax signed session cookie and keeps it', async () => {
    const reader = client();
    const first = await reader.post('/api/paste-assistant-thread');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pa_session=[\w-]{22}\.[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const second = await reader.get('/api/paste-assistant-thread');
    expect(second.headers.get('set-cookie')).toBeNull();
    expect(second.body.data.map((thread: any) => thread.id)).toEqual([first.body.id]);
  });

  it('treats a forged cookie as a new session', async () => {
    const owner = client();
    const thread = await owner.post('/api/paste-assistant-thread');
    const forged = `pa_session=${owner.cookie!.split('=')[1]!.split('.')[0]}.forgedsignature`;
    const response = await client().get(`/api/paste-assistant-thread/${thread.body.id}`, { cookie: forged });
    expectError(response, 404, 'not_found');
  });
});

describe('threads', () => {
  it('creates a thread titled "New thread" in the Assistants shape', async () => {
    const response = await client().post('/api/paste-assistant-thread');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^thread_[a-f0-9]{32}$/),
      object: 'thread',
      created_at: expect.any(Number),
      metadata: { threadTitle: 'New thread' },
      tool_resources: {},
    });
    expect(Math.abs(response.body.created_at - Date.now() / 1000)).toBeLessThan(60);
  });

  it('lists the caller\'s threads newest first, paginated', async () => {
    const reader = client();
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) ids.push((await reader.post('/api/paste-assistant-thread')).body.id);
    const page = await reader.get('/api/paste-assistant-thread?limit=2');
    expect(page.body).toMatchObject({ object: 'list', has_more: true, first_id: ids[2], last_id: ids[1] });
    expect(page.body.data.map((thread: any) => thread.id)).toEqual([ids[2], ids[1]]);
    const rest = await reader.get(`/api/paste-assistant-thread?limit=2&after=${ids[1]}`);
    expect(rest.body.data.map((thread: any) => thread.id)).toEqual([ids[0]]);
    expect(rest.body.has_more).toBe(false);
    expectError(await reader.get('/api/paste-assistant-thread?limit=0'), 400, 'bad_request');
  });

  it('reads, merges metadata, and deletes', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    expect((await reader.get(`/api/paste-assistant-thread/${id}`)).body.id).toBe(id);

    const merged = await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { threadTitle: 'Slack setup', topic: 'slack' } });
    expect(merged.body.metadata).toEqual({ threadTitle: 'Slack setup', topic: 'slack' });
    const removed = await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { topic: null } });
    expect(removed.body.metadata).toEqual({ threadTitle: 'Slack setup' });

    const deleted = await reader.delete(`/api/paste-assistant-thread/${id}`);
    expect(deleted.body).toEqual({ id, object: 'thread.deleted', deleted: true });
    expectError(await reader.get(`/api/paste-assistant-thread/${id}`), 404, 'not_found');
  });

  it('enforces OpenAI\'s metadata limits', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v']));
    expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: tooMany }), 400, 'bad_request');
    expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { ['k'.repeat(65)]: 'v' } }), 400, 'bad_request');
    expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { k: 'v'.repeat(513) } }), 400, 'bad_request');
    // 16 keys after merging is the limit too: 1 existing + 16 new = 17.
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`k${index}`, 'v']));
    expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: sixteen }), 400, 'bad_request');
    expect((await reader.get(`/api/paste-assistant-thread/${id}`)).body.metadata).toEqual({ threadTitle: 'New thread' });
  });

  it('answers 404, not 403, for another session\'s thread, on every route', async () => {
    const owner = client();
    const intruder = client();
    const { id } = (await owner.post('/api/paste-assistant-thread')).body;
    await intruder.post('/api/paste-assistant-thread');
    expectError(await intruder.get(`/api/paste-assistant-thread/${id}`), 404, 'not_found');
    expectError(await intruder.put(`/api/paste-assistant-thread/${id}`, { metadata: { a: 'b' } }), 404, 'not_found');
    expectError(await intruder.delete(`/api/paste-assistant-thread/${id}`), 404, 'not_found');
    expectError(await intruder.get(`/api/paste-assistant-messages/${id}`), 404, 'not_found');
    expectError(await intruder.get(`/api/paste-assistant-thread/${id}/runs`), 404, 'not_found');
    expectError(await intruder.post('/api/paste-assistant-message', { threadId: id, message: 'hi' }), 404, 'not_found');
    expect((await owner.get(`/api/paste-assistant-thread/${id}`)).status).toBe(200);
  });

  it('rejects malformed ids with 400 before touching the database', async () => {
    const reader = client();
    expectError(await reader.get('/api/paste-assistant-thread/not-a-thread'), 400, 'bad_request');
    expectError(await reader.get("/api/paste-assistant-messages/thread_x'%20or%201=1"), 400, 'bad_request');
    expectError(await reader.get('/api/paste-assistant-thread/thread_abc/run/nope'), 400, 'bad_request');
  });
});

describe('methods and bodies', () => {
  it('answers 405 with Allow for unknown methods, on every route', async () => {
    const reader = client();
    const cases: [string, string, string][] = [
      ['PATCH', '/api/paste-assistant-thread', 'GET, HEAD, POST, DELETE'],
      ['PATCH', '/api/paste-assistant-thread/thread_abc', 'GET, HEAD, PUT, DELETE'],
      ['POST', '/api/paste-assistant-thread/thread_abc/run/run_abc', 'GET, HEAD'],
      ['GET', '/api/paste-assistant-thread/thread_abc/run/run_abc/cancel', 'POST'],
      ['PUT', '/api/paste-assistant-messages/thread_abc', 'GET, HEAD'],
      ['GET', '/api/paste-assistant-message', 'POST'],
      ['GET', '/api/paste-assistant-simple-completion', 'POST'],
      ['GET', '/api/docs-search', 'POST'],
      ['POST', '/api/health', 'GET, HEAD'],
    ];
    for (const [method, route, allow] of cases) {
      const response = await reader.request(method, route);
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow')).toBe(allow);
    }
  });

  it('answers HEAD wherever GET is served: the same status and headers, no body', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    for (const route of ['/api/health', '/api/paste-assistant-thread', `/api/paste-assistant-thread/${id}`, `/api/paste-assistant-messages/${id}`]) {
      const get = await reader.get(route);
      const head = await reader.request('HEAD', route);
      expect(head.status, route).toBe(get.status);
      expect(head.body, route).toBe('');
      expect(head.headers.get('content-type'), route).toBe(get.headers.get('content-type'));
      expect(Number(head.headers.get('content-length')), route).toBeGreaterThan(0);
    }
    const missing = await reader.request('HEAD', '/api/paste-assistant-thread/thread_0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('');
  });

  it('refuses bodies that are not JSON, not valid, too large, or missing fields', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    expectError(await reader.request('POST', '/api/paste-assistant-message', { body: 'threadId=1', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectError(await reader.request('POST', '/api/paste-assistant-message', { body: '{"threadId":', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId: id }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId: id, message: '   ' }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId: id, message: 'x'.repeat(40 * 1024) }), 413, 'payload_too_large');
    expectError(await reader.post('/api/paste-assistant-message', { threadId: id, message: 'x'.repeat(8001) }), 413, 'payload_too_large');
    const zod = await reader.post('/api/paste-assistant-message', { threadId: 'thread_bad-id', message: 'hi' });
    expectError(zod, 400, 'bad_request');
    expect(zod.body.error.message).toMatch(/^threadId: /);
    const messages = await reader.get(`/api/paste-assistant-messages/${id}`);
    expect(messages.body.data).toEqual([]);
  });
});

describe('messages and runs', () => {
  it('returns a pending run after the bounded wait; polling it reaches completed; messages are paginated', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    const sent = await reader.post('/api/paste-assistant-message', { threadId: id, message: 'Hold this' });
    expect(sent.status).toBe(200);
    expect(sent.body.run).toMatchObject({ object: 'thread.run', thread_id: id, status: 'in_progress', assistant_id: 'asst_paste_docs' });
    expect(sent.body.run.expires_at).toBeGreaterThan(Date.now() / 1000);

    const conflict = await reader.post('/api/paste-assistant-message', { threadId: id, message: 'Again' });
    expectError(conflict, 409, 'conflict');

    const latest = await reader.get(`/api/paste-assistant-thread/${id}/runs`);
    expect(latest.body.data.map((run: any) => run.id)).toEqual([sent.body.run.id]);

    model.release();
    let run = sent.body.run;
    await waitUntil(async () => {
      run = (await reader.get(`/api/paste-assistant-thread/${id}/run/${run.id}`)).body;
      return run.status === 'completed';
    });
    expect(run.completed_at).toEqual(expect.any(Number));

    const all = await reader.get(`/api/paste-assistant-messages/${id}`);
    expect(all.body.data.map((message: any) => message.role)).toEqual(['user', 'assistant']);
    expect(all.body.data[0]).toMatchObject({
      object: 'thread.message',
      thread_id: id,
      role: 'user',
      content: [{ type: 'text', text: { value: 'Hold this', annotations: [] } }],
    });
    const firstPage = await reader.get(`/api/paste-assistant-messages/${id}?limit=1`);
    expect(firstPage.body).toMatchObject({ has_more: true, first_id: all.body.data[0].id });
    const secondPage = await reader.get(`/api/paste-assistant-messages/${id}?limit=1&after=${all.body.data[0].id}`);
    expect(secondPage.body.data.map((message: any) => message.id)).toEqual([all.body.data[1].id]);
    const newestFirst = await reader.get(`/api/paste-assistant-messages/${id}?order=desc`);
    expect(newestFirst.body.data.map((message: any) => message.role)).toEqual(['assistant', 'user']);
    expectError(await reader.get(`/api/paste-assistant-messages/${id}?after=msg_doesnotexist`), 400, 'bad_request');
  });

  it('cancels an active run, and refuses to cancel it twice', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    const sent = await reader.post('/api/paste-assistant-message', { threadId: id, message: 'Stop me' });
    const cancelled = await reader.post(`/api/paste-assistant-thread/${id}/run/${sent.body.run.id}/cancel`);
    expect(cancelled.body).toMatchObject({ id: sent.body.run.id, status: 'cancelled', cancelled_at: expect.any(Number) });
    expectError(await reader.post(`/api/paste-assistant-thread/${id}/run/${sent.body.run.id}/cancel`), 409, 'conflict');
    model.release();
    expectError(await reader.get(`/api/paste-assistant-thread/${id}/run/run_doesnotexist`), 404, 'not_found');
  });
});

describe('simple completion, docs search, health', () => {
  it('returns a chat.completion whose content is a short title', async () => {
    const response = await client().post('/api/paste-assistant-simple-completion', {
      prompt: 'How do I set up the Slack notifications for my team, step by step?',
    });
    expect(response.body).toMatchObject({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant' } }] });
    const title: string = response.body.choices[0].message.content;
    // At most 60 characters (and the ellipsis of a cut), cut between words: the prompt's own words, from its start.
    expect(title.length).toBeLessThanOrEqual(61);
    expect('How do I set up the Slack notifications for my team, step by step?').toContain(title.replace(/…$/, ''));
    expect(title).toMatch(/\w…$/);
    expect(title).not.toMatch(/[?."']$/);
    expectError(await client().post('/api/paste-assistant-simple-completion', { prompt: '' }), 400, 'bad_request');
  });

  it('searches the docs, and refuses empty or oversized queries', async () => {
    const response = await client().post('/api/docs-search', { prompt: 'destructive button' });
    expect(response.status).toBe(200);
    expect(response.body.data[0]).toEqual({
      path: 'guides/buttons.mdx',
      slug: 'guides/buttons',
      url: '/docs/guides/buttons#destructive-button',
      title: 'Buttons',
      heading: 'Destructive button',
      content: expect.stringContaining('destructive variant'),
      similarity: expect.any(Number),
      kind: 'docs',
    });
    expectError(await client().post('/api/docs-search', { prompt: '' }), 400, 'bad_request');
    expectError(await client().post('/api/docs-search', { prompt: 'x'.repeat(4001) }), 400, 'bad_request');
  });

  it('reports the modes and the docs index size', async () => {
    const response = await client().get('/api/health');
    expect(response.body).toEqual({
      status: 'ok',
      modes: { store: 'embedded', model: 'chat', docsSearch: 'fulltext', slack: 'disabled', slackAnswers: 'off', session: 'configured', discord: 'off' },
      model: 'blocking',
      docs: {
        pages: 4,
        sections: expect.any(Number),
        failed: 0,
        // Every configured source, always: here the docs folder (loaded at start, it has no background sync) and the
        // maintainers' answers (always configured; none approved here; their sync may not have run yet).
        sources: [
          { kind: 'folder', resultKind: 'docs', isConfigured: true, pages: 4, sections: expect.any(Number), failed: 0, lastRun: expect.any(String), nextRun: null, lastError: null },
          { kind: 'answer', resultKind: 'answer', isConfigured: true, pages: 0, sections: 0, failed: 0, lastRun: expect.toBeOneOf([null, expect.any(String)]), nextRun: expect.toBeOneOf([null, expect.any(String)]), lastError: null },
        ],
      },
      // Pages are warmed by `next start`'s start-up only (lib/boot.ts), not by the route handlers served here.
      site: { pages: 'off', warmedInMs: null, warmed: [], navigationReads: expect.any(Number) },
      // Readers' identities and hand-offs: none set up here.
      identity: { readerToken: 'off', audienceRules: 0, signIn: 'off' },
      handoff: { channels: [] },
    });
    expect(response.body.docs.sections).toBeGreaterThanOrEqual(7);
    expect(response.body.docs.sources[0].sections).toBe(response.body.docs.sections);
  });
});

describe('internal failures', () => {
  it('answers 500 with the error contract and no internals when the database fails', async () => {
    const failing: TDb = {
      ...createLocalNotifier(),
      transport: 'pglite',
      rpc: async () => {
        throw Object.assign(new Error('connection reset by peer at db.internal:5432'), { code: '08006' });
      },
      close: async () => {},
    };
    const broken = await createTestApp({ overrides: { db: failing }, isStarted: false });
    const brokenServer = await startTestServer(broken);
    try {
      const response = await createClient(brokenServer.url).post('/api/paste-assistant-thread');
      expectError(response, 500, 'internal');
      expect(JSON.stringify(response.body)).not.toContain('5432');
    } finally {
      await brokenServer.close();
      setApp(app);
    }
  });
});
