import type { TMessageRow, TRunRow } from '../db/rows';
import { currentAnswer, openRunStream, verifiedPrefix, type TRunStreamDeps, type TRunStreamRenderer, type TRunStreamRequest } from '../assistant/streaming/run-stream';
import type { TFollower, TState } from '../assistant/streaming/run-watcher';
import type { TSseProducer, TSseWriter } from '../http/sse';
import { isTerminalRunStatus } from '../shared/runs';
import { messageText } from '../shared/messages';
import { hashText } from '../shared/stream-protocol';
import { openAiStreamError } from '../http/openai-errors';
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
// Opening, the shared watcher, heartbeats, caps and the freshest answer text are the plumbing every door shares
// (lib/assistant/streaming/run-stream.ts). What differs is the vocabulary: OpenAI's deltas only append, so text is sent as
// appends of a message the reader was told of.
//
// Every event has an id, a cursor of what the reader has been told (encodeApiStreamCursor). A reader that lost
// its connection resumes with it (Last-Event-ID, or ?cursor=) on GET /v1/threads/{tid}/runs/{rid}/events and
// gets what it lacks: statuses, steps and text it was not told, nothing twice.

/**
 * What the reader has been told (and, on a resume, says it has): its cursor, with the answer text it has in place
 * of the text's length; null when that text cannot be verified (it gets the message again).
 */
type TTold = Omit<TApiStreamCursor, 'offset'> & { text: string | null };

export const FRESH_TOLD: TApiStreamCursor = { status: null, toolSteps: 0, toolStepsDone: 0, messageId: null, isMessageDone: false, offset: 0, hash: hashText('') };

/**
 * Checks the caller may read the run (404 before anything is streamed), takes a stream slot and returns the
 * producer of its events. `told` is what the reader has (a cursor, or what the request that opens the stream
 * sends first: `prelude`). Opening moves the run along, as every read does: a queued run starts executing here.
 */
export async function openApiRunStream({
  told = FRESH_TOLD,
  prelude = [],
  ...request
}: TRunStreamRequest & { told?: TApiStreamCursor; prelude?: { event: string; data: unknown }[] }): Promise<TSseProducer> {
  return openRunStream({
    ...request,
    door: ({ follower, sse }) => renderApiEvents({ deps: request.deps, runId: request.runId, cursor: told, prelude, follower, sse }),
  });
}

/** How a stream tells its reader things, keeping `told` (and so each event's id) up to date. */
type TTeller = {
  told: TTold;
  send(event: string, data: unknown): void;
  tellRun(run: TRunRow): void;
  /** The answer the reader was told of is over: completed, or dropped before tool calls (incomplete). */
  endMessage(run: TRunRow, message: TMessageRow | null): void;
  appendText(messageId: string, target: string): void;
};

function renderApiEvents({
  deps,
  runId,
  cursor,
  prelude,
  follower,
  sse,
}: {
  deps: TRunStreamDeps;
  runId: string;
  cursor: TApiStreamCursor;
  prelude: { event: string; data: unknown }[];
  follower: TFollower;
  sse: TSseWriter;
}): TRunStreamRenderer {
  const told: TTold = { ...cursor, text: null };
  // The reader's text is verified against the freshest text here; unverifiable, it gets the message again.
  const current = apiAnswer(deps, runId, follower.state);
  if (cursor.messageId === null || cursor.isMessageDone) told.text = '';
  else if (current.messageId === cursor.messageId && verifiedPrefix(current.text, cursor.offset, cursor.hash) !== null) {
    told.text = current.text.slice(0, cursor.offset);
  } else told.messageId = null;

  const teller = createTeller(told, sse);
  for (const event of prelude) teller.send(event.event, event.data);

  return {
    render: () => renderState(teller, apiAnswer(deps, runId, follower.state), follower.state),
    tellGone: (gone) => teller.send('error', openAiStreamError(gone.code, gone.message)),
  };
}

/** Tells what the reader lacks of the run's state; true once the stream is over (requires_action, or the end). */
function renderState(teller: TTeller, current: { messageId: string | null; text: string }, { run, message }: TState): boolean {
  const { told, send } = teller;
  const isTerminal = isTerminalRunStatus(run.status);

  if (!isTerminal && run.status !== 'requires_action' && told.status !== run.status) teller.tellRun(run);
  else if ((isTerminal || run.status === 'requires_action') && (told.status === null || told.status === 'queued') && run.started_at !== null) {
    // The run was executed between two reads of this stream (a fast model): it did pass through in_progress,
    // which SDK clients wait to hear of before its end.
    told.status = 'in_progress';
    send('thread.run.in_progress', toApiRunObject({ ...run, status: 'in_progress', required_action: null, completed_at: null, failed_at: null, cancelled_at: null }));
  }

  tellToolSteps(teller, run, message);
  tellAnswer(teller, current, run, message);

  if (run.status === 'requires_action') {
    if (told.status !== run.status) teller.tellRun(run);
    send('done', '[DONE]');
    return true;
  }
  if (isTerminal) {
    teller.endMessage(run, message);
    for (let index = told.toolStepsDone; index < told.toolSteps; index += 1) {
      const step = toToolCallsStep(run, index);
      told.toolStepsDone = index + 1;
      send(`thread.run.step.${step.status}`, step);
    }
    if (told.status !== run.status) teller.tellRun(run);
    send('done', '[DONE]');
    return true;
  }
  return false;
}

/** Tool steps: rounds told in progress whose outputs came, then rounds not told yet. */
function tellToolSteps(teller: TTeller, run: TRunRow, message: TMessageRow | null): void {
  const { told, send } = teller;
  for (let index = told.toolStepsDone; index < told.toolSteps && run.tool_rounds[index]?.tool_outputs; index += 1) {
    told.toolStepsDone = index + 1;
    send('thread.run.step.completed', toToolCallsStep(run, index));
  }
  for (let index = told.toolSteps; index < run.tool_rounds.length; index += 1) {
    // Text the model wrote before asking for tools is not the answer (the engine dropped it).
    teller.endMessage(run, message);
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
}

/** The answer: told of once (its step and message created), then its text as appends. */
function tellAnswer(teller: TTeller, current: { messageId: string | null; text: string }, run: TRunRow, message: TMessageRow | null): void {
  const { told, send } = teller;
  if (current.messageId && current.messageId !== told.messageId) {
    teller.endMessage(run, message);
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
    teller.appendText(told.messageId, current.text);
  }
}

function createTeller(told: TTold, sse: TSseWriter): TTeller {
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

  const appendText = (messageId: string, target: string) => {
    const value = target.slice(told.text?.length ?? 0);
    if (value === '') return;
    told.hash = hashText(value, told.hash);
    told.text = target;
    send('thread.message.delta', { id: messageId, object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { value, annotations: [] } }] } });
  };

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

  const tellRun = (run: TRunRow) => {
    told.status = run.status;
    send(`thread.run.${run.status}`, toApiRunObject(run));
  };

  return { told, send, tellRun, endMessage, appendText };
}

/**
 * The answer as the reader is told of it: the freshest text (lib/assistant/streaming/run-stream.ts), except that an answer
 * still marked in progress when the run ended was never finished, so there is none.
 */
function apiAnswer(deps: TRunStreamDeps, runId: string, state: TState): { messageId: string | null; text: string } {
  const current = currentAnswer(deps.engine, runId, state);
  if (!current.isLive && state.message?.status === 'in_progress' && isTerminalRunStatus(state.run.status)) return { messageId: null, text: '' };
  return current;
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
