import type { TDb } from './types';

// The crawler's state in the database (supabase/schemas/42_docs_crawl.sql); its lease is the crawl kind's
// docs_source_state row (./docs-sources.ts).

export type TCrawlPageState = {
  url: string;
  source: string;
  etag: string | null;
  last_modified: string | null;
  lastmod: string | null;
  content_hash: string | null;
  last_error: string | null;
  failures: number;
  /** The page's <title> as last served (null before it was recorded). */
  html_title: string | null;
};

export type TCrawlPageUpdate = {
  url: string;
  source: string;
  etag?: string | null;
  last_modified?: string | null;
  lastmod?: string | null;
  content_hash?: string | null;
  last_error?: string | null;
  is_indexed?: boolean;
  html_title?: string | null;
};

export type TCrawlStatus = {
  pages: number;
  failed: number;
  lastRun: string | null;
  nextRun: string | null;
  lastReport: Record<string, unknown> | null;
};

export function listDocsCrawlPages({ db }: { db: TDb }) {
  return db.rpc<TCrawlPageState[]>('list_docs_crawl_pages');
}

export function saveDocsCrawlPages({ db, pages }: { db: TDb; pages: TCrawlPageUpdate[] }) {
  return db.rpc<number>('save_docs_crawl_pages', { p_pages: pages });
}

/** Forgets the crawl state of pages that left the crawled site (their pages leave the index through the write pipeline). */
export function deleteDocsCrawlPagesByUrls({ db, urls }: { db: TDb; urls: string[] }) {
  return db.rpc<number>('delete_docs_crawl_pages', { p_urls: urls });
}

export function getDocsCrawlStatus({ db }: { db: TDb }) {
  return db.rpc<TCrawlStatus>('get_docs_crawl_status');
}

/**
 * At start: the crawled pages of sites other than `sources` (the configured DOCS_CRAWL_URL), which are to leave the
 * index (`stale`, their index paths: lib/docs/sources/prune.ts removes them), their crawl state forgotten; when the
 * sites changed the crawl is due at once.
 */
export function pruneDocsCrawlSources({ db, sources }: { db: TDb; sources: string[] }) {
  return db.rpc<{ stale: string[]; isChanged: boolean }>('prune_docs_crawl_sources', { p_sources: sources });
}
