import type { TMessageRow, TRunRow } from '../../db/rows';
import { endRunById, renewRunLeaseById, type TRunClaim } from '../../db/runs';
import type { TRequestSent } from '../../model/request-sent';
import type { TInputItem, TModelResponse } from '../../model/types';
import type { TPrivacy } from '../../privacy/mask';
import { createDraftWriter, type TDraftWriter } from '../draft';
import { answerTooLong, buildInput, checkModelResponse, instructionsForStep, toolsOfRun, toRunError, toStorableResponse, type TCallModel } from './model-io';
import { secondsSince, type TLiveDrafts, type TTransition } from './state';
import { metrics } from '../../telemetry';
import { researchBudget, researchInstructions, researchTools } from './research';
import { researchOf } from './settings';
import type { TRunEngineDeps } from './types';

// One step of a run, from its claim to the model's response (./execute.ts records what the response says): the
// lease renewed while the model works, the answer's text streamed into a live draft (saved every 100 ms), and the
// ways a step ends with nothing to record — the model failed (the run fails), the answer reached MAX_ANSWER_CHARS
// (the run ends incomplete), or the run stopped being this process's (cancelled, taken over: nothing is written).
//
// A step's claim is known when it starts, except for a step the pipelined tool round (./pipeline.ts) starts ahead
// of its claim: until the claim is known the model's text is held (nothing shown or saved), and when it turns out
// to be none the step's model call is aborted and its text dropped.

/** A step claimed for this process: the run, the thread's owner (with whom tool calls are dispatched) and messages. */
export type TClaim = Extract<TRunClaim, { claimed: true }>;

/**
 * Sends a step's model request (`call`, given `markAnswered` for the model's first delta) and says when the
 * request is on its way (`sent`, which never rejects): the reply to a question's POST, the tools' readiness and
 * (pipelined) the round's bookkeeping wait for it.
 */
export type TSendRequest = <T>(call: (markAnswered: () => void) => Promise<T>) => TRequestSent<T>;

/** The plain path's: the request is on its way once it is made and the event loop has turned (its own I/O first). */
export const sendAtOnce: TSendRequest = (call) => ({
  result: call(() => {}),
  sent: new Promise<void>((resolve) => setImmediate(resolve)),
});

export type TStepDeps = Pick<TRunEngineDeps, 'db' | 'log' | 'model' | 'runs'> & {
  privacy: TPrivacy;
  tools: Pick<TRunEngineDeps['tools'], 'definitions' | 'prepare'>;
  workerId: string;
  transition: TTransition;
  callModel: TCallModel;
  drafts: Pick<TLiveDrafts, 'write'>;
  /** The pipelined tool round's way of sending (./pipeline.ts); null: sendAtOnce. */
  pipelining: { sendRequest: TSendRequest } | null;
};

/** What a step is asked with: the run's settings and messages as claimed, and its rounds so far. */
export type TStepPlan = {
  runId: string;
  /** The run as the step's claim has it (a step started ahead of its claim: the last claim's, with this round). */
  run: TRunRow;
  owner: string;
  /** The thread's messages up to the run's question (they do not change while the run is active). */
  messages: TMessageRow[];
  /** What the model is sent: the messages, then the run's tool rounds. */
  input: TInputItem[];
  /** The step's claim, known at once but for a step started ahead of it (./pipeline.ts); null: not this process's. Never rejects. */
  claim: Promise<TClaim | null>;
  /** Told once the step's model request is on its way (TSendRequest's `sent`). */
  onRequested?: () => void;
};

/** One step under way: its plan, its claim and draft once known, and why its model call may stop. */
export type TStep = TStepPlan & {
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
export type TAnswered = { response: TModelResponse; claim: TClaim; draft: TDraftWriter };

/** The plan of a step claimed before it starts. */
export function planStep(claim: TClaim, onRequested?: () => void): TStepPlan {
  const { run, owner, messages } = claim;
  return { runId: run.id, run, owner, messages, input: buildInput(messages, run.tool_rounds), claim: Promise.resolve(claim), onRequested };
}

/** Whether a step of the run may end in calls of the server's tools that are run: within the run's cap on rounds. */
export function isToolStep(run: TRunRow): boolean {
  return !run.has_client_tools && run.tool_rounds.length < run.max_tool_rounds;
}

export function openStep({ db, log, runs, workerId: worker, drafts }: TStepDeps, plan: TStepPlan, stop: AbortController): TStep {
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

/** Renews the step's lease every third of RUN_LEASE_SECONDS; a renewal refused means the run is no longer ours. */
export function holdLease(
  { db, log, runs, workerId: worker }: Pick<TStepDeps, 'db' | 'log' | 'runs' | 'workerId'>,
  runId: string,
  stop: AbortController,
): ReturnType<typeof setInterval> {
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

/**
 * The model's response, storable, with the step's claim and draft; null when the step ended without one (the
 * run failed, ended incomplete at the size limit, or stopped being ours). Stopped by MODEL_TIMEOUT_SECONDS, the
 * size limit, or the run. Nothing of the step is recorded before its claim is known.
 */
export async function askModel(deps: TStepDeps, step: TStep): Promise<TAnswered | null> {
  const { log } = deps;
  const { runId, run, input, stop, limit } = step;
  const sendRequest = deps.pipelining?.sendRequest ?? sendAtOnce;
  let isAnswering = false;
  let response: TModelResponse;
  // A research run (./research.ts): its bounds read off the run as the step starts; one run out, it answers.
  const research = researchBudget(run, researchOf(deps.runs));
  try {
    const call = sendRequest((markAnswered) =>
      deps.callModel((signal) =>
        deps.model.respond({
          instructions: researchInstructions(instructionsForStep(run, input), research),
          input,
          tools: researchTools(toolsOfRun(run, deps.tools.definitions), research),
          isHandoffOffered: run.options?.handoff_offered === true,
          ...(research ? { research } : {}),
          signal: AbortSignal.any([signal, stop.signal, limit.signal]),
          onDelta: (delta) => {
            markAnswered();
            if (!isAnswering) {
              isAnswering = true;
              // Time to first token: from the question (its run queued) to the step's first text (a step that only
              // calls tools sends none).
              metrics.firstToken(secondsSince(run.created_at));
            }
            step.push(delta);
          },
        }),
      ),
    );
    // The request goes first: on the embedded store what waits for it (the tools' reads) runs on this thread.
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
async function failStep({ db, log, workerId: worker, transition }: TStepDeps, runId: string, draft: TDraftWriter, error: unknown): Promise<null> {
  // The text a reader saw before the failure is kept (as an incomplete message), so it is written first.
  await draft.flush();
  await draft.stop();
  const runError = toRunError(error);
  log.warn({ runId, code: runError.code, err: error }, 'model call failed');
  await transition(runId, endRunById({ db, runId, worker, status: 'failed', error: runError }));
  return null;
}

/** The answer reached MAX_ANSWER_CHARS: what was written is kept, and the run ends incomplete. */
export async function endTooLong(
  { db, log, runs, workerId: worker, transition }: Pick<TStepDeps, 'db' | 'log' | 'runs' | 'workerId' | 'transition'>,
  runId: string,
  draft: TDraftWriter,
): Promise<void> {
  const maxChars = runs.maxAnswerChars;
  await draft.flush();
  await draft.stop();
  log.warn({ runId, maxChars }, 'answer reached MAX_ANSWER_CHARS; run ends incomplete');
  await transition(runId, endRunById({ db, runId, worker, status: 'incomplete', error: answerTooLong(maxChars) }));
}
