import { claimRunsToSweep, releaseRunLeasesOfOtherWorkers } from '../../db/runs';
import type { TRunChannel } from '../streaming/run-channel';
import type { TRetention } from '../../privacy/retention';
import type { TDispatchToolCalls } from './dispatch';
import type { TRunEngineDeps } from './types';

// The sweeper: no run depends on a reader. Every RUN_SWEEP_SECONDS (with jitter) each instance claims the runs
// nobody is moving (claim_runs_to_sweep, leased per run so that one instance acts on each, expiring those past
// expires_at as it goes) and dispatches the tool calls of runs nobody reads, starts queued runs nobody started,
// and resumes runs whose executor's lease lapsed (a run that keeps dying is failed by its claim, RUN_MAX_ATTEMPTS).
// Each round also gives retention (../../privacy/retention.ts) its turn.
//
// Contract: one round at a time per process; a failed round is logged and the next is scheduled anyway; after
// stop() (the `shutdown` signal) no round starts. Runs waiting for their client's tool outputs are left alone.

/** Runs one sweeper round takes on at most. */
const SWEEP_BATCH = 50;

export type TSweeperDeps = Pick<TRunEngineDeps, 'db' | 'log' | 'runs'> & {
  workerId: string;
  shutdown: AbortSignal;
  execute(runId: string): void;
  dispatchToolCalls: TDispatchToolCalls;
  retention: Pick<TRetention, 'sweepIfDue'>;
  channel: Pick<TRunChannel, 'prune'>;
};

export type TSweeper = {
  sweepRuns(options?: { graceSeconds?: number }): Promise<number>;
  resumeOrphanedRuns(options?: { isSoleProcess?: boolean }): Promise<number>;
  start(): void;
  stop(): void;
};

export function createSweeper(deps: TSweeperDeps): TSweeper {
  const { db, log, runs, workerId, shutdown } = deps;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sweeping: Promise<number> | undefined;

  async function sweepRuns({ graceSeconds = runs.sweepSeconds }: { graceSeconds?: number } = {}): Promise<number> {
    if (shutdown.aborted) return 0;
    const due = await claimRunsToSweep({
      db,
      worker: workerId,
      limit: SWEEP_BATCH,
      graceSeconds,
      // Long enough for this instance to dispatch and claim; short enough that another sweeper follows up soon.
      leaseSeconds: Math.max(10, runs.sweepSeconds * 3),
    });
    for (const { run, owner } of due) {
      if (run.status === 'requires_action') {
        // claim_runs_to_sweep leaves out runs waiting for their client's outputs; dispatchToolCalls also refuses them.
        deps.dispatchToolCalls(owner, run).catch((error: unknown) => log.warn({ err: error, runId: run.id }, 'sweeper could not dispatch tool calls'));
      } else if (run.status === 'queued' || run.status === 'in_progress') {
        deps.execute(run.id);
      }
    }
    if (due.length > 0) log.info({ runs: due.length }, 'sweeper took on runs nobody was moving');
    deps.channel.prune(Math.max(60_000, runs.leaseSeconds * 2000));
    return due.length;
  }

  async function resumeOrphanedRuns({ isSoleProcess = false }: { isSoleProcess?: boolean } = {}): Promise<number> {
    if (isSoleProcess) await releaseRunLeasesOfOtherWorkers({ db, worker: workerId });
    let total = 0;
    // Batches of SWEEP_BATCH until none is left: after a restart, every run left behind is picked up now.
    for (;;) {
      const count = await sweepRuns({ graceSeconds: 0 });
      total += count;
      if (count < SWEEP_BATCH) return total;
    }
  }

  async function sweepRound(): Promise<number> {
    const count = await sweepRuns();
    await deps.retention.sweepIfDue();
    return count;
  }

  function start(): void {
    if (shutdown.aborted || timer) return;
    const schedule = () => {
      // Jitter keeps instances that started together from sweeping in lockstep.
      const delayMs = runs.sweepSeconds * 1000 * (0.75 + Math.random() * 0.5);
      timer = setTimeout(() => {
        sweeping ??= sweepRound()
          .catch((error: unknown) => {
            log.warn({ err: error }, 'sweeper round failed');
            return 0;
          })
          .finally(() => {
            sweeping = undefined;
            if (!shutdown.aborted) schedule();
          });
      }, delayMs);
      timer.unref?.();
    };
    schedule();
  }

  return { sweepRuns, resumeOrphanedRuns, start, stop: () => clearTimeout(timer) };
}
