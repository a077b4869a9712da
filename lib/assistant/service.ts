import type { TApp } from '../app';
import { listMessagesByThread } from '../db/messages';
import { cancelRunById, getLatestRunByThread } from '../db/runs';
import { createThread, deleteThreadById, getThreadById, listThreadsByOwner, updateThreadMetadataById } from '../db/threads';
import { enforceModelAllowance, recordModelUsage, type TClient } from '../limits';
import { flaggedMessageMetadata, REFUSAL_TEXT } from './moderation';
import { toListObject, toMessageObject, toRunObject, toThreadObject } from './objects';
import { abortRunStep, assertMessageLength, callModelWithTimeout, kickRun, observeRun, startMessageRun, waitForRun } from './runtime';
import type { TMetadata } from './schemas';
import { openRunEventStream } from './events-stream';
import type { TStreamCursor } from './stream-protocol';
import { eventStream } from '../sse';
import { isModelError } from './model/types';
import { cleanTitle, titleFromQuestion } from './titles';
import type { TUsage } from '../db/rows';

// What the routes call: one function per route action, returning the API objects.

export const DEFAULT_THREAD_TITLE = 'New thread';

/** How long a run sent with `wait: false` waits for its follower to start it before this instance does. */
export const FOLLOW_GRACE_MS = 2000;

type TCaller = { app: TApp; owner: string };

export async function createThreadForCaller({ app, owner, metadata }: TCaller & { metadata?: TMetadata }) {
  const initial = Object.fromEntries(Object.entries(metadata ?? {}).filter((entry): entry is [string, string] => entry[1] !== null));
  const thread = await createThread({ db: app.db, owner, metadata: { threadTitle: DEFAULT_THREAD_TITLE, ...initial } });
  app.slack.onThreadCreated({ thread });
  return toThreadObject(thread);
}

export async function listThreadsForCaller({ app, owner, limit, after }: TCaller & { limit: number; after?: string }) {
  return toListObject(await listThreadsByOwner({ db: app.db, owner, limit, after }), toThreadObject);
}

export async function getThreadForCaller({ app, owner, threadId }: TCaller & { threadId: string }) {
  return toThreadObject(await getThreadById({ db: app.db, owner, threadId }));
}

export async function updateThreadForCaller({ app, owner, threadId, metadata }: TCaller & { threadId: string; metadata: TMetadata }) {
  return toThreadObject(await updateThreadMetadataById({ db: app.db, owner, threadId, metadata }));
}

export async function deleteThreadForCaller({ app, owner, threadId }: TCaller & { threadId: string }) {
  const deleted = await deleteThreadById({ db: app.db, owner, threadId });
  return { id: deleted.id, object: 'thread.deleted' as const, deleted: true as const };
}

export async function listMessagesForCaller({
  app,
  owner,
  threadId,
  limit,
  after,
  order,
}: TCaller & { threadId: string; limit: number; after?: string; order: 'asc' | 'desc' }) {
  return toListObject(await listMessagesByThread({ db: app.db, owner, threadId, limit, after, order }), toMessageObject);
}

/**
 * POST …-message: store the message, start its run, and wait for it (bounded). The reply is `{run}`, terminal
 * or still pending; a pending run is then polled by the client.
 */
export async function sendMessageForCaller({
  app,
  owner,
  client,
  threadId,
  text,
  isWaiting = true,
}: TCaller & { client?: TClient; threadId: string; text: string; isWaiting?: boolean }) {
  assertMessageLength(text, app.config.limits.maxMessageChars);
  // Hardening (lib/limits, moderation): quotas first, then the moderation verdict decides who answers.
  // Routes pass the request's client; callers outside HTTP (scripts, tests) count as the owner from no address.
  await enforceModelAllowance({ app, client: client ?? { sessionId: owner, ip: 'local' }, threadId });
  const verdict = await app.moderation.check(text);
  const flagged = verdict?.isFlagged ? flaggedMessageMetadata(verdict) : undefined;
  // A caller that does not wait follows the run (its event stream, or GET run). Where several instances may
  // share the database (Supabase), the request that follows executes the run: on the instance the reader is
  // connected to, the answer reaches it live from memory rather than through the database, and a platform
  // that stops a function once it has answered (Vercel) does not freeze the run here. With nobody following
  // within FOLLOW_GRACE_MS, this instance starts it. The embedded store is one process: it starts at once.
  const isExecutedHere = isWaiting || app.config.store.mode === 'embedded';
  const { run } = await startMessageRun({
    app,
    owner,
    threadId,
    text,
    metadata: flagged,
    refusal: flagged ? { text: REFUSAL_TEXT, metadata: { refusal: true, flagged: true } } : undefined,
    isExecutedHere,
  });
  if (!isWaiting) {
    if (!isExecutedHere) setTimeout(() => kickRun(app, run.id), FOLLOW_GRACE_MS).unref?.();
    return { run: toRunObject(run) };
  }
  const settled = await waitForRun({ app, owner, threadId, runId: run.id, timeoutMs: app.config.runs.waitSeconds * 1000 });
  return { run: toRunObject(settled) };
}

export async function getRunForCaller({ app, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  return toRunObject(await observeRun({ app, owner, threadId, runId }));
}

/**
 * GET …/run/[rid]/events: the run's status changes and answer text as they happen (server-sent events),
 * resuming after `cursor`. A run the caller cannot read is a 404 before anything is streamed.
 */
export async function openRunEventsForCaller({
  app,
  owner,
  threadId,
  runId,
  cursor,
}: TCaller & { threadId: string; runId: string; cursor: TStreamCursor | null }) {
  return eventStream(await openRunEventStream({ app, owner, threadId, runId, cursor }));
}

/** The thread's latest run, so a client that reloads mid-run can find it and resume polling. */
export async function listLatestRunForCaller({ app, owner, threadId }: TCaller & { threadId: string }) {
  const latest = await getLatestRunByThread({ db: app.db, owner, threadId });
  return toListObject({ data: latest ? [latest] : [], has_more: false }, toRunObject);
}

export async function cancelRunForCaller({ app, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  const run = await cancelRunById({ db: app.db, owner, threadId, runId });
  abortRunStep(app, run.id);
  app.runEvents.notify(run.id);
  return toRunObject(run);
}

/**
 * One completion, shaped like a Chat Completions response as the original returned it. Used for thread titles:
 * at most six words, no quotes or trailing punctuation. A title is cosmetic, so when the model fails (or says
 * nothing usable) the title is built from the question's first words, as offline, and `model` says "offline".
 * It is a model call like a message: it takes from the caller's hourly quota and counts toward the daily token
 * cap; a prompt that moderation flags gets the default title without reaching the model.
 */
export async function simpleCompletion({ app, client, prompt, context }: { app: TApp; client: TClient; prompt: string; context?: string }) {
  await enforceModelAllowance({ app, client });
  const verdict = await app.moderation.check(prompt);
  let content: string | undefined = verdict?.isFlagged ? DEFAULT_THREAD_TITLE : undefined;
  let usage: TUsage | null = null;
  let model = app.model.name;
  if (content === undefined) {
    try {
      const completion = await callModelWithTimeout(app, (signal) => app.model.complete({ prompt, context, signal }));
      const title = cleanTitle(completion.text);
      if (title !== DEFAULT_THREAD_TITLE) content = title;
      usage = completion.usage ?? null;
    } catch (error) {
      app.log.warn({ code: isModelError(error) ? error.code : 'unknown', err: error }, 'title completion failed; using the question');
    }
  }
  await recordModelUsage({ app, usage }).catch((error: unknown) => app.log.warn({ err: error }, 'could not record model usage'));
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
