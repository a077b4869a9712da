-- The ranking index a server keeps on disk (lib/docs/search/ranking/persist.ts) is trusted only for the docs it was
-- built from. get_docs_search_version (41_docs_search.sql) is the cheap check every search makes; this is the
-- thorough one, read once when a server loads a kept index: a digest of every section's id (re-indexing a page gives
-- its sections new ids), every page's checksum, kind and meta, and the approved vocabulary. An index file of other
-- docs (another database whose version counter reached the same value, or this one emptied and filled again) is
-- therefore never trusted.
create or replace function get_docs_rank_fingerprint() returns text
language sql stable as $$
  select md5(
    coalesce((select string_agg(s.id::text, ',' order by s.id) from docs_section s), '') || '/'
    || coalesce((select string_agg(p.id::text || ':' || p.checksum || ':' || p.source_kind || ':' || md5(p.meta::text), ',' order by p.id)
                 from docs_page p), '') || '/'
    || coalesce((select string_agg(v.word || ':' || v.path, ',' order by v.word, v.path) from docs_vocabulary v where v.status = 'approved'), ''))
$$;

-- The ids of every section stored now, in id order: with the sections stored after the largest id an index holds
-- (list_docs_sections_for_ranking_page from that id, 41_docs_search.sql; re-indexing a page gives its sections new
-- ids), what a server needs to bring the index up to date without reading every section again. Those it holds and
-- no longer finds here are gone.
create or replace function list_docs_section_ids() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(s.id order by s.id), '[]'::jsonb) from docs_section s
$$;

-- A digest of the ids of every stored section: how many, their sum, and the sum of a 32-bit multiplicative hash of each
-- ((id * 2654435761) mod 2^32, as lib/docs/search/ranking/overlay.ts#sectionIdDigest works it out). A server that lays a
-- change over its ranking index works out which sections the change removed from the sections stored since (a page is
-- re-indexed whole) and checks them against this: one row to read (kept by the triggers on docs_section,
-- 41_docs_search.sql), where list_docs_section_ids is every id; only a page removed with no successor makes them
-- differ, and then it reads every id. Null when the row is missing (the caller reads every id).
create or replace function get_docs_section_id_digest() returns jsonb
language sql stable as $$
  select jsonb_build_object('count', v.section_count, 'sum', v.section_id_sum, 'hash', v.section_id_hash)
  from docs_search_version v where v.singleton
$$;

select pa_lock_down();
