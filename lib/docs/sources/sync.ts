import { claimDocsSourceSync, completeDocsSourceSync, extendDocsSourceLease } from '../../db/docs-sources';
import { createLeasedJob, type TLeasedJob, type TLeaseStore } from '../../jobs';
import type { TDocsSource, TSourceDeps } from './types';
import { metrics, withSpan } from '../../telemetry';

// One sync job per configured kind with a background sync (lib/jobs' leased job): every instance asks every
// `checkSeconds` whether the kind is due; the one that gets the kind's lease (its docs_source_state row) polls
// what changed since the last sync, extends the lease while it runs, and records the sync's summary. A sync that
// throws is recorded as failed and the index keeps what it had; an instance that dies keeps the lease until it
// lapses, then any instance syncs again.

export function createSourceSyncJob<TReport>({
  source,
  deps,
  workerId,
}: {
  source: TDocsSource<TReport> & { sync: NonNullable<TDocsSource['sync']> };
  deps: TSourceDeps;
  workerId: string;
}): TLeasedJob<TReport> {
  const { kind, sync } = source;
  const store: TLeaseStore<{ since: Date | null }, TReport> = {
    async claim({ worker, leaseSeconds, isForced }) {
      const claim = await claimDocsSourceSync({ db: deps.db, kind, worker, everySeconds: sync.everySeconds, leaseSeconds, isForced });
      return claim.claimed ? { since: claim.lastRun ? new Date(claim.lastRun) : null } : null;
    },
    async complete({ worker, outcome }) {
      await completeDocsSourceSync({ db: deps.db, kind, worker, everySeconds: sync.everySeconds, report: source.summarise(outcome) });
    },
    async extend({ worker, leaseSeconds }) {
      return extendDocsSourceLease({ db: deps.db, kind, worker, leaseSeconds });
    },
  };
  return createLeasedJob({
    name: `docs ${kind} sync`,
    log: deps.log,
    worker: workerId,
    lease: { store, leaseSeconds: sync.leaseSeconds },
    // The first check at start-up, in the background: the server answers from the index it has meanwhile.
    schedule: { everyMs: sync.checkSeconds * 1000, firstDelayMs: 0, jitter: 0.25, failureMessage: `docs ${kind} sync failed; the index is kept` },
    // A span per sync (within the job's, lib/jobs/lease.ts), and its duration and failures as metrics (lib/telemetry).
    work: ({ claim }) => {
      const startedAt = performance.now();
      const record = (isFailed: boolean) => metrics.sync({ kind, seconds: (performance.now() - startedAt) / 1000, isFailed });
      return withSpan(`sync ${kind}`, { 'pa.source.kind': kind, 'pa.sync.is_incremental': claim.since !== null }, () => source.poll(deps, claim.since)).then(
        (report) => (record(false), report),
        (error: unknown) => {
          record(true);
          throw error;
        },
      );
    },
  });
}
