import { claimRunWithContextById, type TRunClaim } from '../../db/runs';
import type { TPipelineDeps, TPipelining } from './pipeline';
import { completeWithoutModel, recordAnswer, recordToolCalls, toRound } from './record';
import type { TEngineState, TLiveDrafts } from './state';
import { askModel, endTooLong, holdLease, isToolStep, openStep, planStep, type TAnswered, type TClaim, type TStep, type TStepDeps, type TStepPlan } from './step';
import type { TRefusal } from './types';
import { linkActiveSpan, withSpan } from '../../telemetry';

// Executing a run in this process, a step at a time. A step claims the run (a lease: of all instances, exactly one
// executes the step), asks the model while it holds the lease, its answer's text streamed as a live draft
// (./step.ts), and records what the model answered (./record.ts):
//   - an answer: the run is completed;
//   - tool calls: the round is recorded (requires_action), the tools are dispatched (./dispatch.ts: they run here
//     and their outputs are submitted with the next step claimed for this process), and that next step is
//     executed here once this one is over (`claimedNext`).
// That is the plain path. With RUN_PIPELINING on (the default) a round of the server's tools takes a faster one,
// with the same writes in the same order: the pipelined tool round (./pipeline.ts), whose next model request
// leaves before the round is recorded. This file only hands the round to it.
//
// Contract: execute(runId) never throws and never runs two steps of one run at once in this process; a step
// that is not this process's to take (another holds the lease, the run is not queued) does nothing. Every
// change of the run goes through `transition`. Once a step ends its live draft is dropped: the database holds it.

export type TExecutorDeps = TStepDeps &
  TPipelineDeps & {
    drafts: Pick<TLiveDrafts, 'write' | 'end'>;
    state: Pick<TEngineState, 'executing' | 'claimedNext' | 'aborts' | 'dispatching'>;
    /** Aborted by the engine's stop(): no new step starts. */
    shutdown: AbortSignal;
    /** Wakes the run's followers in this process (a step ended: what they read may have changed). */
    notify(runId: string): void;
    /** The pipelined tool round (./pipeline.ts PIPELINING) when RUN_PIPELINING is on; null: the plain path only. */
    pipelining: TPipelining | null;
  };

export type TExecutor = {
  /**
   * Starts executing a step of the run in this process unless this process already is. Never throws. `claim`: the
   * step was claimed already, for this worker, in the same round trip as what came before it (the question stored,
   * the tool outputs submitted); it is told to the run's followers as a claim made here would be. `onRequested`:
   * told once, when the step's model request is on its way (./step.ts TSendRequest), or when no step starts here.
   */
  execute(runId: string, claim?: TRunClaim, onRequested?: () => void): void;
  /** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
  completeWithoutModel(runId: string, refusal: TRefusal): Promise<void>;
};

/** One step: the model asked, and what it answered recorded; the next step's plan when a pipelined round goes on here. */
async function executeStep(deps: TExecutorDeps, step: TStep): Promise<TStepPlan | null> {
  return withSpan('run step', { 'pa.run.id': step.runId, 'pa.run.round': step.run.tool_rounds.length }, () => executeStepTraced(deps, step));
}

async function executeStepTraced(deps: TExecutorDeps, step: TStep): Promise<TStepPlan | null> {
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let isOver = false;
  // The lease is this process's once the claim is known (at once, but for a step the pipelined round started ahead).
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

/** Records what the model answered: the answer (completed), or its tool calls (requires_action, then dispatched). */
async function recordOutcome(deps: TExecutorDeps, step: TStep, { response: { output, usage }, claim, draft }: TAnswered): Promise<TStepPlan | null> {
  // An adapter that does not stream (or streamed less than it returned) is held to the same limit.
  if (draft.isOverLimit || (output.type === 'message' && output.text.length > deps.runs.maxAnswerChars)) {
    if (output.type === 'message') draft.setText(output.text);
    await endTooLong(deps, step.runId, draft);
    return null;
  }
  await draft.stop();
  if (output.type === 'message') {
    await recordAnswer(deps, claim, output, usage);
    return null;
  }
  const round = toRound(output, usage);
  // The optimisation, when on: a round of the server's tools goes on here, its next request sent first (./pipeline.ts).
  if (deps.pipelining && isContinuedHere(deps, claim)) return deps.pipelining.continueToolRound(deps, step, claim, round);
  // The plain path: the calls recorded, then dispatched; the dispatcher claims the next step for this process.
  await recordToolCalls(deps, claim, round);
  return null;
}

/**
 * Whether a round is gone on with here (pipelined): the server's tools, within the run's cap on rounds (past it,
 * recording the calls ends the run incomplete), while this engine is not stopping.
 */
function isContinuedHere(deps: TExecutorDeps, claim: TClaim): boolean {
  return isToolStep(claim.run) && !deps.shutdown.aborted;
}

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

/** Claims a step of the run and executes it; a pipelined tool round goes on to the next step here. */
async function executeSteps(deps: TExecutorDeps, runId: string, claimed: TRunClaim | undefined, onRequested: () => void): Promise<void> {
  // The run's span: a child of the request that started it here (the question's POST, a reader's GET, a tool
  // round's dispatch), else the root of its own trace (the sweeper's pick-up).
  return withSpan('run', { 'pa.run.id': runId }, async (span) => {
    await executeStepsTraced(deps, runId, claimed, onRequested);
    span.setAttribute('pa.run.executed', true);
  });
}

async function executeStepsTraced(deps: TExecutorDeps, runId: string, claimed: TRunClaim | undefined, onRequested: () => void): Promise<void> {
  const { db, runs, workerId: worker, transition, state } = deps;
  const claim = await transition(runId, claimed ? Promise.resolve(claimed) : claimRunWithContextById({ db, runId, worker, leaseSeconds: runs.leaseSeconds }));
  if (!claim.claimed) return;
  // Executed apart from the request that queued it (the sweeper, another instance, a later reader): linked to its trace.
  linkActiveSpan(claim.run.options?.traceparent);
  try {
    let plan: TStepPlan | null = planStep(claim, onRequested);
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
