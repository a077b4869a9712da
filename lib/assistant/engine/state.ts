import type { TRunRow } from '../../db/rows';
import type { TRunClaim } from '../../db/runs';
import type { TLiveDraft } from '../draft';
import type { TRunEvents } from '../streaming/events';
import type { TRunChannel } from '../streaming/run-channel';
import { isTerminalRunStatus } from '../../shared/runs';
import { metrics } from '../../telemetry';

// The engine's private in-memory state, and `transition`, the one way a change of a run is made and told.
// Nothing here leaves the engine's folder: ./index.ts builds it once and hands each part only the piece it uses.
//
// Contract:
//   - transition(runId, change): awaits one SQL transition and then, whatever its outcome, wakes the run's
//     followers: this process's at once (with the run row, when the change returned the run), other instances'
//     through the database's notifications (../streaming/run-channel.ts). No other code notifies of a transition.
//   - live drafts: the answer text this process's executor is writing, ahead of what is persisted; readers here
//     wake on each piece and other instances hear it. Once the step ends the database holds the text again.
//   - the rest is bookkeeping of what this process is doing now (steps executing, tool rounds dispatching,
//     model calls it may have to abort) and `shutdown`, aborted once by stop().

export type TTransition = <T>(runId: string, change: Promise<T>) => Promise<T>;

export function createTransition({ events, channel }: { events: Pick<TRunEvents, 'notify'>; channel: Pick<TRunChannel, 'publishRun'> }): TTransition {
  const ended = new Set<string>();
  return async function transition<T>(runId: string, change: Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      result = await change;
      const run = runOf(result, runId);
      // Runs by status, and how long from the question to the end (lib/telemetry): counted once per run in this
      // process (a later transition may return the ended run again: a claim that came too late).
      if (run && isTerminalRunStatus(run.status) && !ended.has(run.id)) {
        ended.add(run.id);
        if (ended.size > 1000) ended.delete(ended.values().next().value!);
        metrics.runEnded(run.status, secondsSince(run.created_at));
      }
      return result;
    } finally {
      events.notify(runId, 'run', runOf(result, runId));
      channel.publishRun(runId);
    }
  };
}

/** Seconds from a row's timestamp to now. */
export function secondsSince(timestamp: string): number {
  return Math.max(0, (Date.now() - Date.parse(timestamp)) / 1000);
}

/** The run row a transition returned (a row, or a claim's `{run}`), if it is the run's. */
function runOf(result: unknown, runId: string): TRunRow | undefined {
  const candidate = (result as { run?: unknown } | null | undefined)?.run ?? result;
  const row = candidate as Partial<TRunRow> | null | undefined;
  return row && typeof row === 'object' && row.id === runId && typeof row.status === 'string' ? (row as TRunRow) : undefined;
}

export type TLiveDrafts = {
  /** This process's executor has more answer text: readers here wake at once, other instances hear it. */
  write(runId: string, draft: TLiveDraft): void;
  /** The step ended and the database holds its outcome: readers here go back to it. */
  end(runId: string): void;
  /** The answer being written: by this process's executor, else by another instance's as heard. */
  get(runId: string): TLiveDraft | undefined;
};

export function createLiveDrafts({
  events,
  channel,
}: {
  events: Pick<TRunEvents, 'notify'>;
  channel: Pick<TRunChannel, 'publishText' | 'endText' | 'getRemoteDraft'>;
}): TLiveDrafts {
  const live = new Map<string, TLiveDraft>();
  return {
    write(runId, draft) {
      live.set(runId, draft);
      events.notify(runId, 'text');
      channel.publishText(runId, draft);
    },
    end(runId) {
      live.delete(runId);
      channel.endText(runId);
    },
    get: (runId) => live.get(runId) ?? channel.getRemoteDraft(runId),
  };
}

/** What this process is doing to runs now. */
export type TEngineState = {
  /** Runs a step of which this process is executing. */
  executing: Set<string>;
  /**
   * A run's next step, claimed for this process ahead (with the tool outputs that end the step executing now): it
   * starts as soon as that step's bookkeeping is done.
   */
  claimedNext: Map<string, TRunClaim>;
  /** Tool rounds (`runId:round`) this process is dispatching. */
  dispatching: Set<string>;
  /** The model call of each step executing here, to abort when the run stops being ours or on shutdown. */
  aborts: Map<string, AbortController>;
  /** Aborted by stop(): no new step, sweep or retention round starts. */
  shutdown: AbortController;
};

export function createEngineState(): TEngineState {
  return { executing: new Set(), claimedNext: new Map(), dispatching: new Set(), aborts: new Map(), shutdown: new AbortController() };
}
