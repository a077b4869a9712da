-- The API reference pages (pages/docs/reference): a spec's pages of the index as an outline, the page that holds an
-- operation, and the pages of a kind. The OpenAPI source (lib/docs/sources/openapi) writes each spec as pages of the kind 'openapi': its
-- overview at `openapi/<spec>` and its tags' pages below it.
-- Tables: docs_page and docs_section (20261124200000_docs_sources.sql adds their source_kind).

-- The page at p_path and the pages below it (`p_path/…`), by path, each with its sections in order as an outline:
-- each section's heading, heading path and anchor, and the content only of sections that are not API operations (a
-- spec's overview): what a spec's index page lists, without its operations' text (each is a page of its own).
-- lastError: why its source's last read failed (the page keeps the sections it had).
create or replace function list_docs_pages_under_path(p_path text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', p.path, 'slug', p.slug, 'title', p.title, 'description', p.description,
    'kind', p.source_kind, 'lastError', p.last_error, 'indexedAt', p.indexed_at,
    'sections', coalesce((select jsonb_agg(jsonb_build_object('heading', s.heading, 'heading_path', s.heading_path, 'anchor', s.anchor,
      'content', case when s.anchor ~ '^operation/' then '' else s.content end) order by s.ordinal)
      from docs_section s where s.page_id = p.id), '[]'::jsonb)) order by p.path), '[]'::jsonb)
  from docs_page p
  where p.path = p_path or left(p.path, length(p_path) + 1) = p_path || '/'
$$;

-- The page that holds the section anchored p_anchor (an API operation's page of the index: its tag's), among those at
-- p_slug (where its URL is) or at and below p_path (a spec's pages), whichever is given, with every section's heading,
-- heading path and anchor, and the content of that section only; null when there is none.
create or replace function get_docs_page_by_section_anchor(p_slug text, p_path text, p_anchor text) returns jsonb
language sql stable as $$
  select jsonb_build_object('path', p.path, 'slug', p.slug, 'title', p.title, 'description', p.description,
    'kind', p.source_kind, 'lastError', p.last_error, 'indexedAt', p.indexed_at,
    'sections', coalesce((select jsonb_agg(jsonb_build_object('heading', o.heading, 'heading_path', o.heading_path, 'anchor', o.anchor,
      'content', case when o.anchor = p_anchor then o.content else '' end) order by o.ordinal)
      from docs_section o where o.page_id = p.id), '[]'::jsonb))
  from docs_page p
  where (p_slug is null or p.slug = p_slug)
    and (p_path is null or p.path = p_path or left(p.path, length(p_path) + 1) = p_path || '/')
    and coalesce(p_slug, p_path) is not null and p_anchor <> '' and exists (select 1 from docs_section s where s.page_id = p.id and s.anchor = p_anchor)
  order by p.path
  limit 1
$$;

-- The pages of one kind, by path: their path, slug and title, and why their source's last read failed (lastError).
create or replace function list_docs_pages_by_kind(p_kind text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', path, 'slug', slug, 'title', title, 'lastError', last_error) order by path), '[]'::jsonb)
  from docs_page where source_kind = p_kind
$$;

select pa_lock_down();
