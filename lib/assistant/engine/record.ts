import { isResearchRun } from '../../shared/runs';
import { keepReadCitations } from './research';
import type { TRunRow, TToolCall, TUsage } from '../../db/rows';
import { claimRunById, completeRunById, requireRunActionById } from '../../db/runs';
import type { TModelOutput } from '../../model/types';
import type { TTransition } from './state';
import type { TClaim } from './step';
import { metrics } from '../../telemetry';
import type { TRefusal, TRunEngineDeps } from './types';

// What a step records, as the executor of the run's step (its worker holds the lease): the answer (completed), or
// the model's tool calls (requires_action), then handed to the dispatcher (./dispatch.ts), which runs the server's
// tools, submits their outputs with the next step claimed for this process, and has that step executed here. Every
// write goes through `transition`, which tells the run's followers.

export type TRecordDeps = Pick<TRunEngineDeps, 'db' | 'log' | 'runs' | 'wakeOutbox'> & {
  tools: Pick<TRunEngineDeps['tools'], 'verifyAnswer'>;
  workerId: string;
  transition: TTransition;
  /** Dispatches the tool calls a step just recorded (./dispatch.ts): at once, not when a reader or the sweeper next reads the run. */
  dispatchToolCalls(owner: string, run: TRunRow): Promise<unknown>;
};

/** A step's tool calls, as the run stores them, with the step's usage. */
export type TRound = { toolCalls: TToolCall[]; usage?: TUsage };

export function toRound(output: Extract<TModelOutput, { type: 'tool_calls' }>, usage?: TUsage): TRound {
  const toolCalls: TToolCall[] = output.calls.map((call) => ({
    id: call.call_id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  return { toolCalls, usage };
}

/**
 * Records the calls (requires_action) and, unless `isDispatched` is false (this process just failed to run them),
 * has them dispatched.
 */
export async function recordToolCalls(deps: TRecordDeps, claim: TClaim, { toolCalls, usage }: TRound, { isDispatched = true } = {}): Promise<void> {
  const { db, workerId: worker, transition } = deps;
  const runId = claim.run.id;
  const waiting = await transition(runId, requireRunActionById({ db, runId, worker, toolCalls, usage }));
  // Stored: from here a reader or the sweeper would dispatch them too (one dispatch per round wins), so a failure
  // here is only logged. Not awaited: this step is over, and the next is executed once the outputs are in.
  if (isDispatched && waiting?.status === 'requires_action' && !waiting.has_client_tools) {
    deps.dispatchToolCalls(claim.owner, waiting).catch((error: unknown) => deps.log.warn({ err: error, runId }, 'could not dispatch tool calls'));
  }
}

/** Records the model's answer: the run is completed, its links checked against the docs first. */
export async function recordAnswer(deps: TRecordDeps, claim: TClaim, output: Extract<TModelOutput, { type: 'message' }>, usage?: TUsage): Promise<void> {
  const { db, workerId: worker, transition } = deps;
  const runId = claim.run.id;
  // A model's research answer cites only what its run read (./research.ts); the offline model's cites its results.
  const checked = isResearchRun(claim.run) && !claim.run.has_client_tools && output.metadata?.offline !== true
    ? keepReadCitations(output.text, output.annotations ?? [], claim.run.tool_rounds)
    : { text: output.text, annotations: output.annotations ?? [], removed: 0 };
  // The site's answers link to its docs, which are checked; a client's assistant answers about anything.
  const answer = deps.tools.verifyAnswer && !claim.run.has_client_tools
    ? await deps.tools.verifyAnswer({ text: checked.text, annotations: checked.annotations })
    : { text: checked.text, annotations: checked.annotations };
  // An answer that cites no docs section is one the docs did not cover: the instructions tell the model to
  // cite nothing exactly then. Recorded as the offline model records it, for the maintainers' figures.
  const metadata: Record<string, unknown> = { ...(output.metadata ?? {}), ...(checked.removed > 0 ? { research_unread_links: checked.removed } : {}) };
  if (metadata.no_docs_match === undefined && !answer.annotations.some((annotation) => annotation.type === 'url_citation')) {
    metadata.no_docs_match = true;
  }
  // A research run's answer says so, whoever wrote it: the reader is not offered to research it again.
  if (isResearchRun(claim.run)) metadata.research = true;
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
  if (completed.status === 'completed') {
    deps.wakeOutbox();
    // Deflection as it happens (lib/telemetry): an answer from the docs (it cites them) or one they did not cover.
    // The maintainers' dashboard counts the same from the database (lib/maintainers/deflection.ts), votes included.
    if (!claim.run.has_client_tools) metrics.deflection(metadata.no_docs_match === true ? 'not_covered' : 'answered_from_docs');
  }
}

/** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
export async function completeWithoutModel(deps: TRecordDeps, runId: string, { text, metadata }: TRefusal): Promise<void> {
  const { db, runs, workerId: worker, transition } = deps;
  const claim = await transition(runId, claimRunById({ db, runId, worker, leaseSeconds: runs.leaseSeconds }));
  if (!claim.claimed) return;
  const completed = await transition(
    runId,
    completeRunById({ db, runId, worker, content: [{ type: 'text', text: { value: text, annotations: [] } }], metadata }),
  );
  if (completed.status === 'completed') deps.wakeOutbox();
}
