import { errorBody } from '../../errors';
import type { TSseProducer, TSseWriter } from '../../http/sse';
import { isTerminalRunStatus } from '../../shared/runs';
import { commonPrefixLength } from '../draft';
import type { TRunRow } from '../../db/rows';
import { toMessageObject, toRunObject } from '../objects';
import { researchStepsOf } from '../research-steps';
import { currentAnswer, openRunStream, verifiedPrefix, type TRunStreamDeps, type TRunStreamRenderer, type TRunStreamRequest } from './run-stream';
import type { TFollower } from './run-watcher';
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
} from '../../shared/stream-protocol';

// The site's event stream of a run (GET /api/paste-assistant-thread/[tid]/run/[rid]/events; wire format:
// ../../shared/stream-protocol.ts): the run's statuses as `thread.run.<status>` with the run object, the answer's
// text as `thread.message.delta` events that replace the text from an offset, the answer's end, then `done`.
// Opening, the shared watcher, heartbeats and caps are the plumbing every door shares (./run-stream.ts).
//
// Each stream remembers the text its reader has, and sends only the difference, so that a reconnecting reader
// (cursor: the status it saw, and an offset and hash of its text) gets exactly what it lacks. The persisted text
// is the source of truth: after a restart, or when the run ends, the reader converges on what the database holds.

/**
 * Checks the caller may read the run (404 otherwise: thrown before anything is streamed), takes one of the
 * caller's stream slots (429 with Retry-After when its session or address has too many open) and returns the
 * producer of its events.
 */
export async function openRunEventStream({ cursor, ...request }: TRunStreamRequest & { cursor: TStreamCursor | null }): Promise<TSseProducer> {
  return openRunStream({
    ...request,
    // The stream tells what its own read and later reads saw, not what the run passed through before.
    door: ({ follower, sse, seededSeq }) => renderSiteEvents({ deps: request.deps, runId: request.runId, cursor, follower, sse, startSeq: seededSeq - 1 }),
  });
}

/** What a run's research steps are, to tell when they changed ('' for a run that is no research run). */
function researchStepsKey(run: TRunRow): string {
  const steps = researchStepsOf(run);
  return steps ? JSON.stringify(steps) : '';
}

function renderSiteEvents({
  deps,
  runId,
  cursor,
  follower,
  sse,
  startSeq,
}: {
  deps: TRunStreamDeps;
  runId: string;
  cursor: TStreamCursor | null;
  follower: TFollower;
  sse: TSseWriter;
  startSeq: number;
}): TRunStreamRenderer {
  const { engine } = deps;
  // What the reader has: its text (null: unknown, so the next delta replaces from offset 0), its hash, the
  // run status it has seen.
  let status = cursor?.status ?? null;
  let text: string | null = cursor === null || cursor.offset === 0 ? '' : null;
  let hash = hashText('');
  if (cursor !== null && cursor.offset > 0) {
    // The reader's text is verified against the freshest text here: what an executor has written (it may be
    // ahead of the database) or what is stored.
    const verified = verifiedPrefix(currentAnswer(engine, runId, follower.state).text, cursor.offset, cursor.hash);
    if (verified !== null) {
      text = verified;
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

  // The state sequence number this stream last looked at: a status the run `passed` through is told once.
  let seenSeq = startSeq;
  // When the state whose status was told last was written (its updated_at).
  let toldAt = -Infinity;
  // The research steps this stream told last (researchStepsKey).
  let toldSteps = '';

  const render = (): boolean => {
    const state = follower.state;
    const { run, message } = state;
    for (const passed of follower.passedSince(seenSeq)) {
      // A status already told (this process's transition told it before the read that logged it) is not repeated.
      if (status === passed.status || Date.parse(String(passed.updated_at)) <= toldAt) continue;
      status = passed.status;
      toldAt = Date.parse(String(passed.updated_at));
      sse.send({ event: runEventName(passed.status), id: id(), data: toRunObject(passed) });
    }
    seenSeq = follower.seq;
    const current = currentAnswer(engine, runId, state);
    if (isTerminalRunStatus(run.status)) {
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
      return true;
    }
    // A research run's steps (issue 71) are told as they happen: the run object again, under its status, when its
    // steps changed since this stream last told it.
    const steps = researchStepsKey(run);
    if (status !== run.status || steps !== toldSteps) {
      status = run.status;
      toldAt = Date.parse(String(run.updated_at));
      toldSteps = steps;
      sse.send({ event: runEventName(run.status), id: id(), data: toRunObject(run) });
    }
    // While the run goes on, a stored text that is only behind what the reader has (a read that raced an
    // executor, or the text dropped at a tool call) is not sent: it would shrink text that comes back.
    if (current.isLive || text === null || !text.startsWith(current.text)) sendText(current.text, current.messageId);
    return false;
  };

  return {
    render,
    // The run is gone for this reader (its thread was deleted): say so and end.
    tellGone: (gone) => sse.send({ event: ERROR_EVENT, data: errorBody(gone.code, gone.message) }),
  };
}
