-- The docs index: one row per page (with a checksum, so re-indexing touches only what changed) and one per
-- section (split by heading), searched with Postgres full-text search.

create extension if not exists pg_trgm;

create table if not exists docs_page (
  id bigint generated always as identity primary key,
  path text not null unique,
  slug text not null,
  title text not null,
  description text not null default '',
  checksum text not null,
  indexed_at timestamptz not null default now()
);

create table if not exists docs_section (
  id bigint generated always as identity primary key,
  page_id bigint not null references docs_page (id) on delete cascade,
  ordinal integer not null,
  page_title text not null,
  heading text not null default '',
  heading_path jsonb not null default '[]'::jsonb,
  anchor text not null default '',
  content text not null,
  fts tsvector generated always as (
    setweight(to_tsvector('english', page_title), 'A') ||
    setweight(to_tsvector('english', heading), 'B') ||
    setweight(to_tsvector('english', content), 'C')
  ) stored
);
create index if not exists docs_section_page_idx on docs_section (page_id, ordinal);
create index if not exists docs_section_fts_idx on docs_section using gin (fts);

-- Every search, for analytics: what readers ask and which questions the docs fail.
create table if not exists docs_query (
  id bigint generated always as identity primary key,
  query text not null,
  result_count integer not null,
  source text not null check (source in ('site', 'assistant')),
  created_at timestamptz not null default now()
);
create index if not exists docs_query_created_idx on docs_query (created_at);

create or replace function list_docs_page_checksums() returns jsonb
language sql stable as $$
  select coalesce(jsonb_object_agg(path, checksum), '{}'::jsonb) from docs_page
$$;

-- Replaces one page and its sections in one transaction.
create or replace function upsert_docs_page_by_path(
  p_path text, p_slug text, p_title text, p_description text, p_checksum text, p_sections jsonb)
returns jsonb
language plpgsql as $$
declare
  v_page_id bigint;
begin
  insert into docs_page (path, slug, title, description, checksum)
  values (p_path, p_slug, p_title, coalesce(p_description, ''), p_checksum)
  on conflict (path) do update set slug = excluded.slug, title = excluded.title,
    description = excluded.description, checksum = excluded.checksum, indexed_at = now()
  returning id into v_page_id;
  delete from docs_section where page_id = v_page_id;
  insert into docs_section (page_id, ordinal, page_title, heading, heading_path, anchor, content)
  select v_page_id, (s.ordinality - 1)::int, p_title, coalesce(s.value->>'heading', ''),
         coalesce(s.value->'heading_path', '[]'::jsonb), coalesce(s.value->>'anchor', ''), s.value->>'content'
  from jsonb_array_elements(p_sections) with ordinality s;
  return jsonb_build_object('path', p_path, 'sections', jsonb_array_length(p_sections));
end;
$$;

create or replace function delete_docs_pages_by_paths(p_paths jsonb) returns integer
language plpgsql as $$
declare
  removed integer;
begin
  delete from docs_page where path in (select jsonb_array_elements_text(p_paths));
  get diagnostics removed = row_count;
  return removed;
end;
$$;

create or replace function get_docs_index_stats() returns jsonb
language sql stable as $$
  select jsonb_build_object('pages', (select count(*) from docs_page), 'sections', (select count(*) from docs_section))
$$;

-- Full-text search over sections: any of the question's words may match (questions are rarely literal),
-- ranked by cover density, so sections matching more words, closer together and in titles rank higher.
create or replace function search_docs_sections(p_query text, p_limit integer) returns jsonb
language plpgsql stable as $$
declare
  q tsquery;
begin
  q := nullif(replace(plainto_tsquery('english', p_query)::text, ' & ', ' | '), '')::tsquery;
  if q is null then
    return '[]'::jsonb;
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'path', x.path, 'slug', x.slug, 'title', x.page_title, 'heading', x.heading, 'anchor', x.anchor,
      'content', x.content, 'similarity', round(x.rank::numeric, 4)) order by x.rank desc, x.id)
    from (select s.id, p.path, p.slug, s.page_title, s.heading, s.anchor, s.content,
                 ts_rank_cd('{0.1, 0.2, 0.6, 1.0}', s.fts, q, 32) as rank
          from docs_section s join docs_page p on p.id = s.page_id
          where s.fts @@ q
          order by rank desc, s.id limit p_limit) x), '[]'::jsonb);
end;
$$;

create or replace function record_docs_query(p_query text, p_result_count integer, p_source text) returns void
language sql as $$
  insert into docs_query (query, result_count, source) values (left(p_query, 500), p_result_count, p_source)
$$;

select pa_lock_down();
