-- The docs sources (lib/docs/sources): each kind (folder, crawl, …) has its own state row: its sync's lease (one
-- instance syncs a kind at a time), when it last ran and next runs, its last report, and the configuration it
-- was last synced for. It replaces docs_crawl_state, whose one row ('crawl') becomes the crawl kind's. Each page
-- of the index records the kind of the source it came from (docs_page.source_kind), instead of "a crawled page's
-- path is a URL": the pages already indexed are labelled by that rule once, here.
-- The functions: supabase/schemas/44_docs_sources.sql (claim_docs_crawl and complete_docs_crawl are dropped:
-- claim_docs_source_sync and complete_docs_source_sync take the kind).

create table if not exists docs_source_state (
  kind text primary key,
  -- The configuration the state was last set for (the crawl: the configured sites); null: not recorded.
  sources jsonb,
  lease_owner text,
  lease_until timestamptz,
  last_run_at timestamptz,
  next_run_at timestamptz,
  last_report jsonb not null default '{}'::jsonb
);

-- The crawl's state, once (a later run finds no docs_crawl_state: to_regclass is null and nothing is copied).
do $copy$
begin
  if to_regclass('public.docs_crawl_state') is not null then
    insert into docs_source_state (kind, sources, lease_owner, lease_until, last_run_at, next_run_at, last_report)
    select id, sources, lease_owner, lease_until, last_run_at, next_run_at, last_report from docs_crawl_state
    on conflict (kind) do nothing;
  end if;
end
$copy$;
drop table if exists docs_crawl_state;

drop function if exists claim_docs_crawl(text, integer, integer, boolean);
drop function if exists complete_docs_crawl(text, integer, jsonb);

alter table docs_page add column if not exists source_kind text not null default 'folder';
update docs_page set source_kind = 'crawl' where source_kind = 'folder' and path ~* '^https?://';
create index if not exists docs_page_source_kind_idx on docs_page (source_kind);

select pa_lock_down();
