import type { z } from 'zod';
import type { TAssistantDeps } from '../assistant/service';
import { brandError, hasBrand } from '../error-brands';
import type { TDoorData, TInboxChanges, TInboxRow } from '../db/chat-inbox';
import type { TMessageRow } from '../db/rows';
import type { TLogger } from '../log';
import type { TRunMode } from '../shared/runs';
import type { TChatStyle } from './render';

// The seam of the chat doors: a chat service where readers ask the docs (Slack, Discord, …) is a door, one folder
// in lib/chat-doors/doors/ that exports one TChatDoorDefinition, listed once in the registry
// (lib/chat-doors/doors/index.ts). What every door shares exists once in lib/chat-doors: the inbox
// (lib/db/chat-inbox.ts), its worker (./worker.ts: leases, renewal, retries with backoff, pruning), the answer's
// driver (./drive.ts: the conversation, the run through the site's service, the reply edited as the answer grows
// at a throttled pace, the final answer), what a door posts (./render.ts: one policy, the door gives its style)
// and the intake (./intake.ts: a signed delivery read, masked, recorded once, the worker woken). A door makes the
// few moves below: its endpoint verifies a delivery and records it, `question` maps it to a question, `post`,
// `edit` and `deliver` write the reply, `style` says how it writes. Its quirks stay in its folder.

/** What a door's worker and driver need: the site's assistant (its run engine, limits, moderation, masking) and where the docs are published. */
export type TDoorDeps = TAssistantDeps & { config: TAssistantDeps['config'] & { siteUrl: string } };

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

/** An inbox row as a question: who asks, whose threads, the conversation it opens; what the driver needs of it. */
export type TChatQuestion = {
  /** Run the conversation's last question again (when its answer did not complete) instead of asking this text. */
  isRetry: boolean;
  /** `research` (issue 71): a research run, its steps shown in the one progress message (./drive.ts); default quick. */
  mode?: TRunMode;
  /** The question as asked when the door took its own words off the row's text ("research: …", ./modes.ts). */
  text?: string;
  /** The owner of the door's assistant threads for this row: '<door>:…' ('slack:<team>'); the inbox trusts a question's message to name its row only in such a thread (53_chat_inbox.sql). */
  owner: string;
  /** Who asks, for the site's limits: per member as per session on the site, the workspace or server as the address. */
  caller: { sessionId: string; ip: string };
  /**
   * The audiences the asker reads (lib/chat-doors/audiences.ts): where the question was asked decides them (a
   * channel, a server), by the door's mapping; empty: the public pages only. The run searches with them.
   */
  audiences: string[];
  /** The door's own fields on the question's message (the inbox row's id is added by the driver). */
  messageMetadata: Record<string, unknown>;
  /** A new conversation for the row: the thread's metadata, what the door keeps, whether it is the row's conversation at once. */
  conversation: { metadata: Record<string, unknown>; doorData: TDoorData; isKept: boolean };
};

export type TChatDoor = {
  /** The inbox's `door` column, its wake channel and its log lines' prefix: 'slack', 'discord'. */
  name: string;
  /** The service's name for people: 'Slack'. */
  label: string;
  /** The worker's options where this door's differ from the defaults (./worker.ts). */
  options?: Partial<TInboxOptions>;
  /** How it writes: its syntax, its lengths and its words (./render.ts writes every reply from them). */
  style: TChatStyle;
  /** Its answers carry "Ask the maintainers" (isChatHandoffOn): only then may an answer's text name the button. */
  isHandoffOffered: boolean;
  /** How a call to the service failed; null: the error is not the service's. */
  classifyError(error: unknown): TDoorFailure | null;
  /** The row as a question, at the start of every drive; null when it is none and the door settled it (a reply that is not a question, a hint). */
  question(step: TDoorStep, row: TInboxRow): Promise<TChatQuestion | null>;
  /** The first reply ("Searching the docs…"); its id. */
  post(step: TDoorStep, row: TInboxRow, text: string): Promise<string>;
  /** The reply rewritten (progress, a refusal); with `stopRunId`, a research run's progress, under it a Stop button naming the run (./stop.ts). */
  edit(step: TDoorStep, row: TInboxRow, text: string, options?: { stopRunId?: string }): Promise<void>;
  /** Once the reply and the conversation exist: where the conversation goes on (a Discord thread started from the reply); the changes to write. */
  afterReply?(step: TDoorStep, row: TInboxRow, threadId: string): Promise<TInboxChanges>;
  /** The final answer or apology, in as many messages as the door needs (chatMessages), without a progress edit's Stop; the changes to write with `done`. */
  deliver(step: TDoorStep, row: TInboxRow, final: TFinalReply): Promise<TInboxChanges>;
};

/** The parts of the configuration that say who reads a chat door's votes (isChatFeedbackRead). */
export type TFeedbackReaders = { maintainers?: { token?: string }; reviewChannel?: { mode: string; digest?: { mode: string } } };

/**
 * Whether anyone reads the votes readers give in a chat door, as this server is configured: the maintainers'
 * dashboard opens with MAINTAINER_TOKEN, the weekly digest (SLACK_DIGEST) posts the week's votes in Slack, or, for a
 * door whose conversations the review channel shows (`isInReviewChannel`: Discord's, not Slack's own), the review
 * channel is on. Said only when true (issue 56: wording says only what is configured).
 */
export function isChatFeedbackRead(config: TFeedbackReaders | undefined, { isInReviewChannel }: { isInReviewChannel: boolean }): boolean {
  if (!config) return false;
  const isSlackOn = config.reviewChannel?.mode === 'enabled';
  return config.maintainers?.token !== undefined || (isSlackOn && (isInReviewChannel || config.reviewChannel?.digest?.mode === 'weekly'));
}

/**
 * Whether a door's answers offer "Ask the maintainers": where HANDOFF_TO names github, or names slack for a door
 * whose conversations the review channel shows (`isInReviewChannel`). The `slack` channel marks the review channel's
 * thread of a conversation: a Slack door's conversations have none (they are in Slack already), and `email` only
 * brings a reply back.
 */
export function isChatHandoffOn(config: { handoff?: { channels: readonly string[] } | null } | undefined, { isInReviewChannel }: { isInReviewChannel: boolean }): boolean {
  const channels = config?.handoff?.channels ?? [];
  return channels.includes('github') || (isInReviewChannel && channels.includes('slack'));
}

/** What every door is built with; a door that needs more of the app declares it (the app satisfies it). */
export type TChatDoorServices = { log: TLogger };

/** A door in the registry (lib/chat-doors/doors/index.ts): its name, its settings, and how it is built. */
export type TChatDoorDefinition<TName extends string, TSettings, TServices extends TChatDoorServices = TChatDoorServices> = {
  /** The inbox's `door` column (TChatDoor's name). */
  name: TName;
  label: string;
  /** Where /api/health reports whether it is on (modes.<key>: 'on' | 'off'). */
  healthKey: string;
  /** Its variables, joined to lib/config.ts's schema (one error naming the variable); zod. */
  env: z.ZodObject;
  /** Its settings from the parsed environment, as lib/config.ts keeps them in `config.chatDoors[name]`; throws a ConfigError naming the variable (lib/settings.ts). */
  settings(env: Record<string, unknown>): TSettings;
  /** Whether its settings turn it on. */
  isOn(settings: TSettings): boolean;
  /** The door, built once per process when it is on (its code loaded then: lib/config.ts reads this registry for the settings alone). */
  create(args: { settings: TSettings; services: TServices }): Promise<TChatDoor>;
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
