import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '@/lib/app';
import { createThreadForCaller } from '@/lib/assistant/service';
import { setVoteForCaller } from '@/lib/assistant/votes';
import { parseConfig } from '@/lib/config';
import { setSlackOutboxEnabled } from '@/lib/db/slack-outbox';
import { createSupabaseDb } from '@/lib/db/supabase';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The production transport against Supabase's REST endpoint for functions (PostgREST), at the network edge.

const SUPABASE_URL = 'https://project-ref.supabase.test';
const SERVICE_ROLE_KEY = 'service-role-key-for-tests';
const server = setupServer();

type TRpcRequest = { method: string; path: string; apikey: string | null; authorization: string | null; contentType: string | null; body: unknown };
let requests: TRpcRequest[] = [];

function answerRpc(respond: (fn: string, body: unknown) => Response) {
  server.use(
    http.all(`${SUPABASE_URL}/rest/v1/rpc/:fn`, async ({ request, params }) => {
      const text = await request.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      requests.push({
        method: request.method,
        path: new URL(request.url).pathname,
        apikey: request.headers.get('apikey'),
        authorization: request.headers.get('authorization'),
        contentType: request.headers.get('content-type'),
        body,
      });
      return respond(String(params.fn), body);
    }),
  );
}

const postgrestError = (status: number, code: string, message: string) =>
  HttpResponse.json({ code, message, details: null, hint: null }, { status });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  requests = [];
});
afterAll(() => server.close());

describe('Supabase transport (msw for PostgREST)', () => {
  const db = createSupabaseDb({ url: SUPABASE_URL, serviceRoleKey: SERVICE_ROLE_KEY });

  it('calls POST /rest/v1/rpc/<fn> with the service role key and the named arguments as JSON', async () => {
    const thread = { id: 'thread_abc', metadata: { threadTitle: 'New thread' }, slack_thread_ts: null };
    answerRpc(() => HttpResponse.json(thread));
    const result = await db.rpc('get_thread_by_id', { p_owner: 'owner_1', p_thread_id: 'thread_abc' });
    expect(result).toEqual(thread);
    expect(requests).toEqual([
      {
        method: 'POST',
        path: '/rest/v1/rpc/get_thread_by_id',
        apikey: SERVICE_ROLE_KEY,
        authorization: `Bearer ${SERVICE_ROLE_KEY}`,
        contentType: expect.stringMatching(/^application\/json/),
        body: { p_owner: 'owner_1', p_thread_id: 'thread_abc' },
      },
    ]);
  });

  it('sends jsonb arguments as JSON values and returns null for a void function', async () => {
    answerRpc(() => new HttpResponse(null, { status: 204 }));
    await expect(db.rpc('record_docs_query', { p_query: 'tokens', p_result_count: 0, p_source: 'site' })).resolves.toBeNull();
    answerRpc(() => HttpResponse.json(true));
    await setSlackOutboxEnabled({ db, isEnabled: true });
    expect(requests.map((request) => [request.path, request.body])).toEqual([
      ['/rest/v1/rpc/record_docs_query', { p_query: 'tokens', p_result_count: 0, p_source: 'site' }],
      ['/rest/v1/rpc/set_slack_outbox_enabled', { p_enabled: true }],
    ]);
  });

  it.each([
    ['PA400', 400, 'bad_request'],
    ['PA404', 404, 'not_found'],
    ['PA409', 409, 'conflict'],
  ] as const)('maps a PostgREST error with SQLSTATE %s to HTTP %i', async (sqlstate, status, code) => {
    answerRpc(() => postgrestError(400, sqlstate, 'No thread found with id thread_x'));
    const error = await db.rpc('get_thread_by_id', { p_owner: 'o', p_thread_id: 'thread_x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, status, message: 'No thread found with id thread_x' });
  });

  it('turns a missing function (PGRST202) into a 500 that reveals nothing, and an unreachable server into a 503', async () => {
    answerRpc(() => postgrestError(404, 'PGRST202', 'Could not find the function public.get_thread_by_id(p_owner, p_thread_id) in the schema cache'));
    const missing = await db.rpc('get_thread_by_id', { p_owner: 'o', p_thread_id: 't' }).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ code: 'internal', status: 500 });
    expect((missing as AppError).message).not.toContain('schema cache');
    expect((missing as AppError).detail).toMatchObject({ fn: 'get_thread_by_id', code: 'PGRST202' });

    server.use(http.post(`${SUPABASE_URL}/rest/v1/rpc/:fn`, () => HttpResponse.error()));
    const down = await db.rpc('get_thread_by_id', { p_owner: 'o', p_thread_id: 't' }).catch((caught: unknown) => caught);
    expect(down).toMatchObject({ code: 'unavailable', status: 503 });

    server.resetHandlers();
    answerRpc(() => postgrestError(503, 'PGRST001', 'Database client error. Retrying the connection.'));
    const noPostgres = await db.rpc('get_thread_by_id', { p_owner: 'o', p_thread_id: 't' }).catch((caught: unknown) => caught);
    expect(noPostgres).toMatchObject({ code: 'unavailable', status: 503 });
  });

  it('refuses function names that are not identifiers before any request', async () => {
    answerRpc(() => HttpResponse.json(null));
    await expect(db.rpc('get_thread_by_id; drop table x', {})).rejects.toMatchObject({ code: 'internal' });
    expect(requests).toEqual([]);
  });

  it('carries the app: a thread, a vote and the Slack switch go through supabase-js when SUPABASE_URL is set', async () => {
    const config = parseConfig({
      NODE_ENV: 'test',
      SUPABASE_URL,
      SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
      SESSION_SECRET: 'supabase-test-session-secret-0123456789',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_CHANNEL_ID: 'C0TEST',
    });
    const app = await createApp(config, { log: createLogger({ level: 'silent' }), reviewChannelOptions: { isAutoDelivering: false } });
    expect(app.db.transport).toBe('supabase');
    answerRpc((fn, body) => {
      if (fn === 'create_thread') {
        return HttpResponse.json({ id: 'thread_sb1', created_at: '2026-11-21T00:00:00Z', updated_at: '2026-11-21T00:00:00Z', metadata: (body as { p_metadata: unknown }).p_metadata, slack_thread_ts: null });
      }
      if (fn === 'set_message_vote_by_id') return HttpResponse.json({ thread_id: 'thread_sb1', message_id: 'msg_1', vote: 'down' });
      return postgrestError(404, 'PGRST202', 'unknown');
    });
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: 'owner_sb' });
    expect(thread).toMatchObject({ id: 'thread_sb1', object: 'thread', metadata: { threadTitle: 'New thread' } });
    const vote = await setVoteForCaller({ deps: app!, owner: 'owner_sb', threadId: 'thread_sb1', messageId: 'msg_1', vote: 'down' });
    expect(vote).toEqual({ object: 'thread.message.vote', thread_id: 'thread_sb1', message_id: 'msg_1', vote: 'down', reason: null });
    expect(requests.map((request) => [request.path, request.body])).toEqual([
      ['/rest/v1/rpc/create_thread', { p_owner: 'owner_sb', p_metadata: { threadTitle: 'New thread' } }],
      ['/rest/v1/rpc/set_message_vote_by_id', { p_owner: 'owner_sb', p_thread_id: 'thread_sb1', p_message_id: 'msg_1', p_vote: 'down', p_reason: null }],
    ]);
    await app.db.close();
  });
});
