-- The docs sources (lib/docs/sources): a state row per kind (folder, crawl, …) with its sync's lease, so that of
-- many instances one syncs a kind at a time, and the kind each page of the index came from (docs_page.source_kind).
-- Tables: 20261124200000_docs_sources.sql; a kind's sync state and its remote's answers kept with their ETags:
-- 20261125120000_docs_source_cache.sql.

-- {claimed: true, lastRun} when this worker may sync the kind now: its last run is p_every_seconds old (or
-- p_is_forced) and no other worker holds an unexpired lease. A worker that died keeps its lease until it lapses.
-- lastRun: when the last sync ran (null before the first), what a sync polls changes since.
create or replace function claim_docs_source_sync(p_kind text, p_worker text, p_every_seconds integer, p_lease_seconds integer, p_is_forced boolean)
returns jsonb
language plpgsql as $$
declare
  v_now timestamptz := now();
  v_last_run timestamptz;
begin
  insert into docs_source_state (kind) values (p_kind) on conflict (kind) do nothing;
  update docs_source_state set lease_owner = p_worker, lease_until = v_now + make_interval(secs => p_lease_seconds)
  where kind = p_kind
    and (p_is_forced or last_run_at is null or last_run_at <= v_now - make_interval(secs => p_every_seconds))
    and (lease_until is null or lease_until <= v_now or lease_owner = p_worker)
  returning last_run_at into v_last_run;
  if not found then
    return jsonb_build_object('claimed', false);
  end if;
  return jsonb_build_object('claimed', true, 'lastRun', v_last_run);
end;
$$;

-- The heartbeat of a long sync: the lease runs p_lease_seconds from now. False if the worker no longer holds it.
create or replace function extend_docs_source_lease(p_kind text, p_worker text, p_lease_seconds integer) returns boolean
language plpgsql as $$
begin
  update docs_source_state set lease_until = now() + make_interval(secs => p_lease_seconds)
  where kind = p_kind and lease_owner = p_worker;
  return found;
end;
$$;

-- The sync is over: its report kept for /api/health, the lease released. False if the worker no longer held it.
create or replace function complete_docs_source_sync(p_kind text, p_worker text, p_every_seconds integer, p_report jsonb) returns boolean
language plpgsql as $$
begin
  update docs_source_state set last_run_at = now(), next_run_at = now() + make_interval(secs => p_every_seconds),
    last_report = coalesce(p_report, '{}'::jsonb), lease_owner = null, lease_until = null
  where kind = p_kind and lease_owner = p_worker;
  return found;
end;
$$;

-- A sync that runs without a lease (the folder, which every instance loads at start before it serves): its
-- report and time, for /api/health. No next run: nothing schedules one.
create or replace function record_docs_source_sync(p_kind text, p_report jsonb) returns void
language sql as $$
  insert into docs_source_state (kind, last_run_at, last_report) values (p_kind, now(), coalesce(p_report, '{}'::jsonb))
  on conflict (kind) do update set last_run_at = excluded.last_run_at, last_report = excluded.last_report
$$;

-- The pages of one kind with their checksums ({path: checksum}): what a source's sync compares with.
create or replace function list_docs_page_checksums_by_kind(p_kind text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_object_agg(path, checksum), '{}'::jsonb) from docs_page where source_kind = p_kind
$$;

-- The pages of one kind marked failed (their last read or parse failed; they keep their sections): the write
-- pipeline (lib/docs/index/pipeline.ts) writes such a page again when its kind yields it, even unchanged, to clear it.
create or replace function list_docs_failed_paths_by_kind(p_kind text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(path order by path), '[]'::jsonb) from docs_page where source_kind = p_kind and last_error is not null
$$;

-- At start: the pages of kinds not configured now (p_kinds: the configured kinds) leave the index. Returns the
-- pages removed, by kind ({folder: 12}).
create or replace function delete_docs_pages_of_other_kinds(p_kinds jsonb) returns jsonb
language sql as $$
  with gone as (
    delete from docs_page where source_kind not in (select jsonb_array_elements_text(coalesce(p_kinds, '[]'::jsonb)))
    returning source_kind
  )
  select coalesce(jsonb_object_agg(source_kind, pages), '{}'::jsonb) from (select source_kind, count(*) as pages from gone group by source_kind) counted
$$;

-- docs.sources of /api/health: per kind with pages or a state row, its pages and sections, the pages whose last
-- parse or fetch failed, its last run and next, and why its last sync failed (the `error` its summary recorded:
-- lib/docs/sources/types.ts, summarise; null when it did not fail).
create or replace function list_docs_sources_status() returns jsonb
language sql stable as $$
  with kinds as (select kind from docs_source_state union select distinct source_kind from docs_page)
  select coalesce(jsonb_agg(jsonb_build_object(
    'kind', k.kind,
    'pages', (select count(*) from docs_page p where p.source_kind = k.kind),
    'sections', (select count(*) from docs_section x join docs_page p on p.id = x.page_id where p.source_kind = k.kind),
    'failed', (select count(*) from docs_page p where p.source_kind = k.kind and p.last_error is not null),
    'lastRun', s.last_run_at,
    'nextRun', s.next_run_at,
    'lastError', case when jsonb_typeof(s.last_report->'error') = 'string' then s.last_report->>'error' end) order by k.kind), '[]'::jsonb)
  from kinds k left join docs_source_state s on s.kind = k.kind
$$;

-- The pages of one kind with their titles and meta ({path: {title, meta}}): what a sync reads back of the threads it
-- indexed before (the GitHub kind: which merged pull requests close which threads, and their titles).
create or replace function list_docs_pages_meta_by_kind(p_kind text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_object_agg(path, jsonb_build_object('title', title, 'meta', meta)), '{}'::jsonb) from docs_page where source_kind = p_kind
$$;

-- What a kind keeps between syncs besides its lease and report ({} before the first): it survives a restart.
create or replace function get_docs_source_sync_state(p_kind text) returns jsonb
language sql stable as $$
  select coalesce((select sync_state from docs_source_state where kind = p_kind), '{}'::jsonb)
$$;

create or replace function set_docs_source_sync_state(p_kind text, p_state jsonb) returns void
language sql as $$
  insert into docs_source_state (kind, sync_state) values (p_kind, coalesce(p_state, '{}'::jsonb))
  on conflict (kind) do update set sync_state = excluded.sync_state
$$;

-- A remote's answer kept with its ETag ({etag, body, link}), or null: what a conditional request sends and reuses.
create or replace function get_docs_source_cache(p_kind text, p_key text) returns jsonb
language sql stable as $$
  select jsonb_build_object('etag', etag, 'body', body, 'link', link) from docs_source_cache where kind = p_kind and key = p_key
$$;

create or replace function put_docs_source_cache(p_kind text, p_key text, p_etag text, p_body jsonb, p_link text) returns void
language sql as $$
  insert into docs_source_cache (kind, key, etag, body, link) values (p_kind, p_key, p_etag, coalesce(p_body, 'null'::jsonb), p_link)
  on conflict (kind, key) do update set etag = excluded.etag, body = excluded.body, link = excluded.link, stored_at = now()
$$;

-- Keeps the p_keep answers of a kind stored last; returns how many older ones were dropped.
create or replace function trim_docs_source_cache(p_kind text, p_keep integer) returns integer
language sql as $$
  with gone as (
    delete from docs_source_cache where kind = p_kind and key in (
      select key from docs_source_cache where kind = p_kind order by stored_at desc, key offset greatest(p_keep, 0))
    returning 1
  )
  select count(*)::integer from gone
$$;

select pa_lock_down();
