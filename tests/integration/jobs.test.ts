import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDocsSourceSync, completeDocsSourceSync, extendDocsSourceLease } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { createLeasedJob, createRound, createWake, type TLeaseStore } from '@/lib/jobs';
import { waitUntil } from '../helpers/models';
import { createTestDb } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';

// lib/jobs on a real database (PGlite): the lease through SQL (here a docs source kind's state row, the store the
// sources' syncs use), its heartbeat, and the wake through the database's notifications.

let db: TDb;
const silent = { warn: () => {} };
const EVERY_SECONDS = 3600;

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

/** A lease store over the kind's docs_source_state row; records what completed. */
function sourceStore(kind: string, completed: string[] = []): TLeaseStore<true, string> {
  return {
    async claim({ worker, leaseSeconds, isForced }) {
      return (await claimDocsSourceSync({ db, kind, worker, everySeconds: EVERY_SECONDS, leaseSeconds, isForced })).claimed ? true : null;
    },
    async complete({ worker, outcome }) {
      completed.push('result' in outcome ? `${worker}: ${outcome.result}` : `${worker}: failed`);
      await completeDocsSourceSync({ db, kind, worker, everySeconds: EVERY_SECONDS, report: 'result' in outcome ? { ok: true } : { error: 'failed' } });
    },
    extend: ({ worker, leaseSeconds }) => extendDocsSourceLease({ db, kind, worker, leaseSeconds }),
  };
}

const leaseOf = async (kind: string) =>
  (await querySql<{ lease_owner: string | null; lease_until: string | null; last_run_at: string | null }>(db, 'select lease_owner, lease_until::text, last_run_at::text from docs_source_state where kind = $1', [kind])).rows[0];

function job(kind: string, worker: string, work: Parameters<typeof createLeasedJob<true, string>>[0]['work'], completed?: string[], leaseSeconds = 60) {
  return createLeasedJob({
    name: `test ${kind}`,
    log: silent,
    worker,
    lease: { store: sourceStore(kind, completed), leaseSeconds },
    schedule: { everyMs: 60_000 },
    work,
  });
}

describe('a leased job', () => {
  it('runs on one instance of many; is not due again until its interval passed; can be forced', async () => {
    const completed: string[] = [];
    const jobs = ['worker_a', 'worker_b', 'worker_c'].map((worker) => job('test-once', worker, async () => worker, completed));
    const results = await Promise.all(jobs.map((each) => each.runOnce()));
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(completed).toHaveLength(1);
    expect(await leaseOf('test-once')).toMatchObject({ lease_owner: null, lease_until: null, last_run_at: expect.any(String) });
    expect(await jobs[1]!.runOnce()).toBeNull();
    expect(await jobs[1]!.runOnce({ isForced: true })).toBe('worker_b');
    expect(completed).toHaveLength(2);
  });

  it('a round that throws completes with its error and the error is thrown; one that dies keeps its lease until it lapses', async () => {
    const completed: string[] = [];
    const failing = job('test-fail', 'worker_a', async () => Promise.reject(new Error('remote down')), completed);
    await expect(failing.runOnce()).rejects.toThrow('remote down');
    expect(completed).toEqual(['worker_a: failed']);

    // worker_dead claimed and never completed (its process died): nobody else runs, forced or not, until it lapses.
    expect(await claimDocsSourceSync({ db, kind: 'test-dead', worker: 'worker_dead', everySeconds: EVERY_SECONDS, leaseSeconds: 600, isForced: false })).toMatchObject({ claimed: true });
    const other = job('test-dead', 'worker_b', async () => 'ran');
    expect(await other.runOnce({ isForced: true })).toBeNull();
    await querySql(db, `update docs_source_state set lease_until = now() - interval '1 second' where kind = 'test-dead'`);
    expect(await other.runOnce()).toBe('ran');
  });

  it('a long round extends its lease (the heartbeat); a round that lost its lease sees its signal aborted', async () => {
    const first = (await leaseOf('test-long'))?.lease_until ?? null;
    expect(first).toBeNull();
    let leaseAtStart: string | null | undefined;
    const long = job(
      'test-long',
      'worker_a',
      async () => {
        leaseAtStart = (await leaseOf('test-long'))?.lease_until;
        // Until the heartbeat moved the lease on (every third of the 3 s lease).
        await waitUntil(async () => (await leaseOf('test-long'))?.lease_until !== leaseAtStart, 10_000);
        return 'done';
      },
      undefined,
      3,
    );
    expect(await long.runOnce()).toBe('done');

    let signalOfLost: AbortSignal | undefined;
    const lost = job(
      'test-lost',
      'worker_a',
      async ({ signal }) => {
        signalOfLost = signal;
        // Another worker took the lease (this one's lapsed while it was busy).
        await querySql(db, `update docs_source_state set lease_owner = 'worker_b' where kind = 'test-lost'`);
        await waitUntil(() => signal.aborted, 10_000);
        return 'stopped';
      },
      undefined,
      3,
    );
    expect(await lost.runOnce()).toBe('stopped');
    expect(signalOfLost?.aborted).toBe(true);
  });

  it('its loop runs a round at start and stops', async () => {
    let rounds = 0;
    const looped = createLeasedJob({
      name: 'test loop',
      log: silent,
      worker: 'worker_a',
      lease: { store: sourceStore('test-loop'), leaseSeconds: 60 },
      schedule: { everyMs: 60_000, firstDelayMs: 0 },
      work: async () => {
        rounds += 1;
        return 'ok';
      },
    });
    expect(looped.isRunning).toBe(false);
    looped.start();
    await waitUntil(() => rounds === 1);
    await looped.stop();
    expect(looped.isRunning).toBe(false);
    expect((await leaseOf('test-loop'))?.last_run_at).toEqual(expect.any(String));
  });
});

describe('the wake', () => {
  it('kicks this instance’s loop at once and the other instances’ through the database’s notifications', async () => {
    const counts = { a: 0, b: 0 };
    const loops = (['a', 'b'] as const).map((name) =>
      createRound({
        name: `wake ${name}`,
        log: silent,
        everyMs: 3_600_000,
        round: async () => {
          counts[name] += 1;
        },
      }),
    );
    const wakes = (['a', 'b'] as const).map((name, index) => createWake({ db, channel: 'pa_test_wake', worker: `worker_${name}`, kick: () => loops[index]!.kick() }));
    const stops = wakes.map((wake) => wake.listen());
    try {
      for (const loop of loops) loop.start();
      wakes[0]!.wake();
      await waitUntil(() => counts.a === 1 && counts.b === 1);
      wakes[1]!.wake();
      await waitUntil(() => counts.a === 2 && counts.b === 2);
    } finally {
      for (const stop of stops) stop();
      await Promise.all(loops.map((loop) => loop.stop()));
    }
  });
});
