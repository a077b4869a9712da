import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '@/lib/model/types';
import { createTestDb } from '../helpers/pglite-template';
import { createLogger } from '@/lib/log';
import { buildScriptedModel, toolCall } from '../helpers/models';
import { createSession, startInstances, type TInstances } from '../helpers/instances';

// Logs at info level during a whole conversation, errors included: structured JSON lines with request ids,
// and never a message body, a key or a cookie.

const CANARIES = {
  OPENAI_API_KEY: 'sk-test-canary-openai-5f1e2d',
  SUPABASE_SERVICE_ROLE_KEY: 'canary-service-role-7a8b9c',
  SESSION_SECRET: 'canary-session-secret-0123456789abcdefghij',
};
const QUESTION = 'Where-is-my-secret-question-alpha';
const ANSWER = 'Here-is-the-secret-answer-bravo';
const TITLE = 'Secret-title-charlie';
const SEARCH = 'secret-search-delta';
const BROKEN = 'BREAK-secret-echo';

const lines: string[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let instances: TInstances;
const model = buildScriptedModel([
  { type: 'tool_calls', calls: [toolCall(QUESTION)] },
  { type: 'message', text: ANSWER },
  new ModelError('server_error', 'The model failed.'),
  { type: 'message', text: ANSWER },
]);

beforeAll(async () => {
  const db = await createTestDb();
  // A database error whose DETAIL quotes the failing row (as Postgres does for constraint violations).
  await db.pg.exec(`
    create or replace function test_echo_row() returns trigger language plpgsql as $$
    begin
      if new.content::text like '%BREAK%' then
        raise exception 'new row violates check constraint' using errcode = '23514', detail = 'Failing row contains (' || new.content::text || ')';
      end if;
      return new;
    end $$;
    create trigger test_echo_row before insert on assistant_message for each row execute function test_echo_row();`);
  instances = await startInstances({
    count: 1,
    db,
    env: { ...CANARIES, SUPABASE_URL: 'https://canary.supabase.co', LOG_LEVEL: 'info', RATE_LIMIT_BURST: '3', RATE_LIMIT_BURST_SECONDS: '3600' },
    overrides: () => ({ model, log: createLogger({ level: 'info', destination }) }),
  });
});
afterAll(() => instances.close());

describe('logs at info level', () => {
  it('carry request ids, and no message text, keys or cookies through a conversation and its failures', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    const requestIds: string[] = [];
    const track = <T extends { headers: Headers }>(response: T) => {
      requestIds.push(response.headers.get('x-request-id') ?? 'missing');
      return response;
    };
    // Its own session: three requests in a burst, then refused (429).
    const threadId = track(await reader.post(base, '/api/paste-assistant-thread')).body.id;
    const sent = track(await reader.post(base, '/api/paste-assistant-message', { threadId, message: QUESTION }));
    expect(sent.body.run.status).toBe('completed');
    track(await reader.request(base, 'PUT', `/api/paste-assistant-thread/${threadId}`, { json: { metadata: { threadTitle: TITLE } } }));
    expect(track(await reader.post(base, '/api/docs-search', { prompt: SEARCH })).status).toBe(429);

    const other = createSession();
    const otherThread = (await other.post(base, '/api/paste-assistant-thread')).body.id;
    expect((await other.post(base, '/api/paste-assistant-message', { threadId: otherThread, message: QUESTION })).body.run.status).toBe('failed');
    expect((await other.post(base, '/api/paste-assistant-simple-completion', { prompt: TITLE })).status).toBe(200);
    const third = createSession();
    expect((await third.post(base, '/api/paste-assistant-message', { threadId: otherThread.replace(/.$/, '0'), message: QUESTION })).status).toBe(404);
    expect((await third.post(base, '/api/docs-search', { prompt: SEARCH })).status).toBe(200);
    expect((await third.post(base, '/api/paste-assistant-message', { threadId: 'bad id', message: QUESTION })).status).toBe(400);
    const fourth = createSession();
    const fourthThread = (await fourth.post(base, '/api/paste-assistant-thread')).body.id;
    expect((await fourth.post(base, '/api/paste-assistant-message', { threadId: fourthThread, message: BROKEN })).status).toBe(500);

    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of parsed) expect(entry.level as number).toBeGreaterThanOrEqual(30);

    // Structured, with the request id every response carried.
    const requests = parsed.filter((entry) => entry.msg === 'request' || entry.msg === 'request refused' || entry.msg === 'request failed');
    for (const id of requestIds) expect(requests.map((entry) => entry.requestId)).toContain(id);
    expect(requests.find((entry) => entry.status === 429)).toMatchObject({ code: 'rate_limited', limit: 'session_burst' });
    expect(parsed.find((entry) => entry.msg === 'request failed')).toMatchObject({ status: 500, code: 'internal', requestId: expect.any(String) });
    expect(parsed.find((entry) => entry.msg === 'model call failed')).toMatchObject({ code: 'server_error', runId: expect.any(String) });

    for (const secret of [QUESTION, ANSWER, TITLE, SEARCH, 'secret-echo', ...Object.values(CANARIES)]) expect(text).not.toContain(secret);
    for (const cookie of [reader.cookie, other.cookie, third.cookie, fourth.cookie]) {
      expect(cookie).toBeDefined();
      expect(text).not.toContain(cookie!.split('=')[1]!);
      expect(text).not.toContain(cookie!.split('=')[1]!.split('.')[0]!);
    }
  });
});
