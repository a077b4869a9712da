import { claimDocsCrawl, completeDocsCrawl } from '../../../db/docs-crawl';
import { createLeasedJob, type TLeaseStore } from '../../../jobs';
import { embedMissingSections } from '../../index/indexer';
import type { TEmbedder } from '../../index/embeddings';
import { crawlDocs, type TCrawlDeps, type TCrawlOptions, type TCrawlReport } from './crawler';

// Re-crawls DOCS_CRAWL_URL every DOCS_CRAWL_INTERVAL_MINUTES, as a leased job (lib/jobs). Every instance's loop
// asks the database whether a crawl is due; the one that gets the lease (claim_docs_crawl) crawls and records
// its report, so with many instances one crawls. A crawl that dies keeps the lease until it lapses; then any
// instance crawls again.

const CHECK_SECONDS = 60;

export type TDocsCrawlLoop = {
  /** One crawl if it is due (or `isForced`) and this instance gets the lease; null when it did not crawl. */
  runOnce(options?: { isForced?: boolean }): Promise<TCrawlReport | null>;
  start(): void;
  /** Ends the checks; resolves once the crawl in progress ended. */
  stop(): Promise<void>;
};

export function createDocsCrawlLoop({
  deps,
  options,
  workerId,
}: {
  deps: TCrawlDeps & { embedder: TEmbedder | null };
  options: TCrawlOptions;
  workerId: string;
}): TDocsCrawlLoop {
  const everySeconds = options.intervalMinutes * 60;
  const store: TLeaseStore<true, TCrawlReport> = {
    async claim({ worker, leaseSeconds, isForced }) {
      return (await claimDocsCrawl({ db: deps.db, worker, everySeconds, leaseSeconds, isForced })).claimed ? true : null;
    },
    async complete({ worker, outcome }) {
      await completeDocsCrawl({ db: deps.db, worker, everySeconds, report: summarise(outcome) });
    },
  };
  return createLeasedJob({
    name: 'docs crawl',
    log: deps.log,
    worker: workerId,
    // Long enough for a large site; a crawl that outlives it may be started again by another instance.
    lease: { store, leaseSeconds: Math.max(600, Math.min(everySeconds, 3600)) },
    // The first crawl at start-up, in the background: the server answers from the index it has meanwhile.
    schedule: { everyMs: Math.min(CHECK_SECONDS, everySeconds) * 1000, firstDelayMs: 0, jitter: 0.25, failureMessage: 'docs crawl failed; the index is kept' },
    async work() {
      const report = await crawlDocs({ deps, options });
      deps.log.info(
        {
          pages: report.pages,
          indexed: report.indexed.length,
          unchanged: report.unchanged,
          removed: report.removed.length,
          failed: report.failed.length,
          notices: report.notices.map((notice) => notice.message),
          ms: report.ms,
        },
        'docs site crawled',
      );
      // The crawl's report is recorded even when embedding its pages fails (search uses full text for them meanwhile).
      if (deps.embedder && report.indexed.length > 0) {
        await embedMissingSections({ db: deps.db, embedder: deps.embedder }).catch((error: unknown) =>
          deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs embeddings of the crawled pages failed; full-text search for them'),
        );
      }
      return report;
    },
  });
}

/** What the crawl state keeps of a run for /api/health. */
function summarise(outcome: { result: TCrawlReport } | { error: unknown }): Record<string, unknown> {
  if (!('result' in outcome)) return { error: 'the crawl did not finish' };
  const report = outcome.result;
  return {
    pages: report.pages,
    indexed: report.indexed.length,
    unchanged: report.unchanged,
    removed: report.removed.length,
    failed: report.failed,
    notices: report.notices.map(({ message, example }) => ({ message, example })),
    ms: report.ms,
  };
}
