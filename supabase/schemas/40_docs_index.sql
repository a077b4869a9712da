-- The docs index: pages (with a checksum, so re-indexing touches only what changed), their sections and their
-- embeddings. Derived from the docs files: `docs:index` rebuilds all of it.
--
-- Embeddings are real[] (any dimension). Where the database has pgvector (Supabase, a Postgres with it, the embedded
-- PGlite with @electric-sql/pglite-pgvector), each (model, dimension) has a partial HNSW index over them
-- (ensure_docs_embedding_index; why this shape: 20261126110000_docs_embedding_hnsw.sql) and docs_cosine_similarity is
-- pgvector's; without it, docs_cosine_similarity is plain SQL and the nearest sections come from an exact scan.

do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'vector') then
    create extension if not exists vector;
    execute $f$
      create or replace function docs_cosine_similarity(a real[], b real[]) returns double precision
      language sql immutable parallel safe as $b$ select 1 - ((a::vector) <=> (b::vector)) $b$
    $f$;
  else
    execute $f$
      create or replace function docs_cosine_similarity(a real[], b real[]) returns double precision
      language sql immutable parallel safe as $b$
        select case when sum(x * x) = 0 or sum(y * y) = 0 then 0
                    else sum(x * y) / (sqrt(sum(x * x)) * sqrt(sum(y * y))) end
        from unnest(a, b) as t(x, y)
      $b$
    $f$;
  end if;
end;
$$;

create or replace function list_docs_page_checksums() returns jsonb
language sql stable as $$
  select coalesce(jsonb_object_agg(path, checksum), '{}'::jsonb) from docs_page
$$;

-- p_pages[].kind: the kind of source the page comes from (lib/docs/sources; 'folder' when absent).
create or replace function upsert_docs_pages_by_path(p_pages jsonb) returns jsonb
language plpgsql as $$
declare
  v_page jsonb;
  v_page_id bigint;
  v_sections integer := 0;
begin
  if jsonb_typeof(p_pages) is distinct from 'array' then
    raise exception 'p_pages must be an array of pages' using errcode = 'PA400';
  end if;
  for v_page in select value from jsonb_array_elements(p_pages) loop
    if coalesce(v_page->>'path', '') = '' or jsonb_typeof(v_page->'sections') is distinct from 'array' then
      raise exception 'a page needs a path and an array of sections' using errcode = 'PA400';
    end if;
    if v_page ? 'meta' and jsonb_typeof(v_page->'meta') not in ('object', 'null') then
      raise exception 'a page''s meta is an object' using errcode = 'PA400';
    end if;
    insert into docs_page (path, slug, title, description, checksum, warnings, last_error, source_kind, meta)
    values (v_page->>'path', coalesce(v_page->>'slug', ''), coalesce(v_page->>'title', ''), coalesce(v_page->>'description', ''),
            coalesce(v_page->>'checksum', ''), coalesce(v_page->'warnings', '[]'::jsonb), null, coalesce(v_page->>'kind', 'folder'),
            coalesce(nullif(v_page->'meta', 'null'::jsonb), '{}'::jsonb))
    on conflict (path) do update set slug = excluded.slug, title = excluded.title, description = excluded.description,
      checksum = excluded.checksum, warnings = excluded.warnings, last_error = null, indexed_at = now(), source_kind = excluded.source_kind,
      meta = excluded.meta
    returning id into v_page_id;

    with old as (
      delete from docs_section where page_id = v_page_id
      returning content_hash, embedding, embedding_model
    ),
    kept as (
      select distinct on (content_hash) content_hash, embedding, embedding_model from old where embedding is not null
    ),
    incoming as (
      select (s.ordinality - 1)::int as ordinal, coalesce(s.value->>'heading', '') as heading,
             coalesce(s.value->'heading_path', '[]'::jsonb) as heading_path, coalesce(s.value->>'anchor', '') as anchor,
             s.value->>'content' as content,
             md5(coalesce(v_page->>'title', '') || E'\n' || coalesce(s.value->>'heading', '') || E'\n' || (s.value->>'content')) as content_hash
      from jsonb_array_elements(v_page->'sections') with ordinality s
    )
    insert into docs_section (page_id, ordinal, page_title, description, heading, heading_path, anchor, content, content_hash,
                              embedding, embedding_model)
    select v_page_id, i.ordinal, coalesce(v_page->>'title', ''), coalesce(v_page->>'description', ''), i.heading, i.heading_path,
           i.anchor, i.content, i.content_hash, k.embedding, k.embedding_model
    from incoming i left join kept k on k.content_hash = i.content_hash;
    v_sections := v_sections + jsonb_array_length(v_page->'sections');
  end loop;
  return jsonb_build_object('pages', jsonb_array_length(p_pages), 'sections', v_sections);
end;
$$;

-- A page that failed to parse keeps its sections; the failure is recorded on it (and reported by the indexer).
create or replace function mark_docs_page_failed_by_path(p_path text, p_error text) returns jsonb
language sql as $$
  update docs_page set last_error = left(p_error, 2000) where path = p_path
  returning jsonb_build_object('path', path, 'sections', (select count(*) from docs_section where page_id = docs_page.id))
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
  select jsonb_build_object(
    'pages', (select count(*) from docs_page),
    'sections', (select count(*) from docs_section),
    'embedded', (select count(*) from docs_section where embedding is not null),
    'failed', (select count(*) from docs_page where last_error is not null))
$$;

-- The sections of one page in order (tests and tools; search returns sections of many pages).
create or replace function list_docs_sections_by_path(p_path text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('heading', s.heading, 'heading_path', s.heading_path, 'anchor', s.anchor,
    'content', s.content, 'has_embedding', s.embedding is not null) order by s.ordinal), '[]'::jsonb)
  from docs_section s join docs_page p on p.id = s.page_id where p.path = p_path
$$;

-- Sections that have no embedding for `p_model` yet: what the indexer sends to the embeddings API.
create or replace function list_docs_sections_missing_embedding(p_model text, p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'text', x.text) order by x.id), '[]'::jsonb)
  from (select s.id, s.page_title || E'\n' || array_to_string(array(select jsonb_array_elements_text(s.heading_path)), ' › ')
                 || E'\n\n' || s.content as text
        from docs_section s
        where s.embedding is null or s.embedding_model is distinct from p_model
        order by s.id limit greatest(1, least(p_limit, 1000))) x
$$;

-- The name of the HNSW index of a model's vectors of one dimension (the index itself: ensure_docs_embedding_index).
create or replace function docs_embedding_index_name(p_model text, p_dimensions integer) returns text
language sql immutable as $$
  select 'docs_section_hnsw_' || left(md5(p_model || ':' || p_dimensions), 12)
$$;

-- Makes the HNSW index of a model's vectors of one dimension, where the database has pgvector; true when it exists.
-- Called before a model's first vectors are stored, so the index is built as they arrive rather than all at once.
-- Security definer: creating an index takes the table's owner, and Supabase's service role is not it.
create or replace function ensure_docs_embedding_index(p_model text, p_dimensions integer) returns boolean
language plpgsql security definer set search_path = public, extensions, pg_temp as $$
declare
  v_name text := docs_embedding_index_name(p_model, p_dimensions);
begin
  if p_model is null or p_dimensions is null or p_dimensions < 1 or p_dimensions > 4000
     or not exists (select 1 from pg_extension where extname = 'vector') then
    return false;
  end if;
  if to_regclass(v_name) is null then
    execute format('create index if not exists %I on docs_section using hnsw ((embedding::halfvec(%s)) halfvec_cosine_ops) '
                   'where embedding_model = %L and cardinality(embedding) = %s', v_name, p_dimensions, p_model, p_dimensions);
  end if;
  return true;
end;
$$;

-- p_embeddings: [{id, embedding: [numbers]}].
create or replace function set_docs_section_embeddings(p_model text, p_embeddings jsonb) returns integer
language plpgsql as $$
declare
  updated integer;
  v_dimensions integer;
begin
  for v_dimensions in select distinct jsonb_array_length(e.value->'embedding') from jsonb_array_elements(p_embeddings) e
                      where jsonb_typeof(e.value->'embedding') = 'array' loop
    perform ensure_docs_embedding_index(p_model, v_dimensions);
  end loop;
  update docs_section s
  set embedding = array(select jsonb_array_elements_text(e.value->'embedding')::real), embedding_model = p_model
  from jsonb_array_elements(p_embeddings) e
  where s.id = (e.value->>'id')::bigint;
  get diagnostics updated = row_count;
  return updated;
end;
$$;

select pa_lock_down();
