import type { TStoreConfig } from '../db/settings';
import type { TSharedSourcesSettings } from '../docs/sources/settings';
import type { TLimitsSettings } from '../limits/settings';
import { researchOf, type TRunsConfig } from './engine/settings';
import type { TRunMode } from '../shared/runs';
import type { TReaderAccess } from '../audiences';
import { listMessagesByThread } from '../db/messages';
import type { TUsage } from '../db/rows';
import { getLatestRunByThread } from '../db/runs';
import { deleteThreadsByOwner } from '../db/retention';
import { createThread, deleteThreadById, getThreadById, listThreadsByOwner, updateThreadMetadataById } from '../db/threads';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { enforceModelAllowance, enforceRequestLimits, questionLimits, recordModelUsage, type TClient } from '../limits';
import { enforceChallenge, type TChallengeRequest } from '../limits/challenge';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, maskedMetadata, maskMetadataValues, type TPrivacy } from '../privacy/mask';
import { eventStream } from '../http/sse';
import type { TRunEngine } from './engine';
import { openRunEventStream } from './streaming/events-stream';
import { isModelError, type TModelClient } from '../model/types';
import { flaggedMessageMetadata, REFUSAL_TEXT, type TModerator } from './moderation';
import { toListObject, toMessageObject, toRunObject, toThreadObject } from './objects';
import type { TMetadata } from './schemas';
import type { TStreamCursor } from '../shared/stream-protocol';
import { cleanTitle, titleFromQuestion } from '../shared/titles';
import { checkImages, questionWithScreenshots, type TImageInput } from './images';
import type { TOcr } from './ocr';
import { IMAGES_METADATA_KEY } from '../shared/images';
import { MAX_QUOTE_CHARS, QUOTE_METADATA_KEY, type TStoredQuote } from '../shared/quote';
import { resolveConversationVersion } from '../docs/search/versions';

// What the routes call: one function per route action, returning the API objects. Each takes the narrow
// dependencies it uses (TAssistantDeps); the composition root (lib/app.ts) provides them.

export type TAssistantDeps = {
  db: TDb;
  engine: TRunEngine;
  log: TLogger;
  model: Pick<TModelClient, 'name' | 'complete'>;
  moderation: TModerator;
  /** Reads the text in a question's screenshots (lib/assistant/ocr.ts); without it a screenshot is "[screenshot]". */
  ocr?: TOcr;
  /** Wakes Slack delivery: the database queued a post (a new thread). */
  reviewChannel: { wake(): void };
  config: Pick<TLimitsSettings, 'limits' | 'rateLimits'> & Partial<Pick<TLimitsSettings, 'challenge'>> & { runs: TRunsConfig; store: TStoreConfig; docsSources?: Pick<TSharedSourcesSettings, 'versions'> };
  /** Signs the proof-of-work challenges (a derived key); without it (and config.challenge) nobody is challenged. */
  sessionSecret?: string;
  /** Masks personal data and secrets in reader text before it is stored or sent anywhere (default: on). */
  privacy?: TPrivacy;
};

export const DEFAULT_THREAD_TITLE = 'New thread';

/** How long a run sent with `wait: false` waits for its follower to start it before this instance does. */
export const FOLLOW_GRACE_MS = 2000;

type TCaller = { deps: TAssistantDeps; owner: string };

function privacyOf(deps: Pick<TAssistantDeps, 'privacy'>): TPrivacy {
  return deps.privacy ?? DEFAULT_PRIVACY;
}

/**
 * A conversation's version of versioned docs (metadata `version`, issue 38): the one asked for (unknown: a 400 naming
 * the known ones), else the one the page it starts from carries (`pageUrl`: the embed's host page), else none (its
 * searches use the current version). The SQL that creates each run copies it onto the run, whose searches use it.
 */
async function conversationVersion(
  deps: Pick<TAssistantDeps, 'db' | 'config'>,
  access: TReaderAccess,
  asked: string | null | undefined,
  pageUrl?: string,
): Promise<string | null> {
  if ((asked === undefined || asked === null) && !pageUrl) return null;
  return resolveConversationVersion({ db: deps.db, config: deps.config.docsSources?.versions, asked, pageUrl, access });
}

/** `access`: what the caller may read (its versions are the ones a conversation may be about). */
export async function createThreadForCaller({ deps, owner, metadata, pageUrl, access }: TCaller & { metadata?: TMetadata; pageUrl?: string; access: TReaderAccess }) {
  const version = await conversationVersion(deps, access, metadata?.version, pageUrl);
  // Metadata (the title above all) is shown to maintainers in Slack: masked like a message.
  const initial = Object.fromEntries(
    Object.entries(maskMetadataValues(privacyOf(deps), metadata ?? {})).filter((entry): entry is [string, string] => entry[1] !== null && entry[0] !== 'version'),
  );
  const thread = await createThread({
    db: deps.db,
    owner,
    metadata: { threadTitle: DEFAULT_THREAD_TITLE, ...initial, ...(version !== null ? { version } : {}) },
  });
  deps.reviewChannel.wake();
  return toThreadObject(thread);
}

export async function listThreadsForCaller({ deps, owner, limit, after }: TCaller & { limit: number; after?: string }) {
  return toListObject(await listThreadsByOwner({ db: deps.db, owner, limit, after }), toThreadObject);
}

export async function getThreadForCaller({ deps, owner, threadId }: TCaller & { threadId: string }) {
  return toThreadObject(await getThreadById({ db: deps.db, owner, threadId }));
}

export async function updateThreadForCaller({ deps, owner, threadId, metadata, access }: TCaller & { threadId: string; metadata: TMetadata; access: TReaderAccess }) {
  const masked = maskMetadataValues(privacyOf(deps), metadata);
  // A version set later is checked as at creation (null removes it: the current version again).
  if (typeof metadata.version === 'string') masked.version = await conversationVersion(deps, access, metadata.version);
  return toThreadObject(await updateThreadMetadataById({ db: deps.db, owner, threadId, metadata: masked }));
}

export async function deleteThreadForCaller({ deps, owner, threadId }: TCaller & { threadId: string }) {
  const deleted = await deleteThreadById({ db: deps.db, owner, threadId });
  return { id: deleted.id, object: 'thread.deleted' as const, deleted: true as const };
}

/** DELETE /api/paste-assistant-thread: every thread of the caller, with the Slack posts not yet sent about them. */
export async function deleteAllThreadsForCaller({ deps, owner }: TCaller) {
  const { deleted } = await deleteThreadsByOwner({ db: deps.db, owner });
  return { object: 'thread.deleted_all' as const, deleted: true as const, count: deleted };
}

export async function listMessagesForCaller({
  deps,
  owner,
  threadId,
  limit,
  after,
  order,
}: TCaller & { threadId: string; limit: number; after?: string; order: 'asc' | 'desc' }) {
  return toListObject(await listMessagesByThread({ db: deps.db, owner, threadId, limit, after, order }), toMessageObject);
}

/** A quote as a door hands it over, before masking. */
export type TQuoteInput = { text: string; url?: string; title?: string };

/**
 * POST …-message: store the message, start its run, and wait for it (bounded). The reply is `{run}`, terminal
 * or still pending; a pending run is then polled by the client.
 */
export async function sendMessageForCaller({
  deps,
  owner,
  client,
  threadId,
  text,
  page,
  quote,
  images,
  isWaiting = true,
  challenge,
  messageMetadata,
  isRequestLimited = false,
  access,
  isHandoffOffered = true,
  mode = 'quick',
}: TCaller & {
  client?: TClient;
  threadId: string;
  text: string;
  page?: string;
  /**
   * The passage or code the reader asks about ("Ask about this"), with the page it came from when that is not one of
   * the docs' (`url`, `title`: the embed's host page). Kept with the question (metadata `quote`), masked like it; the
   * model reads it as context for the question, not as the question (lib/assistant/engine/model-io.ts).
   */
  quote?: TQuoteInput;
  /**
   * Screenshots (issue 71): checked (count and size 413, type 415 from the bytes) and kept with the question (metadata
   * `images`, lib/shared/images.ts), so that they go where it goes and are deleted with it. A question may be images
   * alone (text '').
   */
  images?: TImageInput[];
  /**
   * `research` (issue 71): a research run, one at a time per reader (409 while another is active), counting as
   * RESEARCH_COST messages of the hourly quotas.
   */
  mode?: TRunMode;
  /**
   * The door shows "Ask the maintainers" under its answers when hand-off is on (the site's panel and embed do); a door
   * that never does (MCP) or does not for this channel (a chat door) passes false, so its answer does not name it.
   */
  isHandoffOffered?: boolean;
  /** Who asks (lib/audiences/access.ts readerAccessOf): the run's searches see what they may see now (PUBLIC_ACCESS: no identity). */
  access: TReaderAccess;
  isWaiting?: boolean;
  challenge?: TChallengeRequest;
  /** The route left the request's burst limits (lib/http/index.ts) to this call: they are taken with the question's. */
  isRequestLimited?: boolean;
  /** Kept with the stored question by the door it came in by (Slack: its message and inbox row). */
  messageMetadata?: Record<string, unknown>;
}) {
  assertMessageLength(text, deps.config.limits.maxMessageChars);
  if (quote) assertQuoteLength(quote.text);
  const storedImages = images && images.length > 0 ? checkImages(images) : undefined;
  // The text read in each screenshot joins the question, as "[screenshot] …": searched and answered with it, masked
  // with it below, and what stands in for the image wherever the conversation goes (Slack, GitHub, e-mail, a share).
  if (storedImages) text = await questionWithScreenshots({ ocr: deps.ocr, text, images: storedImages });
  // Personal data and secrets go before anything else sees the text: moderation, the store, the model, Slack.
  const masked = privacyOf(deps).mask(text);
  text = masked.text;
  const maskedQuote = quote ? privacyOf(deps).mask(quote.text) : null;
  const removed = maskedMetadata({ ...masked, kinds: [...new Set([...masked.kinds, ...(maskedQuote?.kinds ?? [])])] });
  const storedQuote: TStoredQuote | undefined =
    quote && maskedQuote ? { text: maskedQuote.text, ...(quote.url ? { url: quote.url } : {}), ...(quote.title ? { title: privacyOf(deps).mask(quote.title).text } : {}) } : undefined;
  // Hardening (lib/limits, moderation): quotas first, then the moderation verdict decides who answers.
  // Routes pass the request's client; callers outside HTTP (scripts, tests) count as the owner from no address.
  const caller = client ?? { sessionId: owner, ip: 'local' };
  const { isExtraAllowed } = await challengeFor(deps, caller, challenge);
  const cost = mode === 'research' ? researchOf(deps.config.runs).cost : 1;
  // Moderation is asked only within the limits, and its verdict decides how the question is stored: with it on, the
  // limits are taken first, on their own. Without it they are taken in the round trip that stores the question (and
  // claims its run): each round trip before the model is asked adds to what the reader waits.
  const isModerated = deps.moderation.mode !== 'off';
  if (isModerated) {
    if (isRequestLimited) await enforceRequestLimits({ deps: limitsDeps(deps), client: caller });
    await enforceModelAllowance({ deps: limitsDeps(deps), client: caller, owner, threadId, isExtraAllowed, cost });
  }
  // A quote is the reader's input too (the embed's host page may hold anything): moderated with the question.
  const verdict = isModerated ? await deps.moderation.check(storedQuote ? `${storedQuote.text}\n\n${text}` : text) : null;
  const flagged = verdict?.isFlagged ? flaggedMessageMetadata(verdict) : undefined;
  // A caller that does not wait follows the run (its event stream, or GET run). Where several instances may
  // share the database (Supabase), the request that follows executes the run: on the instance the reader is
  // connected to, the answer reaches it live from memory rather than through the database, and a platform
  // that stops a function once it has answered (Vercel) does not freeze the run here. With nobody following
  // within FOLLOW_GRACE_MS, this instance starts it. The embedded store is one process: it starts at once.
  const isExecutedHere = isWaiting || deps.config.store.mode === 'embedded';
  const { run } = await deps.engine.startRun({
    owner,
    threadId,
    text,
    // The page is kept with the question (a Retry reads it there) and on the run (its searches lean towards it).
    metadata:
      page || flagged || removed || messageMetadata || storedQuote || storedImages
        ? {
            ...messageMetadata,
            ...removed,
            ...flagged,
            ...(page ? { page } : {}),
            ...(storedQuote ? { [QUOTE_METADATA_KEY]: storedQuote } : {}),
            ...(storedImages ? { [IMAGES_METADATA_KEY]: storedImages } : {}),
          }
        : undefined,
    runMetadata: page ? { page } : undefined,
    access,
    isHandoffOffered,
    mode,
    refusal: flagged ? { text: REFUSAL_TEXT, metadata: { refusal: true, flagged: true } } : undefined,
    isExecutedHere,
    limits: isModerated ? undefined : questionLimits({ deps: limitsDeps(deps), client: caller, isRequestLimited, isExtraAllowed, cost }),
  });
  if (!isWaiting) {
    if (!isExecutedHere) deps.engine.startRunLater(run.id, FOLLOW_GRACE_MS);
    return { run: toRunObject(run) };
  }
  const settled = await deps.engine.waitForRun({ owner, threadId, runId: run.id, timeoutMs: deps.config.runs.waitSeconds * 1000 });
  return { run: toRunObject(settled) };
}

/**
 * POST …/[tid]/runs: Retry. A new run for the thread's last question, whose answer did not complete, or (`mode`
 * "research", "Research this") whose quick answer the docs did not cover; the question is not stored (nor sent to
 * Slack) again. Same quotas and waiting as sending a message: a research run costs what one sent costs.
 */
export async function rerunMessageForCaller({
  deps,
  owner,
  client,
  threadId,
  messageId,
  isWaiting = true,
  challenge,
  access,
  isHandoffOffered = true,
  mode = 'quick',
}: TCaller & { client?: TClient; threadId: string; messageId: string; isWaiting?: boolean; challenge?: TChallengeRequest; access: TReaderAccess; isHandoffOffered?: boolean; mode?: TRunMode }) {
  const caller = client ?? { sessionId: owner, ip: 'local' };
  const { isExtraAllowed } = await challengeFor(deps, caller, challenge);
  const cost = mode === 'research' ? researchOf(deps.config.runs).cost : 1;
  const isExecutedHere = isWaiting || deps.config.store.mode === 'embedded';
  // A Retry is asked now: under the asker's access now, not the first run's. Its allowance is taken as the run is
  // created, so that a re-run the thread refuses (409: answered, not its last question, a run active) costs nothing.
  const limits = questionLimits({ deps: limitsDeps(deps), client: caller, isRequestLimited: false, isExtraAllowed, cost });
  const { run } = await deps.engine.rerunMessage({ owner, threadId, messageId, isExecutedHere, access, isHandoffOffered, mode, limits });
  if (!isWaiting) {
    if (!isExecutedHere) deps.engine.startRunLater(run.id, FOLLOW_GRACE_MS);
    return { run: toRunObject(run) };
  }
  const settled = await deps.engine.waitForRun({ owner, threadId, runId: run.id, timeoutMs: deps.config.runs.waitSeconds * 1000 });
  return { run: toRunObject(settled) };
}

/** The run, moved along as every read moves it: pending tool calls are dispatched, a stalled run is resumed. */
export async function readRunAndAdvanceForCaller({ deps, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  return toRunObject(await deps.engine.readRunAndAdvance({ owner, threadId, runId }));
}

/**
 * GET …/run/[rid]/events: the run's status changes and answer text as they happen (server-sent events),
 * resuming after `cursor`. A run the caller cannot read is a 404 before anything is streamed.
 */
export async function openRunEventsForCaller({
  deps,
  owner,
  threadId,
  runId,
  cursor,
  client,
  isRequestLimited = false,
}: TCaller & {
  threadId: string;
  runId: string;
  cursor: TStreamCursor | null;
  client?: TClient;
  /** The route left the request's burst limits to the stream: taken once the caller has a stream slot. */
  isRequestLimited?: boolean;
}) {
  return eventStream(
    await openRunEventStream({
      deps: { db: deps.db, engine: deps.engine, pollMs: deps.config.runs.pollMs, log: deps.log },
      owner,
      threadId,
      runId,
      cursor,
      // Open streams are capped per session and per address (429); callers outside HTTP have no client.
      client: client ? { sessionId: client.sessionId, ip: client.ip } : undefined,
      limits: deps.config.limits,
      ...(isRequestLimited && client ? { takeRequestLimits: () => enforceRequestLimits({ deps: limitsDeps(deps), client }) } : {}),
    }),
  );
}

/** The thread's latest run, so a client that reloads mid-run can find it and resume polling. */
export async function listLatestRunForCaller({ deps, owner, threadId }: TCaller & { threadId: string }) {
  const latest = await getLatestRunByThread({ db: deps.db, owner, threadId });
  return toListObject({ data: latest ? [latest] : [], has_more: false }, toRunObject);
}

export async function cancelRunForCaller({ deps, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  return toRunObject(await deps.engine.cancelRun({ owner, threadId, runId }));
}

/**
 * One completion, shaped like a Chat Completions response as the original returned it. Used for thread titles:
 * at most six words, no quotes or trailing punctuation. A title is cosmetic, so when the model fails (or says
 * nothing usable) the title is built from the question's first words, as offline, and `model` says "offline".
 * It is a model call like a message: it takes from the caller's hourly quota and counts toward the daily token
 * cap; a prompt that moderation flags gets the default title without reaching the model.
 */
export async function simpleCompletion({ deps, client, prompt: givenPrompt, context: givenContext }: { deps: TAssistantDeps; client: TClient; prompt: string; context?: string }) {
  await enforceModelAllowance({ deps: limitsDeps(deps), client });
  // The context is the reader's question, and the title is posted to Slack: both masked before the model.
  const prompt = privacyOf(deps).mask(givenPrompt).text;
  const context = givenContext === undefined ? undefined : privacyOf(deps).mask(givenContext).text;
  const verdict = await deps.moderation.check(prompt);
  let content: string | undefined = verdict?.isFlagged ? DEFAULT_THREAD_TITLE : undefined;
  let usage: TUsage | null = null;
  let model = deps.model.name;
  if (content === undefined) {
    try {
      const completion = await deps.engine.callModel((signal) => deps.model.complete({ prompt, context, signal }));
      const title = cleanTitle(completion.text);
      if (title !== DEFAULT_THREAD_TITLE) content = title;
      usage = completion.usage ?? null;
    } catch (error) {
      deps.log.warn({ code: isModelError(error) ? error.code : 'unknown', err: error }, 'title completion failed; using the question');
    }
  }
  await recordModelUsage({ db: deps.db, usage }).catch((error: unknown) => deps.log.warn({ err: error }, 'could not record model usage'));
  if (content === undefined) {
    content = titleFromQuestion(context ?? prompt);
    model = 'offline';
  }
  return {
    id: `chatcmpl_${Date.now().toString(36)}`,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content }, finish_reason: 'stop' as const }],
    usage,
  };
}

/** A browser near its limits solves a challenge first (lib/limits/challenge.ts); others are never challenged. */
function challengeFor(deps: TAssistantDeps, client: TClient, request: TChallengeRequest | undefined) {
  const { challenge } = deps.config;
  if (!challenge || deps.sessionSecret === undefined) return Promise.resolve({ isExtraAllowed: false });
  return enforceChallenge({
    deps: { db: deps.db, rateLimits: deps.config.rateLimits, challenge, sessionSecret: deps.sessionSecret },
    client,
    request,
  });
}

function limitsDeps(deps: TAssistantDeps) {
  return { db: deps.db, rateLimits: deps.config.rateLimits };
}

/** A quote longer than MAX_QUOTE_CHARS is refused like an over-long message (the panel cuts what it sends to it). */
export function assertQuoteLength(text: string): void {
  if (text.length > MAX_QUOTE_CHARS) {
    throw new AppError('payload_too_large', `A quote can be at most ${MAX_QUOTE_CHARS} characters; this one has ${text.length}.`);
  }
}

export function assertMessageLength(text: string, maxChars: number): void {
  if (text.length > maxChars) {
    throw new AppError('payload_too_large', `Messages can be at most ${maxChars} characters; this one has ${text.length}.`);
  }
}
