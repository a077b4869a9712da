-- The docs search's version in one row (issue 39: search cost that does not grow with the docs). Every search asks
-- for get_docs_search_version (at most once a second per server, lib/docs/search/ranking/store.ts); it counted every
-- section and the approved vocabulary, 6-9 ms at ten times the Paste docs on the embedded store, which runs one query
-- at a time. Now statement triggers on docs_section and docs_vocabulary (supabase/schemas/41_docs_search.sql) add one
-- to this counter in the transaction that changes what the ranker reads, and the function reads this row.
--
-- The counter starts at 0 for the docs stored now: the function's value changes format with it (a number, where it
-- was `sections:max id/approved:last decision`), so every server's index, in memory or on disk, is taken as stale
-- once and brought up to date from the stored docs; from then on a change of the docs moves the counter.
create table if not exists docs_search_version (
  singleton boolean primary key default true check (singleton),
  version   bigint not null default 0
);
insert into docs_search_version (singleton, version) values (true, 0) on conflict (singleton) do nothing;

select pa_lock_down();
