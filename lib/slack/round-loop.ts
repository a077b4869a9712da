import type { TLogger } from '../log';

// The in-process loop of Slack's delivery workers (the outbox, the answers' inbox): one round at a time, the next
// after the delay the round asks for, or at once when kicked (a kick during a round runs another right after it),
// never before `holdMs()` (a rate limit Slack set for the workspace). Timers do not keep the process alive.

export type TRoundLoop = {
  start(): void;
  /** Asks for a round soon (something was just queued). */
  kick(): void;
  /** Ends the rounds; waits for the one in progress. */
  stop(): Promise<void>;
  readonly isRunning: boolean;
};

export function createRoundLoop({
  round,
  holdMs,
  log,
  failure,
}: {
  /** One round; resolves to how long to wait before the next one. */
  round: () => Promise<number>;
  holdMs: () => number;
  log: TLogger;
  /** What the log says when a round throws (it is then tried again after `fallbackMs`). */
  failure: { message: string; fallbackMs: number };
}): TRoundLoop {
  let isRunning = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let isKicked = false;

  function schedule(delayMs: number) {
    if (!isRunning) return;
    clearTimeout(timer);
    timer = setTimeout(runRound, delayMs);
    timer.unref?.();
  }

  function runRound() {
    timer = undefined;
    if (!isRunning || current) return;
    isKicked = false;
    current = (async () => {
      let nextMs = failure.fallbackMs;
      try {
        nextMs = await round();
      } catch (error) {
        log.warn({ err: error }, failure.message);
      }
      current = undefined;
      schedule(Math.max(isKicked ? 0 : nextMs, holdMs()));
    })();
  }

  return {
    start() {
      if (isRunning) return;
      isRunning = true;
      schedule(0);
    },
    kick() {
      if (!isRunning) return;
      if (current) {
        isKicked = true;
        return;
      }
      schedule(holdMs());
    },
    async stop() {
      isRunning = false;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
    get isRunning() {
      return isRunning;
    },
  };
}
