import { storedAudiencesOf } from '../../audiences';
import { createMessageAndRun, createRunByThread, createRunForMessageById, type TNewQuestion, type TNewRun } from '../../db/messages';
import type { TMessageRow, TRunRow } from '../../db/rows';
import { cancelRunById, createMessageAndClaimRun, createMessageAndRunWithinLimits, createRunForMessageWithinLimits, getRunById, submitRunToolOutputsById, type TRunClaim } from '../../db/runs';
import { AppError } from '../../errors';
import { maskedMetadata, type TPrivacy } from '../../privacy/mask';
import { isTerminalRunStatus } from '../../shared/runs';
import type { TRunEvents } from '../streaming/events';
import type { TExecutor } from './execute';
import type { TEngineState, TTransition } from './state';
import type { TDispatchToolCalls } from './dispatch';
import type { TRunEngine, TRunEngineDeps } from './types';
import { currentTraceparent, metrics } from '../../telemetry';
import type { TRunMode } from '../../shared/runs';
import { researchOf } from './settings';

/** The run's metadata: the door's (`page`) over the spec's (`mode`). */
function withRunMetadata(run: TNewRun, metadata: Record<string, unknown> | undefined): TNewRun {
  if (!metadata) return run;
  return { ...run, metadata: { ...run.metadata, ...metadata } };
}

// What a door (the site, /v1, Slack) asks of the engine about one run: queue it (a question, a Retry, a client's
// run), hand it the client's tool outputs, read it and move it along, wait for it, cancel it.
//
// Contract: a run is queued in the same transaction as its question (the database refuses a second active run
// on a thread: 409); unless the caller says `isExecutedHere: false` its first step starts here at once, and the
// call returns without waiting for it. Every reader of a run moves it along as GET run does (advanceRun): a run
// in requires_action gets its tool calls dispatched, a queued or stalled one is executed here.

/** Tool rounds a run with client tools may take (at least; RUN_MAX_TOOL_ROUNDS when higher). */
const CLIENT_TOOL_ROUNDS = 20;

export type TRequestDeps = Pick<TRunEngineDeps, 'db' | 'model' | 'instructions' | 'handoffInstructions' | 'runs' | 'wakeOutbox'> & {
  /** This process's worker: a question executed here has its run claimed for it as it is stored. */
  workerId: string;
  tools: Pick<TRunEngineDeps['tools'], 'definitions'>;
  privacy: TPrivacy;
  transition: TTransition;
  executor: TExecutor;
  dispatchToolCalls: TDispatchToolCalls;
  events: Pick<TRunEvents, 'subscribe'>;
  state: Pick<TEngineState, 'aborts' | 'shutdown'>;
};

export type TRunRequests = Pick<
  TRunEngine,
  'startRun' | 'rerunMessage' | 'startClientRun' | 'submitToolOutputs' | 'readRunAndAdvance' | 'advanceRun' | 'waitForRun' | 'cancelRun'
>;

export function createRunRequests(deps: TRequestDeps): TRunRequests {
  const { db, runs, privacy, transition, executor } = deps;
  const { execute } = executor;

  /**
   * A new run as the engine runs them: this process's model, instructions, tools and limits. `isHandoffOffered`
   * (the door shows "Ask the maintainers"): the hand-off's instructions, and `handoff_offered` in the run's options,
   * which the model is told with each request (./step.ts).
   */
  function newRunSpec({ isHandoffOffered = false, mode = 'quick' }: { isHandoffOffered?: boolean; mode?: TRunMode } = {}): TNewRun {
    const isResearch = mode === 'research';
    // The trace of the request that queues the run: whoever executes it elsewhere (the sweeper, another instance,
    // a later reader) links its span to it (./execute.ts).
    const traceparent = currentTraceparent();
    // Offered only where the site hands conversations over at all (HANDOFF_TO: the app gives the hand-off's instructions).
    const handoffInstructions = isHandoffOffered ? deps.handoffInstructions : undefined;
    // A research run says so in its options (what the engine and the SQL read: one at a time per owner) and its
    // metadata (what the reader's clients and /v1 see).
    const options = {
      ...(traceparent ? { traceparent } : {}),
      ...(handoffInstructions ? { handoff_offered: true } : {}),
      ...(isResearch ? { mode: 'research' } : {}),
    };
    return {
      ...(Object.keys(options).length > 0 ? { options } : {}),
      ...(isResearch ? { metadata: { mode: 'research' } } : {}),
      model: deps.model.name,
      instructions: handoffInstructions ?? deps.instructions,
      tools: deps.tools.definitions.map(({ type, name, description, parameters }) => ({ type, function: { name, description, parameters } })),
      // A research run's steps are its rounds of searches and reads; the last one answers (./step.ts).
      max_tool_rounds: isResearch ? researchOf(runs).maxSteps - 1 : runs.maxToolRounds,
      max_attempts: runs.maxAttempts,
      expires_in_seconds: runs.expirySeconds,
    };
  }

  /**
   * Stores the question with its run, within `limits` when given (a refusal thrown), its first step claimed for this
   * process when `isClaimed`.
   */
  async function storeQuestion(
    question: TNewQuestion,
    { isClaimed, limits }: { isClaimed: boolean; limits: Parameters<TRunEngine['startRun']>[0]['limits'] },
  ): Promise<{ message: TMessageRow; run: TRunRow; claim?: TRunClaim }> {
    if (limits) {
      const stored = await createMessageAndRunWithinLimits({ ...question, limits: limits.spec, worker: isClaimed ? deps.workerId : null, leaseSeconds: runs.leaseSeconds });
      if ('refusal' in stored) throw limits.refuse(stored.refusal);
      return stored;
    }
    if (isClaimed) return createMessageAndClaimRun({ ...question, worker: deps.workerId, leaseSeconds: runs.leaseSeconds });
    return createMessageAndRun(question);
  }

  const startRun: TRunEngine['startRun'] = async ({ owner, threadId, text, metadata, runMetadata, access, refusal, isHandoffOffered, mode, isExecutedHere = true, limits }) => {
    metrics.question(refusal ? 'refused' : 'answered');
    // Callers mask first (the service does, before moderation); masking again changes nothing then, and
    // catches any door that did not.
    const masked = privacy.mask(text);
    const removed = maskedMetadata(masked);
    const question = {
      db,
      owner,
      threadId,
      content: [{ type: 'text' as const, text: { value: masked.text, annotations: [] } }],
      metadata: removed ? { ...removed, ...metadata } : metadata,
      run: withRunMetadata({ ...newRunSpec({ isHandoffOffered, mode }), reader_audiences: access ? storedAudiencesOf(access) : null }, runMetadata),
    };
    // A stopping engine executes nothing: the run stays queued for the sweeper of another (or the next) process.
    if (refusal || !isExecutedHere || deps.state.shutdown.signal.aborted) {
      const { message, run } = await storeQuestion(question, { isClaimed: false, limits });
      const created = { message, run };
      deps.wakeOutbox();
      if (refusal) await executor.completeWithoutModel(created.run.id, refusal);
      return created;
    }
    // Executed here: the run's first step is claimed in the same round trip that stores the question, so that
    // the model is asked one database round trip sooner. The caller is told the run as created (queued).
    const { claim, ...created } = await storeQuestion(question, { isClaimed: true, limits });
    deps.wakeOutbox();
    // The model's request leaves before the caller is answered: on the embedded store the work the answer sets off
    // (the reader's event stream opening) runs on this thread, and the reader waits for the model, not for the answer
    // to this call (the run as queued). Never long: on the plain path one turn of the event loop; pipelined, at most
    // lib/model/request-sent.ts's bound (engine/step.ts TSendRequest).
    await new Promise<void>((resolve) => execute(created.run.id, claim, resolve));
    return created;
  };

  const startClientRun: TRunEngine['startClientRun'] = async ({ owner, threadId, messages, spec, isExecutedHere = true, access }) => {
    metrics.question('client_run');
    const { run } = await createRunByThread({
      db,
      owner,
      threadId,
      messages,
      run: {
        ...newRunSpec(),
        model: spec.model,
        instructions: spec.instructions,
        tools: spec.tools,
        metadata: spec.metadata,
        // A client's tools may take many rounds (the docs search needs few): the site's cap would cut agents short.
        max_tool_rounds: Math.max(runs.maxToolRounds, CLIENT_TOOL_ROUNDS),
        assistant_id: spec.assistantId,
        has_client_tools: true,
        // `metadata.mode: "research"` (issue 71) makes it a research run: one at a time per key, its bounds told the model.
        options: {
          ...spec.options,
          ...(currentTraceparent() ? { traceparent: currentTraceparent() } : {}),
          ...(spec.metadata.mode === 'research' ? { mode: 'research' } : {}),
        },
        reader_audiences: access ? storedAudiencesOf(access) : null,
      },
    });
    if (isExecutedHere) execute(run.id);
    return run;
  };

  const submitToolOutputs: TRunEngine['submitToolOutputs'] = async ({ owner, threadId, runId, toolOutputs, isExecutedHere = true }) => {
    const run = await getRunById({ db, owner, threadId, runId });
    if (!run.has_client_tools) throw new AppError('bad_request', 'The tools of this run are run by the server; it takes no tool outputs.');
    const submitted = await transition(runId, submitRunToolOutputsById({ db, owner, runId, toolOutputs }));
    if (isExecutedHere) execute(runId);
    return submitted;
  };

  const rerunMessage: TRunEngine['rerunMessage'] = async ({ owner, threadId, messageId, isExecutedHere = true, access, isHandoffOffered, mode, limits }) => {
    const run = { ...newRunSpec({ isHandoffOffered, mode }), reader_audiences: access ? storedAudiencesOf(access) : null };
    const created = limits ? await createRunForMessageWithinLimits({ db, limits: limits.spec, owner, threadId, messageId, run }) : await createRunForMessageById({ db, owner, threadId, messageId, run });
    if ('refusal' in created) throw limits!.refuse(created.refusal);
    if (isExecutedHere) execute(created.run.id);
    return created;
  };

  const advanceRun: TRunEngine['advanceRun'] = async ({ owner, run }) => {
    // Next hop for the server's tool calls: dispatch.ts (dispatchToolCalls), then the tools' registry (../tools).
    if (run.status === 'requires_action') return deps.dispatchToolCalls(owner, run);
    if (run.status === 'queued' || run.is_lease_stale) execute(run.id);
    return run;
  };

  const readRunAndAdvance: TRunEngine['readRunAndAdvance'] = async ({ owner, threadId, runId }) =>
    advanceRun({ owner, run: await getRunById({ db, owner, threadId, runId }) });

  const waitForRun: TRunEngine['waitForRun'] = async ({ owner, threadId, runId, timeoutMs }) => {
    const deadline = Date.now() + timeoutMs;
    // Subscribed before the first read, so that a change between a read and the wait is not missed.
    const changes = deps.events.subscribe(runId, { isTextIgnored: true });
    try {
      for (;;) {
        const run: TRunRow = await readRunAndAdvance({ owner, threadId, runId });
        const remaining = deadline - Date.now();
        if (isTerminalRunStatus(run.status) || remaining <= 0) return run;
        await changes.wait(Math.min(runs.pollMs, remaining));
      }
    } finally {
      changes.close();
    }
  };

  const cancelRun: TRunEngine['cancelRun'] = async ({ owner, threadId, runId }) => {
    const run = await transition(runId, cancelRunById({ db, owner, threadId, runId }));
    // Stops this process's model call for the run, if it is making one.
    deps.state.aborts.get(run.id)?.abort();
    return run;
  };

  return { startRun, rerunMessage, startClientRun, submitToolOutputs, readRunAndAdvance, advanceRun, waitForRun, cancelRun };
}
