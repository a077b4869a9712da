import type { TMessageRow, TRunRow } from '../db/rows';
import { getRunStreamStateById } from '../db/runs';
import type { TDb } from '../db/types';
import { errorBody, isAppError } from '../errors';
import type { TSseProducer, TSseWriter } from '../sse';
import { isTerminalRunStatus } from '../shared/runs';
import { messageText } from '../shared/messages';
import { commonPrefixLength } from './draft';
import type { TRunEngine } from './engine';
import { toMessageObject, toRunObject } from './objects';
import {
  buildTextDelta,
  DELTA_EVENT,
  DONE_EVENT,
  encodeCursor,
  ERROR_EVENT,
  hashText,
  MESSAGE_COMPLETED_EVENT,
  MESSAGE_INCOMPLETE_EVENT,
  runEventName,
  type TStreamCursor,
} from '../shared/stream-protocol';

// The run's event stream (wire format: ./stream-protocol.ts). One loop per reader:
//   - it wakes on the run engine's notifications: `text` when the executor here has more answer text (sent
//     from memory, the engine's live draft, without a database read), `run` when this process changed the run;
//   - it reads the database at least every pollMs (500 ms), for changes made by other instances, and on every
//     `run` notification; each read also moves the run along as GET run does (tool calls, stalled runs);
//   - it remembers the text the reader has, and sends only the difference, so that a reconnecting reader
//     (cursor) gets exactly what it lacks. The persisted text is the source of truth: after a restart, or
//     when the run ends, the reader converges on what the database holds.

export const HEARTBEAT_MS = 15_000;

/** `passed`: a status the run was read in before this read moved it on (requires_action, dispatched at once). */
type TState = { run: TRunRow; message: TMessageRow | null; passed: TRunRow | null };

/** What the event stream needs: the store, the engine that moves runs and tells of changes, the poll period. */
export type TEventStreamDeps = { db: TDb; engine: TRunEngine; pollMs: number };

/**
 * Checks the caller may read the run (404 otherwise: thrown before anything is streamed) and returns the
 * producer of its events.
 */
export async function openRunEventStream({
  deps,
  owner,
  threadId,
  runId,
  cursor,
  heartbeatMs = HEARTBEAT_MS,
}: {
  deps: TEventStreamDeps;
  owner: string;
  threadId: string;
  runId: string;
  cursor: TStreamCursor | null;
  heartbeatMs?: number;
}): Promise<TSseProducer> {
  // Subscribed before the first read, so that no change between that read and the first wait is missed.
  const changes = deps.engine.subscribe(runId);
  let first: TState;
  try {
    first = await readStateAndAdvance({ deps, owner, threadId, runId });
  } catch (error) {
    changes.close();
    throw error;
  }
  return async (sse) => {
    try {
      await streamRun({ deps, owner, threadId, runId, cursor, first, sse, heartbeatMs, wait: (ms) => changes.wait(ms, sse.signal) });
    } finally {
      changes.close();
    }
  };
}

/** Reads the run and its answer, and moves the run along as every reader does (tool calls, stalled runs). */
async function readStateAndAdvance({ deps, owner, threadId, runId }: { deps: TEventStreamDeps; owner: string; threadId: string; runId: string }): Promise<TState> {
  const state = await getRunStreamStateById({ db: deps.db, owner, threadId, runId });
  const run = await deps.engine.advanceRun({ owner, run: state.run });
  return { run, message: state.message, passed: run.status === state.run.status ? null : state.run };
}

async function streamRun({
  deps,
  owner,
  threadId,
  runId,
  cursor,
  first,
  sse,
  heartbeatMs,
  wait,
}: {
  deps: TEventStreamDeps;
  owner: string;
  threadId: string;
  runId: string;
  cursor: TStreamCursor | null;
  first: TState;
  sse: TSseWriter;
  heartbeatMs: number;
  wait: (ms: number) => Promise<{ isRun: boolean; isText: boolean }>;
}): Promise<void> {
  const { pollMs, engine } = deps;
  let state = first;
  let lastReadAt = performance.now();
  // What the reader has: its text (null: unknown, so the next delta replaces from offset 0), its hash, the
  // run status it has seen.
  let status = cursor?.status ?? null;
  let text: string | null = cursor === null || cursor.offset === 0 ? '' : null;
  let hash = hashText('');
  if (cursor !== null && cursor.offset > 0) {
    // The reader's text is verified against the freshest text here: what this process's executor has written
    // (it may be ahead of the database) or what is stored.
    const best = currentText(engine, runId, state).text;
    if (best.length >= cursor.offset && hashText(best.slice(0, cursor.offset)) === cursor.hash) {
      text = best.slice(0, cursor.offset);
      hash = cursor.hash;
    }
  }
  const id = () => encodeCursor({ status, offset: text?.length ?? 0, hash });

  const sendText = (target: string, messageId: string | null) => {
    if (text === target) return;
    const offset = text === null ? 0 : commonPrefixLength(text, target);
    const value = target.slice(offset);
    hash = text !== null && offset === text.length ? hashText(value, hash) : hashText(target);
    text = target;
    sse.send({ event: DELTA_EVENT, id: id(), data: buildTextDelta({ messageId, runId, offset, value }) });
  };

  for (;;) {
    const { run, message, passed } = state;
    if (passed && status !== passed.status) {
      status = passed.status;
      sse.send({ event: runEventName(passed.status), id: id(), data: toRunObject(passed) });
    }
    const isTerminal = isTerminalRunStatus(run.status);
    const current = currentText(engine, runId, state);
    if (isTerminal) {
      sendText(current.text, current.messageId);
      if (message && message.status !== 'in_progress' && status !== run.status) {
        const event = message.status === 'completed' ? MESSAGE_COMPLETED_EVENT : MESSAGE_INCOMPLETE_EVENT;
        sse.send({ event, id: id(), data: toMessageObject(message) });
      }
      if (status !== run.status) {
        status = run.status;
        sse.send({ event: runEventName(run.status), id: id(), data: toRunObject(run) });
      }
      sse.send({ event: DONE_EVENT, id: id(), data: '[DONE]' });
      return;
    }
    if (status !== run.status) {
      status = run.status;
      sse.send({ event: runEventName(run.status), id: id(), data: toRunObject(run) });
    }
    // While the run goes on, a stored text that is only behind what the reader has (a read that raced this
    // process's executor, or the text dropped at a tool call) is not sent: it would shrink text that comes back.
    if (current.isLive || text === null || !text.startsWith(current.text)) sendText(current.text, current.messageId);

    if (sse.idleMs() >= heartbeatMs) sse.comment('ping');
    const sinceRead = performance.now() - lastReadAt;
    const wake = await wait(Math.max(0, Math.min(pollMs - sinceRead, heartbeatMs - sse.idleMs())));
    if (sse.signal.aborted) return;
    if (wake.isRun || performance.now() - lastReadAt >= pollMs) {
      // A change made here is usually followed at once by the executor's next query (a claim after a
      // dispatch, say); letting it go first keeps this read off the run's critical path.
      if (wake.isRun) await new Promise((resolve) => setImmediate(resolve));
      try {
        state = await readStateAndAdvance({ deps, owner, threadId, runId });
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) throw error;
        // The run is gone for this reader (its thread was deleted): say so and end.
        sse.send({ event: ERROR_EVENT, data: errorBody(error.code, error.message) });
        return;
      }
      lastReadAt = performance.now();
    }
  }
}

/** The freshest answer text: this process's executor's (ahead of the store) while the run goes on, else the stored one. */
function currentText(engine: TRunEngine, runId: string, state: TState): { text: string; messageId: string | null; isLive: boolean } {
  const live = isTerminalRunStatus(state.run.status) ? undefined : engine.getLiveDraft(runId);
  if (live) return { text: live.text, messageId: live.messageId, isLive: true };
  return { text: messageText(state.message), messageId: state.message?.id ?? null, isLive: false };
}
