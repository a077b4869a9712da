import type { TApp } from '../app';
import { AppError, isAppError } from '../errors';
import { createMessageAndRun } from '../db/messages';
import type { TMessageRow, TRunError, TRunRow, TToolCall, TToolRound } from '../db/rows';
import { isTerminalStatus } from '../db/rows';
import {
  claimRunById,
  claimRunWithContextById,
  completeRunById,
  endRunById,
  getRunById,
  listOrphanedRuns,
  renewRunLeaseById,
  requireRunActionById,
  submitRunToolOutputsById,
} from '../db/runs';
import { toStorableJson } from '../shared/text';
import { createDraftWriter } from './draft';
import { INSTRUCTIONS } from './instructions';
import { isModelError, ModelError, type TInputItem, type TModelResponse } from './model/types';
import { runToolCall, TOOL_DEFINITIONS } from './tools';

// Runs, as the Assistants API had them, executed by this process:
//   queued → in_progress (lease held) → requires_action (tool calls) → queued → … → completed
// or failed / cancelled / expired / incomplete. Every transition is one SQL function (lib/db/runs.ts), so
// several instances may observe the same run and exactly one executes each step.

/**
 * Stores the message, queues a run for it and (unless `isExecutedHere` is false) starts executing it here.
 * Returns at once with the queued run. A queued run left alone is started by whoever follows it next (its
 * event stream, GET run, a restart). With `refusal` (a message moderation flagged) the run is answered with
 * that text instead of the model.
 */
export async function startMessageRun({
  app,
  owner,
  threadId,
  text,
  metadata,
  refusal,
  isExecutedHere = true,
}: {
  app: TApp;
  owner: string;
  threadId: string;
  text: string;
  metadata?: Record<string, unknown>;
  refusal?: { text: string; metadata: Record<string, unknown> };
  isExecutedHere?: boolean;
}): Promise<{ message: TMessageRow; run: TRunRow }> {
  const created = await createMessageAndRun({
    db: app.db,
    owner,
    threadId,
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
    metadata,
    run: {
      model: app.model.name,
      instructions: INSTRUCTIONS,
      tools: TOOL_DEFINITIONS.map(({ type, name, description, parameters }) => ({
        type,
        function: { name, description, parameters },
      })),
      max_tool_rounds: app.config.runs.maxToolRounds,
      max_attempts: app.config.runs.maxAttempts,
      expires_in_seconds: app.config.runs.expirySeconds,
    },
  });
  app.slack.onMessage({ threadId, message: created.message });
  if (refusal) await completeRunWithoutModel({ app, runId: created.run.id, ...refusal });
  else if (isExecutedHere) kickRun(app, created.run.id);
  return created;
}

/** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
export async function completeRunWithoutModel({
  app,
  runId,
  text,
  metadata,
}: {
  app: TApp;
  runId: string;
  text: string;
  metadata: Record<string, unknown>;
}): Promise<void> {
  const worker = app.runState.workerId;
  const claim = await claimRunById({ db: app.db, runId, worker, leaseSeconds: app.config.runs.leaseSeconds });
  if (!claim.claimed) return;
  const completed = await completeRunById({
    db: app.db,
    runId,
    worker,
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
    metadata,
  });
  app.runEvents.notify(runId);
  if (completed.status === 'completed') app.slack.onAnswer({ threadId: completed.thread_id, runId });
}

/**
 * Reads a run and moves it along: dispatches pending tool calls, and (re)starts execution of a run that is
 * queued or whose executor died (lease expired). Expiry is applied by the read itself.
 */
export async function observeRun({
  app,
  owner,
  threadId,
  runId,
}: {
  app: TApp;
  owner: string;
  threadId: string;
  runId: string;
}): Promise<TRunRow> {
  const run = await getRunById({ db: app.db, owner, threadId, runId });
  return moveRunAlong({ app, owner, run });
}

/** What every reader of a run does with what it read (GET run, POST …-message's wait, the event stream). */
export async function moveRunAlong({ app, owner, run }: { app: TApp; owner: string; run: TRunRow }): Promise<TRunRow> {
  if (run.status === 'requires_action') return dispatchToolCalls({ app, owner, run });
  if (run.status === 'queued' || run.is_lease_stale) kickRun(app, run.id);
  return run;
}

/**
 * Waits until the run ends or `timeoutMs` passes, checking every `pollMs` for changes made by other instances
 * and waking at once when this instance changes the run. Returns the run as last seen: terminal, or still
 * pending after the bounded wait.
 */
export async function waitForRun({
  app,
  owner,
  threadId,
  runId,
  timeoutMs,
}: {
  app: TApp;
  owner: string;
  threadId: string;
  runId: string;
  timeoutMs: number;
}): Promise<TRunRow> {
  const deadline = Date.now() + timeoutMs;
  // Subscribed before the first read, so that a change between a read and the wait is not missed.
  const changes = app.runEvents.subscribe(runId, { isTextIgnored: true });
  try {
    for (;;) {
      const run = await observeRun({ app, owner, threadId, runId });
      const remaining = deadline - Date.now();
      if (isTerminalStatus(run.status) || remaining <= 0) return run;
      // A run waiting for tools is dispatched by observeRun; if another caller is dispatching it, check again soon.
      await changes.wait(Math.min(app.config.runs.pollMs, remaining));
    }
  } finally {
    changes.close();
  }
}

/** Runs the pending tool calls and submits their outputs. Another caller may win the submission; that's fine. */
export async function dispatchToolCalls({ app, owner, run }: { app: TApp; owner: string; run: TRunRow }): Promise<TRunRow> {
  const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
  const key = `${run.id}:${run.tool_rounds.length}`;
  if (app.runState.dispatching.has(key)) return run;
  app.runState.dispatching.add(key);
  try {
    const toolOutputs = await Promise.all(
      calls.map(async (call) => ({ tool_call_id: call.id, output: await runToolCall({ app, call }) })),
    );
    const submitted = await submitRunToolOutputsById({ db: app.db, owner, runId: run.id, toolOutputs });
    app.runEvents.notify(run.id);
    kickRun(app, run.id);
    return submitted;
  } catch (error) {
    if (isAppError(error) && error.code === 'conflict') return run;
    throw error;
  } finally {
    app.runState.dispatching.delete(key);
  }
}

/** Starts executing a run in this process unless this process already is. Never throws. */
export function kickRun(app: TApp, runId: string): void {
  if (app.runState.executing.has(runId)) return;
  app.runState.executing.add(runId);
  void executeRunStep(app, runId)
    .catch((error: unknown) => app.log.error({ err: error, runId }, 'run step crashed'))
    .finally(() => {
      app.runState.executing.delete(runId);
      app.runEvents.notify(runId);
    });
}

/** One step of a run: claim it, ask the model (streaming its text into the answer), then record tool calls or the answer. */
export async function executeRunStep(app: TApp, runId: string): Promise<void> {
  const { db, config, log } = app;
  const worker = app.runState.workerId;
  const leaseSeconds = config.runs.leaseSeconds;
  const claim = await claimRunWithContextById({ db, runId, worker, leaseSeconds });
  app.runEvents.notify(runId);
  if (!claim.claimed) return;

  // Aborted when the run stops being ours: cancelled by the reader (here, or seen by a write or the lease
  // renewal when another instance cancelled it), or taken over after our lease lapsed.
  const stop = new AbortController();
  app.runState.aborts.set(runId, stop);
  const heartbeat = setInterval(() => {
    renewRunLeaseById({ db, runId, worker, leaseSeconds })
      .then((isRenewed) => {
        if (!isRenewed) stop.abort();
      })
      .catch((error: unknown) => log.warn({ err: error, runId }, 'could not renew run lease'));
  }, (leaseSeconds * 1000) / 3);
  heartbeat.unref?.();

  try {
    const input = buildInput(claim.messages, claim.run.tool_rounds);
    // Stops the model once the answer reaches MAX_ANSWER_CHARS; the run then ends incomplete.
    const limit = new AbortController();
    const maxChars = config.runs.maxAnswerChars;
    const draft = createDraftWriter({
      app,
      runId,
      worker,
      existing: claim.draft,
      onInactive: () => stop.abort(),
      maxChars,
      onLimit: () => limit.abort(),
    });
    const endTooLong = async () => {
      await draft.flush();
      await draft.stop();
      log.warn({ runId, maxChars }, 'answer reached MAX_ANSWER_CHARS; run ends incomplete');
      await endRunById({ db, runId, worker, status: 'incomplete', error: answerTooLong(maxChars) });
    };
    let response;
    try {
      // Stopped by MODEL_TIMEOUT_SECONDS, by the answer's size limit, or when the run stops being ours
      // (cancelled, taken over).
      response = toStorableResponse(
        checkModelResponse(
          await callModelWithTimeout(app, (signal) =>
            app.model.respond({
              instructions: claim.run.instructions,
              input,
              tools: TOOL_DEFINITIONS,
              signal: AbortSignal.any([signal, stop.signal, limit.signal]),
              onDelta: (delta) => draft.push(delta),
            }),
          ),
        ),
      );
    } catch (error) {
      if (limit.signal.aborted && !stop.signal.aborted) {
        await endTooLong();
        return;
      }
      if (stop.signal.aborted) {
        await draft.stop();
        log.info({ runId }, 'model call stopped: the run is no longer in progress here');
        return;
      }
      // The text a reader saw before the failure is kept (as an incomplete message), so it is written first.
      await draft.flush();
      await draft.stop();
      const runError = toRunError(error);
      log.warn({ runId, code: runError.code, err: error }, 'model call failed');
      await endRunById({ db, runId, worker, status: 'failed', error: runError });
      return;
    }
    const { output, usage } = response;
    // An adapter that does not stream (or streamed less than it returned) is held to the same limit.
    if (draft.isOverLimit || (output.type === 'message' && output.text.length > maxChars)) {
      if (output.type === 'message') draft.setText(output.text);
      await endTooLong();
      return;
    }
    await draft.stop();
    if (output.type === 'tool_calls') {
      const toolCalls: TToolCall[] = output.calls.map((call) => ({
        id: call.call_id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
      await requireRunActionById({ db, runId, worker, toolCalls, usage });
      return;
    }
    const completed = await completeRunById({
      db,
      runId,
      worker,
      content: [{ type: 'text', text: { value: output.text, annotations: output.annotations ?? [] } }],
      metadata: output.metadata ?? {},
      usage,
    });
    if (completed.status === 'completed') app.slack.onAnswer({ threadId: completed.thread_id, runId });
  } finally {
    clearInterval(heartbeat);
    app.runState.aborts.delete(runId);
    // The database now holds the step's outcome; readers here go back to it.
    app.runState.live.delete(runId);
  }
}

/** The model's answer, or a ModelError('timeout') once MODEL_TIMEOUT_SECONDS pass (the call is aborted). */
export async function callModelWithTimeout<T>(app: TApp, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timedOut = () => new ModelError('timeout', 'The assistant took too long to answer. Please try again.');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(timedOut());
      controller.abort();
    }, app.config.modelTimeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } catch (error) {
    // Whatever the aborted call threw (an AbortError, the SDK's own), the reason is the timeout.
    throw controller.signal.aborted ? timedOut() : error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The model's output as Postgres can store it: NUL characters dropped and unpaired surrogates replaced
 * (lib/shared/text.ts), in the answer, its annotations and metadata, and tool calls' names and arguments.
 */
function toStorableResponse(response: TModelResponse): TModelResponse {
  return { ...response, output: toStorableJson(response.output) };
}

function answerTooLong(maxChars: number): { reason: string; message: string } {
  return {
    reason: 'max_answer_chars',
    message: `The answer was cut off at ${maxChars.toLocaleString('en-US')} characters, the longest this site allows. Ask a narrower question for the rest.`,
  };
}

/** A response without a usable output (cut off, malformed, empty) fails the run instead of crashing its step. */
function checkModelResponse(response: TModelResponse | undefined): TModelResponse {
  const output = response?.output;
  const isMessage = output?.type === 'message' && typeof output.text === 'string' && output.text.trim() !== '';
  const isToolCalls = output?.type === 'tool_calls' && Array.isArray(output.calls) && output.calls.length > 0;
  if (!response || !(isMessage || isToolCalls)) {
    throw new ModelError('server_error', 'The assistant sent an incomplete answer. Please try again.');
  }
  return response;
}

/** Stops this process's model call for the run, if it is making one (the run was cancelled here). */
export function abortRunStep(app: TApp, runId: string): void {
  app.runState.aborts.get(runId)?.abort();
}

/** The thread's messages up to the run's question, then the run's tool calls and outputs, round by round. */
export function buildInput(messages: TMessageRow[], rounds: TToolRound[]): TInputItem[] {
  const items: TInputItem[] = messages.map((message) => ({
    type: 'message',
    role: message.role,
    content: message.content.map((part) => part.text.value).join('\n'),
  }));
  for (const round of rounds) {
    for (const call of round.tool_calls) {
      items.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
    for (const output of round.tool_outputs ?? []) {
      items.push({ type: 'function_call_output', call_id: output.tool_call_id, output: output.output });
    }
  }
  return items;
}

export function toRunError(error: unknown): TRunError {
  if (isModelError(error)) return { code: error.code, message: error.message };
  return { code: 'server_error', message: 'The assistant ran into a problem while answering. Please try again.' };
}

/**
 * Picks up runs no executor is working on (queued, a dead lease, waiting for tools, or past expiry), as after a
 * restart. Each is moved along exactly as if a client had polled it.
 */
export async function resumeOrphanedRuns(app: TApp): Promise<number> {
  const orphans = await listOrphanedRuns({ db: app.db, limit: 100 });
  for (const orphan of orphans) {
    try {
      await observeRun({ app, owner: orphan.owner, threadId: orphan.thread_id, runId: orphan.id });
    } catch (error) {
      app.log.warn({ err: error, runId: orphan.id }, 'could not resume run');
    }
  }
  return orphans.length;
}

export function assertMessageLength(text: string, maxChars: number): void {
  if (text.length > maxChars) {
    throw new AppError('payload_too_large', `Messages can be at most ${maxChars} characters; this one has ${text.length}.`);
  }
}
