import { claimDocsCrawl, completeDocsCrawl } from '../../../db/docs-crawl';
import { embedMissingSections } from '../../index/indexer';
import type { TEmbedder } from '../../index/embeddings';
import { crawlDocs, type TCrawlDeps, type TCrawlOptions, type TCrawlReport } from './crawler';

// Re-crawls DOCS_CRAWL_URL every DOCS_CRAWL_INTERVAL_MINUTES. Every instance's loop asks the database whether a
// crawl is due; the one that gets the lease (claim_docs_crawl) crawls and records its report, so with many
// instances one crawls. A crawl that dies keeps the lease until it lapses; then any instance crawls again.

const CHECK_SECONDS = 60;

export type TDocsCrawlLoop = {
  /** One crawl if it is due (or `isForced`) and this instance gets the lease; null when it did not crawl. */
  runOnce(options?: { isForced?: boolean }): Promise<TCrawlReport | null>;
  start(): void;
  stop(): void;
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
  // Long enough for a large site; a crawl that outlives it may be started again by another instance.
  const leaseSeconds = Math.max(600, Math.min(everySeconds, 3600));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isStopped = false;
  let running: Promise<unknown> | undefined;

  async function runOnce({ isForced = false }: { isForced?: boolean } = {}): Promise<TCrawlReport | null> {
    const claim = await claimDocsCrawl({ db: deps.db, worker: workerId, everySeconds, leaseSeconds, isForced });
    if (!claim.claimed) return null;
    let report: TCrawlReport | null = null;
    try {
      report = await crawlDocs({ deps, options });
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
      if (deps.embedder && report.indexed.length > 0) await embedMissingSections({ db: deps.db, embedder: deps.embedder });
      return report;
    } finally {
      const summary = report
        ? {
            pages: report.pages,
            indexed: report.indexed.length,
            unchanged: report.unchanged,
            removed: report.removed.length,
            failed: report.failed,
            notices: report.notices.map(({ message, example }) => ({ message, example })),
            ms: report.ms,
          }
        : { error: 'the crawl did not finish' };
      await completeDocsCrawl({ db: deps.db, worker: workerId, everySeconds, report: summary });
    }
  }

  function schedule(delayMs: number) {
    if (isStopped) return;
    timer = setTimeout(() => {
      running ??= runOnce()
        .catch((error: unknown) => deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs crawl failed; the index is kept'))
        .finally(() => {
          running = undefined;
          schedule(Math.min(CHECK_SECONDS, everySeconds) * 1000 * (0.75 + Math.random() * 0.5));
        });
    }, delayMs);
    timer.unref?.();
  }

  return {
    runOnce,
    start() {
      if (isStopped || timer) return;
      // The first crawl at start-up, in the background: the server answers from the index it has meanwhile.
      schedule(0);
    },
    stop() {
      isStopped = true;
      clearTimeout(timer);
    },
  };
}
