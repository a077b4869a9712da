import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { ModelError } from '@/lib/model/types';
import { listMessagesByThread } from '@/lib/db/messages';
import type { TRunRow } from '@/lib/db/rows';
import { cancelRunById, claimRunById, getRunById, requireRunActionById, submitRunToolOutputsById, submitRunToolRoundById } from '@/lib/db/runs';
import { createThread } from '@/lib/db/threads';
import { createTestApp, ENGINE_MODES } from '../helpers/app';
import { querySql } from '../helpers/stores';
import { buildBlockingModel, buildScriptedModel, toolCall, waitUntil } from '../helpers/models';
import { PUBLIC_ACCESS } from '@/lib/audiences';

const OWNER = 'owner_a_aaaaaaaaaaaaaaa';
let app: TApp | undefined;

afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

async function setup(options: Parameters<typeof createTestApp>[0] = {}) {
  app = await createTestApp(options);
  const thread = await createThread({ db: app.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
  return { app, thread };
}

const wait = (current: TApp, threadId: string, runId: string, timeoutMs = 10_000) =>
  current.engine.waitForRun({ owner: OWNER, threadId, runId, timeoutMs });

describe.each(ENGINE_MODES)('run state machine on $store, pipelining $pipelining (offline model)', ({ store, pipelining }) => {
  const setupIn = ({ env, ...options }: Omit<NonNullable<Parameters<typeof createTestApp>[0]>, 'store'> = {}) =>
    setup({ ...options, store, env: { RUN_PIPELINING: pipelining, ...env } });
  it('goes queued → in_progress → requires_action → queued → in_progress → completed with the docs tool', async () => {
    const { app: current, thread } = await setupIn();
    const { run, message } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'How do I create a Slack bot token?', isExecutedHere: false });
    expect(run.status).toBe('queued');
    expect(message.role).toBe('user');

    // Every transition as the engine makes it (the rows its SQL returned), with no reader moving the run along:
    // the executor dispatches the tool calls it recorded itself, and the next step follows.
    const seen: TRunRow[] = [];
    const unwatch = current.engine.watch(run.id, (change, row) => {
      if (change === 'run' && row) seen.push(row);
    });
    await current.engine.advanceRun({ owner: OWNER, run });
    await waitUntil(() => seen.some((row) => row.status === 'completed'));
    unwatch();
    expect(seen.map((row) => row.status)).toEqual(['in_progress', 'requires_action', 'queued', 'in_progress', 'completed']);
    const calls = seen[1]!.required_action?.submit_tool_outputs.tool_calls ?? [];
    expect(calls).toHaveLength(1);
    expect(calls[0]?.function.name).toBe('get_relevant_docs');
    expect(JSON.parse(calls[0]?.function.arguments ?? '{}')).toEqual({ prompt: 'How do I create a Slack bot token?' });

    const final = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(final.status).toBe('completed');
    expect(final.started_at).not.toBeNull();
    expect(final.completed_at).not.toBeNull();
    expect(final.tool_rounds).toHaveLength(1);
    expect(final.tool_rounds[0]?.tool_outputs?.[0]?.tool_call_id).toBe(calls[0]?.id);

    const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(messages.data.map((m) => m.role)).toEqual(['user', 'assistant']);
    const answer = messages.data[1]!;
    expect(answer.run_id).toBe(run.id);
    expect(answer.metadata).toMatchObject({ offline: true });
    expect(answer.content[0]?.text.value).toContain('**Slack notifications › Creating a bot token**');
    expect(answer.content[0]?.text.annotations[0]).toMatchObject({ type: 'url_citation', url: '/docs/guides/slack#creating-a-bot-token' });
  });

  it('refuses a second message while a run is active (409) and accepts one after it ends', async () => {
    const model = buildBlockingModel();
    const { app: current, thread } = await setupIn({ overrides: { model } });
    const first = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'first' });
    await waitUntil(() => model.pending() === 1);

    await expect(current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'second' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const afterRefusal = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(afterRefusal.data).toHaveLength(1);

    model.release();
    expect((await wait(current, thread.id, first.run.id)).status).toBe('completed');
    const next = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'second' });
    await waitUntil(() => model.pending() === 1);
    model.release();
    expect((await wait(current, thread.id, next.run.id)).status).toBe('completed');
  });

  it('handles several tool rounds, including parallel calls, before answering', async () => {
    const model = buildScriptedModel([
      { type: 'tool_calls', calls: [toolCall('slack token', 'call_1')] },
      { type: 'tool_calls', calls: [toolCall('slack channel', 'call_2'), toolCall('primary button', 'call_3')] },
      { type: 'message', text: 'Done, see [Slack](/docs/guides/slack).' },
    ]);
    const { app: current, thread } = await setupIn({ overrides: { model } });
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'Slack?' });
    const final = await wait(current, thread.id, run.id);

    expect(final.status).toBe('completed');
    expect(final.tool_rounds.map((round) => round.tool_calls.map((call) => call.id))).toEqual([['call_1'], ['call_2', 'call_3']]);
    expect(final.usage).toEqual({ prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 });
    // The third request carries both rounds: calls and their outputs, in order.
    const lastInput = model.requests[2]!.input;
    expect(lastInput.map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
      'function_call',
      'function_call',
      'function_call_output',
      'function_call_output',
    ]);
    const output = lastInput.find((item) => item.type === 'function_call_output' && item.call_id === 'call_3');
    expect(output && 'output' in output ? JSON.parse(output.output).results[0].url : '').toBe('/docs/guides/buttons#primary-button');
  });

  it('ends incomplete with a reason when the model keeps asking for tools past the cap', async () => {
    const model = buildScriptedModel([{ type: 'tool_calls', calls: [toolCall('again')] }]);
    const { app: current, thread } = await setupIn({ env: { RUN_MAX_TOOL_ROUNDS: '2' }, overrides: { model } });
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'loop' });
    const final = await wait(current, thread.id, run.id);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toMatchObject({ reason: 'max_tool_rounds' });
    expect(final.tool_rounds).toHaveLength(2);
    expect(model.requests).toHaveLength(3);
  });

  it('fails with the model error and keeps the user message', async () => {
    const model = buildScriptedModel([new ModelError('invalid_api_key', 'The model provider rejected the API key.')]);
    const { app: current, thread } = await setupIn({ overrides: { model } });
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'Will this fail?' });
    const final = await wait(current, thread.id, run.id);
    expect(final.status).toBe('failed');
    expect(final.failed_at).not.toBeNull();
    expect(final.last_error).toEqual({ code: 'invalid_api_key', message: 'The model provider rejected the API key.' });
    const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(messages.data.map((m) => m.content[0]?.text.value)).toEqual(['Will this fail?']);
  });

  it('resumes a run whose executor died (lease expired) when next observed', async () => {
    const { app: current, thread } = await setupIn();
    // Another "process" claims the run and dies: its lease is left behind.
    const created = await startMessageRunWithoutExecuting(current, thread.id, 'How do I choose the channel?');
    const claim = await claimRunById({ db: current.db, runId: created.run.id, worker: 'worker_dead', leaseSeconds: 30 });
    expect(claim.claimed).toBe(true);
    let observed = await current.engine.readRunAndAdvance({ owner: OWNER, threadId: thread.id, runId: created.run.id });
    expect(observed.status).toBe('in_progress');
    expect(observed.is_lease_stale).toBe(false);

    await querySql(current.db, `update assistant_run set lease_expires_at = now() - interval '1 second' where id = $1`, [created.run.id]);
    observed = await current.engine.readRunAndAdvance({ owner: OWNER, threadId: thread.id, runId: created.run.id });
    expect(observed.is_lease_stale).toBe(true);
    const final = await wait(current, thread.id, created.run.id);
    expect(final.status).toBe('completed');
  });

  it('fails a run as interrupted when its executors keep dying', async () => {
    const { app: current, thread } = await setupIn({ env: { RUN_MAX_ATTEMPTS: '2' } });
    const created = await startMessageRunWithoutExecuting(current, thread.id, 'crashy');
    for (const worker of ['worker_dead_1', 'worker_dead_2']) {
      expect((await claimRunById({ db: current.db, runId: created.run.id, worker, leaseSeconds: 30 })).claimed).toBe(true);
      await querySql(current.db, `update assistant_run set lease_expires_at = now() - interval '1 second' where id = $1`, [created.run.id]);
    }
    const third = await claimRunById({ db: current.db, runId: created.run.id, worker: 'worker_3', leaseSeconds: 30 });
    expect(third.claimed).toBe(false);
    expect(third.run?.status).toBe('failed');
    expect(third.run?.last_error?.message).toMatch(/interrupted/);
  });

  it('expires a run past expires_at with a clear last_error, and the thread accepts new messages', async () => {
    const { app: current, thread } = await setupIn();
    const created = await startMessageRunWithoutExecuting(current, thread.id, 'slow');
    await querySql(current.db, `update assistant_run set expires_at = now() - interval '1 second' where id = $1`, [created.run.id]);
    const expired = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: created.run.id });
    expect(expired.status).toBe('expired');
    expect(expired.last_error?.code).toBe('run_expired');
    expect(expired.last_error?.message).toMatch(/expired/);
    const next = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'again' });
    expect((await wait(current, thread.id, next.run.id)).status).toBe('completed');
  });

  it('cancels an active run; the answer that arrives afterwards is dropped', async () => {
    const model = buildBlockingModel('Too late.');
    const { app: current, thread } = await setupIn({ overrides: { model } });
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'cancel me' });
    await waitUntil(() => model.pending() === 1);
    const cancelled = await cancelRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelled_at).not.toBeNull();
    model.release();
    await waitUntil(() => !current.engine.isExecuting(run.id));
    const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(messages.data.map((m) => m.role)).toEqual(['user']);
    await expect(cancelRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('accepts tool outputs only for exactly the pending calls, once', async () => {
    const model = buildScriptedModel([{ type: 'message', text: 'ok' }]);
    const { app: current, thread } = await setupIn({ overrides: { model } });
    // The step that asked for the tools ran elsewhere (an executor that dispatches its own calls at once would
    // leave nothing to race for): the run waits in requires_action until a reader here moves it along.
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'two tools', isExecutedHere: false });
    expect((await claimRunById({ db: current.db, runId: run.id, worker: 'worker_elsewhere', leaseSeconds: 30 })).claimed).toBe(true);
    const calls = [toolCall('a', 'call_a'), toolCall('b', 'call_b')].map((call) => ({
      id: call.call_id,
      type: 'function' as const,
      function: { name: call.name, arguments: call.arguments },
    }));
    await requireRunActionById({ db: current.db, runId: run.id, worker: 'worker_elsewhere', toolCalls: calls });

    await expect(
      submitRunToolOutputsById({ db: current.db, owner: OWNER, runId: run.id, toolOutputs: [{ tool_call_id: 'call_a', output: 'x' }] }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      submitRunToolOutputsById({ db: current.db, owner: 'someone_else_xxxxxxxxxx', runId: run.id, toolOutputs: [] }),
    ).rejects.toMatchObject({ code: 'not_found' });

    const pending = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    // Two dispatchers racing: the engine (reading the run and dispatching its calls) and a direct submission.
    // Exactly one submission wins; the loser sees a conflict (the engine gets the run back unchanged).
    const [first, second] = await Promise.all([
      current.engine.advanceRun({ owner: OWNER, run: pending }),
      submitRunToolOutputsById({
        db: current.db,
        owner: OWNER,
        runId: run.id,
        toolOutputs: [
          { tool_call_id: 'call_a', output: 'a' },
          { tool_call_id: 'call_b', output: 'b' },
        ],
      }).catch((error: unknown) => error),
    ]);
    const isEngineWinner = first.status === 'queued';
    const isDirectWinner = !(second instanceof Error);
    expect(isEngineWinner !== isDirectWinner, `engine: ${first.status}, direct: ${String(second)}`).toBe(true);
    if (!isDirectWinner) expect(second).toMatchObject({ code: 'conflict' });
    if (!isEngineWinner) expect(first.status).toBe('requires_action');

    const final = await wait(current, thread.id, run.id);
    expect(final.status).toBe('completed');
    // One round of outputs, the winner's: the direct submission's literal outputs, or the engine's searches.
    expect(final.tool_rounds).toHaveLength(1);
    const outputs = final.tool_rounds[0]?.tool_outputs?.map((output) => output.output) ?? [];
    if (isDirectWinner) expect(outputs).toEqual(['a', 'b']);
    else expect(outputs.map((output) => JSON.parse(output).query)).toEqual(['a', 'b']);
  });

  it("answers a dispatch of a round the run has left with 409 conflict; the dispatcher stops and the run's next round is untouched", async () => {
    const model = buildScriptedModel([{ type: 'message', text: 'answered after two rounds' }]);
    const { app: current, thread } = await setupIn({ overrides: { model } });
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'two rounds', isExecutedHere: false });
    const asToolCalls = (...ids: string[]) => ids.map((id) => ({ id, type: 'function' as const, function: { name: toolCall(id).name, arguments: toolCall(id).arguments } }));
    // Round 1, answered; then round 2, pending. Both steps run elsewhere, so that nothing here dispatches on its own.
    await claimRunById({ db: current.db, runId: run.id, worker: 'worker_elsewhere', leaseSeconds: 30 });
    const stale = await requireRunActionById({ db: current.db, runId: run.id, worker: 'worker_elsewhere', toolCalls: asToolCalls('call_a') });
    expect(stale.tool_rounds).toHaveLength(1);
    await submitRunToolRoundById({ db: current.db, owner: OWNER, runId: run.id, round: 1, toolOutputs: [{ tool_call_id: 'call_a', output: 'a' }] });
    await claimRunById({ db: current.db, runId: run.id, worker: 'worker_elsewhere', leaseSeconds: 30 });
    await requireRunActionById({ db: current.db, runId: run.id, worker: 'worker_elsewhere', toolCalls: asToolCalls('call_b') });

    // A dispatcher holding the read of round 1 is told the round is over, whatever outputs it carries.
    for (const toolOutputs of [[{ tool_call_id: 'call_a', output: 'late' }], [{ tool_call_id: 'call_b', output: 'wrong round' }]]) {
      await expect(submitRunToolRoundById({ db: current.db, owner: OWNER, runId: run.id, round: 1, toolOutputs })).rejects.toMatchObject({ code: 'conflict', status: 409 });
    }
    // A client's submission (the Assistants API's, which names no round) keeps its contract: ids that miss the pending calls are a 400.
    await expect(
      submitRunToolOutputsById({ db: current.db, owner: OWNER, runId: run.id, toolOutputs: [{ tool_call_id: 'call_a', output: 'late' }] }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    // The engine, given the stale read (a reader's older read), dispatches round 1 again: the conflict is no error, and
    // round 2 is still pending with nothing of the stale dispatch in it.
    expect((await current.engine.advanceRun({ owner: OWNER, run: stale })).tool_rounds).toHaveLength(1);
    const pending = await getRunById({ db: current.db, owner: OWNER, threadId: thread.id, runId: run.id });
    expect(pending.status).toBe('requires_action');
    expect(pending.tool_rounds.map((round) => round.tool_outputs?.map((output) => output.output) ?? null)).toEqual([['a'], null]);
    expect(pending.required_action?.submit_tool_outputs.tool_calls.map((call) => call.id)).toEqual(['call_b']);

    // Read afresh, the run is dispatched and answered.
    const final = await wait(current, thread.id, run.id);
    expect(final.status).toBe('completed');
    expect(final.tool_rounds).toHaveLength(2);
    expect(JSON.parse(final.tool_rounds[1]?.tool_outputs?.[0]?.output ?? '{}').query).toBe('call_b');
  });

  it('hides runs and threads from other owners (404)', async () => {
    const { app: current, thread } = await setupIn();
    const { run } = await current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'mine' });
    await expect(getRunById({ db: current.db, owner: 'intruder_xxxxxxxxxxxxxx', threadId: thread.id, runId: run.id })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      current.engine.startRun({ access: PUBLIC_ACCESS, owner: 'intruder_xxxxxxxxxxxxxx', threadId: thread.id, text: 'hijack' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await wait(current, thread.id, run.id)).status).toBe('completed');
    const messages = await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
    expect(messages.data.map((message) => message.content[0]?.text.value)).not.toContain('hijack');
  });
});

/** Creates the message and run the way the route does, but leaves the run for the test to drive. */
function startMessageRunWithoutExecuting(current: TApp, threadId: string, text: string) {
  return current.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId, text, isExecutedHere: false });
}
