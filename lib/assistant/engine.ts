import { randomUUID } from 'node:crypto';
import type { TConfig } from '../config';
import { createMessageAndRun, createRunByThread, createRunForMessageById, type TNewMessage, type TNewRun } from '../db/messages';
import type { TMessageRow, TRunError, TRunRow, TTextAnnotation, TToolCall, TToolOutput, TToolRound } from '../db/rows';
import {
  cancelRunById,
  claimRunById,
  claimRunsToSweep,
  claimRunWithContextById,
  completeRunById,
  endRunById,
  getRunById,
  releaseRunLeasesOfOtherWorkers,
  renewRunLeaseById,
  requireRunActionById,
  submitRunToolOutputsById,
} from '../db/runs';
import { deleteThreadsInactiveSince } from '../db/privacy';
import type { TDb } from '../db/types';
import { AppError, isAppError } from '../errors';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, maskedMetadata, type TPrivacy } from '../privacy/mask';
import { isMaintainerReply, maintainerName, messageText } from '../shared/messages';
import { isTerminalRunStatus } from '../shared/runs';
import { toStorableJson } from '../shared/text';
import { createDraftWriter, type TLiveDraft } from './draft';
import { createRunEvents, type TRunChange, type TRunSubscription } from './events';
import { createRunChannel } from './run-channel';
import { isModelError, ModelError, type TInputItem, type TModelClient, type TModelResponse, type TToolDefinition } from './model/types';

// The run engine: the one owner of run execution in this process. Runs, as the Assistants API had them:
//   queued → in_progress (lease held) → requires_action (tool calls) → queued → … → completed
// or failed / cancelled / expired / incomplete. Every transition is one SQL function (lib/db/runs.ts), so
// several instances may move the same run and exactly one executes each step; every transition made here goes
// through `transition`, which notifies the run's followers by itself: this process's at once, other instances'
// through the database's notifications (./run-channel.ts), which also carry the answer text as it is written.
//
// No run depends on a reader: the sweeper (every RUN_SWEEP_SECONDS, leased per run in SQL so that one instance
// acts on a run) dispatches the tool calls of runs nobody reads, starts queued runs nobody started, resumes runs
// whose executor's lease lapsed, and expires runs past expires_at.
//
// The engine's in-memory state (what it is executing and dispatching, answers being written, model calls to
// abort) is private to it. Readers reach runs through its methods; the one read that also moves a run along
// says so in its name (readRunAndAdvance).

export type TRunEngineDeps = {
  db: TDb;
  model: TModelClient;
  log: TLogger;
  runs: TConfig['runs'];
  modelTimeoutMs: number;
  /** What a run may call, and how this process runs each call (get_relevant_docs → docs search). */
  tools: {
    definitions: TToolDefinition[];
    /** `context.page`: the docs page the run's question is about (run metadata `page`), which search leans towards. */
    run(call: TToolCall, context?: { page?: string }): Promise<string>;
    /** Checks an answer's links against the docs index before it is stored; unresolvable ones are dropped. */
    verifyAnswer?(answer: { text: string; annotations: TTextAnnotation[] }): Promise<{ text: string; annotations: TTextAnnotation[] }>;
  };
  instructions: string;
  /** Something that posts to Slack was stored (the database queued the post): deliver it. */
  wakeOutbox(): void;
  /**
   * Masks personal data in every reader message before it is stored (so before the model, Slack or an
   * embedding sees it), whichever door it came in by, and in the tool calls' arguments the model writes.
   * Default: masking on with the built-in patterns.
   */
  privacy?: TPrivacy;
  /** RETENTION_DAYS: the sweeper deletes threads inactive for longer (with their Slack outbox rows). */
  retentionDays?: number | null;
};

export type TRefusal = { text: string; metadata: Record<string, unknown> };

/**
 * A run whose settings are the caller's (the /v1 API): the model name it records, its instructions and its tools,
 * which the client runs (`has_client_tools`): in requires_action the run waits for the client's outputs, and
 * nothing here dispatches them. `options` are settings recorded on the run (tool_choice "none" sends no tools).
 */
export type TClientRunSpec = {
  assistantId: string;
  model: string;
  instructions: string;
  /** OpenAI's tool objects: `{type: "function", function: {name, description, parameters}}`. */
  tools: unknown[];
  metadata: Record<string, string>;
  options: Record<string, unknown>;
};

export type TRunEngine = {
  /** This process's id as a lease holder. */
  readonly workerId: string;
  /**
   * Stores the message, queues a run for it and (unless `isExecutedHere` is false) starts executing it here.
   * Returns at once with the queued run. With `refusal` (a message moderation flagged) the run is answered
   * with that text instead of the model.
   */
  startRun(args: {
    owner: string;
    threadId: string;
    text: string;
    metadata?: Record<string, unknown>;
    /** Stored on the run: `page`, the docs page the question is about. */
    runMetadata?: Record<string, unknown>;
    refusal?: TRefusal;
    isExecutedHere?: boolean;
  }): Promise<{ message: TMessageRow; run: TRunRow }>;
  /**
   * Queues a new run for a question already in the thread (Retry after an answer that did not complete) and
   * starts executing it here unless `isExecutedHere` is false. The question is not stored again.
   */
  rerunMessage(args: { owner: string; threadId: string; messageId: string; isExecutedHere?: boolean }): Promise<{ message: TMessageRow; run: TRunRow }>;
  /**
   * Stores `messages` and queues a run of the caller's settings whose tools are the client's (TClientRunSpec),
   * and starts executing it here unless `isExecutedHere` is false. 409 while a run is active on the thread.
   */
  startClientRun(args: { owner: string; threadId: string; messages: TNewMessage[]; spec: TClientRunSpec; isExecutedHere?: boolean }): Promise<TRunRow>;
  /**
   * The client's outputs for a run in requires_action whose tools are the client's: the run is queued again and
   * executed here (unless `isExecutedHere` is false). 404 unless the run is the owner's, in that thread.
   */
  submitToolOutputs(args: { owner: string; threadId: string; runId: string; toolOutputs: TToolOutput[]; isExecutedHere?: boolean }): Promise<TRunRow>;
  /** Reads a run and moves it along (GET run): dispatches its tool calls, (re)starts a queued or stalled run. */
  readRunAndAdvance(args: { owner: string; threadId: string; runId: string }): Promise<TRunRow>;
  /** Moves a run just read along, as every reader of a run does (GET run, the POST's wait, the event stream). */
  advanceRun(args: { owner: string; run: TRunRow }): Promise<TRunRow>;
  /** Waits (moving the run along) until the run ends or `timeoutMs` passes; returns the run as last seen. */
  waitForRun(args: { owner: string; threadId: string; runId: string; timeoutMs: number }): Promise<TRunRow>;
  /** Starts executing the run in this process after `delayMs`, unless something started it meanwhile. */
  startRunLater(runId: string, delayMs: number): void;
  cancelRun(args: { owner: string; threadId: string; runId: string }): Promise<TRunRow>;
  /** Changes to one run seen in this process (its own and, by notifications, other instances'), from the moment of subscribing. */
  subscribe(runId: string, options?: { isTextIgnored?: boolean }): TRunSubscription;
  /** The answer being written, ahead of what is persisted: by this process's executor, or another instance's as heard. */
  getLiveDraft(runId: string): TLiveDraft | undefined;
  /**
   * Picks up, at once, runs no executor is working on (queued, a dead lease, waiting for tools, expired), as
   * after a restart. `isSoleProcess` (the embedded store, one process per DATA_DIR): runs still leased to
   * another worker were the previous process's, and are resumed without waiting for their lease to lapse.
   */
  resumeOrphanedRuns(options?: { isSoleProcess?: boolean }): Promise<number>;
  /** One round of the sweeper (see the top of this file); returns how many runs it took on. */
  sweepRuns(options?: { graceSeconds?: number }): Promise<number>;
  /**
   * Deletes threads inactive for longer than RETENTION_DAYS, with their Slack outbox rows; returns how many.
   * The sweeper does this at start and then every RETENTION_SWEEP_MS. Nothing without RETENTION_DAYS.
   */
  sweepRetention(): Promise<number>;
  /** Starts the sweeper's rounds, every RUN_SWEEP_SECONDS (with jitter); stop() ends them. */
  startSweeper(): void;
  /**
   * Calls `listener` on every change of the run seen in this process (its own and other instances'), with the
   * run as this process's own transition left it, when there is one.
   */
  watch(runId: string, listener: (change: TRunChange, run?: TRunRow) => void): () => void;
  /** One model call bounded by MODEL_TIMEOUT_SECONDS (thread titles use it too). */
  callModel<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Whether this process is executing a step of the run now (tests, diagnostics). */
  isExecuting(runId: string): boolean;
  /** Stops model calls in flight and starts no new step (shutdown). */
  stop(): void;
};

export function createRunEngine(deps: TRunEngineDeps): TRunEngine {
  const { db, log, runs } = deps;
  const privacy = deps.privacy ?? DEFAULT_PRIVACY;
  const workerId = `worker_${randomUUID()}`;
  const events = createRunEvents();
  const channel = createRunChannel({ db, workerId, events, log });
  let sweepTimer: ReturnType<typeof setTimeout> | undefined;
  let sweeping: Promise<number> | undefined;
  const executing = new Set<string>();
  const dispatching = new Set<string>();
  const live = new Map<string, TLiveDraft>();
  const aborts = new Map<string, AbortController>();
  let isStopped = false;

  /** Every change of a run made here: followers here and on other instances hear of it, whatever the outcome. */
  async function transition<T>(runId: string, change: Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      result = await change;
      return result;
    } finally {
      events.notify(runId, 'run', runOf(result, runId));
      channel.publishRun(runId);
    }
  }

  /** A new run as the engine runs them: this process's model, instructions, tools and limits. */
  function newRunSpec(): TNewRun {
    return {
      model: deps.model.name,
      instructions: deps.instructions,
      tools: deps.tools.definitions.map(({ type, name, description, parameters }) => ({ type, function: { name, description, parameters } })),
      max_tool_rounds: runs.maxToolRounds,
      max_attempts: runs.maxAttempts,
      expires_in_seconds: runs.expirySeconds,
    };
  }

  async function startRun({
    owner,
    threadId,
    text,
    metadata,
    runMetadata,
    refusal,
    isExecutedHere = true,
  }: Parameters<TRunEngine['startRun']>[0]): Promise<{ message: TMessageRow; run: TRunRow }> {
    // Callers mask first (the service does, before moderation); masking again changes nothing then, and
    // catches any door that did not.
    const masked = privacy.mask(text);
    const removed = maskedMetadata(masked);
    const created = await createMessageAndRun({
      db,
      owner,
      threadId,
      content: [{ type: 'text', text: { value: masked.text, annotations: [] } }],
      metadata: removed ? { ...removed, ...metadata } : metadata,
      run: { ...newRunSpec(), metadata: runMetadata },
    });
    deps.wakeOutbox();
    if (refusal) await completeWithoutModel(created.run.id, refusal);
    else if (isExecutedHere) execute(created.run.id);
    return created;
  }

  async function startClientRun({ owner, threadId, messages, spec, isExecutedHere = true }: Parameters<TRunEngine['startClientRun']>[0]) {
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
        options: spec.options,
      },
    });
    if (isExecutedHere) execute(run.id);
    return run;
  }

  async function submitToolOutputs({ owner, threadId, runId, toolOutputs, isExecutedHere = true }: Parameters<TRunEngine['submitToolOutputs']>[0]) {
    const run = await getRunById({ db, owner, threadId, runId });
    if (!run.has_client_tools) throw new AppError('bad_request', 'The tools of this run are run by the server; it takes no tool outputs.');
    const submitted = await transition(runId, submitRunToolOutputsById({ db, owner, runId, toolOutputs }));
    if (isExecutedHere) execute(runId);
    return submitted;
  }

  async function rerunMessage({ owner, threadId, messageId, isExecutedHere = true }: Parameters<TRunEngine['rerunMessage']>[0]) {
    const created = await createRunForMessageById({ db, owner, threadId, messageId, run: newRunSpec() });
    if (isExecutedHere) execute(created.run.id);
    return created;
  }

  /** Answers a run with fixed text, as its executor, without asking the model (a moderation refusal). */
  async function completeWithoutModel(runId: string, { text, metadata }: TRefusal): Promise<void> {
    const claim = await transition(runId, claimRunById({ db, runId, worker: workerId, leaseSeconds: runs.leaseSeconds }));
    if (!claim.claimed) return;
    const completed = await transition(
      runId,
      completeRunById({ db, runId, worker: workerId, content: [{ type: 'text', text: { value: text, annotations: [] } }], metadata }),
    );
    if (completed.status === 'completed') deps.wakeOutbox();
  }

  async function readRunAndAdvance({ owner, threadId, runId }: { owner: string; threadId: string; runId: string }): Promise<TRunRow> {
    return advanceRun({ owner, run: await getRunById({ db, owner, threadId, runId }) });
  }

  async function advanceRun({ owner, run }: { owner: string; run: TRunRow }): Promise<TRunRow> {
    if (run.status === 'requires_action') return dispatchToolCalls(owner, run);
    if (run.status === 'queued' || run.is_lease_stale) execute(run.id);
    return run;
  }

  async function waitForRun({ owner, threadId, runId, timeoutMs }: { owner: string; threadId: string; runId: string; timeoutMs: number }) {
    const deadline = Date.now() + timeoutMs;
    // Subscribed before the first read, so that a change between a read and the wait is not missed.
    const changes = events.subscribe(runId, { isTextIgnored: true });
    try {
      for (;;) {
        const run = await readRunAndAdvance({ owner, threadId, runId });
        const remaining = deadline - Date.now();
        if (isTerminalRunStatus(run.status) || remaining <= 0) return run;
        await changes.wait(Math.min(runs.pollMs, remaining));
      }
    } finally {
      changes.close();
    }
  }

  /**
   * Runs the pending tool calls and submits their outputs. Another caller may win the submission; that's fine.
   * A run whose tools are the client's is left waiting for the client: nothing here runs its tools.
   */
  async function dispatchToolCalls(owner: string, run: TRunRow): Promise<TRunRow> {
    if (run.has_client_tools) return run;
    const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
    const key = `${run.id}:${run.tool_rounds.length}`;
    if (dispatching.has(key)) return run;
    dispatching.add(key);
    try {
      const page = typeof run.metadata.page === 'string' ? run.metadata.page : undefined;
      const toolOutputs = await Promise.all(calls.map(async (call) => ({ tool_call_id: call.id, output: await deps.tools.run(call, { page }) })));
      const submitted = await transition(run.id, submitRunToolOutputsById({ db, owner, runId: run.id, toolOutputs }));
      execute(run.id);
      return submitted;
    } catch (error) {
      if (isAppError(error) && error.code === 'conflict') return run;
      throw error;
    } finally {
      dispatching.delete(key);
    }
  }

  /** Starts executing a run in this process unless this process already is. Never throws. */
  function execute(runId: string): void {
    if (isStopped || executing.has(runId)) return;
    executing.add(runId);
    void executeStep(runId)
      .catch((error: unknown) => log.error({ err: error, runId }, 'run step crashed'))
      .finally(() => {
        executing.delete(runId);
        events.notify(runId);
      });
  }

  /** One step of a run: claim it, ask the model (streaming its text into the answer), then record tool calls or the answer. */
  async function executeStep(runId: string): Promise<void> {
    const worker = workerId;
    const claim = await transition(runId, claimRunWithContextById({ db, runId, worker, leaseSeconds: runs.leaseSeconds }));
    if (!claim.claimed) return;

    // Aborted when the run stops being ours: cancelled by the reader (here, or seen by a write or the lease
    // renewal when another instance cancelled it), or taken over after our lease lapsed.
    const stop = new AbortController();
    aborts.set(runId, stop);
    const heartbeat = setInterval(() => {
      renewRunLeaseById({ db, runId, worker, leaseSeconds: runs.leaseSeconds })
        .then((isRenewed) => {
          if (!isRenewed) stop.abort();
        })
        .catch((error: unknown) => log.warn({ err: error, runId }, 'could not renew run lease'));
    }, (runs.leaseSeconds * 1000) / 3);
    heartbeat.unref?.();

    try {
      const input = buildInput(claim.messages, claim.run.tool_rounds);
      // Stops the model once the answer reaches MAX_ANSWER_CHARS; the run then ends incomplete.
      const limit = new AbortController();
      const maxChars = runs.maxAnswerChars;
      const draft = createDraftWriter({
        db,
        log,
        runId,
        worker,
        existing: claim.draft,
        onText: (draftNow) => {
          live.set(runId, draftNow);
          events.notify(runId, 'text');
          channel.publishText(runId, draftNow);
        },
        onInactive: () => stop.abort(),
        maxChars,
        onLimit: () => limit.abort(),
      });
      const endTooLong = async () => {
        await draft.flush();
        await draft.stop();
        log.warn({ runId, maxChars }, 'answer reached MAX_ANSWER_CHARS; run ends incomplete');
        await transition(runId, endRunById({ db, runId, worker, status: 'incomplete', error: answerTooLong(maxChars) }));
      };
      let response: TModelResponse;
      try {
        // Stopped by MODEL_TIMEOUT_SECONDS, by the answer's size limit, or when the run stops being ours.
        response = toStorableResponse(
          privacy,
          checkModelResponse(
            await callModel((signal) =>
              deps.model.respond({
                instructions: claim.run.instructions,
                input,
                tools: toolsOfRun(claim.run, deps.tools.definitions),
                signal: AbortSignal.any([signal, stop.signal, limit.signal]),
                onDelta: (delta) => draft.push(delta),
              }),
            ),
          ),
        );
      } catch (error) {
        if (limit.signal.aborted && !stop.signal.aborted) return await endTooLong();
        if (stop.signal.aborted) {
          await draft.stop();
          log.info({ runId }, 'model call stopped: the run is no longer in progress here');
          return;
        }
        // The text a reader saw before the failure is kept (as an incomplete message), so it is written first.
        await draft.flush();
        await draft.stop();
        const runError = toRunError(error);
        log.warn({ runId, code: runError.code, err: error }, 'model call failed');
        await transition(runId, endRunById({ db, runId, worker, status: 'failed', error: runError }));
        return;
      }
      const { output, usage } = response;
      // An adapter that does not stream (or streamed less than it returned) is held to the same limit.
      if (draft.isOverLimit || (output.type === 'message' && output.text.length > maxChars)) {
        if (output.type === 'message') draft.setText(output.text);
        return await endTooLong();
      }
      await draft.stop();
      if (output.type === 'tool_calls') {
        const toolCalls: TToolCall[] = output.calls.map((call) => ({
          id: call.call_id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }));
        await transition(runId, requireRunActionById({ db, runId, worker, toolCalls, usage }));
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
    } finally {
      clearInterval(heartbeat);
      aborts.delete(runId);
      // The database now holds the step's outcome; readers here go back to it.
      live.delete(runId);
      channel.endText(runId);
    }
  }

  /** The model's answer, or a ModelError('timeout') once MODEL_TIMEOUT_SECONDS pass (the call is aborted). */
  async function callModel<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timedOut = () => new ModelError('timeout', 'The assistant took too long to answer. Please try again.');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(timedOut());
        controller.abort();
      }, deps.modelTimeoutMs);
    });
    try {
      return await Promise.race([call(controller.signal), timeout]);
    } catch (error) {
      // Whatever the aborted call threw (an AbortError, the SDK's own), the reason is the timeout.
      throw controller.signal.aborted ? timedOut() : error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function cancelRun({ owner, threadId, runId }: { owner: string; threadId: string; runId: string }): Promise<TRunRow> {
    const run = await transition(runId, cancelRunById({ db, owner, threadId, runId }));
    // Stops this process's model call for the run, if it is making one.
    aborts.get(run.id)?.abort();
    return run;
  }

  async function resumeOrphanedRuns({ isSoleProcess = false }: { isSoleProcess?: boolean } = {}): Promise<number> {
    if (isSoleProcess) await releaseRunLeasesOfOtherWorkers({ db, worker: workerId });
    let total = 0;
    // Batches of SWEEP_BATCH until none is left: after a restart, every run left behind is picked up now.
    for (;;) {
      const count = await sweepRuns({ graceSeconds: 0 });
      total += count;
      if (count < SWEEP_BATCH) return total;
    }
  }

  async function sweepRuns({ graceSeconds = runs.sweepSeconds }: { graceSeconds?: number } = {}): Promise<number> {
    if (isStopped) return 0;
    const due = await claimRunsToSweep({
      db,
      worker: workerId,
      limit: SWEEP_BATCH,
      graceSeconds,
      // Long enough for this instance to dispatch and claim; short enough that another sweeper follows up soon.
      leaseSeconds: Math.max(10, runs.sweepSeconds * 3),
    });
    for (const { run, owner } of due) {
      if (run.status === 'requires_action') {
        // claim_runs_to_sweep leaves out runs waiting for their client's outputs; dispatchToolCalls also refuses them.
        dispatchToolCalls(owner, run).catch((error: unknown) => log.warn({ err: error, runId: run.id }, 'sweeper could not dispatch tool calls'));
      } else if (run.status === 'queued' || run.status === 'in_progress') {
        execute(run.id);
      }
    }
    if (due.length > 0) log.info({ runs: due.length }, 'sweeper took on runs nobody was moving');
    channel.prune(Math.max(60_000, runs.leaseSeconds * 2000));
    return due.length;
  }

  let retentionDueAt = 0;
  async function sweepRetention(): Promise<number> {
    const days = deps.retentionDays;
    if (isStopped || !days) return 0;
    let total = 0;
    // In batches, so that one round never holds many rows locked; a large backlog takes a few rounds.
    for (let batch = 0; batch < RETENTION_BATCHES; batch += 1) {
      const { deleted, slack_posts_deleted: posts } = await deleteThreadsInactiveSince({ db, days, limit: RETENTION_BATCH });
      total += deleted;
      if (deleted > 0) log.info({ threads: deleted, slackPosts: posts, days }, 'retention: deleted inactive threads');
      if (deleted < RETENTION_BATCH) break;
    }
    return total;
  }

  async function sweepRound(): Promise<number> {
    const count = await sweepRuns();
    if (deps.retentionDays && Date.now() >= retentionDueAt) {
      retentionDueAt = Date.now() + RETENTION_SWEEP_MS;
      await sweepRetention().catch((error: unknown) => log.warn({ err: error }, 'retention sweep failed'));
    }
    return count;
  }

  function startSweeper(): void {
    if (isStopped || sweepTimer) return;
    const schedule = () => {
      // Jitter keeps instances that started together from sweeping in lockstep.
      const delayMs = runs.sweepSeconds * 1000 * (0.75 + Math.random() * 0.5);
      sweepTimer = setTimeout(() => {
        sweeping ??= sweepRound()
          .catch((error: unknown) => {
            log.warn({ err: error }, 'sweeper round failed');
            return 0;
          })
          .finally(() => {
            sweeping = undefined;
            if (!isStopped) schedule();
          });
      }, delayMs);
      sweepTimer.unref?.();
    };
    schedule();
  }

  return {
    workerId,
    startRun,
    rerunMessage,
    startClientRun,
    submitToolOutputs,
    readRunAndAdvance,
    advanceRun,
    waitForRun,
    startRunLater(runId, delayMs) {
      setTimeout(() => execute(runId), delayMs).unref?.();
    },
    cancelRun,
    subscribe: (runId, options) => events.subscribe(runId, options),
    getLiveDraft: (runId) => live.get(runId) ?? channel.getRemoteDraft(runId),
    resumeOrphanedRuns,
    sweepRuns,
    sweepRetention,
    startSweeper,
    watch: (runId, listener) => events.on(runId, listener),
    callModel,
    isExecuting: (runId) => executing.has(runId),
    stop() {
      isStopped = true;
      clearTimeout(sweepTimer);
      channel.close();
      for (const controller of aborts.values()) controller.abort();
    },
  };
}

export type { TRunChange };

/** The run row a transition returned (a row, or a claim's `{run}`), if it is the run's. */
function runOf(result: unknown, runId: string): TRunRow | undefined {
  const candidate = (result as { run?: unknown } | null | undefined)?.run ?? result;
  const row = candidate as Partial<TRunRow> | null | undefined;
  return row && typeof row === 'object' && row.id === runId && typeof row.status === 'string' ? (row as TRunRow) : undefined;
}

/** How often an instance's sweeper deletes threads past RETENTION_DAYS, and in what batches. */
const RETENTION_SWEEP_MS = 10 * 60_000;
const RETENTION_BATCH = 500;
const RETENTION_BATCHES = 10;

/** Runs one sweeper round takes on at most. */
const SWEEP_BATCH = 50;

/** Tool rounds a run with client tools may take (at least; RUN_MAX_TOOL_ROUNDS when higher). */
export const CLIENT_TOOL_ROUNDS = 20;

/**
 * The tools the model is offered in a step: the server's (the site's runs), or the run's own function tools
 * when the client runs them; none when the run's tool_choice is "none".
 */
export function toolsOfRun(run: Pick<TRunRow, 'has_client_tools' | 'tools' | 'options'>, serverTools: TToolDefinition[]): TToolDefinition[] {
  if (!run.has_client_tools) return serverTools;
  if (run.options?.tool_choice === 'none') return [];
  return run.tools.flatMap((tool): TToolDefinition[] => {
    const fn = (tool as { type?: string; function?: { name?: unknown; description?: unknown; parameters?: unknown } }).function;
    if ((tool as { type?: string }).type !== 'function' || typeof fn?.name !== 'string') return [];
    return [
      {
        type: 'function',
        name: fn.name,
        description: typeof fn.description === 'string' ? fn.description : '',
        parameters: fn.parameters && typeof fn.parameters === 'object' ? (fn.parameters as Record<string, unknown>) : { type: 'object', properties: {} },
      },
    ];
  });
}

/**
 * The thread's messages up to the run's question, then the run's tool calls and outputs, round by round. A
 * maintainer's reply (from Slack) is stored as an assistant message; the model is told whose words they are,
 * so that it neither takes them for its own answer nor contradicts a person as if correcting itself.
 */
export function buildInput(messages: TMessageRow[], rounds: TToolRound[]): TInputItem[] {
  const items: TInputItem[] = messages.map((message) => ({
    type: 'message',
    role: message.role,
    content: isMaintainerReply(message)
      ? `[Not written by you: ${maintainerName(message)}, a maintainer of these docs, replied to the reader in person.]\n\n${messageText(message)}`
      : messageText(message),
  }));
  for (const round of rounds) {
    for (const call of round.tool_calls) {
      items.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
    for (const output of round.tool_outputs ?? []) {
      items.push({ type: 'function_call_output', call_id: output.tool_call_id, output: output.output });
    }
  }
  return items;
}

export function toRunError(error: unknown): TRunError {
  if (isModelError(error)) return { code: error.code, message: error.message };
  return { code: 'server_error', message: 'The assistant ran into a problem while answering. Please try again.' };
}

/**
 * The model's output as Postgres can store it: NUL characters dropped and unpaired surrogates replaced
 * (lib/shared/text.ts), in the answer, its annotations and metadata, and tool calls' names and arguments.
 */
function toStorableResponse(privacy: TPrivacy, response: TModelResponse): TModelResponse {
  const output = toStorableJson(response.output);
  if (output.type !== 'tool_calls') return { ...response, output };
  // A search query the model writes may echo what the reader pasted: it is stored with the run and searched.
  const calls = output.calls.map((call) => ({ ...call, arguments: maskJsonText(privacy, call.arguments) }));
  return { ...response, output: { ...output, calls } };
}

/** Masks the strings inside a JSON text, keeping it JSON; text that is not JSON is masked as text. */
function maskJsonText(privacy: TPrivacy, text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return privacy.mask(text).text;
  }
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return privacy.mask(item).text;
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
    return item;
  };
  const masked = JSON.stringify(walk(value));
  return masked === JSON.stringify(value) ? text : masked;
}

function answerTooLong(maxChars: number): { reason: string; message: string } {
  return {
    reason: 'max_answer_chars',
    message: `The answer was cut off at ${maxChars.toLocaleString('en-US')} characters, the longest this site allows. Ask a narrower question for the rest.`,
  };
}

/** A response without a usable output (cut off, malformed, empty) fails the run instead of crashing its step. */
function checkModelResponse(response: TModelResponse | undefined): TModelResponse {
  const output = response?.output;
  const isMessage = output?.type === 'message' && typeof output.text === 'string' && output.text.trim() !== '';
  const isToolCalls = output?.type === 'tool_calls' && Array.isArray(output.calls) && output.calls.length > 0;
  if (!response || !(isMessage || isToolCalls)) {
    throw new ModelError('server_error', 'The assistant sent an incomplete answer. Please try again.');
  }
  return response;
}
