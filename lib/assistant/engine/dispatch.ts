import { accessOfStored } from '../../audiences';
import type { TRunRow, TToolCall, TToolOutput } from '../../db/rows';
import { submitRunToolRoundAndClaimById, submitRunToolRoundById, type TRunClaim } from '../../db/runs';
import { isAppError } from '../../errors';
import type { TEngineState, TTransition } from './state';
import type { TRunEngineDeps } from './types';

// Dispatching a run's tool calls in this process: a run in requires_action whose tools are the server's
// (get_relevant_docs → docs search) has them run here, their outputs submitted, and its next step executed here.
// Reached from execute.ts once a step has recorded its calls (the plain path), requests.ts advanceRun (a reader), or
// sweeper.ts (nobody reading); with the pipelined tool round (pipeline.ts) the step that made the calls runs them
// itself (runRoundTools) and records the round as this process's dispatch of it. The whole path is told in
// lib/assistant/tools/index.ts.
//
// Contract: one dispatch per tool round per process (a second reader of the same round gets the run as it was;
// so does one that reads a round the executor here is going on with).
// A submission names the round it answers (submit_run_tool_round_by_id): of several dispatchers of one round (the
// executor, a reader holding an older read, another instance) one wins, and for the others the database answers
// 409 conflict, which is no error here: they get the run back as they read it, and the winner's transition has
// already told its followers. A run whose tools are the client's (/v1) is never
// dispatched: it waits for the client's outputs.

export type TToolDispatchDeps = Pick<TRunEngineDeps, 'db'> & {
  tools: Pick<TRunEngineDeps['tools'], 'run'>;
  transition: TTransition;
  state: Pick<TEngineState, 'dispatching' | 'shutdown'>;
  /** This process's worker and lease: the submission also claims the run's next step for it. */
  workerId: string;
  leaseSeconds: number;
  /** Executes the run's next step here, as claimed with the submission. */
  execute(runId: string, claim: TRunClaim): void;
};

/**
 * Submits a round's outputs, in one round trip with the run's next step claimed for this process (the followers are
 * told the submission, queued; whoever executes the claim tells them it, as if it had claimed on its own), or alone
 * when `isStopping` (a stopping engine executes nothing: the queued run is another process's, and the claim null).
 * The one submission of both ways of a round: a dispatch here, and a round its executor goes on with (pipeline.ts).
 */
export async function submitRoundOutputs(
  { db, transition, workerId: worker, leaseSeconds }: Pick<TToolDispatchDeps, 'db' | 'transition' | 'workerId' | 'leaseSeconds'>,
  { owner, runId, round, toolOutputs, isStopping }: { owner: string; runId: string; round: number; toolOutputs: TToolOutput[]; isStopping: boolean },
): Promise<{ run: TRunRow; claim: TRunClaim | null }> {
  if (isStopping) return { run: await transition(runId, submitRunToolRoundById({ db, owner, runId, round, toolOutputs })), claim: null };
  return transition(runId, submitRunToolRoundAndClaimById({ db, owner, runId, round, toolOutputs, worker, leaseSeconds }));
}

/** Runs the pending tool calls and submits their outputs; returns the run as the submission left it. */
export type TDispatchToolCalls = (owner: string, run: TRunRow) => Promise<TRunRow>;

/** The outputs of a round's calls, run here with the run's page and docs version; `defer`: TToolContext's. */
export async function runRoundTools(
  tools: Pick<TRunEngineDeps['tools'], 'run'>,
  run: Pick<TRunRow, 'metadata' | 'reader_audiences'>,
  calls: TToolCall[],
  defer?: (task: () => void) => void,
): Promise<TToolOutput[]> {
  const page = typeof run.metadata.page === 'string' ? run.metadata.page : undefined;
  // The conversation's version of the docs (the thread's metadata `version`, copied onto each run by the SQL
  // that creates it): every search of the conversation is of that version.
  const version = typeof run.metadata.version === 'string' ? run.metadata.version : undefined;
  // Who asked, as they were when they asked (lib/audiences): never the identity they hold now.
  const access = accessOfStored(run.reader_audiences);
  // Next hop: the tools' registry (lib/assistant/tools/index.ts, as the app built it: createAssistantTools).
  return Promise.all(calls.map(async (call) => ({ tool_call_id: call.id, output: await tools.run(call, { page, version, defer, access }) })));
}

export function createToolDispatcher(deps: TToolDispatchDeps): TDispatchToolCalls {
  const { tools, state, execute } = deps;
  return async function dispatchToolCalls(owner, run) {
    if (run.has_client_tools) return run;
    const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
    const key = `${run.id}:${run.tool_rounds.length}`;
    if (state.dispatching.has(key)) return run;
    state.dispatching.add(key);
    try {
      const toolOutputs = await runRoundTools(tools, run, calls);
      const round = run.tool_rounds.length;
      const { run: submitted, claim } = await submitRoundOutputs(deps, { owner, runId: run.id, round, toolOutputs, isStopping: state.shutdown.signal.aborted });
      if (claim) execute(run.id, claim);
      return submitted;
    } catch (error) {
      if (isAppError(error) && error.code === 'conflict') return run;
      throw error;
    } finally {
      state.dispatching.delete(key);
    }
  };
}
