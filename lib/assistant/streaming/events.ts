import { EventEmitter } from 'node:events';
import type { TRunRow } from '../../db/rows';

// In-process notification that a run changed, so waiters on this instance wake at once instead of at their
// next 500 ms check. The run engine also feeds it what other instances announce over the database's
// notifications (LISTEN/NOTIFY on Postgres), so with Postgres a change anywhere wakes waiters here.
//
// Two kinds of change: `run` (its status or required action changed: read it again from the database) and
// `text` (its executor here has more answer text, readable from the run engine's live draft without a database read).

export type TRunChange = 'run' | 'text';
export type TRunWake = { isRun: boolean; isText: boolean };

/**
 * Changes to one run, noted from the moment of subscribing: a change that happens while the subscriber is
 * busy (reading the database, writing to a socket) is not lost, the next `wait` returns at once.
 */
export type TRunSubscription = {
  wait(timeoutMs: number, signal?: AbortSignal): Promise<TRunWake>;
  close(): void;
};

export type TRunEvents = {
  /** `run`: the run as the change left it, when the notifier knows it (this process's own transitions). */
  notify(runId: string, change?: TRunChange, run?: TRunRow): void;
  /** Every run followed in this process changed (notifications may have been missed). */
  notifyAll(change?: TRunChange): void;
  subscribe(runId: string, options?: { isTextIgnored?: boolean }): TRunSubscription;
  /** Calls `listener` on each change of the run until the returned function is called (a push subscription). */
  on(runId: string, listener: (change: TRunChange, run?: TRunRow) => void): () => void;
  /** Whether anyone in this process follows the run. */
  isFollowed(runId: string): boolean;
};

export function createRunEvents(): TRunEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    notify(runId, change = 'run', run) {
      emitter.emit(runId, change, run);
    },
    notifyAll(change = 'run') {
      for (const runId of emitter.eventNames()) emitter.emit(runId, change);
    },
    subscribe(runId, { isTextIgnored = false } = {}) {
      const wakes = createWakeBox();
      const onChange = (change: TRunChange) => {
        if (change === 'text' && isTextIgnored) return;
        wakes.add(change === 'run' ? { isRun: true, isText: false } : { isRun: false, isText: true });
      };
      emitter.on(runId, onChange);
      return {
        wait: (timeoutMs, signal) => wakes.wait(timeoutMs, signal),
        close() {
          emitter.off(runId, onChange);
          wakes.interrupt();
        },
      };
    },
    on(runId, listener) {
      emitter.on(runId, listener);
      return () => {
        emitter.off(runId, listener);
      };
    },
    isFollowed: (runId) => emitter.listenerCount(runId) > 0,
  };
}

/**
 * Wake-ups noted while nobody waits, handed to the next wait: `wait` returns at once when one is pending (or
 * `isDue` says so, or `signal` is aborted), else at the next wake-up, at `timeoutMs`, on abort or interrupt —
 * with what was noted meanwhile, which it clears. One waiter at a time.
 */
export type TWakeBox = {
  add(wake: TRunWake): void;
  wait(timeoutMs: number, signal?: AbortSignal, isDue?: () => boolean): Promise<TRunWake>;
  /** Ends the wait in progress, if any (its subscription is closing). */
  interrupt(): void;
};

export function createWakeBox(): TWakeBox {
  let pending: TRunWake = { isRun: false, isText: false };
  let wake: (() => void) | undefined;
  const take = (): TRunWake => {
    const seen = pending;
    pending = { isRun: false, isText: false };
    return seen;
  };
  return {
    add(next) {
      pending = { isRun: pending.isRun || next.isRun, isText: pending.isText || next.isText };
      wake?.();
    },
    wait(timeoutMs, signal, isDue) {
      if (pending.isRun || pending.isText || signal?.aborted || isDue?.()) return Promise.resolve(take());
      return new Promise<TRunWake>((resolve) => {
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
    interrupt: () => wake?.(),
  };
}
