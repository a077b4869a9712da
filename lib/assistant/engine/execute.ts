import type { TMessageRow, TRunRow, TToolCall, TToolOutput, TUsage } from '../../db/rows';
import {
  claimRunById,
  claimRunWithContextById,
  completeRunById,
  endRunById,
  renewRunLeaseById,
  requireRunActionById,
  type TRunClaim,
} from '../../db/runs';
import { isAppError } from '../../errors';
import type { TPrivacy } from '../../privacy/mask';
import { createDraftWriter, type TDraftWriter } from '../draft';
import { whenRequestSent } from '../../model/request-sent';
import type { TInputItem, TModelResponse } from '../../model/types';
import { runRoundTools, submitRoundOutputs } from './dispatch';
import { answerTooLong, buildInput, checkModelResponse, instructionsForStep, toolsOfRun, toRunError, toStorableResponse, type TCallModel } from './model-io';
import type { TEngineState, TLiveDrafts, TTransition } from './state';
import type { TRefusal, TRunEngineDeps } from './types';

// Executing a step of a run in this process: claim it (a lease, so that of all instances exactly one executes the
// step), keep the lease while the model answers, stream the answer's text as a live draft (saved every 100 ms),
// then record the outcome — tool calls (requires_action), the answer (completed), or why not (failed, incomplete).
//
// A step that ends in calls of the server's tools goes on here (continueToolRound): the tools run at once, the
// next step's model request is sent with their outputs, and only then is the round recorded — the calls
// (requires_action), the outputs with the next step's claim (queued, then in_progress) — while the model works
// on its answer. The run passes through the same states, stored in the same order, as when the round is
// recorded first; what the model answers is held back (nothing shown, nothing stored) until that bookkeeping is
// done, and dropped, its call aborted, when the round could not be recorded as this process's (the run was
// cancelled or answered by another dispatcher meanwhile, or a write failed: the run is then left as a failed
// write left it before, for the sweeper or a reader to move on).
//
// Contract: execute(runId) never throws and never runs two steps of one run at once in this process; a step
// that is not this process's to take (another holds the lease, the run is not queued) does nothing. Every
// change of the run goes through `transition`. Once a step ends its live draft is dropped: the database holds it.

export type TExecutorDeps = Pick<TRunEngineDeps, 'db' | 'log' | 'model' | 'runs' | 'wakeOutbox'> & {
  privacy: TPrivacy;
  tools: Pick<TRunEngineDeps['tools'], 'definitions' | 'verifyAnswer' | 'run' | 'prepare'>;
  workerId: string;
  transition: TTransition;
  callModel: TCallModel;
  drafts: Pick<TLiveDrafts, 'write' | 'end'>;
  /** `dispatching`: a round this executor runs the tools of is taken there, as dispatch.ts takes one. */
  state: Pick<TEngineState, 'executing' | 'claimedNext' | 'aborts' | 'dispatching'>;
  /** Aborted by the engine's stop(): no new step starts. */
  shutdown: AbortSignal;
  /** Wakes the run's followers in this process (a step ended: what they read may have changed). */
  notify(runId: string): void;
  /**
   * Dispatches the tool calls a step just recorded (dispatch.ts), when the step does not go on here itself
   * (continueToolRound): the server's tools run at once, instead of when a reader or the sweeper next reads the run.
   */
  dispatchToolCalls(owner: string, run: TRunRow): Promise<unknown>;
};

export type TExecutor = {
  /**
   * Starts executing a step of the run in this process unless this process already is. Never throws. `claim`: the
   * step was claimed already, for this worker, in the same round trip as what came before it (the question stored,
   * the tool outputs submitted); it is told to the run's followers as a claim made here would be. `onRequested`:
   * told once, when the step's model request has left (lib/model/request-sent.ts), or when no step starts here.
   */
  execute(runId: string, claim?: TRunClaim, onRequested?: () => void): void;
  /** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
  completeWithoutModel(runId: string, refusal: TRefusal): Promise<void>;
};

/** `owner`: the thread's, with which the step's tool calls are dispatched. */
type TClaim = Extract<TRunClaim, { claimed: true }>;

/** What a step is asked with: the run's settings and messages as claimed, and its rounds so far. */
type TStepPlan = {
  runId: string;
  /** The run as the step's claim has it (a step started ahead of its claim: the last claim's, with this round). */
  run: TRunRow;
  owner: string;
  /** The thread's messages up to the run's question (they do not change while the run is active). */
  messages: TMessageRow[];
  /** What the model is sent: the messages, then the run's tool rounds. */
  input: TInputItem[];
  /**
   * The step's claim: known when the step starts, or, for a step started with the outputs of the round before it
   * (continueToolRound), once that round is recorded. Null: the step is not this process's after all; nothing of its
   * model call is shown or kept. Never rejects.
   */
  claim: Promise<TClaim | null>;
  /** Told once the step's model request has left (lib/model/request-sent.ts): the round's bookkeeping waits for it. */
  onRequested?: () => void;
};

/** One step under way: its plan, its claim and draft once known, and why its model call may stop. */
type TStep = TStepPlan & {
  /** The step's claim and its draft, once the claim is known; null: the step is not this process's. Never rejects. */
  ready: Promise<{ claim: TClaim; draft: TDraftWriter } | null>;
  /** Answer text, shown and saved once the claim is known (text the model sends before is held until then). */
  push(delta: string): void;
  /** Aborted when the run stops being ours (cancelled, or taken over after our lease lapsed), or the step is not ours. */
  stop: AbortController;
  /** Aborted when the answer reaches MAX_ANSWER_CHARS. */
  limit: AbortController;
};

/** The model answered a step that is this process's: the answer, and the step's claim and draft. */
type TAnswered = { response: TModelResponse; claim: TClaim; draft: TDraftWriter };

export function createExecutor(deps: TExecutorDeps): TExecutor {
  const { log, state } = deps;
  function execute(runId: string, claim?: TRunClaim, onRequested: () => void = () => {}): void {
    if (deps.shutdown.aborted) return onRequested();
    if (state.executing.has(runId)) {
      // A step claimed ahead is this process's to execute: it starts when the step before it has finished its
      // bookkeeping (never long: that step recorded the tool calls this claim follows), not left to the sweeper.
      if (claim?.claimed) state.claimedNext.set(runId, claim);
      return onRequested();
    }
    state.executing.add(runId);
    let isTold = false;
    const tell = () => {
      if (isTold) return;
      isTold = true;
      onRequested();
    };
    void executeSteps(deps, runId, claim, tell)
      .catch((error: unknown) => log.error({ err: error, runId }, 'run step crashed'))
      .finally(() => {
        tell();
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

/**
 * Claims a step of the run, asks the model (streaming its text into the answer), then records tool calls or the
 * answer; a round of the server's tools goes on to the next step here, as long as the run is this process's.
 */
async function executeSteps(deps: TExecutorDeps, runId: string, claimed: TRunClaim | undefined, onRequested: () => void): Promise<void> {
  const { db, runs, workerId: worker, transition, state } = deps;
  const claim = await transition(runId, claimed ? Promise.resolve(claimed) : claimRunWithContextById({ db, runId, worker, leaseSeconds: runs.leaseSeconds }));
  if (!claim.claimed) return;

  try {
    const input = buildInput(claim.messages, claim.run.tool_rounds);
    let plan: TStepPlan | null = { runId, run: claim.run, owner: claim.owner, messages: claim.messages, input, claim: Promise.resolve(claim), onRequested };
    while (plan) {
      // Aborted when the run stops being ours: cancelled by the reader (here, or seen by a write or the lease
      // renewal when another instance cancelled it), or taken over after our lease lapsed. One per step, so that
      // a late answer about an earlier step's lease (its renewal refused once the round was recorded) stops nothing.
      const stop = new AbortController();
      state.aborts.set(runId, stop);
      plan = await executeStep(deps, openStep(deps, plan, stop));
    }
  } finally {
    state.aborts.delete(runId);
  }
}

/** One step: the model's answer recorded; the next step's plan when the run goes on here. */
async function executeStep(deps: TExecutorDeps, step: TStep): Promise<TStepPlan | null> {
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let isOver = false;
  // The lease is this process's once the claim is known (a step started ahead: once its round is recorded).
  void step.ready.then((ready) => {
    if (ready && !isOver) heartbeat = holdLease(deps, step.runId, step.stop);
  });
  try {
    const answered = await askModel(deps, step);
    return answered ? await recordOutcome(deps, step, answered) : null;
  } finally {
    isOver = true;
    clearInterval(heartbeat);
    // The database now holds the step's outcome; readers here go back to it.
    deps.drafts.end(step.runId);
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

function openStep({ db, log, runs, workerId: worker, drafts }: TExecutorDeps, plan: TStepPlan, stop: AbortController): TStep {
  const { runId } = plan;
  // Stops the model once the answer reaches MAX_ANSWER_CHARS; the run then ends incomplete.
  const limit = new AbortController();
  let draft: TDraftWriter | undefined;
  const held: string[] = [];
  const ready = plan.claim.then((claim) => {
    if (!claim) {
      // Not this process's step: its model call stops, and what it sent is dropped.
      held.length = 0;
      stop.abort();
      return null;
    }
    draft = createDraftWriter({
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
    for (const delta of held.splice(0)) draft.push(delta);
    return { claim, draft };
  });
  const push = (delta: string) => {
    if (draft) draft.push(delta);
    else if (!stop.signal.aborted) held.push(delta);
  };
  return { ...plan, ready, push, stop, limit };
}

/**
 * The model's response, storable, with the step's claim and draft; null when the step ended without one (the
 * run failed, ended incomplete at the size limit, or stopped being ours). Stopped by MODEL_TIMEOUT_SECONDS, the
 * size limit, or the run. Nothing of the step is recorded before its claim is known.
 */
async function askModel(deps: TExecutorDeps, step: TStep): Promise<TAnswered | null> {
  const { log } = deps;
  const { runId, run, input, stop, limit } = step;
  let response: TModelResponse;
  try {
    const call = whenRequestSent((markAnswered) =>
      deps.callModel((signal) =>
        deps.model.respond({
          instructions: instructionsForStep(run, input),
          input,
          tools: toolsOfRun(run, deps.tools.definitions),
          signal: AbortSignal.any([signal, stop.signal, limit.signal]),
          onDelta: (delta) => {
            markAnswered();
            step.push(delta);
          },
        }),
      ),
    );
    // The request's own I/O goes first: on the embedded store the bookkeeping's and the tools' reads run on this thread.
    void call.sent.then(() => {
      step.onRequested?.();
      if (isToolStep(run)) deps.tools.prepare?.();
    });
    response = await call.result;
  } catch (error) {
    const ready = await step.ready;
    if (!ready) return null;
    if (limit.signal.aborted && !stop.signal.aborted) {
      await endTooLong(deps, runId, ready.draft);
      return null;
    }
    if (stop.signal.aborted) {
      await ready.draft.stop();
      log.info({ runId }, 'model call stopped: the run is no longer in progress here');
      return null;
    }
    return failStep(deps, runId, ready.draft, error);
  }
  const ready = await step.ready;
  if (!ready) return null;
  try {
    return { ...ready, response: toStorableResponse(deps.privacy, checkModelResponse(response)) };
  } catch (error) {
    return failStep(deps, runId, ready.draft, error);
  }
}

/** The model call failed, or answered nothing usable: the run fails. */
async function failStep({ db, log, workerId: worker, transition }: TExecutorDeps, runId: string, draft: TDraftWriter, error: unknown): Promise<null> {
  // The text a reader saw before the failure is kept (as an incomplete message), so it is written first.
  await draft.flush();
  await draft.stop();
  const runError = toRunError(error);
  log.warn({ runId, code: runError.code, err: error }, 'model call failed');
  await transition(runId, endRunById({ db, runId, worker, status: 'failed', error: runError }));
  return null;
}

/**
 * Records what the model answered: its tool calls (requires_action), or the answer (completed). A round of the
 * server's tools goes on here: the plan of the next step, whose claim comes with the round's bookkeeping.
 */
async function recordOutcome(deps: TExecutorDeps, step: TStep, { response: { output, usage }, claim, draft }: TAnswered): Promise<TStepPlan | null> {
  const { db, runs, workerId: worker, transition } = deps;
  const { runId } = step;
  // An adapter that does not stream (or streamed less than it returned) is held to the same limit.
  if (draft.isOverLimit || (output.type === 'message' && output.text.length > runs.maxAnswerChars)) {
    if (output.type === 'message') draft.setText(output.text);
    await endTooLong(deps, runId, draft);
    return null;
  }
  await draft.stop();
  if (output.type === 'tool_calls') {
    const toolCalls: TToolCall[] = output.calls.map((call) => ({
      id: call.call_id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
    if (isContinuedHere(deps, claim)) return continueToolRound(deps, step, claim, { toolCalls, usage });
    await recordToolCalls(deps, claim, { toolCalls, usage });
    return null;
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
  return null;
}

type TRound = { toolCalls: TToolCall[]; usage?: TUsage };

/** Whether a step of the run may end in calls of the server's tools that are run: within the run's cap on rounds. */
function isToolStep(run: TRunRow): boolean {
  return !run.has_client_tools && run.tool_rounds.length < run.max_tool_rounds;
}

/**
 * Whether a step's tool calls are run, and the next step taken, here: the server's tools, within the run's cap on
 * rounds (past it, recording the calls ends the run incomplete), while this engine is not stopping.
 */
function isContinuedHere(deps: TExecutorDeps, claim: TClaim): boolean {
  return isToolStep(claim.run) && !deps.shutdown.aborted;
}

/**
 * Records the calls (requires_action) and, unless `isDispatched` is false (this process just failed to run them),
 * has them dispatched: the way of the calls that do not go on here.
 */
async function recordToolCalls(deps: TExecutorDeps, claim: TClaim, { toolCalls, usage }: TRound, { isDispatched = true } = {}): Promise<void> {
  const { db, workerId: worker, transition } = deps;
  const runId = claim.run.id;
  const waiting = await transition(runId, requireRunActionById({ db, runId, worker, toolCalls, usage }));
  // Stored: from here a reader or the sweeper would dispatch them too (one dispatch per round wins), so a failure
  // here is only logged. Not awaited: this step is over, and the next is executed once the outputs are in.
  if (isDispatched && waiting?.status === 'requires_action' && !waiting.has_client_tools) {
    deps.dispatchToolCalls(claim.owner, waiting).catch((error: unknown) => deps.log.warn({ err: error, runId }, 'could not dispatch tool calls'));
  }
}

/**
 * A round of the server's tools, gone on with here: the tools run now, and the next step is planned with their
 * outputs, its claim being the round's bookkeeping (recordToolRound), which starts once that step's model request
 * is on its way. The round is this process's dispatch of it (readers and the sweeper here leave it alone).
 */
async function continueToolRound(deps: TExecutorDeps, step: TStep, claim: TClaim, round: TRound): Promise<TStepPlan | null> {
  const { runId } = step;
  const number = claim.run.tool_rounds.length + 1;
  const key = `${runId}:${number}`;
  deps.state.dispatching.add(key);
  // What the tools leave for later (their searches' analytics) waits for the next request and the round's bookkeeping.
  const later: (() => void)[] = [];
  const runLater = () => {
    for (const task of later.splice(0)) task();
  };
  let toolOutputs: TToolOutput[];
  try {
    toolOutputs = await runRoundTools(deps.tools, claim.run, round.toolCalls, (task) => later.push(task));
  } catch (error) {
    // As a failed dispatch leaves them: the calls recorded, for a reader or the sweeper to dispatch again.
    deps.state.dispatching.delete(key);
    deps.log.warn({ err: error, runId }, 'could not run tool calls');
    await recordToolCalls(deps, claim, round, { isDispatched: false });
    runLater();
    return null;
  }
  const rounds = [...claim.run.tool_rounds, { tool_calls: round.toolCalls, tool_outputs: toolOutputs }];
  let start: () => void = () => {};
  const requested = new Promise<void>((resolve) => {
    start = resolve;
  });
  return {
    runId,
    run: { ...claim.run, tool_rounds: rounds },
    owner: claim.owner,
    messages: step.messages,
    input: buildInput(step.messages, rounds),
    claim: requested.then(() => recordToolRound(deps, claim, { ...round, toolOutputs, number, key })).finally(runLater),
    onRequested: start,
  };
}

/**
 * The bookkeeping of a round gone on with here, in the order a dispatched round is recorded: the calls
 * (requires_action), then the outputs with the next step claimed for this process (queued, then in_progress, as
 * its followers are told). The claim; null when the round is not this process's to go on with: the run left
 * in_progress meanwhile (cancelled, expired, taken over), another dispatcher answered the round first, or a write
 * failed — the run is then where that write left it (in_progress under a lease that lapses, or requires_action),
 * for the sweeper or a reader to move on, as when a step or a dispatch fails. Never rejects.
 */
async function recordToolRound(
  deps: TExecutorDeps,
  claim: TClaim,
  { toolCalls, usage, toolOutputs, number, key }: TRound & { toolOutputs: TToolOutput[]; number: number; key: string },
): Promise<TClaim | null> {
  const { db, log, runs, workerId: worker, transition } = deps;
  const { owner } = claim;
  const runId = claim.run.id;
  try {
    const waiting = await transition(runId, requireRunActionById({ db, runId, worker, toolCalls, usage }));
    if (waiting?.status !== 'requires_action') return null;
    const submitted = await submitRoundOutputs(
      { db, transition, workerId: worker, leaseSeconds: runs.leaseSeconds },
      { owner, runId, round: number, toolOutputs, isStopping: deps.shutdown.aborted },
    );
    if (!submitted.claim) return null;
    // Told to the run's followers as a step claimed ahead is when its execution starts (executeSteps).
    const next = await transition(runId, Promise.resolve(submitted.claim));
    return next.claimed ? next : null;
  } catch (error) {
    // Another dispatcher's submission won the round: its step goes on, not this one.
    if (isAppError(error) && error.code === 'conflict') return null;
    log.error({ err: error, runId }, 'could not record a tool round; its next step is dropped');
    return null;
  } finally {
    deps.state.dispatching.delete(key);
  }
}

/** The answer reached MAX_ANSWER_CHARS: what was written is kept, and the run ends incomplete. */
async function endTooLong({ db, log, runs, workerId: worker, transition }: TExecutorDeps, runId: string, draft: TDraftWriter): Promise<void> {
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
