-- The crawler of a published docs site (lib/docs/sources/crawl): its per-page state. Its lease and run state are
-- the crawl kind's row of docs_source_state (44_docs_sources.sql). Tables: 20261123200230_docs_crawl.sql,
-- 20261124200000_docs_sources.sql.

create or replace function list_docs_crawl_pages() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('url', url, 'source', source, 'etag', etag, 'last_modified', last_modified,
    'lastmod', lastmod, 'content_hash', content_hash, 'last_error', last_error, 'failures', failures, 'html_title', html_title) order by url), '[]'::jsonb)
  from docs_crawl_page
$$;

-- p_pages: [{url, source, etag, last_modified, lastmod, content_hash, last_error, is_indexed, html_title}]. A page
-- with a last_error keeps the conditional headers and hash of its last good fetch (only the error is recorded); a
-- page not fetched again (not modified) keeps its html_title.
create or replace function save_docs_crawl_pages(p_pages jsonb) returns integer
language plpgsql as $$
declare
  saved integer;
begin
  insert into docs_crawl_page as c (url, source, etag, last_modified, lastmod, content_hash, last_error, failures, fetched_at, indexed_at, html_title)
  select p->>'url', coalesce(p->>'source', ''), p->>'etag', p->>'last_modified', p->>'lastmod', p->>'content_hash', p->>'last_error',
         case when p->>'last_error' is null then 0 else 1 end, now(),
         case when (p->>'is_indexed')::boolean then now() end, p->>'html_title'
  from jsonb_array_elements(p_pages) p
  on conflict (url) do update set
    source = excluded.source,
    etag = case when excluded.last_error is null then excluded.etag else c.etag end,
    last_modified = case when excluded.last_error is null then excluded.last_modified else c.last_modified end,
    lastmod = case when excluded.last_error is null then excluded.lastmod else c.lastmod end,
    content_hash = case when excluded.last_error is null then coalesce(excluded.content_hash, c.content_hash) else c.content_hash end,
    last_error = left(excluded.last_error, 2000),
    failures = case when excluded.last_error is null then 0 else c.failures + 1 end,
    fetched_at = now(),
    indexed_at = coalesce(excluded.indexed_at, c.indexed_at),
    html_title = coalesce(excluded.html_title, c.html_title);
  get diagnostics saved = row_count;
  return saved;
end;
$$;

-- Pages that left the site: their crawl state (their pages leave the index through the write pipeline,
-- lib/docs/index/pipeline.ts).
create or replace function delete_docs_crawl_pages(p_urls jsonb) returns integer
language plpgsql as $$
declare
  removed integer;
begin
  delete from docs_crawl_page where url in (select jsonb_array_elements_text(p_urls));
  get diagnostics removed = row_count;
  return removed;
end;
$$;

-- At start, p_sources: the configured sites (DOCS_CRAWL_URL, [] when none). Crawled pages of any other site are to
-- leave the index, and their crawl state is forgotten: those found from a source no longer configured, and those
-- without crawl state (a crawl that died before saving it) outside every configured site's origin. When the sites
-- are not the ones the state was last set for, the crawl is due at once (its last run, report and lease were another
-- site's). Returns {stale: the index paths of the pages to leave (lib/docs/sources/prune.ts removes them), isChanged}.
create or replace function prune_docs_crawl_sources(p_sources jsonb) returns jsonb
language plpgsql as $$
declare
  v_stale jsonb;
  v_is_changed boolean;
begin
  with configured as (select jsonb_array_elements_text(coalesce(p_sources, '[]'::jsonb)) as source)
  select coalesce(jsonb_agg(p.path order by p.path), '[]'::jsonb) into v_stale
  from docs_page p
  where p.source_kind = 'crawl'
    and (
      exists (select 1 from docs_crawl_page c where c.url = p.path and c.source not in (select source from configured))
      or (not exists (select 1 from docs_crawl_page c where c.url = p.path)
          and not exists (select 1 from configured s
                          where lower(p.path) like lower(substring(s.source from '^[A-Za-z]+://[^/?#]+')) || '/%'))
    );
  delete from docs_crawl_page where source not in (select jsonb_array_elements_text(coalesce(p_sources, '[]'::jsonb)));
  insert into docs_source_state (kind) values ('crawl') on conflict (kind) do nothing;
  update docs_source_state
  set sources = coalesce(p_sources, '[]'::jsonb), last_run_at = null, next_run_at = null, last_report = '{}'::jsonb,
      lease_owner = null, lease_until = null
  where kind = 'crawl' and sources is distinct from coalesce(p_sources, '[]'::jsonb);
  v_is_changed := found;
  return jsonb_build_object('stale', v_stale, 'isChanged', v_is_changed);
end;
$$;

-- docs.crawl of /api/health: pages crawled, pages whose last fetch failed, the last run and the next.
create or replace function get_docs_crawl_status() returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'pages', (select count(*) from docs_crawl_page),
    'failed', (select count(*) from docs_crawl_page where last_error is not null),
    'lastRun', (select last_run_at from docs_source_state where kind = 'crawl'),
    'nextRun', (select next_run_at from docs_source_state where kind = 'crawl'),
    'lastReport', (select last_report from docs_source_state where kind = 'crawl'))
$$;

select pa_lock_down();
