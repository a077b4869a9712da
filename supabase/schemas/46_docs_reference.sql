-- The API reference pages (pages/docs/reference): a spec's page of the index with its sections, and the specs there
-- are. The OpenAPI source (lib/docs/sources/openapi) writes them as pages of the kind 'openapi'.
-- Tables: docs_page and docs_section (20261124200000_docs_sources.sql adds their source_kind).

-- A page and its sections in order; null when it is not indexed. lastError: why its source's last read failed
-- (the page keeps the sections it had).
create or replace function get_docs_page_by_path(p_path text) returns jsonb
language sql stable as $$
  select jsonb_build_object('path', p.path, 'slug', p.slug, 'title', p.title, 'description', p.description, 'kind', p.source_kind,
    'lastError', p.last_error, 'indexedAt', p.indexed_at,
    'sections', coalesce((select jsonb_agg(jsonb_build_object('heading', s.heading, 'heading_path', s.heading_path, 'anchor', s.anchor,
      'content', s.content) order by s.ordinal) from docs_section s where s.page_id = p.id), '[]'::jsonb))
  from docs_page p where p.path = p_path
$$;

-- The pages of one kind, by path: their path, slug and title.
create or replace function list_docs_pages_by_kind(p_kind text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', path, 'slug', slug, 'title', title) order by path), '[]'::jsonb)
  from docs_page where source_kind = p_kind
$$;

select pa_lock_down();
