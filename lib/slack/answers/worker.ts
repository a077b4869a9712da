import {
  claimSlackInboxBatch,
  pruneSlackInbox,
  releaseSlackInboxLeasesOfOtherWorkers,
  renewSlackInboxLeaseById,
  retrySlackInboxById,
  type TSlackInboxRow,
} from '../../db/slack-answers';
import { classifySlackError } from '../client';
import { createRound, createWake, jitteredBackoffMs } from '../../jobs';
import { driveInboxRow, isInboxStepError, UPDATE_INTERVAL_MS, type TSlackAnswersDeps } from './answer';

// The answers' inbox worker, one per process: every round claims the inbox rows that are due (each the oldest
// of its Slack thread, under a lease, so that of many instances exactly one works a row at a time) and drives
// each one (./answer.ts) while renewing its lease. A row that fails is handed back with backoff: Slack down or
// rate limited (Slack's Retry-After), the database, a thread still busy. Woken at once by a new row, in this
// process or (Postgres) another's; else it looks every pollMs for retries that came due and rows whose worker died.

export const SLACK_ANSWERS_CHANNEL = 'pa_slack_answers';

export type TSlackAnswersOptions = {
  /** Rows driven at once by this process. */
  concurrency: number;
  pollMs: number;
  leaseSeconds: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A row still failing after this long is failed for good (a day-old answer is noise). */
  maxAgeSeconds: number;
  updateIntervalMs: number;
};

export const DEFAULT_SLACK_ANSWERS_OPTIONS: TSlackAnswersOptions = {
  concurrency: 20,
  pollMs: 2000,
  leaseSeconds: 30,
  backoffBaseMs: 1000,
  backoffMaxMs: 5 * 60_000,
  maxAgeSeconds: 86_400,
  updateIntervalMs: UPDATE_INTERVAL_MS,
};

export type TSlackAnswers = {
  /** A row was recorded (here or, with Postgres, on another instance): claim soon. */
  wake(): void;
  /** Starts the rounds. `isSoleProcess` (the embedded store): rows still leased were a previous process's. */
  start(options?: { isSoleProcess?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** One round, waiting for every row it claimed to be settled (tests and scripts). Returns how many it claimed. */
  drainOnce(): Promise<number>;
};

const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_DAYS = 14;

export function createSlackAnswers({
  deps,
  workerId,
  options: overrides = {},
}: {
  deps: TSlackAnswersDeps;
  workerId: string;
  options?: Partial<TSlackAnswersOptions>;
}): TSlackAnswers {
  const options = { ...DEFAULT_SLACK_ANSWERS_OPTIONS, ...overrides };
  const { db, log } = deps;
  const active = new Map<number, Promise<void>>();
  const leases = new Map<number, AbortController>();
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

  async function settleFailure(row: TSlackInboxRow, error: unknown): Promise<void> {
    const fields = { inboxId: row.id, attempts: row.attempts };
    if (isInboxStepError(error) && error.delayMs === null) return log.info(fields, 'slack: another worker took over a question');
    let delayMs: number;
    let reason: string;
    if (isInboxStepError(error)) {
      delayMs = error.delayMs ?? options.backoffBaseMs;
      reason = error.message;
    } else {
      const failure = classifySlackError(error);
      const isSlack = (error as { code?: unknown }).code !== undefined && String((error as { code: unknown }).code).startsWith('slack_');
      reason = isSlack ? failure.reason : error instanceof Error ? error.message : String(error);
      if (isSlack && failure.type === 'permanent') {
        // Slack refuses this reply for good (the app left the channel, the thread is gone): nothing to retry.
        await retrySlackInboxById({ db, id: row.id, worker: workerId, delayMs: 0, error: reason, maxAgeSeconds: 0 });
        return log.error({ ...fields, reason }, 'slack: a question could not be answered: Slack refused the reply');
      }
      delayMs = failure.type === 'rate_limited' ? failure.retryAfterMs : backoffMs(row.attempts);
    }
    const status = await retrySlackInboxById({ db, id: row.id, worker: workerId, delayMs, error: reason, maxAgeSeconds: options.maxAgeSeconds });
    if (status === 'failed') log.error({ ...fields, reason }, 'slack: gave up on a question after retrying it for too long');
    else log.warn({ ...fields, reason, retryInMs: delayMs }, 'slack: a question step failed, will retry');
  }

  /** Drives one claimed row to its end or its next retry, renewing its lease meanwhile. Never throws. */
  function drive(row: TSlackInboxRow): Promise<void> {
    const lease = new AbortController();
    leases.set(row.id, lease);
    const renew = setInterval(() => {
      renewSlackInboxLeaseById({ db, id: row.id, worker: workerId, leaseSeconds: options.leaseSeconds })
        .then((isRenewed) => {
          if (!isRenewed) lease.abort();
        })
        .catch((error: unknown) => log.warn({ err: error, inboxId: row.id }, 'slack: could not renew a question lease'));
    }, (options.leaseSeconds * 1000) / 3);
    renew.unref?.();
    const context = { deps, worker: workerId, lease: lease.signal, rateLimit, updateIntervalMs: options.updateIntervalMs };
    const task = driveInboxRow(context, row)
      .catch((error: unknown) =>
        settleFailure(row, error).catch((settleError: unknown) => log.warn({ err: settleError, inboxId: row.id }, 'slack: could not hand a question back')),
      )
      .finally(() => {
        clearInterval(renew);
        leases.delete(row.id);
        active.delete(row.id);
        // A settled row may let the next question of its thread go.
        kick();
      });
    active.set(row.id, task);
    return task;
  }

  async function claimRound(): Promise<TSlackInboxRow[]> {
    const room = options.concurrency - active.size;
    if (room <= 0 || rateLimit.isPaused()) return [];
    const rows = await claimSlackInboxBatch({ db, worker: workerId, limit: room, leaseSeconds: options.leaseSeconds });
    if (Date.now() - lastPruneAt > PRUNE_EVERY_MS) {
      lastPruneAt = Date.now();
      await pruneSlackInbox({ db, keepDays: KEEP_DAYS }).catch((error: unknown) => log.warn({ err: error }, 'slack: could not prune the inbox'));
    }
    return rows.filter((row) => !active.has(row.id));
  }

  const loop = createRound({
    name: 'slack inbox',
    log,
    everyMs: options.pollMs,
    firstDelayMs: 0,
    holdMs: () => Math.max(0, pausedUntil - Date.now()),
    failureMessage: 'slack: inbox round failed',
    async round() {
      for (const row of await claimRound()) void drive(row);
      return options.pollMs;
    },
  });
  const kick = () => loop.kick();
  const wakes = createWake({ db, channel: SLACK_ANSWERS_CHANNEL, worker: workerId, kick });

  return {
    wake: () => wakes.wake(),
    async start({ isSoleProcess = false } = {}) {
      if (loop.isRunning) return;
      if (isSoleProcess) await releaseSlackInboxLeasesOfOtherWorkers({ db, worker: workerId });
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
