import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { listMessagesByThread } from '@/lib/db/messages';
import { cancelRunById, getRunById } from '@/lib/db/runs';
import { createThread } from '@/lib/db/threads';
import { ModelError, type TModelClient, type TModelRequest, type TModelResponse } from '@/lib/model/types';
import { createTestApp, ENGINE_MODES } from '../helpers/app';
import { execSql, querySql, STORES } from '../helpers/stores';
import { toolCall, waitUntil } from '../helpers/models';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The pipelined tool round (lib/assistant/engine/pipeline.ts, RUN_PIPELINING): a step that ends in calls of the
// server's tools goes on in the same executor — the tools run, the model is asked again with their outputs, and the
// round is recorded once that request has left. Its contract, against the plain path (RUN_PIPELINING=off: the round
// recorded, then dispatched, then the next request), on both stores: the run passes through the same states in the
// same order and the same objects are stored; when the next request is sent, the plain path has recorded the round
// and the pipelined one nothing of it; nothing of the answer is shown or stored before the round is recorded; when
// the round cannot be recorded as this process's (a write fails, the run is cancelled) the request already sent is
// aborted and nothing of its answer kept; and a model request that fails, before or after the round is recorded,
// fails the run with the question and the round kept.

const OWNER = 'owner_a_aaaaaaaaaaaaaaa';
const QUESTION = 'How do I create a Slack bot token?';
let app: TApp | undefined;

afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

type TCall = (request: TModelRequest, index: number) => Promise<TModelResponse>;

/** A model whose n-th request is answered by calls[n] (the last one for any further request); records requests. */
function buildModelOfCalls(calls: TCall[]) {
  const requests: TModelRequest[] = [];
  const model: TModelClient & { requests: TModelRequest[] } = {
    name: 'calls',
    mode: 'chat',
    requests,
    respond(request) {
      requests.push(request);
      const index = requests.length - 1;
      return calls[Math.min(index, calls.length - 1)]!(request, index);
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
  };
  return model;
}

/** Waits for the request's abort, then fails as an aborted model call does. */
function untilAborted(signal: AbortSignal | undefined, onAbort: () => void): Promise<never> {
  return new Promise((_, reject) => {
    signal?.addEventListener(
      'abort',
      () => {
        onAbort();
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

const askForDocs: TCall = async () => ({ output: { type: 'tool_calls', calls: [toolCall(QUESTION, 'call_1')] } });

/** Starts a run of a new thread, its changes watched from before its first step: statuses, and `text` (answer text shown). */
async function startWatched(current: TApp) {
  const thread = await createThread({ db: current.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
  const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: QUESTION, isExecutedHere: false });
  const seen: string[] = [];
  const unwatch = current.engine.watch(run.id, (change, row) => {
    if (change === 'text') seen.push('text');
    else if (row) seen.push(row.status);
  });
  await current.engine.advanceRun({ owner: OWNER, run });
  return { thread, run, seen, unwatch };
}

const roles = async (current: TApp, threadId: string) =>
  (await listMessagesByThread({ db: current.db, owner: OWNER, threadId, limit: 10, order: 'asc' })).data.map((message) => message.role);

describe.each(ENGINE_MODES)('a tool round on $store, pipelining $pipelining', ({ store, pipelining }) => {
  const env = { RUN_PIPELINING: pipelining };

  it('records the round before the next request (plain) or once it has left (pipelined), in the same order; the answer shows only after', async () => {
    let seenAtSecondRequest: string[] = [];
    let roundsAtSecondRequest: unknown[] = [];
    let seen: string[] = [];
    let thread = { id: '' };
    let run = { id: '' };
    const model = buildModelOfCalls([
      askForDocs,
      async (request) => {
        seenAtSecondRequest = [...seen];
        // The plain path wrote the round before this request; nothing writes the run while it is read here. (The
        // pipelined round starts its writes only once this request has left: what it has told is `seen`.)
        if (pipelining === 'off') roundsAtSecondRequest = (await getRunById({ db: app!.db, owner: OWNER, threadId: thread.id, runId: run.id })).tool_rounds;
        // Text the model sends before the round is recorded is held back, not lost.
        request.onDelta?.('Create the token ');
        request.onDelta?.('under OAuth & Permissions.');
        return { output: { type: 'message', text: 'Create the token under OAuth & Permissions.' } };
      },
    ]);
    app = await createTestApp({ store, env, overrides: { model } });
    const current = app;
    const started = await startWatched(current);
    seen = started.seen;
    const { unwatch } = started;
    ({ thread, run } = started);
    await waitUntil(() => seen.includes('completed'));
    unwatch();

    if (pipelining === 'on') {
      // The second request went out before any of the round's bookkeeping was done.
      expect(seenAtSecondRequest).toEqual(['in_progress']);
    } else {
      // The plain path: the round recorded (calls, then outputs with the next step claimed), then the request.
      expect(seenAtSecondRequest).toEqual(['in_progress', 'requires_action', 'queued', 'in_progress']);
      expect(roundsAtSecondRequest).toEqual([{ tool_calls: [expect.objectContaining({ id: 'call_1' })], tool_outputs: [expect.objectContaining({ tool_call_id: 'call_1' })] }]);
    }
    const statuses = seen.filter((entry) => entry !== 'text');
    expect(statuses).toEqual(['in_progress', 'requires_action', 'queued', 'in_progress', 'completed']);
    // The answer's text reached readers only once the next step was claimed.
    const firstText = seen.indexOf('text');
    expect(firstText).toBeGreaterThan(seen.lastIndexOf('in_progress'));
    expect(firstText).toBeLessThan(seen.indexOf('completed'));

    const final = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(final.status).toBe('completed');
    expect(final.required_action).toBeNull();
    expect(final.tool_rounds).toHaveLength(1);
    expect(final.tool_rounds[0]?.tool_calls.map((call) => call.id)).toEqual(['call_1']);
    const stored = final.tool_rounds[0]?.tool_outputs ?? [];
    expect(stored.map((output) => output.tool_call_id)).toEqual(['call_1']);
    expect(JSON.parse(stored[0]!.output).results.length).toBeGreaterThan(0);
    // The round's search is in the analytics (pipelined: recorded once the next request had left and the round was recorded).
    await waitUntil(async () => (await querySql(current.db, "select 1 from docs_query where source = 'assistant'")).rows.length > 0);
    expect((await querySql<{ query: string }>(current.db, "select query from docs_query where source = 'assistant'")).rows).toEqual([{ query: QUESTION }]);
    // The model was sent exactly the outputs that were stored.
    const second = model.requests[1]!.input;
    expect(second.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output']);
    expect(second[2]).toEqual({ type: 'function_call_output', call_id: 'call_1', output: stored[0]!.output });

    const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(messages.data.map((message) => [message.role, message.status])).toEqual([
      ['user', 'completed'],
      ['assistant', 'completed'],
    ]);
    expect(messages.data[1]?.content[0]?.text.value).toBe('Create the token under OAuth & Permissions.');
  });

  it.each(['at once', 'after the round is recorded'] as const)(
    'fails the run when the next model request fails %s; the question, the round and the text shown are kept',
    async (when) => {
      let seen: string[] = [];
      const model = buildModelOfCalls([
        askForDocs,
        async (request) => {
          if (when === 'at once') throw new ModelError('server_error', 'Could not reach the model.');
          request.onDelta?.('Create the token under');
          // The model server goes away mid-answer, once the round is recorded and the next step claimed here.
          await waitUntil(() => seen.filter((status) => status === 'in_progress').length === 2);
          throw new ModelError('server_error', 'The model server went away.');
        },
      ]);
      app = await createTestApp({ store, env, overrides: { model } });
      const current = app;
      const started = await startWatched(current);
      seen = started.seen;
      const { thread, run, unwatch } = started;
      await waitUntil(() => seen.includes('failed') && !current.engine.isExecuting(run.id));
      unwatch();

      expect(seen.filter((entry) => entry !== 'text')).toEqual(['in_progress', 'requires_action', 'queued', 'in_progress', 'failed']);
      const final = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
      expect(final.status).toBe('failed');
      expect(final.last_error?.code).toBe('server_error');
      expect(final.tool_rounds).toHaveLength(1);
      expect(final.tool_rounds[0]?.tool_outputs?.map((output) => output.tool_call_id)).toEqual(['call_1']);
      const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
      expect(messages.data.map((message) => [message.role, message.status, message.content[0]?.text.value])).toEqual(
        when === 'at once'
          ? [['user', 'completed', QUESTION]]
          : [
              ['user', 'completed', QUESTION],
              ['assistant', 'incomplete', 'Create the token under'],
            ],
      );
    },
  );
});

describe.each(STORES)('a pipelined tool round that cannot be recorded, on %s', (store) => {
  const env = { RUN_PIPELINING: 'on' };

  it('aborts the request sent ahead when the round cannot be written; nothing of its answer is kept, and the run recovers as after a failed step', async () => {
    let isAborted = false;
    const model = buildModelOfCalls([
      askForDocs,
      (request) => {
        request.onDelta?.('This answer must never be shown.');
        return untilAborted(request.signal, () => {
          isAborted = true;
        });
      },
      async () => ({ output: { type: 'message', text: 'The answer after the run was resumed.' } }),
    ]);
    app = await createTestApp({ store, env, overrides: { model } });
    const current = app;
    // The store refuses the round (a failing write): recording the calls raises.
    await execSql(
      current.db,
      `create function test_refuse_round() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end; $$;
       create trigger test_refuse_round before update on assistant_run for each row when (new.status = 'requires_action') execute function test_refuse_round();`,
    );
    const { thread, run, seen, unwatch } = await startWatched(current);
    await waitUntil(() => isAborted && !current.engine.isExecuting(run.id));

    expect(model.requests).toHaveLength(2);
    expect(seen).not.toContain('text');
    expect(seen).not.toContain('requires_action');
    // As a step whose write failed leaves it: in progress under the lease its executor held, nothing recorded.
    const left = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(left.status).toBe('in_progress');
    expect(left.tool_rounds).toEqual([]);
    expect(await roles(current, thread.id)).toEqual(['user']);

    // Once the lease lapses, the run is resumed, as after any executor that stopped mid-step.
    await execSql(current.db, 'drop trigger test_refuse_round on assistant_run; drop function test_refuse_round();');
    await querySql(current.db, `update assistant_run set lease_expires_at = now() - interval '1 second' where id = $1`, [run.id]);
    const resumed = await current.engine.readRunAndAdvance({ owner: OWNER, threadId: thread.id, runId: run.id });
    expect(resumed.is_lease_stale).toBe(true);
    const final = await current.engine.waitForRun({ owner: OWNER, threadId: thread.id, runId: run.id, timeoutMs: 10_000 });
    unwatch();
    expect(final.status).toBe('completed');
    expect(final.attempts).toBe(2);
    const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(messages.data.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(messages.data[1]?.content[0]?.text.value).toBe('The answer after the run was resumed.');
  });

  it('aborts the request sent ahead when the run was cancelled before the round is recorded; nothing of its answer is kept', async () => {
    let isAborted = false;
    let threadId = '';
    let runId = '';
    const model = buildModelOfCalls([
      async (request) => {
        // The reader cancels while the model works on the step that ends in the tool call: the executor learns of it
        // only when it records the round, after the next request went out.
        await cancelRunById({ db: app!.db, owner: OWNER, threadId, runId });
        return askForDocs(request, 0);
      },
      (request) => {
        request.onDelta?.('This answer must never be shown.');
        return untilAborted(request.signal, () => {
          isAborted = true;
        });
      },
    ]);
    app = await createTestApp({ store, env, overrides: { model } });
    const current = app;
    const thread = await createThread({ db: current.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
    threadId = thread.id;
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: QUESTION, isExecutedHere: false });
    runId = run.id;
    const seen: string[] = [];
    const unwatch = current.engine.watch(run.id, (change, row) => {
      if (change === 'text') seen.push('text');
      else if (row) seen.push(row.status);
    });
    await current.engine.advanceRun({ owner: OWNER, run });
    await waitUntil(() => isAborted && !current.engine.isExecuting(run.id));
    unwatch();

    expect(model.requests).toHaveLength(2);
    expect(seen).not.toContain('text');
    expect(seen).not.toContain('requires_action');
    const final = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(final.status).toBe('cancelled');
    expect(final.tool_rounds).toEqual([]);
    expect(await roles(current, thread.id)).toEqual(['user']);
  });
});
