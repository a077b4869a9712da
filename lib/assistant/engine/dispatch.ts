import type { TRunRow, TToolCall, TToolOutput } from '../../db/rows';
import { submitRunToolRoundAndClaimById, submitRunToolRoundById, type TRunClaim } from '../../db/runs';
import { isAppError } from '../../errors';
import type { TEngineState, TTransition } from './state';
import type { TRunEngineDeps } from './types';

// Dispatching a run's tool calls in this process: a run in requires_action whose tools are the server's
// (get_relevant_docs → docs search) has them run here, their outputs submitted, and its next step executed here.
// Reached from requests.ts advanceRun (a reader), sweeper.ts (nobody reading), or execute.ts when a step records
// calls it does not go on with itself (a stopping engine); the step that made the calls usually runs them itself
// (runRoundTools) and records the round as this process's dispatch of it. The whole path is told in
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

/** Runs the pending tool calls and submits their outputs; returns the run as the submission left it. */
export type TDispatchToolCalls = (owner: string, run: TRunRow) => Promise<TRunRow>;

/** The outputs of a round's calls, run here with the run's page and docs version. */
export async function runRoundTools(tools: Pick<TRunEngineDeps['tools'], 'run'>, run: Pick<TRunRow, 'metadata'>, calls: TToolCall[]): Promise<TToolOutput[]> {
  const page = typeof run.metadata.page === 'string' ? run.metadata.page : undefined;
  // The conversation's version of the docs (the thread's metadata `version`, copied onto each run by the SQL
  // that creates it): every search of the conversation is of that version.
  const version = typeof run.metadata.version === 'string' ? run.metadata.version : undefined;
  // Next hop: the tools' registry (lib/assistant/tools/index.ts, as the app built it: createAssistantTools).
  return Promise.all(calls.map(async (call) => ({ tool_call_id: call.id, output: await tools.run(call, { page, version }) })));
}

export function createToolDispatcher({ db, tools, transition, state, workerId, leaseSeconds, execute }: TToolDispatchDeps): TDispatchToolCalls {
  return async function dispatchToolCalls(owner, run) {
    if (run.has_client_tools) return run;
    const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
    const key = `${run.id}:${run.tool_rounds.length}`;
    if (state.dispatching.has(key)) return run;
    state.dispatching.add(key);
    try {
      const toolOutputs = await runRoundTools(tools, run, calls);
      // The outputs and the claim of the next step in one round trip: the followers are told the submission (queued),
      // then the executor tells them its claim, as if it had claimed on its own.
      const round = run.tool_rounds.length;
      // A stopping engine executes nothing: the outputs are submitted alone, and the queued run is another process's.
      if (state.shutdown.signal.aborted) return await transition(run.id, submitRunToolRoundById({ db, owner, runId: run.id, round, toolOutputs }));
      const { run: submitted, claim } = await transition(
        run.id,
        submitRunToolRoundAndClaimById({ db, owner, runId: run.id, round, toolOutputs, worker: workerId, leaseSeconds }),
      );
      execute(run.id, claim);
      return submitted;
    } catch (error) {
      if (isAppError(error) && error.code === 'conflict') return run;
      throw error;
    } finally {
      state.dispatching.delete(key);
    }
  };
}
