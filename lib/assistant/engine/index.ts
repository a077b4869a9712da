import { randomUUID } from 'node:crypto';
import { DEFAULT_PRIVACY } from '../../privacy/mask';
import { createRunEvents } from '../streaming/events';
import { createRunChannel } from '../streaming/run-channel';
import { createExecutor } from './execute';
import { createModelCaller } from './model-io';
import { PIPELINING } from './pipeline';
import { createRunRequests } from './requests';
import { createEngineState, createLiveDrafts, createTransition } from './state';
import { createSweeper } from './sweeper';
import { createToolDispatcher } from './dispatch';
import type { TRunEngine, TRunEngineDeps } from './types';

// The run engine: the one owner of run execution in this process (its contract: ./types.ts). This file only
// puts it together; each part is one responsibility, read on its own:
//   requests.ts   what the doors ask: queue a run, submit a client's tool outputs, read and advance, wait, cancel
//   execute.ts    executing a run step by step (the plain path): claim, ask the model (step.ts), record the answer
//                 or the tool calls (record.ts) and dispatch them, then the next step
//   pipeline.ts   the pipelined tool round (RUN_PIPELINING, on by default): an optimisation execute.ts hands a
//                 round of the server's tools to, whose next model request leaves before the round is recorded
//   dispatch.ts   dispatching a run's tool calls (the server's tools) and submitting their outputs
//   sweeper.ts    moving the runs nobody is moving: queued, waiting for tools, lapsed leases (and expiry)
//   model-io.ts   what a step sends the model and accepts back (pure functions)
//   state.ts      the private in-memory state, and `transition`, which every change of a run goes through and
//                 which notifies the run's followers by itself (here at once; other instances over ../streaming/run-channel.ts)
// The state stays in here: each part gets only the pieces it uses, and readers outside reach runs through the
// engine's methods.

export type { TClientRunSpec, TRefusal, TRunChange, TRunEngine, TRunEngineDeps } from './types';
/** Which tools a step of a run offers the model: the server's, or the run's own (a /v1 client's). */
export { toolsOfRun } from './model-io';

export function createRunEngine(deps: TRunEngineDeps): TRunEngine {
  const { db, log, runs, model, tools, instructions, handoffInstructions, wakeOutbox } = deps;
  const privacy = deps.privacy ?? DEFAULT_PRIVACY;
  const workerId = `worker_${randomUUID()}`;
  const events = createRunEvents();
  const channel = createRunChannel({ db, workerId, events, log });
  const state = createEngineState();
  const shutdown = state.shutdown.signal;
  const transition = createTransition({ events, channel });
  const drafts = createLiveDrafts({ events, channel });
  const callModel = createModelCaller(deps.modelTimeoutMs);

  const executor = createExecutor({
    db,
    log,
    model,
    runs,
    tools,
    wakeOutbox,
    privacy,
    workerId,
    transition,
    callModel,
    drafts,
    state,
    shutdown,
    notify: (runId) => events.notify(runId),
    dispatchToolCalls: (owner, run) => dispatchToolCalls(owner, run),
    pipelining: runs.isPipelined ? PIPELINING : null,
  });
  const { execute } = executor;
  const dispatchToolCalls = createToolDispatcher({ db, tools, transition, state, workerId, leaseSeconds: runs.leaseSeconds, execute });
  const sweeper = createSweeper({ db, log, runs, workerId, shutdown, execute, dispatchToolCalls, channel });
  const requests = createRunRequests({ db, model, runs, tools, wakeOutbox, instructions, handoffInstructions, privacy, workerId, transition, executor, dispatchToolCalls, events, state });

  return {
    workerId,
    ...requests,
    startRunLater(runId, delayMs) {
      setTimeout(() => execute(runId), delayMs).unref?.();
    },
    subscribe: (runId, options) => events.subscribe(runId, options),
    getLiveDraft: (runId) => drafts.get(runId),
    resumeOrphanedRuns: sweeper.resumeOrphanedRuns,
    sweepRuns: sweeper.sweepRuns,
    startSweeper: sweeper.start,
    watch: (runId, listener) => events.on(runId, listener),
    callModel,
    isExecuting: (runId) => state.executing.has(runId),
    stop() {
      state.shutdown.abort();
      void sweeper.stop();
      channel.close();
      for (const controller of state.aborts.values()) controller.abort();
    },
  };
}
