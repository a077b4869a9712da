import type { TMessageRow, TRunRow } from '../db/rows';
import { getRunWatcher, readStateAndAdvance, type TEventStreamDeps, type TFollower, type TStreamClient, type TStreamLimits } from '../assistant/events-stream';
import type { TRunEngine } from '../assistant/engine';
import type { TSseProducer, TSseWriter } from '../sse';
import { isTerminalRunStatus } from '../shared/runs';
import { messageText } from '../shared/messages';
import { hashText } from '../shared/stream-protocol';
import { openAiStreamError } from './errors';
import { toApiMessageObject, toApiRunObject, toMessageCreationStep, toToolCallsStep } from './objects';
import { encodeApiStreamCursor, type TApiStreamCursor } from './schemas';

// The Assistants event stream of a /v1 run (`stream: true` on create run, create thread and run, and submit tool
// outputs), as OpenAI's SDKs read it:
//   thread.created                                  (create thread and run)
//   thread.run.created, thread.run.queued, thread.run.in_progress
//   thread.run.step.created / .in_progress / .completed (.cancelled, .failed, .expired)   tool calls, the answer
//   thread.message.created, thread.message.in_progress, thread.message.delta …, thread.message.completed (.incomplete)
//   thread.run.requires_action | thread.run.completed | .failed | .cancelled | .expired | .incomplete
//   done ([DONE])                                   after requires_action too: the client submits its tool outputs
//   error ({error: {message, type, param, code}})   the stream failed after it started
// It is the site's event stream underneath (lib/assistant/events-stream.ts): the same watcher follows the run, the
// same engine moves it, and the answer text comes from the executor's live draft as it is written. What differs is
// the vocabulary: OpenAI's deltas only append, so text is sent as appends of a message the reader was told of.
//
// Every event has an id, a cursor of what the reader has been told (encodeApiStreamCursor). A reader that lost
// its connection resumes with it (Last-Event-ID, or ?cursor=) on GET /v1/threads/{tid}/runs/{rid}/events and
// gets what it lacks: statuses, steps and text it was not told, nothing twice.

export type TApiStreamDeps = TEventStreamDeps;

/** What the reader has been told (and, on a resume, says it has). */
type TTold = {
  status: string | null;
  /** Tool rounds told as steps (created), and how many of those were told completed. */
  toolSteps: number;
  toolStepsDone: number;
  messageId: string | null;
  /** The answer text the reader has; null when it cannot be verified (it gets the message again). */
  text: string | null;
  hash: number;
  isMessageDone: boolean;
};

export const FRESH_TOLD: TApiStreamCursor = { status: null, toolSteps: 0, toolStepsDone: 0, messageId: null, isMessageDone: false, offset: 0, hash: hashText('') };

export const API_STREAM_HEARTBEAT_MS = 15_000;

/**
 * Checks the caller may read the run (404 before anything is streamed), takes a stream slot and returns the
 * producer of its events. `told` is what the reader has (a cursor, or what the request that opens the stream
 * sends first: `prelude`). Opening moves the run along, as every read does: a queued run starts executing here.
 */
export async function openApiRunStream({
  deps,
  owner,
  threadId,
  runId,
  told = FRESH_TOLD,
  prelude = [],
  client,
  limits,
  heartbeatMs = API_STREAM_HEARTBEAT_MS,
}: {
  deps: TApiStreamDeps;
  owner: string;
  threadId: string;
  runId: string;
  told?: TApiStreamCursor;
  prelude?: { event: string; data: unknown }[];
  client?: TStreamClient;
  limits?: TStreamLimits;
  heartbeatMs?: number;
}): Promise<TSseProducer> {
  const watcher = getRunWatcher(deps);
  const release = client && limits ? watcher.admit(client, limits) : () => {};
  let follower: TFollower;
  try {
    follower = watcher.follow(runId, owner);
    try {
      follower.seed(await readStateAndAdvance({ deps, owner, threadId, runId }));
    } catch (error) {
      follower.close();
      throw error;
    }
  } catch (error) {
    release();
    throw error;
  }
  return async (sse) => {
    try {
      await streamApiRun({ engine: deps.engine, runId, told, prelude, follower, sse, heartbeatMs });
    } finally {
      follower.close();
      release();
    }
  };
}

async function streamApiRun({
  engine,
  runId,
  told: cursor,
  prelude,
  follower,
  sse,
  heartbeatMs,
}: {
  engine: TRunEngine;
  runId: string;
  told: TApiStreamCursor;
  prelude: { event: string; data: unknown }[];
  follower: TFollower;
  sse: TSseWriter;
  heartbeatMs: number;
}): Promise<void> {
  const told: TTold = { ...cursor, text: null };
  {
    // The reader's text is verified against the freshest text here; unverifiable, it gets the message again.
    const current = currentAnswer(engine, runId, follower.state.run, follower.state.message);
    if (cursor.messageId === null || cursor.isMessageDone) told.text = '';
    else if (current.messageId === cursor.messageId && current.text.length >= cursor.offset && hashText(current.text.slice(0, cursor.offset)) === cursor.hash) {
      told.text = current.text.slice(0, cursor.offset);
    } else told.messageId = null;
  }
  const id = () =>
    encodeApiStreamCursor({
      status: told.status,
      toolSteps: told.toolSteps,
      toolStepsDone: told.toolStepsDone,
      messageId: told.messageId,
      isMessageDone: told.isMessageDone,
      offset: told.text?.length ?? 0,
      hash: told.hash,
    });
  const send = (event: string, data: unknown) => sse.send({ event, data, id: id() });

  for (const event of prelude) send(event.event, event.data);

  const tellRun = (run: TRunRow) => {
    told.status = run.status;
    send(`thread.run.${run.status}`, toApiRunObject(run));
  };

  /** The answer the reader was told of is over: completed, or dropped before tool calls (incomplete). */
  const endMessage = (run: TRunRow, message: TMessageRow | null) => {
    if (told.messageId === null || told.isMessageDone) return;
    const messageId = told.messageId;
    const stored = message && message.id === messageId ? message : null;
    if (stored && stored.status !== 'in_progress') {
      const finalText = messageText(stored);
      if (told.text !== null && finalText.startsWith(told.text) && finalText.length > told.text.length) appendText(messageId, finalText);
      told.isMessageDone = true;
      send(`thread.message.${stored.status}`, toApiMessageObject({ ...stored, assistant_id: run.assistant_id ?? null }));
      const step = toMessageCreationStep(run, messageId, stored.status);
      send(`thread.run.step.${step.status}`, step);
      return;
    }
    // Not stored as an answer: the text was written before tool calls, which the engine drops (or the run ended
    // before anything was stored). The reader is told it ended incomplete.
    told.isMessageDone = true;
    send('thread.message.incomplete', {
      ...pendingMessage(run, messageId),
      status: 'incomplete',
      content: told.text ? [{ type: 'text', text: { value: told.text, annotations: [] } }] : [],
      incomplete_details: { reason: isTerminalRunStatus(run.status) ? `run_${run.status}` : 'run_tool_calls' },
    });
    const step = toMessageCreationStep(run, messageId, isTerminalRunStatus(run.status) ? null : 'completed');
    send(`thread.run.step.${step.status}`, step);
  };

  const appendText = (messageId: string, target: string) => {
    const value = target.slice(told.text?.length ?? 0);
    if (value === '') return;
    told.hash = hashText(value, told.hash);
    told.text = target;
    send('thread.message.delta', { id: messageId, object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { value, annotations: [] } }] } });
  };

  for (;;) {
    if (follower.gone) {
      send('error', openAiStreamError(follower.gone.code, follower.gone.message));
      return;
    }
    if (follower.failure) throw follower.failure;
    const { run, message } = follower.state;
    const isTerminal = isTerminalRunStatus(run.status);

    if (!isTerminal && run.status !== 'requires_action' && told.status !== run.status) tellRun(run);
    else if ((isTerminal || run.status === 'requires_action') && (told.status === null || told.status === 'queued') && run.started_at !== null) {
      // The run was executed between two reads of this stream (a fast model): it did pass through in_progress,
      // which SDK clients wait to hear of before its end.
      told.status = 'in_progress';
      send('thread.run.in_progress', toApiRunObject({ ...run, status: 'in_progress', required_action: null, completed_at: null, failed_at: null, cancelled_at: null }));
    }

    // Tool steps: rounds told in progress whose outputs came, then rounds not told yet.
    for (let index = told.toolStepsDone; index < told.toolSteps && run.tool_rounds[index]?.tool_outputs; index += 1) {
      told.toolStepsDone = index + 1;
      send('thread.run.step.completed', toToolCallsStep(run, index));
    }
    for (let index = told.toolSteps; index < run.tool_rounds.length; index += 1) {
      // Text the model wrote before asking for tools is not the answer (the engine dropped it).
      endMessage(run, message);
      told.toolSteps = index + 1;
      // As OpenAI streamed them: the step announced without its calls, which follow as a delta (the SDK's
      // toolCallCreated and toolCallDone events come from it).
      const step = toToolCallsStep(run, index);
      const announced = { ...step, status: 'in_progress', completed_at: null, step_details: { type: 'tool_calls', tool_calls: [] } };
      send('thread.run.step.created', announced);
      send('thread.run.step.in_progress', announced);
      const calls = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
      send('thread.run.step.delta', {
        id: step.id,
        object: 'thread.run.step.delta',
        delta: { step_details: { type: 'tool_calls', tool_calls: calls.map((call, callIndex) => ({ index: callIndex, ...call })) } },
      });
      if (step.status !== 'in_progress' && told.toolStepsDone === index) {
        told.toolStepsDone = index + 1;
        send(`thread.run.step.${step.status}`, step);
      }
    }

    // The answer: told of once, then its text as appends.
    const current = currentAnswer(engine, runId, run, message);
    if (current.messageId && current.messageId !== told.messageId) {
      endMessage(run, message);
      told.messageId = current.messageId;
      told.text = '';
      told.hash = hashText('');
      told.isMessageDone = false;
      const step = toMessageCreationStep(run, current.messageId, 'in_progress');
      const inProgress = { ...step, status: 'in_progress' as const, completed_at: null };
      send('thread.run.step.created', inProgress);
      send('thread.run.step.in_progress', inProgress);
      const created = { ...pendingMessage(run, current.messageId), ...(message?.id === current.messageId ? { created_at: toApiMessageObject(message).created_at } : {}) };
      send('thread.message.created', created);
      send('thread.message.in_progress', created);
    }
    if (told.messageId !== null && told.messageId === current.messageId && !told.isMessageDone && told.text !== null && current.text.startsWith(told.text)) {
      appendText(told.messageId, current.text);
    }

    if (run.status === 'requires_action') {
      if (told.status !== run.status) tellRun(run);
      sse.send({ event: 'done', data: '[DONE]', id: id() });
      return;
    }
    if (isTerminal) {
      endMessage(run, message);
      for (let index = told.toolStepsDone; index < told.toolSteps; index += 1) {
        const step = toToolCallsStep(run, index);
        told.toolStepsDone = index + 1;
        send(`thread.run.step.${step.status}`, step);
      }
      if (told.status !== run.status) tellRun(run);
      sse.send({ event: 'done', data: '[DONE]', id: id() });
      return;
    }

    if (sse.idleMs() >= heartbeatMs) sse.comment('ping');
    await follower.wait(Math.max(0, heartbeatMs - sse.idleMs()), sse.signal);
    if (sse.signal.aborted) return;
  }
}

/** The answer as it stands: an executor's live draft (ahead of the store) while the run goes on, else the stored one. */
function currentAnswer(engine: TRunEngine, runId: string, run: TRunRow, message: TMessageRow | null): { messageId: string | null; text: string } {
  const live = isTerminalRunStatus(run.status) ? undefined : engine.getLiveDraft(runId);
  if (live) return { messageId: live.messageId, text: live.text };
  if (message && (message.status !== 'in_progress' || !isTerminalRunStatus(run.status))) return { messageId: message.id, text: messageText(message) };
  return { messageId: null, text: '' };
}

/** The run's answer as it is announced (thread.message.created): in progress, its text to come in deltas. */
function pendingMessage(run: TRunRow, messageId: string) {
  return {
    id: messageId,
    object: 'thread.message' as const,
    created_at: Math.floor(Date.now() / 1000),
    thread_id: run.thread_id,
    status: 'in_progress' as const,
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
    role: 'assistant' as const,
    content: [],
    assistant_id: run.assistant_id ?? null,
    run_id: run.id,
    attachments: [],
    metadata: {},
  };
}
