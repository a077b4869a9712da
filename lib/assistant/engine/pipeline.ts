import type { TToolOutput } from '../../db/rows';
import { requireRunActionById } from '../../db/runs';
import { isAppError } from '../../errors';
import { whenRequestSent } from '../../model/request-sent';
import { runRoundTools, submitRoundOutputs } from './dispatch';
import { buildInput } from './model-io';
import { recordToolCalls, type TRecordDeps, type TRound } from './record';
import type { TEngineState } from './state';
import type { TClaim, TSendRequest, TStep, TStepPlan } from './step';
import type { TRunEngineDeps } from './types';

// The pipelined tool round: an optimisation of the plain path (./execute.ts), on unless RUN_PIPELINING=off. What
// it saves: the plain path records a round of the server's tools (requires_action), runs them, and submits their
// outputs with the next step claimed before it sends the model its next request; here the request is sent first,
// and the round recorded while the model works (`npm run bench`'s streaming section measures both ways: the tool
// round p50 41 → 16 ms, overhead to first text p50 75 → 43 ms, on a 2-core machine at load 11-17).
// Its two parts:
//   - continueToolRound: the tools run at once, as this process's dispatch of the round (readers and the sweeper
//     here leave it alone), and the next step is planned with their outputs; its claim is the round's bookkeeping
//     (recordToolRound), which starts once that step's request has left.
//   - sendRequest, the request-sent wait: when a request counts as on its way (lib/model/request-sent.ts: its body
//     written to the socket, then one timer tick, bounded at 50 ms). On the embedded store every query runs on the
//     thread that sends the request, and a model server on this machine is woken on this CPU; what waits for it —
//     the round's bookkeeping, the tools' readiness, the reply to a question's POST — would otherwise hold the
//     request back by 3-4 ms.
//
// Contract (tests/integration/run-pipelined-tool-round.test.ts):
//   - When the next request is sent, nothing of the round is recorded; once it has left, the round is recorded in
//     the plain path's order and states: the calls (requires_action), then the outputs with the next step claimed
//     (queued, then in_progress), each told to the run's followers as the plain path tells them.
//   - What the model answers is held until then (nothing shown, nothing stored). When the round cannot be recorded
//     as this process's (the run was cancelled, another dispatcher answered the round, a write failed), the request
//     is aborted and its answer dropped; the run is left where that write left it, for the sweeper or a reader.
//   - Once the round is recorded the step is a step like any other: a model request that fails then fails the run,
//     and the question and the round stay stored.
//   - What the tools leave for later (their searches' analytics, TToolContext.defer) runs after the bookkeeping.

export type TPipelineDeps = TRecordDeps & {
  tools: Pick<TRunEngineDeps['tools'], 'run'>;
  /** `dispatching`: the round is taken there, as dispatch.ts takes one. */
  state: Pick<TEngineState, 'dispatching'>;
  /** Aborted by the engine's stop(): the outputs are submitted without claiming a next step. */
  shutdown: AbortSignal;
};

export type TPipelining = {
  sendRequest: TSendRequest;
  /** A round of the server's tools gone on with here: the next step's plan (its claim to come); null when it cannot go on. */
  continueToolRound(deps: TPipelineDeps, step: TStep, claim: TClaim, round: TRound): Promise<TStepPlan | null>;
};

/** The pipelined tool round, as the engine takes it when RUN_PIPELINING is on (./index.ts). */
export const PIPELINING: TPipelining = { sendRequest: whenRequestSent, continueToolRound };

async function continueToolRound(deps: TPipelineDeps, step: TStep, claim: TClaim, round: TRound): Promise<TStepPlan | null> {
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
 * The bookkeeping of a round gone on with here, in the plain path's order: the calls (requires_action), then the
 * outputs with the next step claimed for this process (queued, then in_progress, as its followers are told). The
 * claim; null when the round is not this process's to go on with: the run left in_progress meanwhile (cancelled,
 * expired, taken over), another dispatcher answered the round first, or a write failed — the run is then where
 * that write left it (in_progress under a lease that lapses, or requires_action), for the sweeper or a reader to
 * move on, as when a step or a dispatch fails. Never rejects.
 */
async function recordToolRound(
  deps: TPipelineDeps,
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
    // Told to the run's followers as a step claimed ahead is when its execution starts (execute.ts executeSteps).
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
