import type { TJobLog } from './round';
import { withSpan } from '../telemetry';

// The lease: a job that at most one instance runs at a time. Whether it is due (every N seconds since its last
// run, or forced) and who holds it are decided in SQL by its store (a row per job: the digest's in
// maintainer_digest, each docs source's in docs_source_state), so of many instances one gets it.
//
// Contract: the work runs only after the store's claim; complete() is called once the work ended, with its
// result or its error (a store that keeps its lease after a failure does nothing then: the job is tried again
// once the lease lapses). A process that dies keeps its lease until it lapses. With the store's `extend`, a
// long round extends its lease every third of it (the heartbeat); a round that lost its lease (another worker
// took it after it lapsed) sees its `signal` aborted.

export type TLeaseStore<TClaim, TResult> = {
  /** The lease when the job is due (or `isForced`) and no other worker holds an unexpired one; else null. */
  claim(request: { worker: string; leaseSeconds: number; isForced: boolean }): Promise<TClaim | null>;
  /** The work ended (`outcome.error` when it threw): record it and release the lease, or keep it to lapse. */
  complete(request: { worker: string; claim: TClaim; outcome: { result: TResult } | { error: unknown } }): Promise<void>;
  /** Extends this worker's lease to `leaseSeconds` from now; false when it no longer holds it. */
  extend?(request: { worker: string; leaseSeconds: number }): Promise<boolean>;
};

export type TLeasedWork<TClaim, TResult> = (context: { claim: TClaim; signal: AbortSignal }) => Promise<TResult>;

/** One leased run: null when this worker did not get the lease; the work's result otherwise (its error is thrown). */
export type TRunLeased<TResult> = (options?: { isForced?: boolean }) => Promise<TResult | null>;

export function createLeasedRun<TClaim, TResult>({
  name,
  log,
  worker,
  store,
  leaseSeconds,
  work,
}: {
  name: string;
  log: TJobLog;
  worker: string;
  store: TLeaseStore<TClaim, TResult>;
  leaseSeconds: number;
  work: TLeasedWork<TClaim, TResult>;
}): TRunLeased<TResult> {
  return async ({ isForced = false } = {}) => {
    const claim = await store.claim({ worker, leaseSeconds, isForced });
    if (claim === null) return null;
    // A run that got the lease is a trace of its own (a check that finds the job not due is none).
    return withSpan(`job ${name}`, { 'pa.job.name': name, 'pa.job.is_forced': isForced }, () => runClaimed(claim), { isRoot: true });
  };

  async function runClaimed(claim: TClaim): Promise<TResult> {
    const lost = new AbortController();
    const heartbeat = store.extend ? startHeartbeat({ name, log, worker, leaseSeconds, extend: store.extend, lost }) : undefined;
    let result: TResult;
    try {
      result = await work({ claim, signal: lost.signal });
    } catch (error) {
      clearInterval(heartbeat);
      await store.complete({ worker, claim, outcome: { error } });
      throw error;
    }
    clearInterval(heartbeat);
    await store.complete({ worker, claim, outcome: { result } });
    return result;
  }
}

function startHeartbeat({
  name,
  log,
  worker,
  leaseSeconds,
  extend,
  lost,
}: {
  name: string;
  log: TJobLog;
  worker: string;
  leaseSeconds: number;
  extend: NonNullable<TLeaseStore<unknown, unknown>['extend']>;
  lost: AbortController;
}) {
  let isExtending = false;
  const timer = setInterval(() => {
    if (isExtending || lost.signal.aborted) return;
    isExtending = true;
    extend({ worker, leaseSeconds })
      .then((isHeld) => {
        if (isHeld) return;
        log.warn({ job: name }, `${name}: lease lost during the round`);
        lost.abort();
      })
      // A failed heartbeat is tried again at the next beat; the lease still runs until it lapses.
      .catch((error: unknown) => log.warn({ err: error, job: name }, `${name}: could not extend the lease`))
      .finally(() => {
        isExtending = false;
      });
  }, (leaseSeconds * 1000) / 3);
  timer.unref?.();
  return timer;
}
