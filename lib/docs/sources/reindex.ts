import { randomUUID } from 'node:crypto';
import { recordDocsSourceSync } from '../../db/docs-sources';
import { createSourceSyncJob } from './sync';
import type { TDocsSource, TSourceDeps } from './types';

// Re-index on publish (`POST /api/docs/reindex`, lib/docs/sources/reindex-hook.ts): every configured source is read again
// now, not when its interval next comes round — changed pages only, as a sync always is (checksums, the sitemap's
// lastmod and conditional requests for a crawl). A source with a background sync is synced under its lease, forced
// whether or not it is due, as its own worker: while another sync of it runs (here or on another instance), this
// one waits for the lease and then runs, so that what was published after that sync began is read too. The folder
// (no lease: every instance reads its own) is loaded again here. Requests that come while a kind's re-index waits
// or runs are folded into one more after it.

/** How often a re-index waiting for a kind's lease asks again. */
const LEASE_RETRY_MS = 2000;

export type TDocsReindexer = {
  /** Starts a re-index of every source in the background; returns the kinds it re-reads. */
  start(): string[];
  /** Resolves when nothing is being re-indexed (tests, shutdown). */
  idle(): Promise<void>;
};

export function createDocsReindexer({
  sources,
  deps,
  retryMs = LEASE_RETRY_MS,
}: {
  sources: readonly TDocsSource[];
  deps: TSourceDeps;
  retryMs?: number;
}): TDocsReindexer {
  const worker = `reindex_${randomUUID()}`;
  const states = new Map<string, { running: Promise<void> | null; isAgain: boolean }>();

  const syncOnce = async (source: TDocsSource) => {
    if (!source.sync) {
      const result = await source.load(deps);
      await recordDocsSourceSync({ db: deps.db, kind: source.kind, report: source.summarise({ result }) });
      return;
    }
    const job = createSourceSyncJob({ source: { ...source, sync: source.sync }, deps, workerId: worker });
    const deadline = Date.now() + source.sync.leaseSeconds * 1000;
    while ((await job.runOnce({ isForced: true })) === null) {
      if (Date.now() > deadline) throw new Error(`the ${source.kind} sync kept its lease for ${source.sync.leaseSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };

  const run = (source: TDocsSource) => {
    const state = states.get(source.kind) ?? { running: null, isAgain: false };
    states.set(source.kind, state);
    if (state.running) {
      state.isAgain = true;
      return;
    }
    state.running = (async () => {
      do {
        state.isAgain = false;
        try {
          await syncOnce(source);
          deps.log.info({ kind: source.kind }, 'docs source re-indexed on request');
        } catch (error) {
          deps.log.warn({ kind: source.kind, err: error instanceof Error ? error.message : String(error) }, 'docs source re-index failed; its index is kept');
        }
      } while (state.isAgain);
      state.running = null;
    })();
  };

  return {
    start() {
      for (const source of sources) run(source);
      return sources.map((source) => source.kind);
    },
    async idle() {
      for (;;) {
        const running = [...states.values()].map((state) => state.running).filter((promise) => promise !== null);
        if (running.length === 0) return;
        await Promise.all(running);
      }
    },
  };
}
