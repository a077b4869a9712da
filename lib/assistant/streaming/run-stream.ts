import type { AppError } from '../../errors';
import type { TSseProducer, TSseWriter } from '../../http/sse';
import { messageText } from '../../shared/messages';
import { isTerminalRunStatus } from '../../shared/runs';
import { hashText } from '../../shared/stream-protocol';
import { continuingTrace, withSpan } from '../../telemetry';
import type { TRunEngine } from '../engine';
import { getRunWatcher, readStateAndAdvance, type TFollower, type TState, type TWatcherDeps } from './run-watcher';
import type { TStreamClient, TStreamLimits } from './stream-slots';

// What every door's event stream of a run shares (the site's: ./events-stream.ts; /v1's: lib/v1/stream.ts), so
// that a door writes only its own vocabulary — event names, shapes, what its cursor holds:
//   - opening: the caller's stream slot (429 past the door's caps, ./stream-slots.ts), then the caller's request
//     limits where the door leaves them to the stream, the run followed through the process's one watcher
//     (./run-watcher.ts) before the first read, and that read a 404 before anything is streamed;
//   - the loop: each time the run may have changed, the door renders what its reader lacks; in between, a
//     heartbeat comment at least every heartbeatMs; the stream ends when the door says so, the reader leaves,
//     the run is gone (the door tells it), or the watcher's read failed (an error event; the reader reconnects);
//   - replay: the freshest answer text (an executor's live draft, ahead of the store, else the stored answer),
//     against which a resuming reader's cursor (an offset and a hash of the text it has) is verified.

/** A comment at least this often keeps proxies and the reader from taking a quiet stream for a dead one. */
export const STREAM_HEARTBEAT_MS = 15_000;

/** What a door's stream needs: the store, the engine that moves runs and tells of changes, the poll period. */
export type TRunStreamDeps = { db: TWatcherDeps['db']; engine: Pick<TRunEngine, 'advanceRun' | 'watch' | 'getLiveDraft'>; pollMs: number; log?: TWatcherDeps['log'] };

/** A door's rendering of one stream, made when the stream starts (it may write a prelude then). */
export type TRunStreamRenderer = {
  /** Tells the reader what it lacks of the run's current state; true once the stream is over. */
  render(): boolean;
  /** The run is gone for this reader (its thread was deleted): say so; the stream ends. */
  tellGone(error: AppError): void;
};

export type TRunStreamDoor = (stream: {
  follower: TFollower;
  sse: TSseWriter;
  /** The state sequence number right after this stream's own first read. */
  seededSeq: number;
}) => TRunStreamRenderer;

/** Which run a stream follows, for whom, under which caps. */
export type TRunStreamRequest = {
  deps: TRunStreamDeps;
  owner: string;
  threadId: string;
  runId: string;
  /** The caller and the door's caps on its open streams; callers outside HTTP have neither. */
  client?: TStreamClient;
  limits?: TStreamLimits;
  /**
   * The caller's request limits, taken once a stream slot is free (the route leaves them to the stream): a
   * stream refused for too many open then costs no database write, as a refused request costs no token.
   */
  takeRequestLimits?: () => Promise<void>;
  heartbeatMs?: number;
};

/**
 * Checks the caller may read the run (404 otherwise: thrown before anything is streamed), takes one of the
 * caller's stream slots (429 with Retry-After when its session or address has too many open) and returns the
 * producer of its events, rendered by `door`. Opening moves the run along, as every read does.
 */
export async function openRunStream({
  deps,
  owner,
  threadId,
  runId,
  client,
  limits,
  takeRequestLimits,
  heartbeatMs = STREAM_HEARTBEAT_MS,
  door,
}: TRunStreamRequest & { door: TRunStreamDoor }): Promise<TSseProducer> {
  const watcher = getRunWatcher(deps);
  const release = client && limits ? watcher.admit(client, limits) : () => {};
  let follower: TFollower;
  let seededSeq = 0;
  try {
    await takeRequestLimits?.();
    // Followed before the first read, so that no change between that read and the first wait is missed.
    follower = watcher.follow(runId, owner);
    try {
      follower.seed(await readStateAndAdvance({ deps, owner, threadId, runId }));
      seededSeq = follower.seq;
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
      // A stream nobody reads (a HEAD request's: lib/http/sse.ts cancelEventStream) only gives back what opening took.
      if (sse.signal.aborted) return;
      // The stream to the reader is part of the question's trace (the one the run recorded when it was queued), though
      // the reader's own request opened it; each links to the other (lib/telemetry continuingTrace).
      await withSpan(
        'stream to reader',
        { 'pa.run.id': runId },
        () => followRun({ follower, sse, heartbeatMs, renderer: door({ follower, sse, seededSeq }) }),
        continuingTrace(follower.state.run.options?.traceparent),
      );
    } finally {
      follower.close();
      release();
    }
  };
}

async function followRun({ follower, sse, heartbeatMs, renderer }: { follower: TFollower; sse: TSseWriter; heartbeatMs: number; renderer: TRunStreamRenderer }): Promise<void> {
  for (;;) {
    if (follower.gone) {
      renderer.tellGone(follower.gone);
      return;
    }
    // Thrown to the writer, which tells the reader with an error event (lib/http/sse.ts); its EventSource reconnects.
    if (follower.failure) throw follower.failure;
    if (renderer.render()) return;
    if (sse.idleMs() >= heartbeatMs) sse.comment('ping');
    await follower.wait(Math.max(0, heartbeatMs - sse.idleMs()), sse.signal);
    if (sse.signal.aborted) return;
  }
}

/** The answer as it stands: an executor's live draft (ahead of the store) while the run goes on, else the stored one. */
export function currentAnswer(
  engine: Pick<TRunEngine, 'getLiveDraft'>,
  runId: string,
  { run, message }: Pick<TState, 'run' | 'message'>,
): { text: string; messageId: string | null; isLive: boolean } {
  const live = isTerminalRunStatus(run.status) ? undefined : engine.getLiveDraft(runId);
  if (live) return { text: live.text, messageId: live.messageId, isLive: true };
  return { text: messageText(message), messageId: message?.id ?? null, isLive: false };
}

/** The first `offset` units of `text`, if they are what a resuming reader says it has (`hash`); else null. */
export function verifiedPrefix(text: string, offset: number, hash: number): string | null {
  return text.length >= offset && hashText(text.slice(0, offset)) === hash ? text.slice(0, offset) : null;
}

