import {
  claimDiscordInteractionBatch,
  pruneDiscordInteractions,
  releaseDiscordInteractionLeasesOfOtherWorkers,
  renewDiscordInteractionLeaseById,
  retryDiscordInteractionById,
  type TDiscordInteractionRow,
} from '../db/discord';
import { createRound, createWake, jitteredBackoffMs } from '../jobs';
import { driveInteraction, isDiscordStepError, UPDATE_INTERVAL_MS, type TDiscordAnswersDeps } from './answer';
import { isDiscordApiError } from './client';

// The Discord inbox's worker, one per process, on the pattern of the Slack answers' (lib/slack/answers/worker.ts):
// every round claims the interactions that are due (each the oldest of its channel, under a lease, so that of
// many instances exactly one works a row at a time) and drives each one (./answer.ts) while renewing its lease.
// A row that fails is handed back with backoff (Discord down or rate limited: its retry_after; the database; a
// thread still busy) until its token expires (15 minutes): after that Discord takes no more edits.

export const DISCORD_ANSWERS_CHANNEL = 'pa_discord_answers';

export type TDiscordAnswersOptions = {
  concurrency: number;
  pollMs: number;
  leaseSeconds: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** The interaction token's life: a row failing past it is failed for good. */
  maxAgeSeconds: number;
  updateIntervalMs: number;
};

export const DEFAULT_DISCORD_ANSWERS_OPTIONS: TDiscordAnswersOptions = {
  concurrency: 20,
  pollMs: 2000,
  leaseSeconds: 30,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  maxAgeSeconds: 15 * 60,
  updateIntervalMs: UPDATE_INTERVAL_MS,
};

export type TDiscordAnswers = {
  /** A row was recorded (here or, with Postgres, on another instance): claim soon. */
  wake(): void;
  /** Starts the rounds. `isSoleProcess` (the embedded store): rows still leased were a previous process's. */
  start(options?: { isSoleProcess?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** One round, waiting for every row it claimed to be settled (tests and scripts). Returns how many it claimed. */
  drainOnce(): Promise<number>;
};

export const NO_DISCORD_ANSWERS: TDiscordAnswers = { wake: () => {}, start: async () => {}, stop: async () => {}, drainOnce: async () => 0 };

const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_DAYS = 14;

export function createDiscordAnswers({
  deps,
  workerId,
  options: overrides = {},
}: {
  deps: TDiscordAnswersDeps;
  workerId: string;
  options?: Partial<TDiscordAnswersOptions>;
}): TDiscordAnswers {
  const options = { ...DEFAULT_DISCORD_ANSWERS_OPTIONS, ...overrides };
  const { db, log } = deps;
  const active = new Map<string, Promise<void>>();
  const leases = new Map<string, AbortController>();
  let pausedUntil = 0;
  const rateLimit = {
    isPaused: () => Date.now() < pausedUntil,
    pauseFor: (ms: number) => {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
  };
  let lastPruneAt = 0;
  let stopListening: (() => void) | undefined;

  const backoffMs = (attempts: number) => jitteredBackoffMs(attempts, { baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs });

  async function settleFailure(row: TDiscordInteractionRow, error: unknown): Promise<void> {
    const fields = { interactionId: row.id, attempts: row.attempts };
    if (isDiscordStepError(error) && error.delayMs === null) return log.info(fields, 'discord: another worker took over a question');
    const reason = error instanceof Error ? error.message : String(error);
    // Discord refuses for good (the token expired, the message is gone): nothing to retry.
    const isPermanent = isDiscordApiError(error) && error.failure === 'permanent';
    const delayMs = isDiscordStepError(error)
      ? (error.delayMs ?? options.backoffBaseMs)
      : isDiscordApiError(error) && error.retryAfterMs !== null
        ? error.retryAfterMs
        : backoffMs(row.attempts);
    const status = await retryDiscordInteractionById({ db, id: row.id, worker: workerId, delayMs, error: reason, maxAgeSeconds: isPermanent ? 0 : options.maxAgeSeconds });
    if (status === 'failed') log.error({ ...fields, reason }, 'discord: a question could not be answered');
    else log.warn({ ...fields, reason, retryInMs: delayMs }, 'discord: a question step failed, will retry');
  }

  /** Drives one claimed row to its end or its next retry, renewing its lease meanwhile. Never throws. */
  function drive(row: TDiscordInteractionRow): Promise<void> {
    const lease = new AbortController();
    leases.set(row.id, lease);
    const renew = setInterval(() => {
      renewDiscordInteractionLeaseById({ db, id: row.id, worker: workerId, leaseSeconds: options.leaseSeconds })
        .then((isRenewed) => {
          if (!isRenewed) lease.abort();
        })
        .catch((error: unknown) => log.warn({ err: error, interactionId: row.id }, 'discord: could not renew a question lease'));
    }, (options.leaseSeconds * 1000) / 3);
    renew.unref?.();
    const context = { deps, worker: workerId, lease: lease.signal, rateLimit, updateIntervalMs: options.updateIntervalMs };
    const task = driveInteraction(context, row)
      .catch((error: unknown) =>
        settleFailure(row, error).catch((settleError: unknown) => log.warn({ err: settleError, interactionId: row.id }, 'discord: could not hand a question back')),
      )
      .finally(() => {
        clearInterval(renew);
        leases.delete(row.id);
        active.delete(row.id);
        // A settled row may let the next question of its channel go.
        loop.kick();
      });
    active.set(row.id, task);
    return task;
  }

  async function claimRound(): Promise<TDiscordInteractionRow[]> {
    const room = options.concurrency - active.size;
    if (room <= 0) return [];
    const rows = await claimDiscordInteractionBatch({ db, worker: workerId, limit: room, leaseSeconds: options.leaseSeconds });
    if (Date.now() - lastPruneAt > PRUNE_EVERY_MS) {
      lastPruneAt = Date.now();
      await pruneDiscordInteractions({ db, keepDays: KEEP_DAYS }).catch((error: unknown) => log.warn({ err: error }, 'discord: could not prune the inbox'));
    }
    return rows.filter((row) => !active.has(row.id));
  }

  const loop = createRound({
    name: 'discord inbox',
    log,
    everyMs: options.pollMs,
    firstDelayMs: 0,
    failureMessage: 'discord: inbox round failed',
    async round() {
      for (const row of await claimRound()) void drive(row);
      return options.pollMs;
    },
  });
  const wakes = createWake({ db, channel: DISCORD_ANSWERS_CHANNEL, worker: workerId, kick: () => loop.kick() });

  return {
    wake: () => wakes.wake(),
    async start({ isSoleProcess = false } = {}) {
      if (loop.isRunning) return;
      if (isSoleProcess) await releaseDiscordInteractionLeasesOfOtherWorkers({ db, worker: workerId });
      stopListening = wakes.listen();
      loop.start();
    },
    async stop() {
      stopListening?.();
      for (const lease of leases.values()) lease.abort();
      await loop.stop();
      await Promise.allSettled([...active.values()]);
    },
    async drainOnce() {
      const rows = await claimRound();
      await Promise.all(rows.map((row) => drive(row)));
      return rows.length;
    },
  };
}
