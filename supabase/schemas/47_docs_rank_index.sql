-- The ranking index a server keeps on disk (lib/docs/search/ranking/persist.ts) is trusted only for the docs it was
-- built from. get_docs_search_version (41_docs_search.sql) is the cheap check every search makes; this is the
-- thorough one, read once when a server loads a kept index: a digest of every section's id (re-indexing a page gives
-- its sections new ids), every page's checksum, kind and meta, and the approved vocabulary. An index file of other
-- docs (another database, or this one emptied and filled again to the same counts) is therefore never trusted.
create or replace function get_docs_rank_fingerprint() returns text
language sql stable as $$
  select md5(
    coalesce((select string_agg(s.id::text, ',' order by s.id) from docs_section s), '') || '/'
    || coalesce((select string_agg(p.id::text || ':' || p.checksum || ':' || p.source_kind || ':' || md5(p.meta::text), ',' order by p.id)
                 from docs_page p), '') || '/'
    || coalesce((select string_agg(v.word || ':' || v.path, ',' order by v.word, v.path) from docs_vocabulary v where v.status = 'approved'), ''))
$$;

-- What changed since a server built the ranking index it holds, so that it reads the changed pages' sections only
-- instead of every section again: the sections whose id is above p_after_id (the largest it holds; re-indexing a page
-- replaces its sections, and new ones get new ids), shaped as list_docs_sections_for_ranking_page (41_docs_search.sql)
-- shapes them, and the ids of every section stored now (those it holds and no longer finds are gone).
create or replace function list_docs_sections_for_ranking_since(p_after_id bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'ids', coalesce((select jsonb_agg(s.id order by s.id) from docs_section s), '[]'::jsonb),
    'sections', coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'path', p.path, 'slug', p.slug, 'title', s.page_title,
        'description', s.description, 'heading', s.heading, 'heading_path', s.heading_path, 'anchor', s.anchor, 'content', s.content,
        'kind', p.source_kind, 'meta', p.meta)
        order by s.id)
      from docs_section s join docs_page p on p.id = s.page_id
      where s.id > p_after_id), '[]'::jsonb))
$$;

select pa_lock_down();
