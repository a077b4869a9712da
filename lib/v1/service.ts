import type { TReaderAccess } from '../audiences';
import type { TRunsConfig } from '../assistant/engine/settings';
import type { TLimitsSettings } from '../limits/settings';
import type { TApiConfig } from './settings';
import type { TClientRunSpec, TRunEngine } from '../assistant/engine';
import { toListObject, toThreadObject } from '../assistant/objects';
import {
  createAssistant,
  deleteAssistantById,
  getAssistantById,
  listAssistantsByOwner,
  updateAssistantById,
  type TAssistantRow,
} from '../db/api-assistants';
import { createMessageByThread, getMessageById, listMessagesPageByThread, updateMessageMetadataById, type TNewMessage } from '../db/messages';
import type { TMessageContent, TRunRow } from '../db/rows';
import { getRunStreamStateById, listRunsPageByThread, updateRunMetadataById } from '../db/runs';
import { createThreadWithMessages, deleteThreadById, getThreadById, updateThreadMetadataById } from '../db/threads';
import type { TDb } from '../db/types';
import { AppError, isAppError } from '../errors';
import { enforceApiKeyRunAllowance, type TClient } from '../limits';
import type { TLogger } from '../log';
import { eventStream } from '../http/sse';
import { keyIdOfOwner } from './keys';
import { listRunSteps, toApiMessageObject, toApiRunObject, toAssistantObject } from './objects';
import {
  RUN_OPTION_KEYS,
  type TApiStreamCursor,
  type TCreateRunBody,
  type TCreateThreadAndRunBody,
  type TListPageQuery,
  type TMessageInput,
} from './schemas';
import { FRESH_TOLD, openApiRunStream } from './stream';
import type { z } from 'zod';
import type { ZCreateAssistantBody, ZUpdateAssistantBody } from './schemas';

// What the /v1 routes call: one function per endpoint, each returning OpenAI's object. The owner is the API key
// (`apikey:<id>`, lib/v1/keys.ts). Runs go through the one run engine (lib/assistant/engine/): the same rows and
// code path as the site's runs, with the caller's model name, instructions and tools, which the client runs.

export type TApiDeps = {
  db: TDb;
  engine: TRunEngine;
  log: TLogger;
  config: Pick<TLimitsSettings, 'limits' | 'rateLimits'> & { runs: TRunsConfig; api: TApiConfig };
};

type TCaller = { deps: TApiDeps; owner: string };

/**
 * OpenAI answered a request that conflicts with a run's state (a message or a run while a run is active, tool
 * outputs for a run that waits for none, cancelling a finished run) with 400: so does /v1.
 */
async function asOpenAiConflict<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.code === 'conflict') throw new AppError('bad_request', error.message, { cause: error });
    throw error;
  }
}

function toContent(content: TMessageInput['content']): TMessageContent {
  const parts = typeof content === 'string' ? [content] : content.map((part) => part.text ?? '');
  return parts.map((value) => ({ type: 'text' as const, text: { value, annotations: [] } }));
}

function toNewMessage(message: TMessageInput): TNewMessage {
  return { role: message.role, content: toContent(message.content), metadata: message.metadata ?? {} };
}

// Assistants ------------------------------------------------------------------------------------------------

type TAssistantBody = z.infer<typeof ZCreateAssistantBody> | z.infer<typeof ZUpdateAssistantBody>;

function assistantFields(body: TAssistantBody) {
  // Only the keys the request has: an update changes those, and a present null clears a field.
  const fields: Record<string, unknown> = {};
  for (const key of ['model', 'name', 'description', 'instructions', 'tools', 'metadata', 'temperature', 'top_p', 'response_format'] as const) {
    if (body[key] !== undefined) fields[key] = body[key];
  }
  return fields;
}

export async function createAssistantForKey({ deps, owner, body }: TCaller & { body: z.infer<typeof ZCreateAssistantBody> }) {
  const row = await createAssistant({ db: deps.db, owner, assistant: { ...assistantFields(body), model: body.model } });
  return toAssistantObject(row);
}

export async function getAssistantForKey({ deps, owner, assistantId }: TCaller & { assistantId: string }) {
  return toAssistantObject(await getAssistantById({ db: deps.db, owner, assistantId }));
}

export async function updateAssistantForKey({ deps, owner, assistantId, body }: TCaller & { assistantId: string; body: z.infer<typeof ZUpdateAssistantBody> }) {
  return toAssistantObject(await updateAssistantById({ db: deps.db, owner, assistantId, changes: assistantFields(body) }));
}

export async function listAssistantsForKey({ deps, owner, page }: TCaller & { page: TListPageQuery }) {
  return toListObject(await listAssistantsByOwner({ db: deps.db, owner, page }), toAssistantObject);
}

export async function deleteAssistantForKey({ deps, owner, assistantId }: TCaller & { assistantId: string }) {
  const deleted = await deleteAssistantById({ db: deps.db, owner, assistantId });
  return { id: deleted.id, object: 'assistant.deleted' as const, deleted: true as const };
}

// Threads and messages --------------------------------------------------------------------------------------

export async function createThreadForKey({ deps, owner, messages, metadata }: TCaller & { messages?: TMessageInput[] | null; metadata?: Record<string, string> | null }) {
  const thread = await createThreadWithMessages({ db: deps.db, owner, metadata: metadata ?? {}, messages: (messages ?? []).map(toNewMessage) });
  return toThreadObject(thread);
}

export async function getThreadForKey({ deps, owner, threadId }: TCaller & { threadId: string }) {
  return toThreadObject(await getThreadById({ db: deps.db, owner, threadId }));
}

export async function updateThreadForKey({ deps, owner, threadId, metadata }: TCaller & { threadId: string; metadata?: Record<string, string | null> | null }) {
  return toThreadObject(await updateThreadMetadataById({ db: deps.db, owner, threadId, metadata: metadata ?? {} }));
}

export async function deleteThreadForKey({ deps, owner, threadId }: TCaller & { threadId: string }) {
  const deleted = await deleteThreadById({ db: deps.db, owner, threadId });
  return { id: deleted.id, object: 'thread.deleted' as const, deleted: true as const };
}

export async function createMessageForKey({ deps, owner, threadId, message }: TCaller & { threadId: string; message: TMessageInput }) {
  return toApiMessageObject(await asOpenAiConflict(createMessageByThread({ db: deps.db, owner, threadId, message: toNewMessage(message) })));
}

export async function listMessagesForKey({ deps, owner, threadId, page, runId }: TCaller & { threadId: string; page: TListPageQuery; runId?: string }) {
  return toListObject(await listMessagesPageByThread({ db: deps.db, owner, threadId, page, runId }), toApiMessageObject);
}

export async function getMessageForKey({ deps, owner, threadId, messageId }: TCaller & { threadId: string; messageId: string }) {
  return toApiMessageObject(await getMessageById({ db: deps.db, owner, threadId, messageId }));
}

export async function updateMessageForKey({
  deps,
  owner,
  threadId,
  messageId,
  metadata,
}: TCaller & { threadId: string; messageId: string; metadata?: Record<string, string | null> | null }) {
  return toApiMessageObject(await updateMessageMetadataById({ db: deps.db, owner, threadId, messageId, metadata: metadata ?? {} }));
}

// Runs ------------------------------------------------------------------------------------------------------

type TRunOverrides = Pick<TCreateRunBody, 'model' | 'instructions' | 'tools' | 'metadata' | (typeof RUN_OPTION_KEYS)[number]> & {
  additional_instructions?: string | null;
};

/** The run's settings: the assistant's, overridden by the request's (instructions, tools, model, options). */
export function runSpecFor(assistant: TAssistantRow, body: TRunOverrides): TClientRunSpec {
  const base = body.instructions ?? assistant.instructions ?? '';
  const instructions = body.additional_instructions ? (base ? `${base}\n\n${body.additional_instructions}` : body.additional_instructions) : base;
  const options: Record<string, unknown> = {
    temperature: assistant.temperature,
    top_p: assistant.top_p,
    response_format: assistant.response_format,
  };
  for (const key of RUN_OPTION_KEYS) if (body[key] !== undefined && body[key] !== null) options[key] = body[key];
  return {
    assistantId: assistant.id,
    model: body.model ?? assistant.model,
    instructions,
    tools: body.tools ?? assistant.tools,
    metadata: body.metadata ?? {},
    options: Object.fromEntries(Object.entries(options).filter((entry) => entry[1] !== null && entry[1] !== undefined)),
  };
}

async function startRun({
  deps,
  owner,
  threadId,
  assistant,
  body,
  messages,
  isStreamed,
  access,
}: TCaller & { threadId: string; assistant: TAssistantRow; body: TRunOverrides; messages: TNewMessage[]; isStreamed: boolean; access: TReaderAccess }) {
  const keyId = keyIdOfOwner(owner);
  if (keyId) await enforceApiKeyRunAllowance({ deps: { db: deps.db, api: deps.config.api, rateLimits: deps.config.rateLimits }, keyId, owner });
  // A streamed run starts executing when its stream opens (after it follows the run, so nothing is missed).
  return asOpenAiConflict(
    // The key's access is the run's (assistant_run.reader_audiences), as it is when the run is made.
    deps.engine.startClientRun({ owner, threadId, messages, spec: runSpecFor(assistant, body), isExecutedHere: !isStreamed, access }),
  );
}

/** `access`: what the calling key may read (lib/audiences/access.ts readerAccessOf), stored on the run. */
export async function createRunForKey({ deps, owner, client, threadId, body, access }: TCaller & { client?: TClient; threadId: string; body: TCreateRunBody; access: TReaderAccess }) {
  const assistant = await getAssistantById({ db: deps.db, owner, assistantId: body.assistant_id });
  // The thread is checked before the run is: a thread of another key is a 404, not a 400 about its messages.
  await getThreadById({ db: deps.db, owner, threadId });
  const isStreamed = body.stream === true;
  const run = await startRun({ deps, owner, threadId, assistant, body, messages: (body.additional_messages ?? []).map(toNewMessage), isStreamed, access });
  if (!isStreamed) return toApiRunObject(run);
  return streamRunForKey({
    deps,
    client,
    owner,
    threadId,
    runId: run.id,
    told: { ...FRESH_TOLD, status: 'queued' },
    prelude: [
      { event: 'thread.run.created', data: toApiRunObject(run) },
      { event: 'thread.run.queued', data: toApiRunObject(run) },
    ],
  });
}

export async function createThreadAndRunForKey({ deps, owner, client, body, access }: TCaller & { client?: TClient; body: TCreateThreadAndRunBody; access: TReaderAccess }) {
  const assistant = await getAssistantById({ db: deps.db, owner, assistantId: body.assistant_id });
  const thread = await createThreadForKey({ deps, owner, messages: body.thread?.messages, metadata: body.thread?.metadata });
  const isStreamed = body.stream === true;
  const run = await startRun({ deps, owner, threadId: thread.id, assistant, body, messages: [], isStreamed, access });
  if (!isStreamed) return toApiRunObject(run);
  return streamRunForKey({
    deps,
    client,
    owner,
    threadId: thread.id,
    runId: run.id,
    told: { ...FRESH_TOLD, status: 'queued' },
    prelude: [
      { event: 'thread.created', data: thread },
      { event: 'thread.run.created', data: toApiRunObject(run) },
      { event: 'thread.run.queued', data: toApiRunObject(run) },
    ],
  });
}

/** The run, moved along as every read moves it (a queued or stalled run is started; client tools wait). */
export async function readRunAndAdvanceForKey({ deps, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  return toApiRunObject(await deps.engine.readRunAndAdvance({ owner, threadId, runId }));
}

export async function listRunsForKey({ deps, owner, threadId, page }: TCaller & { threadId: string; page: TListPageQuery }) {
  return toListObject(await listRunsPageByThread({ db: deps.db, owner, threadId, page }), toApiRunObject);
}

export async function updateRunForKey({ deps, owner, threadId, runId, metadata }: TCaller & { threadId: string; runId: string; metadata?: Record<string, string | null> | null }) {
  return toApiRunObject(await updateRunMetadataById({ db: deps.db, owner, threadId, runId, metadata: metadata ?? {} }));
}

export async function cancelRunForKey({ deps, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  return toApiRunObject(await asOpenAiConflict(deps.engine.cancelRun({ owner, threadId, runId })));
}

export async function submitToolOutputsForKey({
  deps,
  owner,
  client,
  threadId,
  runId,
  toolOutputs,
  isStreamed,
}: TCaller & { client?: TClient; threadId: string; runId: string; toolOutputs: { tool_call_id: string; output: string }[]; isStreamed: boolean }) {
  const run: TRunRow = await asOpenAiConflict(deps.engine.submitToolOutputs({ owner, threadId, runId, toolOutputs, isExecutedHere: !isStreamed }));
  if (!isStreamed) return toApiRunObject(run);
  const rounds = run.tool_rounds.length;
  return streamRunForKey({
    deps,
    client,
    owner,
    threadId,
    runId,
    // The reader was told of the run's tool calls (requires_action); it is told their step completed next.
    told: { ...FRESH_TOLD, status: 'queued', toolSteps: rounds, toolStepsDone: Math.max(0, rounds - 1) },
    prelude: [{ event: 'thread.run.queued', data: toApiRunObject(run) }],
  });
}

/** GET …/runs/{rid}/events: the run's event stream, resumed after `cursor` (or from the start). */
export async function openRunEventsForKey({
  deps,
  owner,
  client,
  threadId,
  runId,
  cursor,
}: TCaller & { client?: TClient; threadId: string; runId: string; cursor: TApiStreamCursor | null }) {
  return streamRunForKey({ deps, client, owner, threadId, runId, told: cursor ?? FRESH_TOLD });
}

// Run steps -------------------------------------------------------------------------------------------------

async function runStepsOf({ deps, owner, threadId, runId }: TCaller & { threadId: string; runId: string }) {
  const state = await getRunStreamStateById({ db: deps.db, owner, threadId, runId });
  return listRunSteps(state.run, state.message);
}

export async function listRunStepsForKey({ deps, owner, threadId, runId, page }: TCaller & { threadId: string; runId: string; page: TListPageQuery }) {
  const steps = await runStepsOf({ deps, owner, threadId, runId });
  const ordered = page.order === 'desc' ? [...steps].reverse() : steps;
  const indexOf = (stepId: string, param: 'after' | 'before') => {
    const index = ordered.findIndex((step) => step.id === stepId);
    if (index === -1) throw new AppError('bad_request', `No run step found with id '${stepId}'.`, { param });
    return index;
  };
  let start = page.after ? indexOf(page.after, 'after') + 1 : 0;
  let end = page.before ? indexOf(page.before, 'before') : ordered.length;
  let hasMore: boolean;
  if (page.before && !page.after) {
    // The page just before `before`.
    start = Math.max(0, end - page.limit);
    hasMore = start > 0;
  } else {
    hasMore = end - start > page.limit;
    end = Math.min(end, start + page.limit);
  }
  return toListObject({ data: ordered.slice(start, Math.max(start, end)), has_more: hasMore }, (step) => step);
}

export async function getRunStepForKey({ deps, owner, threadId, runId, stepId }: TCaller & { threadId: string; runId: string; stepId: string }) {
  const step = (await runStepsOf({ deps, owner, threadId, runId })).find((candidate) => candidate.id === stepId);
  if (!step) throw new AppError('not_found', `No run step found with id '${stepId}'.`);
  return step;
}

/**
 * The run's /v1 event stream (lib/v1/stream.ts). Open streams are capped per key as the site caps them per
 * address (EVENT_STREAMS_PER_IP), for each key and each address; callers outside HTTP have no client.
 */
async function streamRunForKey({
  deps,
  client,
  ...stream
}: Omit<Parameters<typeof openApiRunStream>[0], 'deps' | 'client' | 'limits'> & { deps: TApiDeps; client?: TClient }) {
  const cap = deps.config.limits.streamsPerIp;
  return eventStream(
    await openApiRunStream({
      ...stream,
      deps: { db: deps.db, engine: deps.engine, pollMs: deps.config.runs.pollMs, log: deps.log },
      ...(client ? { client: { sessionId: client.sessionId, ip: client.ip }, limits: { streamsPerSession: cap, streamsPerIp: cap } } : {}),
    }),
  );
}
