import type { TRunRow, TToolCall } from '../../db/rows';
import { claimRunById, claimRunWithContextById, completeRunById, endRunById, renewRunLeaseById, requireRunActionById, type TRunClaim } from '../../db/runs';
import type { TPrivacy } from '../../privacy/mask';
import { createDraftWriter, type TDraftWriter } from '../draft';
import type { TInputItem, TModelResponse } from '../../model/types';
import { answerTooLong, buildInput, checkModelResponse, instructionsForStep, toolsOfRun, toRunError, toStorableResponse, type TCallModel } from './model-io';
import type { TEngineState, TLiveDrafts, TTransition } from './state';
import type { TRefusal, TRunEngineDeps } from './types';

// Executing a step of a run in this process: claim it (a lease, so that of all instances exactly one executes the
// step), keep the lease while the model answers, stream the answer's text as a live draft (saved every 100 ms),
// then record the outcome — tool calls (requires_action), the answer (completed), or why not (failed, incomplete).
//
// Contract: execute(runId) never throws and never runs two steps of one run at once in this process; a step
// that is not this process's to take (another holds the lease, the run is not queued) does nothing. Every
// change of the run goes through `transition`. Once a step ends its live draft is dropped: the database holds it.

export type TExecutorDeps = Pick<TRunEngineDeps, 'db' | 'log' | 'model' | 'runs' | 'wakeOutbox'> & {
  privacy: TPrivacy;
  tools: Pick<TRunEngineDeps['tools'], 'definitions' | 'verifyAnswer'>;
  workerId: string;
  transition: TTransition;
  callModel: TCallModel;
  drafts: Pick<TLiveDrafts, 'write' | 'end'>;
  state: Pick<TEngineState, 'executing' | 'claimedNext' | 'aborts'>;
  /** Aborted by the engine's stop(): no new step starts. */
  shutdown: AbortSignal;
  /** Wakes the run's followers in this process (a step ended: what they read may have changed). */
  notify(runId: string): void;
  /**
   * Dispatches the tool calls a step just recorded (dispatch.ts): the server's tools run at once, instead of when a
   * reader or the sweeper next reads the run, which adds a read to the tool round. The calls are stored first.
   */
  dispatchToolCalls(owner: string, run: TRunRow): Promise<unknown>;
};

export type TExecutor = {
  /**
   * Starts executing a step of the run in this process unless this process already is. Never throws. `claim`: the
   * step was claimed already, for this worker, in the same round trip as what came before it (the question stored,
   * the tool outputs submitted); it is told to the run's followers as a claim made here would be.
   */
  execute(runId: string, claim?: TRunClaim): void;
  /** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
  completeWithoutModel(runId: string, refusal: TRefusal): Promise<void>;
};

/** `owner`: the thread's, with which the step's tool calls are dispatched. */
type TClaim = Extract<TRunClaim, { claimed: true }>;

/** One step under way: the run as claimed, its draft, and why its model call may stop. */
type TStep = {
  runId: string;
  claim: TClaim;
  /** What the model is sent: the thread up to the question, then the run's tool rounds. */
  input: TInputItem[];
  draft: TDraftWriter;
  /** Aborted when the run stops being ours: cancelled, or taken over after our lease lapsed. */
  stop: AbortController;
  /** Aborted when the answer reaches MAX_ANSWER_CHARS. */
  limit: AbortController;
};

export function createExecutor(deps: TExecutorDeps): TExecutor {
  const { log, state } = deps;
  function execute(runId: string, claim?: TRunClaim): void {
    if (deps.shutdown.aborted) return;
    if (state.executing.has(runId)) {
      // A step claimed ahead is this process's to execute: it starts when the step before it has finished its
      // bookkeeping (never long: that step recorded the tool calls this claim follows), not left to the sweeper.
      if (claim?.claimed) state.claimedNext.set(runId, claim);
      return;
    }
    state.executing.add(runId);
    void executeStep(deps, runId, claim)
      .catch((error: unknown) => log.error({ err: error, runId }, 'run step crashed'))
      .finally(() => {
        state.executing.delete(runId);
        const next = state.claimedNext.get(runId);
        state.claimedNext.delete(runId);
        if (next) execute(runId, next);
        deps.notify(runId);
      });
  }
  return {
    execute,
    completeWithoutModel: (runId, refusal) => completeWithoutModel(deps, runId, refusal),
  };
}

/** One step of a run: claim it, ask the model (streaming its text into the answer), then record tool calls or the answer. */
async function executeStep(deps: TExecutorDeps, runId: string, claimed: TRunClaim | undefined): Promise<void> {
  const { db, runs, workerId: worker, transition, state } = deps;
  const claim = await transition(runId, claimed ? Promise.resolve(claimed) : claimRunWithContextById({ db, runId, worker, leaseSeconds: runs.leaseSeconds }));
  if (!claim.claimed) return;

  // Aborted when the run stops being ours: cancelled by the reader (here, or seen by a write or the lease
  // renewal when another instance cancelled it), or taken over after our lease lapsed.
  const stop = new AbortController();
  state.aborts.set(runId, stop);
  const heartbeat = holdLease(deps, runId, stop);
  try {
    const step = openStep(deps, runId, claim, stop);
    const response = await askModel(deps, step);
    if (response) await recordOutcome(deps, step, response);
  } finally {
    clearInterval(heartbeat);
    state.aborts.delete(runId);
    // The database now holds the step's outcome; readers here go back to it.
    deps.drafts.end(runId);
  }
}

/** Renews the step's lease every third of RUN_LEASE_SECONDS; a renewal refused means the run is no longer ours. */
function holdLease({ db, log, runs, workerId: worker }: TExecutorDeps, runId: string, stop: AbortController): ReturnType<typeof setInterval> {
  const heartbeat = setInterval(() => {
    renewRunLeaseById({ db, runId, worker, leaseSeconds: runs.leaseSeconds })
      .then((isRenewed) => {
        if (!isRenewed) stop.abort();
      })
      .catch((error: unknown) => log.warn({ err: error, runId }, 'could not renew run lease'));
  }, (runs.leaseSeconds * 1000) / 3);
  heartbeat.unref?.();
  return heartbeat;
}

function openStep({ db, log, runs, workerId: worker, drafts }: TExecutorDeps, runId: string, claim: TClaim, stop: AbortController): TStep {
  const input = buildInput(claim.messages, claim.run.tool_rounds);
  // Stops the model once the answer reaches MAX_ANSWER_CHARS; the run then ends incomplete.
  const limit = new AbortController();
  const draft = createDraftWriter({
    db,
    log,
    runId,
    worker,
    existing: claim.draft,
    onText: (draftNow) => drafts.write(runId, draftNow),
    onInactive: () => stop.abort(),
    maxChars: runs.maxAnswerChars,
    onLimit: () => limit.abort(),
  });
  return { runId, claim, input, draft, stop, limit };
}

/**
 * The model's response, storable; null when the step ended without one (the run failed, ended incomplete at
 * the size limit, or stopped being ours). Stopped by MODEL_TIMEOUT_SECONDS, the size limit, or the run.
 */
async function askModel(deps: TExecutorDeps, step: TStep): Promise<TModelResponse | null> {
  const { db, log, workerId: worker, transition } = deps;
  const { runId, claim, input, draft, stop, limit } = step;
  try {
    return toStorableResponse(
      deps.privacy,
      checkModelResponse(
        await deps.callModel((signal) =>
          deps.model.respond({
            instructions: instructionsForStep(claim.run, input),
            input,
            tools: toolsOfRun(claim.run, deps.tools.definitions),
            signal: AbortSignal.any([signal, stop.signal, limit.signal]),
            onDelta: (delta) => draft.push(delta),
          }),
        ),
      ),
    );
  } catch (error) {
    if (limit.signal.aborted && !stop.signal.aborted) {
      await endTooLong(deps, step);
      return null;
    }
    if (stop.signal.aborted) {
      await draft.stop();
      log.info({ runId }, 'model call stopped: the run is no longer in progress here');
      return null;
    }
    // The text a reader saw before the failure is kept (as an incomplete message), so it is written first.
    await draft.flush();
    await draft.stop();
    const runError = toRunError(error);
    log.warn({ runId, code: runError.code, err: error }, 'model call failed');
    await transition(runId, endRunById({ db, runId, worker, status: 'failed', error: runError }));
    return null;
  }
}

/** Records what the model answered: its tool calls (requires_action), or the answer (completed). */
async function recordOutcome(deps: TExecutorDeps, step: TStep, { output, usage }: TModelResponse): Promise<void> {
  const { db, runs, workerId: worker, transition } = deps;
  const { runId, claim, draft } = step;
  // An adapter that does not stream (or streamed less than it returned) is held to the same limit.
  if (draft.isOverLimit || (output.type === 'message' && output.text.length > runs.maxAnswerChars)) {
    if (output.type === 'message') draft.setText(output.text);
    return await endTooLong(deps, step);
  }
  await draft.stop();
  if (output.type === 'tool_calls') {
    const toolCalls: TToolCall[] = output.calls.map((call) => ({
      id: call.call_id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
    const waiting = await transition(runId, requireRunActionById({ db, runId, worker, toolCalls, usage }));
    // Stored: from here a reader or the sweeper would dispatch them too (one dispatch per round wins), so a failure
    // here is only logged. Not awaited: this step is over, and the next is executed once the outputs are in.
    if (waiting?.status === 'requires_action' && !waiting.has_client_tools) {
      deps.dispatchToolCalls(claim.owner, waiting).catch((error: unknown) => deps.log.warn({ err: error, runId }, 'could not dispatch tool calls'));
    }
    return;
  }
  // The site's answers link to its docs, which are checked; a client's assistant answers about anything.
  const answer = deps.tools.verifyAnswer && !claim.run.has_client_tools
    ? await deps.tools.verifyAnswer({ text: output.text, annotations: output.annotations ?? [] })
    : { text: output.text, annotations: output.annotations ?? [] };
  // An answer that cites no docs section is one the docs did not cover: the instructions tell the model to
  // cite nothing exactly then. Recorded as the offline model records it, for the maintainers' figures.
  const metadata = { ...(output.metadata ?? {}) };
  if (metadata.no_docs_match === undefined && !answer.annotations.some((annotation) => annotation.type === 'url_citation')) {
    metadata.no_docs_match = true;
  }
  const completed = await transition(
    runId,
    completeRunById({
      db,
      runId,
      worker,
      content: [{ type: 'text', text: { value: answer.text, annotations: answer.annotations } }],
      metadata,
      usage,
    }),
  );
  if (completed.status === 'completed') deps.wakeOutbox();
}

/** The answer reached MAX_ANSWER_CHARS: what was written is kept, and the run ends incomplete. */
async function endTooLong({ db, log, runs, workerId: worker, transition }: TExecutorDeps, { runId, draft }: TStep): Promise<void> {
  const maxChars = runs.maxAnswerChars;
  await draft.flush();
  await draft.stop();
  log.warn({ runId, maxChars }, 'answer reached MAX_ANSWER_CHARS; run ends incomplete');
  await transition(runId, endRunById({ db, runId, worker, status: 'incomplete', error: answerTooLong(maxChars) }));
}

/** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
async function completeWithoutModel(deps: TExecutorDeps, runId: string, { text, metadata }: TRefusal): Promise<void> {
  const { db, runs, workerId: worker, transition } = deps;
  const claim = await transition(runId, claimRunById({ db, runId, worker, leaseSeconds: runs.leaseSeconds }));
  if (!claim.claimed) return;
  const completed = await transition(
    runId,
    completeRunById({ db, runId, worker, content: [{ type: 'text', text: { value: text, annotations: [] } }], metadata }),
  );
  if (completed.status === 'completed') deps.wakeOutbox();
}
