import type { TMessageRow, TRunRow } from '../db/rows';
import { getRunStreamStateById, listRunStreamStatesByIds } from '../db/runs';
import type { TDb } from '../db/types';
import { AppError, errorBody, isAppError } from '../errors';
import type { TLogger } from '../log';
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

// The run's event stream (wire format: ../shared/stream-protocol.ts). All the streams of a process are served
// by one watcher (createRunWatcher, one per run engine):
//   - it follows each watched run once, however many streams read it, through the run engine's changes: `text`
//     when an executor has more answer text (this process's, or another instance's as heard over the database's
//     notifications; sent from memory, the engine's live draft, without a database read), `run` when the run
//     changed (here, or on another instance that said so);
//   - it reads the database in one query for all the runs it must read (get_run_stream_states): those that
//     changed, soon after the change, and every run it watches at least every pollMs (500 ms), for changes no
//     notification told of; that query returns only the runs whose state differs from what it holds;
//   - each read that changed a run also moves it along as GET run does (tool calls, stalled runs).
// Each stream remembers the text its reader has, and sends only the difference, so that a reconnecting reader
// (cursor) gets exactly what it lacks. The persisted text is the source of truth: after a restart, or when the
// run ends, the reader converges on what the database holds.

export const HEARTBEAT_MS = 15_000;
/** How many recent `passed` statuses a run's watcher keeps for streams that lag behind its reads. */
const PASSED_LOG_SIZE = 8;
/** Retry-After of a stream refused for too many open streams: streams end with their runs, usually soon. */
export const STREAM_LIMIT_RETRY_SECONDS = 5;

/** `passed`: a status the run was read in before this read moved it on (requires_action, dispatched at once). */
export type TState = { run: TRunRow; message: TMessageRow | null; passed: TRunRow | null };

/** What the event stream needs: the store, the engine that moves runs and tells of changes, the poll period. */
export type TEventStreamDeps = { db: TDb; engine: TRunEngine; pollMs: number; log?: TLogger };

export type TStreamClient = { sessionId: string; ip: string };
export type TStreamLimits = { streamsPerSession: number; streamsPerIp: number };

/**
 * Checks the caller may read the run (404 otherwise: thrown before anything is streamed), takes one of the
 * caller's stream slots (429 with Retry-After when its session or address has too many open) and returns the
 * producer of its events.
 */
export async function openRunEventStream({
  deps,
  owner,
  threadId,
  runId,
  cursor,
  heartbeatMs = HEARTBEAT_MS,
  client,
  limits,
}: {
  deps: TEventStreamDeps;
  owner: string;
  threadId: string;
  runId: string;
  cursor: TStreamCursor | null;
  heartbeatMs?: number;
  client?: TStreamClient;
  limits?: TStreamLimits;
}): Promise<TSseProducer> {
  const watcher = getRunWatcher(deps);
  const release = client && limits ? watcher.admit(client, limits) : () => {};
  let follower: TFollower;
  let startSeq = 0;
  try {
    // Followed before the first read, so that no change between that read and the first wait is missed.
    follower = watcher.follow(runId, owner);
    try {
      follower.seed(await readStateAndAdvance({ deps, owner, threadId, runId }));
      // The stream tells what its own read and later reads saw, not what the run passed through before.
      startSeq = follower.seq - 1;
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
      await streamRun({ deps, runId, cursor, follower, startSeq, sse, heartbeatMs });
    } finally {
      follower.close();
      release();
    }
  };
}

/** Reads the run and its answer, and moves the run along as every reader does (tool calls, stalled runs). */
export async function readStateAndAdvance({ deps, owner, threadId, runId }: { deps: TEventStreamDeps; owner: string; threadId: string; runId: string }): Promise<TState> {
  const state = await getRunStreamStateById({ db: deps.db, owner, threadId, runId });
  const run = await deps.engine.advanceRun({ owner, run: state.run });
  return { run, message: state.message, passed: run.status === state.run.status ? null : state.run };
}

type TWake = { isRun: boolean; isText: boolean };

/** One stream's view of a watched run: the run's shared state, and wake-ups from the moment it followed. */
export type TFollower = {
  /** The run's state as last read (by this stream's first read or the watcher), and its sequence number. */
  readonly state: TState;
  readonly seq: number;
  /** Statuses the run passed through (read, then moved on at once) in states after `afterSeq`, oldest first. */
  passedSince(afterSeq: number): TRunRow[];
  /** The run is gone for readers (its thread was deleted): the stream says so and ends. */
  readonly gone: AppError | null;
  /** Why the watcher could not read the run (a database failure), if it could not. */
  readonly failure: unknown;
  /** The state this stream read itself when it opened (the run's other streams get it too). */
  seed(state: TState): void;
  wait(timeoutMs: number, signal?: AbortSignal): Promise<TWake>;
  close(): void;
};

export type TRunWatcher = {
  follow(runId: string, owner: string): TFollower;
  /** Takes a stream slot for the client, or throws 429; the returned function gives it back (once). */
  admit(client: TStreamClient, limits: TStreamLimits): () => void;
  /** Figures for benches and tests: runs watched, open followers, database reads made. */
  stats(): { runs: number; followers: number; reads: number };
};

type TWatched = {
  runId: string;
  owner: string;
  state: TState | null;
  seq: number;
  /** The recent states that had a `passed` status, by sequence number: a stream that lags sees each one. */
  passedLog: { seq: number; run: TRunRow }[];
  version: string | null;
  gone: AppError | null;
  /** The shared read failed: the run's streams end with an error (their readers reconnect). */
  failure: unknown;
  /** A change was told of and the read that follows it has not finished: text waits for it (status first). */
  isDirty: boolean;
  isReading: boolean;
  /** A transition here told the new state; a read soon confirms it (without holding text back). */
  isConfirming: boolean;
  followers: Set<(wake: TWake) => void>;
  unwatch: () => void;
};

const watchers = new WeakMap<TRunEngine, TRunWatcher>();

/** The process's one watcher (one per run engine), created on first use. */
export function getRunWatcher(deps: TEventStreamDeps): TRunWatcher {
  let watcher = watchers.get(deps.engine);
  if (!watcher) {
    watcher = createRunWatcher(deps);
    watchers.set(deps.engine, watcher);
  }
  return watcher;
}

export function createRunWatcher({ db, engine, pollMs, log }: TEventStreamDeps): TRunWatcher {
  const watched = new Map<string, TWatched>();
  const perSession = new Map<string, number>();
  const perIp = new Map<string, number>();
  let reads = 0;
  let isAllDue = false;
  let reading: Promise<void> | undefined;
  let isReadAgain = false;
  let soon: ReturnType<typeof setImmediate> | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;

  const wakeAll = (entry: TWatched, wake: TWake) => {
    for (const follower of entry.followers) follower(wake);
  };

  /** Reads now the runs marked dirty (or all of them, on a tick), in one query; one read at a time. */
  const read = async (): Promise<void> => {
    const isAll = isAllDue;
    isAllDue = false;
    const due = [...watched.values()].filter((entry) => isAll || entry.isDirty || entry.isConfirming);
    if (due.length === 0) return;
    for (const entry of due) {
      entry.isReading = entry.isReading || entry.isDirty;
      entry.isDirty = false;
      entry.isConfirming = false;
    }
    try {
      await readDue(due, isAll);
    } finally {
      for (const entry of due) entry.isReading = false;
    }
  };

  const readDue = async (due: TWatched[], isAll: boolean): Promise<void> => {
    reads += 1;
    let changes: Awaited<ReturnType<typeof listRunStreamStatesByIds>>;
    try {
      changes = await listRunStreamStatesByIds({ db, runs: due.map((entry) => ({ id: entry.runId, version: entry.version })) });
    } catch (error) {
      // The streams that needed this read end with an error event; their readers reconnect (and read afresh).
      for (const entry of due) {
        entry.failure = error;
        wakeAll(entry, { isRun: true, isText: false });
      }
      throw error;
    }
    const changed = new Set<string>();
    for (const change of changes) {
      const entry = watched.get(change.id);
      if (!entry) continue;
      changed.add(change.id);
      if (change.is_missing) {
        entry.gone = new AppError('not_found', `No run found with id ${change.id}`);
        continue;
      }
      entry.version = change.version;
      // A read that started before a transition here finished may return the run as it was before it: the
      // streams never go back to an older state of the run.
      if (entry.state && isOlder(change.run, entry.state.run)) continue;
      let run = change.run;
      let passed: TRunRow | null = null;
      try {
        run = await engine.advanceRun({ owner: entry.owner, run: change.run });
        if (run.status !== change.run.status) passed = change.run;
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) log?.warn({ err: error, runId: change.id }, 'could not move a watched run along');
      }
      entry.state = { run, message: change.message, passed };
      entry.seq += 1;
      if (passed) entry.passedLog = [...entry.passedLog.slice(-(PASSED_LOG_SIZE - 1)), { seq: entry.seq, run: passed }];
    }
    for (const entry of due) {
      // A run marked dirty was told of a change: its streams look again even if the store shows none yet
      // (what changed may be an executor's live draft, now gone), text included.
      if (changed.has(entry.runId) || !isAll || entry.isReading) wakeAll(entry, { isRun: true, isText: true });
    }
  };

  const runReads = () => {
    if (reading) {
      isReadAgain = true;
      return;
    }
    reading = read()
      .catch((error: unknown) => log?.warn({ err: error }, 'event streams: shared read failed'))
      .finally(() => {
        reading = undefined;
        if (isReadAgain) {
          isReadAgain = false;
          runReads();
        }
      });
  };

  const readSoon = () => {
    // A change made here is usually followed at once by the executor's next query (a claim after a dispatch,
    // say); letting it go first keeps this read off the run's critical path.
    soon ??= setImmediate(() => {
      soon = undefined;
      runReads();
    });
  };

  const startTicking = () => {
    tick ??= setInterval(() => {
      isAllDue = true;
      runReads();
    }, pollMs);
    tick.unref?.();
  };

  const stopTickingIfIdle = () => {
    if (watched.size > 0 || !tick) return;
    clearInterval(tick);
    tick = undefined;
  };

  return {
    follow(runId, owner) {
      let entry = watched.get(runId);
      if (!entry) {
        const created: TWatched = {
          runId,
          owner,
          state: null,
          seq: 0,
          passedLog: [],
          version: null,
          gone: null,
          failure: undefined,
          isDirty: false,
          isReading: false,
          isConfirming: false,
          followers: new Set(),
          unwatch: () => {},
        };
        created.unwatch = engine.watch(runId, (change, run) => {
          if (change === 'text') {
            // A reader sees the status change (the claim) before the text that follows it: while the read
            // that the change asked for is pending, the text waits for it (that read's wake-up carries it).
            if (!created.isDirty && !created.isReading) wakeAll(created, { isRun: false, isText: true });
            return;
          }
          if (run && created.state && !isTerminalRunStatus(run.status) && !isOlder(run, created.state.run)) {
            // This process's own transition, which returned the run: its streams see the new status now,
            // without waiting for a read (a read confirms it: the answer message may have changed too).
            created.state = { run, message: created.state.message, passed: null };
            created.seq += 1;
            wakeAll(created, { isRun: true, isText: false });
          } else {
            created.isDirty = true;
          }
          created.isConfirming = true;
          readSoon();
        });
        watched.set(runId, created);
        entry = created;
        startTicking();
      }
      const current = entry;
      let pending: TWake = { isRun: false, isText: false };
      let wake: (() => void) | undefined;
      const onWake = (next: TWake) => {
        pending = { isRun: pending.isRun || next.isRun, isText: pending.isText || next.isText };
        wake?.();
      };
      current.followers.add(onWake);
      let isClosed = false;
      return {
        get state() {
          return current.state as TState;
        },
        get seq() {
          return current.seq;
        },
        get gone() {
          return current.gone;
        },
        get failure() {
          return current.failure;
        },
        seed(state) {
          // As fresh as anything the watcher holds: the other streams of the run take it too.
          if (current.state && isOlder(state.run, current.state.run)) return;
          current.state = state;
          current.seq += 1;
          if (state.passed) current.passedLog = [...current.passedLog.slice(-(PASSED_LOG_SIZE - 1)), { seq: current.seq, run: state.passed }];
        },
        passedSince(afterSeq) {
          return current.passedLog.filter((entry) => entry.seq > afterSeq).map((entry) => entry.run);
        },
        wait(timeoutMs, signal) {
          const take = (): TWake => {
            const seen = pending;
            pending = { isRun: false, isText: false };
            return seen;
          };
          if (pending.isRun || pending.isText || signal?.aborted || current.gone || current.failure) return Promise.resolve(take());
          return new Promise<TWake>((resolve) => {
            const finish = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', finish);
              wake = undefined;
              resolve(take());
            };
            const timer = setTimeout(finish, Math.max(0, timeoutMs));
            signal?.addEventListener('abort', finish, { once: true });
            wake = finish;
          });
        },
        close() {
          if (isClosed) return;
          isClosed = true;
          current.followers.delete(onWake);
          wake?.();
          if (current.followers.size === 0 && watched.get(runId) === current) {
            current.unwatch();
            watched.delete(runId);
            stopTickingIfIdle();
          }
        },
      };
    },
    admit({ sessionId, ip }, { streamsPerSession, streamsPerIp }) {
      const bySession = perSession.get(sessionId) ?? 0;
      const byIp = perIp.get(ip) ?? 0;
      if (bySession >= streamsPerSession || byIp >= streamsPerIp) {
        throw new AppError('rate_limited', 'Too many open event streams. Close one, or follow this run by polling it.', {
          headers: { 'Retry-After': String(STREAM_LIMIT_RETRY_SECONDS) },
          detail: { limit: bySession >= streamsPerSession ? 'streams_per_session' : 'streams_per_ip' },
        });
      }
      perSession.set(sessionId, bySession + 1);
      perIp.set(ip, byIp + 1);
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        const session = (perSession.get(sessionId) ?? 1) - 1;
        const address = (perIp.get(ip) ?? 1) - 1;
        if (session > 0) perSession.set(sessionId, session);
        else perSession.delete(sessionId);
        if (address > 0) perIp.set(ip, address);
        else perIp.delete(ip);
      };
    },
    stats: () => ({ runs: watched.size, followers: [...watched.values()].reduce((sum, entry) => sum + entry.followers.size, 0), reads }),
  };
}

async function streamRun({
  deps,
  runId,
  cursor,
  follower,
  startSeq,
  sse,
  heartbeatMs,
}: {
  deps: TEventStreamDeps;
  runId: string;
  cursor: TStreamCursor | null;
  follower: TFollower;
  startSeq: number;
  sse: TSseWriter;
  heartbeatMs: number;
}): Promise<void> {
  const { engine } = deps;
  // What the reader has: its text (null: unknown, so the next delta replaces from offset 0), its hash, the
  // run status it has seen.
  let status = cursor?.status ?? null;
  let text: string | null = cursor === null || cursor.offset === 0 ? '' : null;
  let hash = hashText('');
  if (cursor !== null && cursor.offset > 0) {
    // The reader's text is verified against the freshest text here: what an executor has written (it may be
    // ahead of the database) or what is stored.
    const best = currentText(engine, runId, follower.state).text;
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

  // The state sequence number this stream last looked at: a status the run `passed` through is told once.
  let seenSeq = startSeq;
  // When the state whose status was told last was written (its updated_at).
  let toldAt = -Infinity;
  for (;;) {
    if (follower.gone) {
      // The run is gone for this reader (its thread was deleted): say so and end.
      sse.send({ event: ERROR_EVENT, data: errorBody(follower.gone.code, follower.gone.message) });
      return;
    }
    // Thrown to the writer, which tells the reader with an error event (lib/sse.ts); its EventSource reconnects.
    if (follower.failure) throw follower.failure;
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
      toldAt = Date.parse(String(run.updated_at));
      sse.send({ event: runEventName(run.status), id: id(), data: toRunObject(run) });
    }
    // While the run goes on, a stored text that is only behind what the reader has (a read that raced an
    // executor, or the text dropped at a tool call) is not sent: it would shrink text that comes back.
    if (current.isLive || text === null || !text.startsWith(current.text)) sendText(current.text, current.messageId);

    if (sse.idleMs() >= heartbeatMs) sse.comment('ping');
    await follower.wait(Math.max(0, heartbeatMs - sse.idleMs()), sse.signal);
    if (sse.signal.aborted) return;
  }
}

/** Whether `run` is an earlier state of the run than `than` (by updated_at, which every transition sets). */
function isOlder(run: TRunRow, than: TRunRow): boolean {
  const at = Date.parse(String(run.updated_at));
  const thanAt = Date.parse(String(than.updated_at));
  return Number.isFinite(at) && Number.isFinite(thanAt) && at < thanAt;
}

/** The freshest answer text: an executor's live draft (ahead of the store) while the run goes on, else the stored one. */
function currentText(engine: TRunEngine, runId: string, state: TState): { text: string; messageId: string | null; isLive: boolean } {
  const live = isTerminalRunStatus(state.run.status) ? undefined : engine.getLiveDraft(runId);
  if (live) return { text: live.text, messageId: live.messageId, isLive: true };
  return { text: messageText(state.message), messageId: state.message?.id ?? null, isLive: false };
}
