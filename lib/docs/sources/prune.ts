import type { TDocsSourcesConfig } from '../../config';
import { deleteDocsPagesByPaths, listDocsPageChecksums } from '../../db/docs-index';
import { pruneDocsCrawlSources } from '../../db/docs-crawl';
import type { TDb } from '../../db/types';
import { isAbsoluteDocUrl } from './folder/published';

// The index follows the configuration: at start (and before `npm run docs:crawl`), pages of sources that are no
// longer configured leave it. A page records its source by its path: a crawled page's is its URL (and its crawl
// state names the configured site it was found from, docs_crawl_page.source); a DOCS_DIR page's is its path in
// the folder. So: crawled pages of a site no longer in DOCS_CRAWL_URL leave (all of them when nothing is
// crawled), and the folder's pages leave when the folder is not indexed (DOCS_CRAWL_URL without DOCS_DIR).

export type TSourcesPruneReport = {
  /** DOCS_DIR pages removed because the folder is no longer indexed. */
  local: number;
  /** Crawled pages removed because their site is no longer configured. */
  crawled: number;
  /** The configured sites are not the ones crawled before: the crawl is due at once. */
  isCrawlChanged: boolean;
};

export async function pruneUnconfiguredSources({ db, docsSources }: { db: TDb; docsSources: TDocsSourcesConfig }): Promise<TSourcesPruneReport> {
  const crawl = await pruneDocsCrawlSources({ db, sources: docsSources.crawl?.urls ?? [] });
  let local = 0;
  if (!docsSources.isDirIndexed) {
    const paths = Object.keys(await listDocsPageChecksums({ db })).filter((pagePath) => !isAbsoluteDocUrl(pagePath));
    if (paths.length > 0) await deleteDocsPagesByPaths({ db, paths });
    local = paths.length;
  }
  return { local, crawled: crawl.removed, isCrawlChanged: crawl.isChanged };
}
