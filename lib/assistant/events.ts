import { EventEmitter } from 'node:events';

// In-process notification that a run changed, so waiters on this instance wake at once instead of at their
// next 500 ms check. Changes made by other instances are still seen by that check.
export type TRunEvents = {
  notify(runId: string): void;
  waitForChange(runId: string, timeoutMs: number): Promise<void>;
};

export function createRunEvents(): TRunEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    notify(runId) {
      emitter.emit(runId);
    },
    waitForChange(runId, timeoutMs) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off(runId, done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, timeoutMs));
        emitter.on(runId, done);
      });
    },
  };
}
