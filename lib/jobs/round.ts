
// The round: the in-process loop every background job runs on (crawl and other source syncs, the digest, the
// sweeper, retention, Slack's outbox and answers' inbox).
//
// Contract: one round at a time per process; the next starts `everyMs` after the last ended (± `jitter` of it, so
// that instances started together do not act in lockstep), or after the delay the round itself returns; `kick()`
// asks for one soon (a kick during a round runs another right after it); no round starts before `holdMs()` (a
// rate limit the remote set). A round that throws is logged and the next is scheduled anyway (after
// `failureDelayMs`, else the usual delay). After stop() no round starts, and stop() resolves once the round in
// progress ended. Timers are unref'd: a loop never keeps the process alive.

/** What a job logs through (the app's logger satisfies it). */
export type TJobLog = { warn(fields: Record<string, unknown>, message: string): void };

export type TRound = {
  start(): void;
  /** Asks for a round soon (something was just queued, or another instance said so). */
  kick(): void;
  /** Ends the rounds; resolves once the one in progress ended. */
  stop(): Promise<void>;
  readonly isRunning: boolean;
};

export type TRoundOptions = {
  /** The job's name, in the log. */
  name: string;
  /** What the log says when a round throws (default: "<name>: round failed"). */
  failureMessage?: string;
  log: TJobLog;
  /** One round; may resolve to the delay before the next (else `everyMs`, with jitter). */
  round: () => Promise<number | void>;
  everyMs: number;
  /** The first round's delay after start() (default: `everyMs`, with jitter). */
  firstDelayMs?: number;
  /** ± this fraction of `everyMs` (0.25: 75–125 %). Default 0. */
  jitter?: number;
  /** The delay after a round that threw (default: as after any round). */
  failureDelayMs?: number;
  /** No round before this many milliseconds from now (default 0). */
  holdMs?: () => number;
};

export function createRound({ name, failureMessage, log, round, everyMs, firstDelayMs, jitter = 0, failureDelayMs, holdMs = () => 0 }: TRoundOptions): TRound {
  let isRunning = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let isKicked = false;

  const usualDelayMs = () => everyMs * (1 - jitter + Math.random() * 2 * jitter);

  function schedule(delayMs: number) {
    if (!isRunning) return;
    clearTimeout(timer);
    timer = setTimeout(runRound, Math.max(0, delayMs));
    timer.unref?.();
  }

  function runRound() {
    timer = undefined;
    if (!isRunning || current) return;
    isKicked = false;
    current = (async () => {
      let nextMs: number;
      try {
        const asked = await round();
        nextMs = typeof asked === 'number' ? asked : usualDelayMs();
      } catch (error) {
        log.warn({ err: error, job: name }, failureMessage ?? `${name}: round failed`);
        nextMs = failureDelayMs ?? usualDelayMs();
      }
      current = undefined;
      schedule(Math.max(isKicked ? 0 : nextMs, holdMs()));
    })();
  }

  return {
    start() {
      if (isRunning) return;
      isRunning = true;
      schedule(Math.max(firstDelayMs ?? usualDelayMs(), holdMs()));
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
