import { describe, expect, inject, it } from 'vitest';
import { expectError } from '../helpers/contract';
import { FAKE_TITLE } from './helpers/fake-model';
import { answeredThread, mainClient, modelRequests, newThread, send, unknownId } from './helpers/tier';

// The success path of every route under `next start`, with the model behind OPENAI_BASE_URL (the fake Chat
// Completions server) — plus the 400s that the database raises (a 17th metadata key by merge, a vote on the
// reader's own message), which travel the same cross-bundle path as the 404s.

describe('threads', () => {
  it('creates a thread (with or without a body), in the Assistants shape, with a signed httpOnly session cookie', async () => {
    const reader = mainClient();
    const created = await reader.post('/api/paste-assistant-thread');
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^thread_[a-f0-9]{32}$/),
      object: 'thread',
      created_at: expect.any(Number),
      metadata: { threadTitle: 'New thread' },
      tool_resources: {},
    });
    expect(Math.abs(created.body.created_at - Date.now() / 1000)).toBeLessThan(120);
    const cookie = created.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pa_session=[\w-]{22}\.[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const withMetadata = await reader.post('/api/paste-assistant-thread', { metadata: { topic: 'slack' } });
    expect(withMetadata.body.metadata).toEqual({ threadTitle: 'New thread', topic: 'slack' });
    expect(withMetadata.headers.get('set-cookie')).toBeNull();
  });

  it("lists the caller's threads newest first, paginated, and no one else's", async () => {
    const reader = mainClient();
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) ids.push(await newThread(reader));
    await newThread(mainClient());
    const page = await reader.get('/api/paste-assistant-thread?limit=2');
    expect(page.body).toEqual({ object: 'list', data: [expect.objectContaining({ id: ids[2] }), expect.objectContaining({ id: ids[1] })], first_id: ids[2], last_id: ids[1], has_more: true });
    const rest = await reader.get(`/api/paste-assistant-thread?limit=2&after=${ids[1]}`);
    expect(rest.body.data.map((thread: { id: string }) => thread.id)).toEqual([ids[0]]);
    expect(rest.body.has_more).toBe(false);
  });

  it('reads, merges metadata (null removes a key), refuses a 17th key by merge, and deletes', async () => {
    const reader = mainClient();
    const id = await newThread(reader);
    expect((await reader.get(`/api/paste-assistant-thread/${id}`)).body).toMatchObject({ id, object: 'thread' });
    const merged = await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { threadTitle: 'Slack setup', topic: 'slack' } });
    expect(merged.status).toBe(200);
    expect(merged.body.metadata).toEqual({ threadTitle: 'Slack setup', topic: 'slack' });
    expect((await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { topic: null } })).body.metadata).toEqual({ threadTitle: 'Slack setup' });

    // 1 key there + 15 new = 16: allowed. Then one more: the 17th, refused by the database's merge (PA400).
    const fifteen = Object.fromEntries(Array.from({ length: 15 }, (_, index) => [`k${index}`, 'v']));
    expect((await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: fifteen })).status).toBe(200);
    const seventeenth = await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { k15: 'v' } });
    expectError(seventeenth, 400, 'bad_request');
    expect(seventeenth.body.error.message).toMatch(/16 keys/);
    // Replacing an existing key is not a new one.
    expect((await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { k0: 'changed' } })).body.metadata.k0).toBe('changed');
    // Over the limits in one request: refused by zod before the database.
    expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { ['k'.repeat(65)]: 'v' } }), 400, 'bad_request');
    expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata: { k: 'v'.repeat(513) } }), 400, 'bad_request');
    expect(Object.keys((await reader.get(`/api/paste-assistant-thread/${id}`)).body.metadata)).toHaveLength(16);

    expect((await reader.delete(`/api/paste-assistant-thread/${id}`)).body).toEqual({ id, object: 'thread.deleted', deleted: true });
    expectError(await reader.get(`/api/paste-assistant-thread/${id}`), 404, 'not_found');
    expectError(await reader.delete(`/api/paste-assistant-thread/${id}`), 404, 'not_found');
  });
});

describe('messages and runs', () => {
  it('answers a question through the model and the docs tool, with citations, in one request', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const question = 'How do I set up the Slack bot token?';
    const run = await send(reader, threadId, question);
    expect(run).toMatchObject({
      object: 'thread.run',
      thread_id: threadId,
      assistant_id: 'asst_paste_docs',
      status: 'completed',
      last_error: null,
      required_action: null,
      model: 'fake-model',
      completed_at: expect.any(Number),
    });
    // The model was asked twice: once it called the docs tool, then it answered from the tool's results.
    const asked = (await modelRequests()).filter((request) => request.question === question);
    expect(asked.map((request) => request.kind)).toEqual(['tool_call', 'answer']);
    expect(asked.every((request) => request.isStreamed)).toBe(true);

    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body).toMatchObject({ object: 'list', has_more: false });
    const [user, answer] = messages.body.data;
    expect(user).toMatchObject({ object: 'thread.message', role: 'user', thread_id: threadId, content: [{ type: 'text', text: { value: question, annotations: [] } }] });
    expect(answer).toMatchObject({ object: 'thread.message', role: 'assistant', status: 'completed', run_id: run.id, assistant_id: 'asst_paste_docs' });
    const text = answer.content[0].text;
    expect(text.value).toMatch(/^The docs explain this in \[.+\]\(\/docs\/[^)]+\)\.$/);
    expect(text.annotations).toEqual([expect.objectContaining({ type: 'url_citation' })]);

    const latest = await reader.get(`/api/paste-assistant-thread/${threadId}/runs`);
    expect(latest.body).toMatchObject({ object: 'list', data: [{ id: run.id, status: 'completed' }], has_more: false });
    const read = await reader.get(`/api/paste-assistant-thread/${threadId}/run/${run.id}`);
    expect(read.body).toMatchObject({ id: run.id, status: 'completed', usage: { total_tokens: expect.any(Number) } });
  });

  it('Retry: a new run for a question whose answer failed, without storing the question again; refused once answered', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    // The fake model rejects this question every time, so each run fails and the question stays retryable.
    const question = 'Retried question [[model:401]]';
    const first = await send(reader, threadId, question);
    expect(first.status).toBe('failed');
    const [stored] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { id: string }[];
    const retried = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: stored!.id });
    expect(retried.status).toBe(200);
    expect(retried.body.run).toMatchObject({ object: 'thread.run', thread_id: threadId, status: 'failed', last_error: { code: 'invalid_api_key' } });
    expect(retried.body.run.id).not.toBe(first.id);
    expect((await modelRequests()).filter((request) => request.question === question)).toHaveLength(2);
    const messages = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { id: string; role: string }[];
    expect(messages.map((message) => [message.id, message.role])).toEqual([[stored!.id, 'user']]);
    // Another session's thread is not found; an answered question is not retried.
    expectError(await mainClient().post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: stored!.id }), 404, 'not_found');
    const answered = await answeredThread(reader);
    expectError(await reader.post(`/api/paste-assistant-thread/${answered.threadId}/runs`, { messageId: answered.userMessageId }), 409, 'conflict');
  });

  it('lists messages oldest first by default, newest first on request, a page at a time', async () => {
    const reader = mainClient();
    const { threadId } = await answeredThread(reader);
    await send(reader, threadId, 'And how do I test it?');
    const all = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { id: string; role: string }[];
    expect(all.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const first = await reader.get(`/api/paste-assistant-messages/${threadId}?limit=2`);
    expect(first.body).toMatchObject({ has_more: true, first_id: all[0]!.id, last_id: all[1]!.id });
    const second = await reader.get(`/api/paste-assistant-messages/${threadId}?limit=2&after=${all[1]!.id}`);
    expect(second.body.data.map((message: { id: string }) => message.id)).toEqual([all[2]!.id, all[3]!.id]);
    expect(second.body.has_more).toBe(false);
    const desc = await reader.get(`/api/paste-assistant-messages/${threadId}?order=desc&limit=1`);
    expect(desc.body.data.map((message: { id: string }) => message.id)).toEqual([all[3]!.id]);
  });

  it('votes on an answer (up, down, taken back), lists the votes, and refuses a vote on the reader\'s own message', async () => {
    const reader = mainClient();
    const { threadId, answerId, userMessageId } = await answeredThread(reader);
    const up = await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: answerId, vote: 'up' });
    expect(up.body).toEqual({ object: 'thread.message.vote', thread_id: threadId, message_id: answerId, vote: 'up', reason: null });
    expect((await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: answerId, vote: 'down' })).body.vote).toBe('down');
    expect((await reader.get(`/api/paste-assistant-message-vote?threadId=${threadId}`)).body).toEqual({
      object: 'list',
      data: [{ object: 'thread.message.vote', thread_id: threadId, message_id: answerId, vote: 'down' }],
    });
    expect((await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: answerId, vote: null })).body.vote).toBeNull();
    expect((await reader.get(`/api/paste-assistant-message-vote?threadId=${threadId}`)).body.data).toEqual([]);

    const ownMessage = await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: userMessageId, vote: 'up' });
    expectError(ownMessage, 400, 'bad_request');
    expect(ownMessage.body.error.message).toMatch(/answers can be voted/);
  });
});

describe('simple completion, docs search, health', () => {
  it('titles a thread with the model (a chat.completion)', async () => {
    const response = await mainClient().post('/api/paste-assistant-simple-completion', { prompt: 'How do I configure Slack for my team?' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'chat.completion',
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: FAKE_TITLE }, finish_reason: 'stop' }],
    });
  });

  it('searches the docs', async () => {
    const response = await mainClient().post('/api/docs-search', { prompt: 'slack bot token', limit: 3 });
    expect(response.status).toBe(200);
    expect(response.body.data.length).toBeGreaterThan(0);
    expect(response.body.data.length).toBeLessThanOrEqual(3);
    expect(response.body.data[0]).toEqual({
      path: expect.stringMatching(/\.mdx?$/),
      slug: expect.any(String),
      url: expect.stringMatching(/^\/docs\//),
      title: expect.any(String),
      heading: expect.any(String),
      content: expect.any(String),
      similarity: expect.any(Number),
      kind: 'docs',
    });
  });

  it('reports its modes: the model behind OPENAI_BASE_URL, Slack on, the configured secret; no URLs or keys', async () => {
    const response = await mainClient().get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      modes: { store: 'embedded', model: 'chat', docsSearch: 'fulltext', slack: 'enabled', slackAnswers: 'on', session: 'configured', discord: 'off' },
      model: 'fake-model',
      docs: {
        pages: expect.any(Number),
        sections: expect.any(Number),
        failed: 0,
        // Each source (issue 37): here the docs folder, synced at start, and the maintainers' answers (always configured).
        sources: [
          {
            kind: 'folder',
            resultKind: 'docs',
            isConfigured: true,
            pages: expect.any(Number),
            sections: expect.any(Number),
            failed: 0,
            lastRun: expect.any(String),
            nextRun: null,
            lastError: null,
          },
          {
            kind: 'answer',
            resultKind: 'answer',
            isConfigured: true,
            // Answers other files of the tier approved may be indexed meanwhile.
            pages: expect.any(Number),
            sections: expect.any(Number),
            failed: 0,
            lastRun: expect.toBeOneOf([null, expect.any(String)]),
            nextRun: expect.toBeOneOf([null, expect.any(String)]),
            lastError: null,
          },
        ],
      },
      // The pages warmed after start-up (lib/docs/site/warm.ts), or still warming.
      site: expect.objectContaining({ pages: expect.toBeOneOf(['warming', 'warm']), navigationReads: expect.any(Number) }),
      // How readers get audiences (issue 57) and where hand-offs go (issue 56): modes and names, never a secret.
      identity: expect.objectContaining({ readerToken: expect.toBeOneOf(['off', 'hs256', 'jwks']), signIn: 'off' }),
      handoff: { channels: expect.any(Array) },
    });
    expect(response.body.docs.pages).toBeGreaterThanOrEqual(10);
    expect(response.body.docs.sources[0].pages).toBe(response.body.docs.pages);
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|xoxb|secret/i);
  });

  it('answers HEAD wherever GET is served: the same status and type, no body (load balancers probe /api/health)', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const head = (route: string) => fetch(`${inject('mainUrl')}${route}`, { method: 'HEAD', headers: { cookie: reader.cookie ?? '' } });
    for (const route of ['/api/health', '/api/paste-assistant-thread', `/api/paste-assistant-thread/${threadId}`, `/api/paste-assistant-messages/${threadId}`]) {
      const response = await head(route);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toMatch(/^application\/json/);
      expect(await response.text(), route).toBe('');
    }
    const missing = await head(`/api/paste-assistant-thread/${unknownId('thread')}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
  });
});
