import type { TMessageRow, TRunRow } from '../../db/rows';
import { getRunStreamStateById, listRunStreamStatesByIds } from '../../db/runs';
import type { TDb } from '../../db/types';
import { AppError, isAppError } from '../../errors';
import type { TLogger } from '../../log';
import { isTerminalRunStatus } from '../../shared/runs';
import type { TRunEngine } from '../engine';
import { createWakeBox, type TRunChange, type TRunWake } from './events';
import { createStreamSlots, type TStreamSlots } from './stream-slots';

// The one subscription of a process's run event streams, whichever door they are (the site's, /v1's): one
// watcher per run engine, which
//   - follows each watched run once, however many streams read it, through the run engine's changes: `text`
//     when an executor has more answer text (this process's, or another instance's as heard over the database's
//     notifications; sent from memory, the engine's live draft, without a database read), `run` when the run
//     changed (here, or on another instance that said so);
//   - reads the database in one query for all the runs it must read (get_run_stream_states): those that
//     changed, soon after the change, and every run it watches at least every pollMs (500 ms), for changes no
//     notification told of; that query returns only the runs whose state differs from what it holds;
//   - moves each run a read changed along, as GET run does (tool calls, stalled runs);
//   - holds the process's stream slots (./stream-slots.ts).
// A stream follows a run (a TFollower): it sees the run's latest state and is woken when it may have changed.

/**
 * How long after this process's own transition (which told the new status with the run row) the read that confirms
 * it waits. A run's step makes its transitions a few milliseconds apart (tool calls recorded, outputs submitted,
 * the next step claimed), each followed by the executor's next query; on the single-threaded embedded store a read
 * between them queues ahead of that query and adds to what the reader waits for the answer. Later, one read confirms
 * them all while the model is working. Changes told without a row (other instances', the end of a run) are read at once.
 */
const CONFIRM_DELAY_MS = 50;

/** The statuses this process's own transitions move a run through at once (a tool round dispatched and claimed). */
const PASSED_STATUSES = new Set<string>(['requires_action', 'queued']);

/** How many recent `passed` statuses a run's watcher keeps for streams that lag behind its reads. */
const PASSED_LOG_SIZE = 8;

/** `passed`: a status the run was read in before this read moved it on (requires_action, dispatched at once). */
export type TState = { run: TRunRow; message: TMessageRow | null; passed: TRunRow | null };

/** What the watcher needs: the store, the engine that moves runs and tells of changes, the poll period. */
export type TWatcherDeps = { db: TDb; engine: Pick<TRunEngine, 'advanceRun' | 'watch'>; pollMs: number; log?: TLogger };

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
  wait(timeoutMs: number, signal?: AbortSignal): Promise<TRunWake>;
  close(): void;
};

export type TRunWatcher = TStreamSlots & {
  follow(runId: string, owner: string): TFollower;
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
  followers: Set<(wake: TRunWake) => void>;
  unwatch: () => void;
};

const watchers = new WeakMap<TWatcherDeps['engine'], TRunWatcher>();

/** The process's one watcher (one per run engine), created on first use. */
export function getRunWatcher(deps: TWatcherDeps): TRunWatcher {
  let watcher = watchers.get(deps.engine);
  if (!watcher) {
    watcher = createRunWatcher(deps);
    watchers.set(deps.engine, watcher);
  }
  return watcher;
}

/** Reads the run and its answer, and moves the run along as every reader does (tool calls, stalled runs). */
export async function readStateAndAdvance({ deps, owner, threadId, runId }: { deps: Pick<TWatcherDeps, 'db' | 'engine'>; owner: string; threadId: string; runId: string }): Promise<TState> {
  const state = await getRunStreamStateById({ db: deps.db, owner, threadId, runId });
  const run = await deps.engine.advanceRun({ owner, run: state.run });
  return { run, message: state.message, passed: run.status === state.run.status ? null : state.run };
}

export function createRunWatcher({ db, engine, pollMs, log }: TWatcherDeps): TRunWatcher {
  const watched = new Map<string, TWatched>();
  let reads = 0;
  let isAllDue = false;
  let reading: Promise<void> | undefined;
  let isReadAgain = false;
  let soon: ReturnType<typeof setImmediate> | undefined;
  let later: ReturnType<typeof setTimeout> | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;

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
      setState(entry, { run, message: change.message, passed });
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

  /** The read that confirms this process's own transitions, CONFIRM_DELAY_MS after the first of them. */
  const readLater = () => {
    if (later) return;
    later = setTimeout(() => {
      later = undefined;
      runReads();
    }, CONFIRM_DELAY_MS);
    later.unref?.();
  };

  /** A change of a watched run, as the engine tells it (`run`: the run as this process's transition left it). */
  const onChange = (entry: TWatched, change: TRunChange, run: TRunRow | undefined) => {
    if (change === 'text') {
      // A reader sees the status change (the claim) before the text that follows it: while the read
      // that the change asked for is pending, the text waits for it (that read's wake-up carries it).
      if (!entry.isDirty && !entry.isReading) wakeAll(entry, { isRun: false, isText: true });
      return;
    }
    if (run && entry.state && !isTerminalRunStatus(run.status) && !isOlder(run, entry.state.run)) {
      // This process's own transition, which returned the run: its streams see the new status now,
      // without waiting for a read (a read confirms it: the answer message may have changed too).
      // The executor dispatches its tool calls at once, and claims the next step in the same round trip as the
      // outputs: requires_action, then queued, may be over before a stream looks, so each is kept as passed, as a
      // read that moved the run on keeps it.
      const previous = entry.state.run;
      const passed = PASSED_STATUSES.has(previous.status) && run.status !== previous.status ? previous : null;
      setState(entry, { run, message: entry.state.message, passed });
      wakeAll(entry, { isRun: true, isText: false });
      entry.isConfirming = true;
      readLater();
      return;
    }
    entry.isDirty = true;
    entry.isConfirming = true;
    readSoon();
  };

  const watch = (runId: string, owner: string): TWatched => {
    const existing = watched.get(runId);
    if (existing) return existing;
    const entry = newWatched(runId, owner);
    entry.unwatch = engine.watch(runId, (change, run) => onChange(entry, change, run));
    watched.set(runId, entry);
    tick ??= setInterval(() => {
      isAllDue = true;
      runReads();
    }, pollMs);
    tick.unref?.();
    return entry;
  };

  const unwatch = (entry: TWatched) => {
    if (entry.followers.size > 0 || watched.get(entry.runId) !== entry) return;
    entry.unwatch();
    watched.delete(entry.runId);
    if (watched.size > 0 || !tick) return;
    clearInterval(tick);
    tick = undefined;
  };

  return {
    follow: (runId, owner) => createFollower(watch(runId, owner), unwatch),
    ...createStreamSlots(),
    stats: () => ({ runs: watched.size, followers: [...watched.values()].reduce((sum, entry) => sum + entry.followers.size, 0), reads }),
  };
}

function newWatched(runId: string, owner: string): TWatched {
  return {
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
}

function wakeAll(entry: TWatched, wake: TRunWake): void {
  for (const follower of entry.followers) follower(wake);
}

/** A new state of the run, read from the store: the run's streams see it at their next look. */
function setState(entry: TWatched, state: TState): void {
  entry.state = state;
  entry.seq += 1;
  if (state.passed) entry.passedLog = [...entry.passedLog.slice(-(PASSED_LOG_SIZE - 1)), { seq: entry.seq, run: state.passed }];
}

/** One stream's follower of a watched run; `onClose` is told when it stops following (the last one unwatches). */
function createFollower(entry: TWatched, onClose: (entry: TWatched) => void): TFollower {
  const wakes = createWakeBox();
  const onWake = (wake: TRunWake) => wakes.add(wake);
  entry.followers.add(onWake);
  let isClosed = false;
  return {
    get state() {
      return entry.state as TState;
    },
    get seq() {
      return entry.seq;
    },
    get gone() {
      return entry.gone;
    },
    get failure() {
      return entry.failure;
    },
    seed(state) {
      // As fresh as anything the watcher holds: the other streams of the run take it too.
      if (entry.state && isOlder(state.run, entry.state.run)) return;
      setState(entry, state);
    },
    passedSince(afterSeq) {
      return entry.passedLog.filter((logged) => logged.seq > afterSeq).map((logged) => logged.run);
    },
    wait: (timeoutMs, signal) => wakes.wait(timeoutMs, signal, () => Boolean(entry.gone || entry.failure)),
    close() {
      if (isClosed) return;
      isClosed = true;
      entry.followers.delete(onWake);
      wakes.interrupt();
      onClose(entry);
    },
  };
}

/** Whether `run` is an earlier state of the run than `than` (by updated_at, which every transition sets). */
export function isOlder(run: TRunRow, than: TRunRow): boolean {
  const at = Date.parse(String(run.updated_at));
  const thanAt = Date.parse(String(than.updated_at));
  return Number.isFinite(at) && Number.isFinite(thanAt) && at < thanAt;
}
