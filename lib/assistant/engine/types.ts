import type { TReaderAccess } from '../../audiences';
import type { TRunMode } from '../../shared/runs';
import type { TRunsConfig } from './settings';
import type { TNewMessage } from '../../db/messages';
import type { TAllowance } from '../../db/limits';
import type { TQuestionLimits } from '../../db/runs';
import type { TMessageRow, TRunRow, TTextAnnotation, TToolCall, TToolOutput } from '../../db/rows';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import type { TPrivacy } from '../../privacy/mask';
import type { TLiveDraft } from '../draft';
import type { TToolContext } from '../tools/tool';
import type { TRunChange, TRunSubscription } from '../streaming/events';
import type { TModelClient, TToolDefinition } from '../../model/types';

// The run engine's public face: what it needs (TRunEngineDeps) and what it promises (TRunEngine). One engine per
// process, built by the composition root (lib/app.ts) with createRunEngine (./index.ts); every door (the site,
// /v1, Slack) reaches runs only through these methods.
//
// Runs, as the Assistants API had them:
//   queued → in_progress (lease held) → requires_action (tool calls) → queued → … → completed
// or failed / cancelled / expired / incomplete. Every transition is one SQL function (lib/db/runs.ts), so several
// instances may move the same run and exactly one executes each step.

export type TRunEngineDeps = {
  db: TDb;
  model: TModelClient;
  log: TLogger;
  runs: TRunsConfig;
  modelTimeoutMs: number;
  /** What a run may call, and how this process runs each call (get_relevant_docs → docs search). */
  tools: {
    definitions: TToolDefinition[];
    /**
     * `context.page`: the docs page the run's question is about (run metadata `page`), which search leans towards;
     * the rest as lib/assistant/tools/tool.ts TToolContext says.
     */
    run(call: TToolCall, context?: TToolContext): Promise<string>;
    /**
     * Readies what the tools read (the docs search's index), asked while the model works on a step that may call
     * them, once its request is on its way: what need not wait for the tool call is not done between it and the
     * model's next request. Never throws.
     */
    prepare?(): void;
    /** Checks an answer's links against the docs index before it is stored; unresolvable ones are dropped. */
    verifyAnswer?(answer: { text: string; annotations: TTextAnnotation[] }): Promise<{ text: string; annotations: TTextAnnotation[] }>;
  };
  instructions: string;
  /**
   * The instructions of a run whose reader is offered the hand-off ("Ask the maintainers" under the answer:
   * startRun's `isHandoffOffered`); absent: no door offers it and every run takes `instructions`.
   */
  handoffInstructions?: string;
  /** Something that posts to Slack was stored (the database queued the post): deliver it. */
  wakeOutbox(): void;
  /**
   * Masks personal data in every reader message before it is stored (so before the model, Slack or an
   * embedding sees it), whichever door it came in by, and in the tool calls' arguments the model writes.
   * Default: masking on with the built-in patterns.
   */
  privacy?: TPrivacy;
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
    /** Who asks (lib/audiences/access.ts readerAccessOf), stored on the run: its searches see what they may see now. */
    access: TReaderAccess;
    refusal?: TRefusal;
    /**
     * The door the question came by shows "Ask the maintainers" under its answer: the run takes the hand-off's
     * instructions (and the offline model may name the button). A door that shows no button passes false.
     */
    isHandoffOffered?: boolean;
    isExecutedHere?: boolean;
    /**
     * `research`: a research run (lib/shared/runs.ts TRunMode): RESEARCH_MAX_STEPS steps instead of RUN_MAX_TOOL_ROUNDS,
     * `mode: "research"` in its options and metadata, and one at a time per owner (409 while another is active).
     */
    mode?: TRunMode;
    /**
     * The sender's limits, taken in the round trip that stores the question (lib/limits questionLimits); a refusal
     * stores nothing and is thrown as `refuse` makes it.
     */
    limits?: { spec: TQuestionLimits; refuse(refusal: Extract<TAllowance, { allowed: false }>): Error };
  }): Promise<{ message: TMessageRow; run: TRunRow }>;
  /**
   * Queues a new run for a question already in the thread (Retry after an answer that did not complete) and
   * starts executing it here unless `isExecutedHere` is false. The question is not stored again.
   */
  rerunMessage(args: {
    owner: string;
    threadId: string;
    messageId: string;
    isExecutedHere?: boolean;
    access: TReaderAccess;
    isHandoffOffered?: boolean;
    mode?: TRunMode;
    /**
     * The asker's model allowance, taken in the round trip that creates the run (lib/limits questionLimits): a refusal
     * creates nothing and is thrown as `refuse` makes it; a re-run the thread refuses (409) costs nothing.
     */
    limits?: { spec: TQuestionLimits; refuse(refusal: Extract<TAllowance, { allowed: false }>): Error };
  }): Promise<{ message: TMessageRow; run: TRunRow }>;
  /**
   * Stores `messages` and queues a run of the caller's settings whose tools are the client's (TClientRunSpec),
   * and starts executing it here unless `isExecutedHere` is false. 409 while a run is active on the thread.
   */
  startClientRun(args: { owner: string; threadId: string; messages: TNewMessage[]; spec: TClientRunSpec; isExecutedHere?: boolean; access: TReaderAccess }): Promise<TRunRow>;
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
  /** One round of the sweeper (./sweeper.ts); returns how many runs it took on. */
  sweepRuns(options?: { graceSeconds?: number }): Promise<number>;
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

export type { TRunChange };
