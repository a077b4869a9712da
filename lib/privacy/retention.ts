import { deleteThreadsInactiveSince } from '../db/retention';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';

// Retention: threads inactive for longer than RETENTION_DAYS are deleted, with their queued Slack posts. The
// run sweeper (lib/assistant/engine/sweeper.ts) asks for a round at most every RETENTION_SWEEP_MS, starting with
// its first round.
//
// Contract: nothing is deleted without RETENTION_DAYS, or once the engine stopped; a round deletes in batches
// (never many rows locked at once) and stops after RETENTION_BATCHES of them, so a large backlog takes a few
// rounds. Which threads are inactive is decided in SQL (delete_threads_inactive_since).

/** How often an instance's sweeper deletes threads past RETENTION_DAYS, and in what batches. */
const RETENTION_SWEEP_MS = 10 * 60_000;
const RETENTION_BATCH = 500;
const RETENTION_BATCHES = 10;

export type TRetention = {
  /** One round now; returns how many threads it deleted. */
  sweep(): Promise<number>;
  /** A round, if RETENTION_SWEEP_MS passed since the last one this way (a failure is logged, not thrown). */
  sweepIfDue(): Promise<void>;
};

export function createRetention({ db, log, days, shutdown }: { db: TDb; log: TLogger; days: number | null | undefined; shutdown: AbortSignal }): TRetention {
  let dueAt = 0;

  async function sweep(): Promise<number> {
    if (shutdown.aborted || !days) return 0;
    let total = 0;
    // In batches, so that one round never holds many rows locked; a large backlog takes a few rounds.
    for (let batch = 0; batch < RETENTION_BATCHES; batch += 1) {
      const { deleted, slack_posts_deleted: posts } = await deleteThreadsInactiveSince({ db, days, limit: RETENTION_BATCH });
      total += deleted;
      if (deleted > 0) log.info({ threads: deleted, slackPosts: posts, days }, 'retention: deleted inactive threads');
      if (deleted < RETENTION_BATCH) break;
    }
    return total;
  }

  async function sweepIfDue(): Promise<void> {
    if (!days || Date.now() < dueAt) return;
    dueAt = Date.now() + RETENTION_SWEEP_MS;
    await sweep().catch((error: unknown) => log.warn({ err: error }, 'retention sweep failed'));
  }

  return { sweep, sweepIfDue };
}
