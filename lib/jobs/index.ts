import { createLeasedRun, type TLeaseStore, type TLeasedWork } from './lease';
import { createRound, type TJobLog, type TRound, type TRoundOptions } from './round';

// One jobs module for every background job. Its parts, each with its contract:
//   round.ts  the in-process loop: one round at a time, the next after a delay with jitter, kick, stop
//   lease.ts  a job that at most one instance runs (claim/complete/extend through SQL), and its heartbeat
//   wake.ts   a notification from another instance kicks this one's loop
//   backoff.ts the wait before a failed delivery's next attempt (Slack's outbox and answers, Discord's answers)
// A job is a round (createRound: the sweeper, retention, Slack's loops) or a leased job (createLeasedJob: the
// docs sources' syncs, the digest), whose round is one leased run.

export { createRound, type TJobLog, type TRound, type TRoundOptions } from './round';
export { createLeasedRun, type TLeaseStore, type TLeasedWork, type TRunLeased } from './lease';
export { createWake, type TWake } from './wake';
export { jitteredBackoffMs } from './backoff';

export type TLeasedJob<TResult> = TRound & {
  readonly name: string;
  /** One run now if it is due (or `isForced`) and this instance gets the lease; null when it did not run. */
  runOnce(options?: { isForced?: boolean }): Promise<TResult | null>;
};

export function createLeasedJob<TClaim, TResult>({
  name,
  log,
  worker,
  lease,
  work,
  schedule,
}: {
  name: string;
  log: TJobLog;
  worker: string;
  lease: { store: TLeaseStore<TClaim, TResult>; leaseSeconds: number };
  work: TLeasedWork<TClaim, TResult>;
  /** How often this instance asks whether the job is due (the store decides whether it is). */
  schedule: Pick<TRoundOptions, 'everyMs' | 'firstDelayMs' | 'jitter' | 'failureMessage'>;
}): TLeasedJob<TResult> {
  const runOnce = createLeasedRun({ name, log, worker, store: lease.store, leaseSeconds: lease.leaseSeconds, work });
  const round = createRound({
    name,
    log,
    ...schedule,
    round: async () => {
      await runOnce();
    },
  });
  return {
    name,
    runOnce,
    start: () => round.start(),
    kick: () => round.kick(),
    stop: () => round.stop(),
    get isRunning() {
      return round.isRunning;
    },
  };
}
