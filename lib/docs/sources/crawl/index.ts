import { listDocsCrawlPages, pruneDocsCrawlSources } from '../../../db/docs-crawl';
import type { TKindDocuments, TSourceKind } from '../types';
import { CRAWL_KIND, crawlDocuments, crawledPagePaths, type TCrawlFindings, type TCrawlOptions, type TCrawlReport } from './crawler';
import { crawlSettings, type TCrawlSettings } from './settings';

export { CRAWL_KIND };

// The crawl kind: published docs sites (DOCS_CRAWL_URL), crawled from their sitemaps every
// DOCS_CRAWL_INTERVAL_MINUTES by the instance that holds the kind's lease. A crawl is incremental by itself (the
// sitemap's lastmod, conditional requests, content hashes), and it finds what left a site in the same pass (for a
// site read by its links, finding the pages and fetching them are one walk): loading everything and polling are one
// crawl, which yields gone what left (a site it could not read keeps its pages).

/** How often each instance asks whether a crawl is due. */
const CHECK_SECONDS = 60;

export const crawlKind: TSourceKind<TCrawlReport, TCrawlSettings> = {
  kind: CRAWL_KIND,
  settings: crawlSettings,
  prunedLogField: 'crawled',
  fromConfig: ({ docsSources }) => (docsSources.crawl ? createCrawlDocuments(docsSources.crawl, docsSources.versions?.pattern ?? null) : null),
  // Crawled pages of sites no longer in DOCS_CRAWL_URL leave (all of them when nothing is crawled), and a changed
  // DOCS_CRAWL_URL is crawled at once.
  pruneUnconfigured: ({ db, config }) => pruneDocsCrawlSources({ db, sources: config.docsSources.crawl?.urls ?? [] }),
};

/** `versionPattern`: DOCS_VERSION_PATTERN, which reads each page's version from its URL (null: no versions). */
export function createCrawlDocuments(options: TCrawlOptions, versionPattern: string | null = null): TKindDocuments<TCrawlFindings, TCrawlReport> & { options: TCrawlOptions } {
  const everySeconds = options.intervalMinutes * 60;
  return {
    kind: CRAWL_KIND,
    options,
    load: (context) => crawlDocuments(context, { options, versionPattern }),
    isLoadComplete: false,
    // DOCS_AUDIENCES' globs match a crawled page by its URL, and by its URL's path (`internal/x`).
    aliasesOf: (url) => crawledPagePaths(url).slice(1),
    // The pages the last crawls found on the configured sites (each crawl removes the ones it no longer finds).
    async listIds({ db }) {
      const sites = new Set(options.urls);
      return (await listDocsCrawlPages({ db })).filter((page) => sites.has(page.source)).map((page) => page.url);
    },
    report: ({ result, written }) => ({
      ...result,
      indexed: written.indexed,
      unchanged: written.unchanged,
      removed: written.removed.map((entry) => entry.path),
      ms: written.ms,
    }),
    logRun(report, log) {
      log.info(
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
    },
    summarise(outcome) {
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
    },
    sync: {
      everySeconds,
      checkSeconds: Math.min(CHECK_SECONDS, everySeconds),
      // Long enough for a large site between two heartbeats; a crawl whose instance died is started again by
      // another once it lapses.
      leaseSeconds: Math.max(600, Math.min(everySeconds, 3600)),
    },
  };
}
