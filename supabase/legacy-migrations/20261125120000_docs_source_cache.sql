-- A source's sync state outlives the process (issue 37): what a kind keeps between syncs besides its lease and report
-- (docs_source_state.sync_state: the GitHub kind's last full sync), and the answers a remote gave with an ETag
-- (docs_source_cache: the ETag, the body and the Link header of one URL), so that after a restart, or on another
-- instance, the next sync is incremental and asks conditionally (a 304 costs GitHub nothing against its limit).
-- The functions: supabase/schemas/44_docs_sources.sql.

alter table docs_source_state add column if not exists sync_state jsonb not null default '{}'::jsonb;

create table if not exists docs_source_cache (
  kind text not null,
  key text not null,
  etag text not null,
  body jsonb not null,
  link text,
  stored_at timestamptz not null default now(),
  primary key (kind, key)
);
create index if not exists docs_source_cache_stored_idx on docs_source_cache (kind, stored_at);

select pa_lock_down();
