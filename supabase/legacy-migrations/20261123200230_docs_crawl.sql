-- The crawler's memory of a crawled docs site (DOCS_CRAWL_URL): per page, what it needs for a conditional
-- request (ETag, Last-Modified, the sitemap's lastmod) and the hash of its extracted content, so that an
-- unchanged page costs one request and no re-indexing; its last failure, which keeps the page's previous
-- index. One row of run state holds the lease (one instance crawls) and when the last run was and the next is.
-- The pages' sections themselves live in docs_page / docs_section, with the page's URL as their path.

create table if not exists docs_crawl_page (
  url text primary key,
  -- The configured URL (a site's root or sitemap) the page was found from.
  source text not null,
  etag text,
  last_modified text,
  lastmod text,
  content_hash text,
  last_error text,
  failures integer not null default 0,
  fetched_at timestamptz,
  indexed_at timestamptz
);

create table if not exists docs_crawl_state (
  id text primary key,
  lease_owner text,
  lease_until timestamptz,
  last_run_at timestamptz,
  next_run_at timestamptz,
  last_report jsonb not null default '{}'::jsonb
);

select pa_lock_down();
