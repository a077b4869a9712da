import {
  claimChatInboxBatch,
  pruneChatInbox,
  releaseChatInboxLeasesOfOtherWorkers,
  renewChatInboxLeaseById,
  retryChatInboxById,
  updateChatInboxById,
  type TInboxChanges,
  type TInboxRow,
} from '../db/chat-inbox';
import { createRound, createWake, jitteredBackoffMs } from '../jobs';
import { InboxStepError, isInboxStepError, type TChatDoor, type TDoorDeps, type TDoorStep, type TInboxOptions } from './door';
import { contextOfTraceparent, withSpan } from '../telemetry';
import { TRACEPARENT_KEY } from './intake';
import { driveInboxRow } from './drive';

// A door's inbox worker, one per door per process: every round claims the door's rows that are due (each the
// oldest of its queue, under a lease, so that of many instances exactly one works a row at a time) and drives
// each one (./drive.ts) while renewing its lease. A row that fails is handed back with backoff: the chat service
// down or rate limited (its own retry delay), the database, a thread still busy; one the service refuses for
// good is failed at once. Woken at once by a new row, in this process or (Postgres) another's; else it looks
// every pollMs for retries that came due and rows whose worker died.

export type TInboxWorker = {
  /** A row was recorded (here or, with Postgres, on another instance): claim soon. */
  wake(): void;
  /** Starts the rounds. `isSoleProcess` (the embedded store): rows still leased were a previous process's. */
  start(options?: { isSoleProcess?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** One round, waiting for every row it claimed to be settled (tests and scripts). Returns how many it claimed. */
  drainOnce(): Promise<number>;
};

/** The worker of a door that is not configured. */
export const NO_INBOX_WORKER: TInboxWorker = { wake: () => {}, start: async () => {}, stop: async () => {}, drainOnce: async () => 0 };

export const DEFAULT_INBOX_OPTIONS: TInboxOptions = {
  concurrency: 20,
  pollMs: 2000,
  leaseSeconds: 30,
  backoffBaseMs: 1000,
  backoffMaxMs: 5 * 60_000,
  maxAgeSeconds: 86_400,
  updateIntervalMs: 1000,
};

/** The channel a door's new rows are announced on, to every instance. */
export const inboxChannel = (door: Pick<TChatDoor, 'name'>) => `pa_${door.name}_answers`;

const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_DAYS = 14;

export function createInboxWorker({
  door,
  deps,
  workerId,
  options: overrides = {},
}: {
  door: TChatDoor;
  deps: TDoorDeps;
  workerId: string;
  options?: Partial<TInboxOptions>;
}): TInboxWorker {
  const options = { ...DEFAULT_INBOX_OPTIONS, ...door.options, ...overrides };
  const { db, log } = deps;
  const name = door.name;
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

  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = door.classifyError(error);
      if (failure?.type === 'rate_limited' && failure.retryAfterMs) rateLimit.pauseFor(failure.retryAfterMs);
      throw error;
    }
  }

  async function step(row: TInboxRow, changes: TInboxChanges): Promise<TInboxRow> {
    const updated = await updateChatInboxById({ db, id: row.id, worker: workerId, changes });
    if (!updated) throw new InboxStepError('lease lost', null);
    // One object: a door that keeps the row it was given sees the step as the caller that takes the returned one does.
    return Object.assign(row, updated);
  }

  async function settleFailure(row: TInboxRow, error: unknown): Promise<void> {
    const fields = { door: name, inboxId: row.id, attempts: row.attempts };
    if (isInboxStepError(error) && error.delayMs === null) return log.info(fields, `${name}: another worker took over a question`);
    const failure = isInboxStepError(error) ? null : door.classifyError(error);
    const reason = failure?.reason ?? (error instanceof Error ? error.message : String(error));
    // The service refuses for good (the app left the channel, the token expired, the message is gone): nothing to retry.
    const isPermanent = failure?.type === 'permanent';
    const delayMs = isInboxStepError(error) ? (error.delayMs ?? options.backoffBaseMs) : (failure?.retryAfterMs ?? backoffMs(row.attempts));
    const status = await retryChatInboxById({ db, id: row.id, worker: workerId, delayMs, error: reason, maxAgeSeconds: isPermanent ? 0 : options.maxAgeSeconds });
    if (status === 'failed' && isPermanent) log.error({ ...fields, reason }, `${name}: a question could not be answered: ${door.label} refused the reply`);
    else if (status === 'failed') log.error({ ...fields, reason }, `${name}: gave up on a question after retrying it for too long`);
    else log.warn({ ...fields, reason, retryInMs: delayMs }, `${name}: a question step failed, will retry`);
  }

  /** Drives one claimed row to its end or its next retry, renewing its lease meanwhile. Never throws. */
  function drive(row: TInboxRow): Promise<void> {
    const lease = new AbortController();
    leases.set(row.id, lease);
    const renew = setInterval(() => {
      renewChatInboxLeaseById({ db, id: row.id, worker: workerId, leaseSeconds: options.leaseSeconds })
        .then((isRenewed) => {
          if (!isRenewed) lease.abort();
        })
        .catch((error: unknown) => log.warn({ err: error, inboxId: row.id }, `${name}: could not renew a question lease`));
    }, (options.leaseSeconds * 1000) / 3);
    renew.unref?.();
    const context: TDoorStep = { deps, worker: workerId, lease: lease.signal, rateLimit, updateIntervalMs: options.updateIntervalMs, call, step };
    // The answer continues the delivery's trace (./intake.ts): from the endpoint's request to the posted reply.
    const parent = contextOfTraceparent(row.metadata[TRACEPARENT_KEY]);
    const task = withSpan(
      `${name} answer`,
      { 'pa.door': name, 'pa.chat.inbox_id': row.id, 'pa.chat.attempts': row.attempts, 'pa.chat.kind': row.kind },
      () => driveInboxRow(door, context, row),
      { parent, isRoot: true, kind: 'consumer' },
    )
      .catch((error: unknown) =>
        settleFailure(row, error).catch((settleError: unknown) => log.warn({ err: settleError, inboxId: row.id }, `${name}: could not hand a question back`)),
      )
      .finally(() => {
        clearInterval(renew);
        leases.delete(row.id);
        active.delete(row.id);
        // A settled row may let the next question of its queue go.
        loop.kick();
      });
    active.set(row.id, task);
    return task;
  }

  async function claimRound(): Promise<TInboxRow[]> {
    const room = options.concurrency - active.size;
    if (room <= 0 || rateLimit.isPaused()) return [];
    const rows = await claimChatInboxBatch({ db, door: name, worker: workerId, limit: room, leaseSeconds: options.leaseSeconds });
    if (Date.now() - lastPruneAt > PRUNE_EVERY_MS) {
      lastPruneAt = Date.now();
      await pruneChatInbox({ db, door: name, keepDays: KEEP_DAYS }).catch((error: unknown) => log.warn({ err: error }, `${name}: could not prune the inbox`));
    }
    return rows.filter((row) => !active.has(row.id));
  }

  const loop = createRound({
    name: `${name} inbox`,
    log,
    everyMs: options.pollMs,
    firstDelayMs: 0,
    holdMs: () => Math.max(0, pausedUntil - Date.now()),
    failureMessage: `${name}: inbox round failed`,
    async round() {
      for (const row of await claimRound()) void drive(row);
      return options.pollMs;
    },
  });
  const wakes = createWake({ db, channel: inboxChannel(door), worker: workerId, kick: () => loop.kick() });

  return {
    wake: () => wakes.wake(),
    async start({ isSoleProcess = false } = {}) {
      if (loop.isRunning) return;
      if (isSoleProcess) await releaseChatInboxLeasesOfOtherWorkers({ db, door: name, worker: workerId });
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
