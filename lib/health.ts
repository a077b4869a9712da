import type { TConfig } from './config';
import { getDocsIndexStats } from './db/docs-index';
import { getDocsCrawlStatus } from './db/docs-crawl';
import { listDocsSourcesStatus } from './db/docs-sources';
import type { TDb } from './db/types';
import type { TEmbedder } from './docs/index/embeddings';
import type { TIndexReport } from './docs/index/indexer';
import { docsSearchMode } from './docs/search/search';
import type { TModelClient } from './model/types';

export type THealthDeps = {
  db: TDb;
  config: Pick<TConfig, 'store' | 'slack' | 'session'> & Partial<Pick<TConfig, 'docsSources'>>;
  model: Pick<TModelClient, 'mode' | 'name'>;
  embedder: TEmbedder | null;
  docsIndex: { lastReport: TIndexReport | null };
};

/** Which mode each concern runs in, and the size of the docs index. No secrets, no URLs with credentials. */
export async function getHealth(deps: THealthDeps) {
  const { config } = deps;
  const stats = await getDocsIndexStats({ db: deps.db });
  // Only when a site is crawled (DOCS_CRAWL_URL): its pages, the pages whose last fetch failed, last and next run,
  // and what the last crawl said it did otherwise than asked (a sitemap naming another site: links followed).
  const crawl = config.docsSources?.crawl ? await getDocsCrawlStatus({ db: deps.db }) : null;
  // Per kind of source (folder, crawl, …): its pages, those whose last parse or fetch failed, its last and next
  // sync. Only when a source syncs in the background (today: a crawled site), as `crawl` is.
  const sources = crawl ? await listDocsSourcesStatus({ db: deps.db }) : null;
  return {
    status: 'ok' as const,
    modes: {
      store: config.store.mode,
      model: deps.model.mode,
      docsSearch: docsSearchMode(deps.embedder),
      slack: config.slack.mode,
      // Whether mentions and direct messages in Slack are answered (needs Slack, its signing secret and
      // SLACK_ANSWERS not `off`): a deployment can tell from here why Slack stays silent.
      slackAnswers: config.slack.mode === 'enabled' && config.slack.answers ? ('on' as const) : ('off' as const),
      session: config.session.mode,
    },
    model: deps.model.name,
    docs: {
      pages: stats.pages,
      sections: stats.sections,
      failed: deps.docsIndex.lastReport?.failed.length ?? 0,
      ...(crawl
        ? { crawl: { pages: crawl.pages, failed: crawl.failed, lastRun: crawl.lastRun, nextRun: crawl.nextRun, notices: readCrawlNotices(crawl.lastReport) } }
        : {}),
      ...(sources ? { sources } : {}),
    },
  };
}

/** The notices of the last crawl's report (none before the first crawl, or from a report written before notices). */
function readCrawlNotices(report: Record<string, unknown> | null): { message: string; example: string | null }[] {
  const notices = report?.notices;
  if (!Array.isArray(notices)) return [];
  return notices.flatMap((notice: unknown) => {
    const { message, example } = (notice ?? {}) as { message?: unknown; example?: unknown };
    return typeof message === 'string' ? [{ message, example: typeof example === 'string' ? example : null }] : [];
  });
}
