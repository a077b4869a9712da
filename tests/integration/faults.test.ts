import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError, type TModelClient, type TModelResponse } from '@/lib/model/types';
import { createTestDb } from '../helpers/pglite-template';
import type { TDb } from '@/lib/db/types';
import { buildBlockingModel, waitUntil } from '../helpers/models';
import { createSession, expectError, startInstances, type TInstances, type TSession } from '../helpers/instances';

// Each fault injected for real: the model failing in every way a model fails, the database failing between
// and inside statements, and two requests racing for one thread. The reader's message is never lost.

type TStep = 'ok' | 'hang' | 'truncated' | 'empty' | ModelError;

/** A model that plays one step per call, and remembers whether a hanging call was aborted. */
function buildFaultyModel() {
  const steps: TStep[] = [];
  const aborted: boolean[] = [];
  const model: TModelClient & { steps: TStep[]; aborted: boolean[] } = {
    name: 'faulty',
    mode: 'chat',
    steps,
    aborted,
    respond({ signal }) {
      const step = steps.shift() ?? 'ok';
      if (step instanceof ModelError) return Promise.reject(step);
      if (step === 'hang') {
        return new Promise((_, reject) => signal?.addEventListener('abort', () => (aborted.push(true), reject(new Error('aborted')))));
      }
      const output = step === 'truncated' ? undefined : { type: 'message' as const, text: step === 'empty' ? '  ' : 'Here is how.' };
      return Promise.resolve({ output, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } } as TModelResponse);
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
  };
  return model;
}

const TERMINAL = ['completed', 'failed', 'cancelled', 'expired', 'incomplete'];

async function pollRun(session: TSession, base: string, threadId: string, runId: string, timeoutMs = 15_000) {
  let run: any;
  await waitUntil(async () => {
    run = (await session.get(base, `/api/paste-assistant-thread/${threadId}/run/${runId}`)).body;
    return TERMINAL.includes(run.status);
  }, timeoutMs);
  return run;
}

/**
 * The run a message POST started, once it has ended: the route answers with the run still pending after
 * MESSAGE_WAIT_SECONDS, which a loaded machine can reach before the offline model has answered.
 */
async function endedRun(session: TSession, base: string, threadId: string, sent: { body: any }) {
  return TERMINAL.includes(sent.body.run.status) ? sent.body.run : pollRun(session, base, threadId, sent.body.run.id);
}

describe('model faults → run failed with a reason, message kept, retry works', () => {
  const model = buildFaultyModel();
  let instances: TInstances;
  beforeAll(async () => {
    instances = await startInstances({ count: 1, env: { MODEL_TIMEOUT_SECONDS: '1', MESSAGE_WAIT_SECONDS: '5' }, overrides: () => ({ model }) });
  });
  afterAll(() => instances.close());

  const cases: [string, TStep, { code: string; message: RegExp }][] = [
    ['a 500 from the model', new ModelError('server_error', 'The model service had a problem (500). Please try again.'), { code: 'server_error', message: /500/ }],
    ['a 429 from the model', new ModelError('rate_limit_exceeded', 'The model is busy right now (429). Please try again in a moment.'), { code: 'rate_limit_exceeded', message: /busy/ }],
    ['a model that never answers', 'hang', { code: 'timeout', message: /took too long/ }],
    ['a truncated response (no output)', 'truncated', { code: 'server_error', message: /incomplete answer/ }],
    ['an empty answer', 'empty', { code: 'server_error', message: /incomplete answer/ }],
  ];

  for (const [name, step, expected] of cases) {
    it(`survives ${name}`, async () => {
      const [base] = instances.urls as [string];
      const reader = createSession();
      const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
      model.steps.push(step);
      const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: `Question facing ${name}` });
      expect(sent.status).toBe(200);
      const failed = sent.body.run.status === 'failed' ? sent.body.run : await pollRun(reader, base, threadId, sent.body.run.id);
      expect(failed.status).toBe('failed');
      expect(failed.last_error).toEqual({ code: expected.code, message: expect.stringMatching(expected.message) });

      const kept = await reader.get(base, `/api/paste-assistant-messages/${threadId}`);
      expect(kept.body.data.map((message: any) => [message.role, message.content[0].text.value])).toEqual([['user', `Question facing ${name}`]]);

      // Retry: the reader sends it again, and this time the model answers.
      const retried = await reader.post(base, '/api/paste-assistant-message', { threadId, message: `Question facing ${name}` });
      expect((await endedRun(reader, base, threadId, retried)).status).toBe('completed');
      const after = await reader.get(base, `/api/paste-assistant-messages/${threadId}`);
      expect(after.body.data.map((message: any) => message.role)).toEqual(['user', 'user', 'assistant']);
      if (step === 'hang') expect(model.aborted).toEqual([true]);
    });
  }
});

type TFailingDb = TDb & { pg: PGlite; failOn: Set<string>; failures: string[] };

/** The real PGlite database, except that calls to the functions in `failOn` fail as a dropped connection would. */
async function createFailingDb(): Promise<TFailingDb> {
  const real = await createTestDb();
  const failOn = new Set<string>();
  const failures: string[] = [];
  return {
    transport: real.transport,
    notify: real.notify,
    listen: real.listen,
    isNotifyShared: real.isNotifyShared,
    pg: real.pg,
    failOn,
    failures,
    async rpc(name, args) {
      if (failOn.has(name)) {
        failures.push(name);
        failOn.delete(name);
        // What the transports turn a lost connection into (lib/db/errors.ts): the internal error.
        const { mapDbError } = await import('@/lib/db/errors');
        throw mapDbError({ code: '08006', message: 'terminating connection: server closed the connection at db.internal:5432' }, name);
      }
      return real.rpc(name, args);
    },
    close: () => real.close(),
  };
}

describe('database faults → 500 with a clean body, nothing half-written', () => {
  let db: TFailingDb;
  let instances: TInstances;
  beforeAll(async () => {
    db = await createFailingDb();
    instances = await startInstances({ count: 1, db, env: { RUN_LEASE_SECONDS: '2', MESSAGE_WAIT_SECONDS: '1' } });
  });
  afterAll(() => instances.close());

  const expectCleanFailure = (response: { status: number; body: any }) => {
    expectError(response, 500, 'internal');
    expect(JSON.stringify(response.body)).not.toMatch(/5432|db\.internal|terminating|create_|select /);
  };
  const count = async (sql: string, threadId: string) =>
    Number((await db.pg.query<{ n: number }>(sql, [threadId])).rows[0]?.n);

  it('fails creating a thread: no thread appears', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    await reader.get(base, '/api/paste-assistant-thread');
    db.failOn.add('create_thread');
    expectCleanFailure(await reader.post(base, '/api/paste-assistant-thread'));
    expect((await reader.get(base, '/api/paste-assistant-thread')).body.data).toEqual([]);
  });

  it('fails storing a message: no message, no run; the thread then accepts it', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
    // The route's run is executed here: the question is stored within its limits, its first step claimed, in one call.
    db.failOn.add('create_message_and_run_within_limits');
    expectCleanFailure(await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'Lost?' }));
    expect(await count('select count(*)::int as n from assistant_message where thread_id = $1', threadId)).toBe(0);
    expect(await count('select count(*)::int as n from assistant_run where thread_id = $1', threadId)).toBe(0);
    expect((await endedRun(reader, base, threadId, await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'Lost?' }))).status).toBe('completed');
  });

  it('fails inside the statement, after the message row was written: the whole change rolls back', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
    // The message insert runs first in create_message_and_run; the run insert then fails (a full disk, say).
    await db.pg.exec(`
      create or replace function test_fail_run_insert() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: No space left on device' using errcode = '53100'; end $$;
      create trigger test_fail_run_insert before insert on assistant_run for each row execute function test_fail_run_insert();`);
    try {
      expectCleanFailure(await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'Half?' }));
    } finally {
      await db.pg.exec('drop trigger test_fail_run_insert on assistant_run; drop function test_fail_run_insert();');
    }
    expect(await count('select count(*)::int as n from assistant_message where thread_id = $1', threadId)).toBe(0);
    expect((await endedRun(reader, base, threadId, await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'Half?' }))).status).toBe('completed');
  });

  it('fails recording the answer mid-run: the run is resumed once its lease lapses and completes once', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
    db.failOn.add('complete_run_by_id');
    const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'How do I configure Slack?' });
    expect(sent.status).toBe(200);
    const run = await pollRun(reader, base, threadId, sent.body.run.id);
    expect(db.failures).toContain('complete_run_by_id');
    expect(run.status).toBe('completed');
    const messages = await reader.get(base, `/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data.map((message: any) => message.role)).toEqual(['user', 'assistant']);
  });
});

describe('two messages sent to one thread at the same time', () => {
  const model = buildBlockingModel();
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let instances: TInstances;
  beforeAll(async () => {
    db = await createTestDb();
    instances = await startInstances({ db, env: { MESSAGE_WAIT_SECONDS: '1' }, overrides: () => ({ model }) });
  });
  afterAll(async () => {
    model.release();
    await instances.close();
  });

  it('starts exactly one run; the other request gets 409, on one instance or two', async () => {
    const [a, b] = instances.urls as [string, string];
    for (let round = 0; round < 6; round += 1) {
      const reader = createSession();
      const threadId = (await reader.post(a, '/api/paste-assistant-thread')).body.id;
      const bases = round % 2 === 0 ? [a, b] : [a, a];
      const responses = await Promise.all(
        bases.map((base, index) => reader.post(base, '/api/paste-assistant-message', { threadId, message: `Racing ${index}` })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      expectError(responses.find((response) => response.status === 409)!, 409, 'conflict');
      const runs = await db.pg.query<{ n: number }>('select count(*)::int as n from assistant_run where thread_id = $1', [threadId]);
      const messages = await db.pg.query<{ n: number }>('select count(*)::int as n from assistant_message where thread_id = $1', [threadId]);
      expect(runs.rows[0]?.n).toBe(1);
      expect(messages.rows[0]?.n).toBe(1);
      model.release();
    }
  });
});
