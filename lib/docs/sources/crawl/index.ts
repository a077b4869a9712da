import type { TAudienceRule } from '../../../audiences';
import { listDocsCrawlPages, pruneDocsCrawlSources } from '../../../db/docs-crawl';
import { embedMissingSections } from '../../index/indexer';
import type { TDocsSource, TSourceDeps, TSourceKind } from '../types';
import { CRAWL_KIND, crawlDocs, type TCrawlOptions, type TCrawlReport } from './crawler';
import { crawlSettings, type TCrawlSettings } from './settings';

export { CRAWL_KIND };

// The crawl kind: published docs sites (DOCS_CRAWL_URL), crawled from their sitemaps every
// DOCS_CRAWL_INTERVAL_MINUTES by the instance that holds the kind's lease. A crawl is incremental by itself (the
// sitemap's lastmod, conditional requests, content hashes), and it prunes in the same pass (for a site read by
// its links, finding the pages and fetching them are one walk): loading everything and polling are one crawl.

/** How often each instance asks whether a crawl is due. */
const CHECK_SECONDS = 60;

export const crawlKind: TSourceKind<TCrawlReport, TCrawlSettings> = {
  kind: CRAWL_KIND,
  settings: crawlSettings,
  prunedLogField: 'crawled',
  fromConfig: ({ docsSources }) => (docsSources.crawl ? createCrawlSource(docsSources.crawl, docsSources.versions?.pattern ?? null, docsSources.audiences) : null),
  // Crawled pages of sites no longer in DOCS_CRAWL_URL leave (all of them when nothing is crawled), and a changed
  // DOCS_CRAWL_URL is crawled at once.
  async pruneUnconfigured({ db, config }) {
    const { removed, isChanged } = await pruneDocsCrawlSources({ db, sources: config.docsSources.crawl?.urls ?? [] });
    return { removed, isChanged };
  },
};

export type TCrawlSource = TDocsSource<TCrawlReport> & { options: TCrawlOptions; sync: NonNullable<TDocsSource['sync']> };

/** `versionPattern`: DOCS_VERSION_PATTERN, which reads each page's version from its URL (null: no versions). */
/** `audienceRules`: DOCS_AUDIENCES, which gives pages audiences by their URL's path (../audiences.ts). */
export function createCrawlSource(options: TCrawlOptions, versionPattern: string | null = null, audienceRules?: readonly TAudienceRule[]): TCrawlSource {
  const everySeconds = options.intervalMinutes * 60;
  const crawl = async (deps: TSourceDeps) => {
    const report = await crawlDocs({ deps, options, versionPattern, audienceRules });
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
  };
  return {
    kind: CRAWL_KIND,
    options,
    load: crawl,
    poll: (deps) => crawl(deps),
    // The pages the last crawls found on the configured sites (each crawl removes the ones it no longer finds).
    async listIds({ db }) {
      const sites = new Set(options.urls);
      return (await listDocsCrawlPages({ db })).filter((page) => sites.has(page.source)).map((page) => page.url);
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
