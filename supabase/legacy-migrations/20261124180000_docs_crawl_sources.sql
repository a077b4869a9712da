-- The crawled sites (DOCS_CRAWL_URL) the crawl state was last set for: a start with other sites crawls them at
-- once (prune_docs_crawl_sources, supabase/schemas/42_docs_crawl.sql), instead of at the old sites' next run.

alter table docs_crawl_state add column if not exists sources jsonb;

select pa_lock_down();
