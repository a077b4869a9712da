import { deleteThreadsInactiveSince } from '../db/retention';
import type { TDb } from '../db/types';
import { createRound } from '../jobs';
import { withSpan } from '../telemetry';
import type { TLogger } from '../log';

// Retention: threads inactive for longer than RETENTION_DAYS are deleted, with their queued Slack posts. Its own
// background job (lib/jobs' round), started by the app: a round every RETENTION_SWEEP_MS in every instance,
// the first `firstDelayMs` after start (the app: RUN_SWEEP_SECONDS, as when the sweeper gave it its turn).
//
// Contract: nothing is deleted without RETENTION_DAYS, or once stopped; a round deletes in batches (never many
// rows locked at once) and stops after RETENTION_BATCHES of them, so a large backlog takes a few rounds. Which
// threads are inactive is decided in SQL (delete_threads_inactive_since), so instances that run a round at
// once delete each thread once.

/** How often an instance deletes threads past RETENTION_DAYS, and in what batches. */
const RETENTION_SWEEP_MS = 10 * 60_000;
const RETENTION_BATCH = 500;
const RETENTION_BATCHES = 10;

export type TRetention = {
  /** One round now; returns how many threads it deleted. */
  sweep(): Promise<number>;
  /** Starts the rounds (none without RETENTION_DAYS). */
  start(): void;
  /** Ends the rounds; resolves once the one in progress ended. */
  stop(): Promise<void>;
};

export function createRetention({ db, log, days, firstDelayMs }: { db: TDb; log: TLogger; days: number | null | undefined; firstDelayMs: number }): TRetention {
  let isStopped = false;

  async function sweep(): Promise<number> {
    if (isStopped || !days) return 0;
    let total = 0;
    // In batches, so that one round never holds many rows locked; a large backlog takes a few rounds.
    for (let batch = 0; batch < RETENTION_BATCHES; batch += 1) {
      const { deleted, slack_posts_deleted: posts } = await deleteThreadsInactiveSince({ db, days, limit: RETENTION_BATCH });
      total += deleted;
      if (deleted > 0) log.info({ threads: deleted, slackPosts: posts, days }, 'retention: deleted inactive threads');
      if (deleted < RETENTION_BATCH || isStopped) break;
    }
    return total;
  }

  const round = createRound({
    name: 'retention',
    log,
    everyMs: RETENTION_SWEEP_MS,
    firstDelayMs,
    failureMessage: 'retention sweep failed',
    // Only with RETENTION_DAYS set, hourly: each round a trace of its own (lib/telemetry).
    round: async () => {
      await withSpan('job retention', { 'pa.job.name': 'retention', 'pa.retention.days': days ?? 0 }, async (span) => span.setAttribute('pa.retention.deleted', await sweep()), { isRoot: true });
    },
  });

  return {
    sweep,
    start() {
      if (days && !isStopped) round.start();
    },
    async stop() {
      isStopped = true;
      await round.stop();
    },
  };
}
