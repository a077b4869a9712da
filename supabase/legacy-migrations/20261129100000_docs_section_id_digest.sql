-- The stored sections' ids digested in the docs search's version row (issue 39: re-indexing one page costs that page).
-- A server lays a change over its ranking index (lib/docs/search/ranking/overlay.ts) after reading the sections stored
-- since its base, and checks which sections it takes to be gone against a digest of the stored ids: how many, their sum,
-- and the sum of a 32-bit hash of each ((id * 2654435761) mod 2^32). Counted over every section, that was a sixth of a
-- second at a hundred times the Paste docs on the embedded store; kept here, it is one row to read. Counted once now
-- from the sections stored; from then on the statement triggers on docs_section (supabase/schemas/41_docs_search.sql)
-- add what each insert adds and take away what each delete takes, in the transaction that changes them.
alter table docs_search_version add column if not exists section_count bigint not null default 0;
alter table docs_search_version add column if not exists section_id_sum numeric not null default 0;
alter table docs_search_version add column if not exists section_id_hash numeric not null default 0;
insert into docs_search_version (singleton, version) values (true, 0) on conflict (singleton) do nothing;
update docs_search_version set
  section_count = (select count(*) from docs_section),
  section_id_sum = coalesce((select sum(s.id) from docs_section s), 0),
  section_id_hash = coalesce((select sum((s.id::bigint * 2654435761) % 4294967296) from docs_section s), 0)
where singleton;

select pa_lock_down();
