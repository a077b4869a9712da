import type { TAssistantDeps } from '../assistant/service';
import { brandError, hasBrand } from '../error-brands';
import type { TConfig } from '../config';
import type { TDoorData, TInboxChanges, TInboxRow } from '../db/chat-inbox';
import type { TMessageRow, TRunRow, TToolRound } from '../db/rows';

// The seam of the chat doors: a chat service where readers ask the docs (Slack, Discord, …) is a door, an
// adapter of this shape, and nothing else. What every door shares exists once in lib/chat-doors: the inbox
// (lib/db/chat-inbox.ts), its worker (./worker.ts: leases, renewal, retries with backoff, pruning), the answer's
// driver (./drive.ts: the conversation, the run through the site's service, the reply edited as the answer
// grows at a throttled pace, the final answer), the renderers' common parts (./render.ts) and the intake's
// (./intake.ts: a signed delivery read, masked, recorded once, the worker woken). A door says how its service
// is called and what its messages look like; a new door is a new folder with one of these and its endpoint.

/** What a door's worker and driver need: the site's assistant (its run engine, limits, moderation, masking) and where the docs are published. */
export type TDoorDeps = TAssistantDeps & { config: TAssistantDeps['config'] & Pick<TConfig, 'siteUrl'> };

/** How a call to the chat service failed: `null` from classifyError means the error is not the service's. */
export type TDoorFailure = { type: 'rate_limited' | 'transient' | 'permanent'; reason: string; retryAfterMs: number | null };

export type TInboxOptions = {
  /** Rows driven at once by this process. */
  concurrency: number;
  pollMs: number;
  leaseSeconds: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A row still failing after this long is failed for good (a day-old answer is noise; a token expired). */
  maxAgeSeconds: number;
  /** Progress edits of a reply come at most this often. */
  updateIntervalMs: number;
};

/** One step of a row, as the driver hands it to the door's hooks. */
export type TDoorStep = {
  deps: TDoorDeps;
  worker: string;
  /** Aborted when this worker lost the row's lease: another worker carries on. */
  lease: AbortSignal;
  /** The service's rate limit as this worker last heard it: progress edits wait it out (the final ones are retried). */
  rateLimit: { isPaused(): boolean; pauseFor(ms: number): void };
  updateIntervalMs: number;
  /** A call to the chat service; a rate limit it answers pauses this door's calls for as long as it says. */
  call<T>(request: () => Promise<T>): Promise<T>;
  /** Writes a step to the row; the row as it is now. Stops (InboxStepError) when the lease was lost. */
  step(row: TInboxRow, changes: TInboxChanges): Promise<TInboxRow>;
};

export type TFinalReply = { text: string; answer: TMessageRow | undefined; isAnswered: boolean };

export type TChatDoor = {
  /** The inbox's `door` column, its wake channel and its log lines' prefix: 'slack', 'discord'. */
  name: string;
  /** The service's name for people: 'Slack'. */
  label: string;
  /** The worker's options where this door's differ from the defaults (./worker.ts). */
  options?: Partial<TInboxOptions>;
  classifyError(error: unknown): TDoorFailure | null;
  /** The owner of the door's assistant threads for this row: '<door>:…' ('slack:<team>'); the inbox trusts a question's message to name its row only in such a thread (53_chat_inbox.sql). */
  owner(row: TInboxRow): string;
  /** Who asks, for the site's limits: per member as per session on the site, the workspace or server as the address. */
  caller(row: TInboxRow): { sessionId: string; ip: string };
  /** The door's own fields on the question's message (the inbox row's id is added by the driver). */
  messageMetadata(row: TInboxRow): Record<string, unknown>;
  /** A new conversation for the row: the thread's metadata, what the door keeps, whether it is the row's conversation at once. */
  conversation(row: TInboxRow): { metadata: Record<string, unknown>; doorData: TDoorData; isKept: boolean };
  /** The first reply while the question is looked into; the reply to an empty question (a door whose intake lets one through). */
  texts: { searching: string; hint?: string };
  render: {
    progress(args: { draft: string | null | undefined; siteUrl: string }): string;
    answer(args: { answer: TMessageRow; question: string; siteUrl: string; toolRounds: TToolRound[] }): string;
    runEnded(args: { run: TRunRow; partial: string | null; siteUrl: string }): string;
    refusal(message: string): string;
  };
  /** The first reply ("Searching the docs…"); its id. */
  postReply(step: TDoorStep, row: TInboxRow, text: string): Promise<string>;
  /** The reply rewritten (progress, a refusal, a hint). */
  editReply(step: TDoorStep, row: TInboxRow, text: string): Promise<void>;
  /** Before anything: a delivery that may not be a question is sorted; null when the door settled it. */
  sortDelivery?(step: TDoorStep, row: TInboxRow): Promise<TInboxRow | null>;
  /** Whether a question asks to run the conversation's last one again. */
  isRetryRequest?(text: string): boolean;
  /** After the first reply and the conversation (a Discord thread started from the reply); the changes to write. */
  afterReply?(step: TDoorStep, row: TInboxRow, threadId: string): Promise<TInboxChanges>;
  /** The final answer or apology, in as many messages as the door needs; the changes to write with `done`. */
  deliverFinal(step: TDoorStep, row: TInboxRow, final: TFinalReply): Promise<TInboxChanges>;
};

/** Stops a row's steps: the lease is lost (`delayMs` null), or the row should be tried again after `delayMs`. */
export class InboxStepError extends Error {
  override name = 'InboxStepError';
  constructor(
    message: string,
    readonly delayMs: number | null,
  ) {
    super(message);
    brandError(this, 'InboxStepError');
  }
}

export function isInboxStepError(error: unknown): error is InboxStepError {
  return hasBrand(error, 'InboxStepError');
}
