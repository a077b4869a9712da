-- The API reference pages (pages/docs/reference): a spec's pages of the index with their sections, and the pages of
-- a kind. The OpenAPI source (lib/docs/sources/openapi) writes each spec as pages of the kind 'openapi': its
-- overview at `openapi/<spec>` and its tags' pages below it.
-- Tables: docs_page and docs_section (20261124200000_docs_sources.sql adds their source_kind).

-- The page at p_path and the pages below it (`p_path/…`), by path, each with its sections in order. lastError: why its
-- source's last read failed (the page keeps the sections it had).
create or replace function list_docs_pages_under_path(p_path text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', p.path, 'slug', p.slug, 'title', p.title, 'description', p.description,
    'kind', p.source_kind, 'lastError', p.last_error, 'indexedAt', p.indexed_at,
    'sections', coalesce((select jsonb_agg(jsonb_build_object('heading', s.heading, 'heading_path', s.heading_path, 'anchor', s.anchor,
      'content', s.content) order by s.ordinal) from docs_section s where s.page_id = p.id), '[]'::jsonb)) order by p.path), '[]'::jsonb)
  from docs_page p
  where p.path = p_path or left(p.path, length(p_path) + 1) = p_path || '/'
$$;

-- The pages of one kind, by path: their path, slug and title.
create or replace function list_docs_pages_by_kind(p_kind text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', path, 'slug', slug, 'title', title) order by path), '[]'::jsonb)
  from docs_page where source_kind = p_kind
$$;

select pa_lock_down();
