-- The docs index: one row per page (with a checksum, so re-indexing touches only what changed) and one per
-- section (split by heading), searched with Postgres full-text search (field weights, prefix, phrase and
-- typo tolerance through pg_trgm) and, when embeddings are configured, cosine similarity of embeddings,
-- fused by reciprocal rank. The index is derived from the docs files: dropping it loses nothing that the next
-- `docs:index` does not rebuild.
--
-- Embeddings are stored as real[] and compared by docs_cosine_similarity, which uses pgvector where the
-- database has it (Supabase) and plain SQL where it does not: PGlite 0.5.16 with @electric-sql/pglite-pgvector
-- 0.0.15 loaded corrupts the backend nondeterministically (ERRORDATA_STACK_SIZE exceeded PANIC after a few
-- dozen trigram queries, and pg_trgm's `%` matching nothing), so the embedded store runs without it.

create extension if not exists pg_trgm;

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

-- An index built by an earlier shape of this file is rebuilt rather than migrated.
do $$
begin
  if exists (select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'docs_section')
     and not exists (select 1 from information_schema.columns
                     where table_schema = current_schema() and table_name = 'docs_section' and column_name = 'content_hash') then
    drop table if exists docs_section;
    drop table if exists docs_page;
  end if;
end;
$$;

-- Immutable, so that the generated search vector may use it.
create or replace function heading_path_text(p_path jsonb) returns text
language sql immutable as $$
  select coalesce(string_agg(value, ' '), '') from jsonb_array_elements_text(coalesce(p_path, '[]'::jsonb))
$$;

create table if not exists docs_page (
  id bigint generated always as identity primary key,
  path text not null unique,
  slug text not null,
  title text not null,
  description text not null default '',
  checksum text not null,
  -- Repairs the parser made (see lib/docs/mdx.ts), and the last parse failure: the page keeps its sections.
  warnings jsonb not null default '[]'::jsonb,
  last_error text,
  indexed_at timestamptz not null default now()
);

create table if not exists docs_section (
  id bigint generated always as identity primary key,
  page_id bigint not null references docs_page (id) on delete cascade,
  ordinal integer not null,
  page_title text not null,
  description text not null default '',
  heading text not null default '',
  heading_path jsonb not null default '[]'::jsonb,
  anchor text not null default '',
  content text not null,
  content_hash text not null,
  -- A: page title, B: the heading path, C: body, D: the page description.
  fts tsvector generated always as (
    setweight(to_tsvector('english', page_title), 'A') ||
    setweight(to_tsvector('english', heading_path_text(heading_path)), 'B') ||
    setweight(to_tsvector('english', content), 'C') ||
    setweight(to_tsvector('english', description), 'D')
  ) stored,
  title_fts tsvector generated always as (to_tsvector('english', page_title)) stored,
  heading_fts tsvector generated always as (to_tsvector('english', heading)) stored,
  -- Any dimension: the model is configurable; search compares only vectors of the model it queries with.
  embedding real[],
  embedding_model text
);

create index if not exists docs_section_page_idx on docs_section (page_id, ordinal);
create index if not exists docs_section_fts_idx on docs_section using gin (fts);
create index if not exists docs_section_embedding_model_idx on docs_section (embedding_model);

-- The vocabulary, for prefix matching and typo tolerance: every word of the index (as written, lowercased),
-- its English stem, and in how many sections the stem occurs. Rebuilt after each index run that changed pages.
create table if not exists docs_term (
  word text primary key,
  lexeme text,
  ndoc integer not null default 0
);
create index if not exists docs_term_word_trgm_idx on docs_term using gin (word gin_trgm_ops);
create index if not exists docs_term_lexeme_idx on docs_term (lexeme);

create table if not exists docs_lexeme (
  lexeme text primary key,
  ndoc integer not null
);

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

-- Replaces pages and their sections, a batch per call (one transaction: fewer commits make a cold index of a
-- few hundred pages several times faster). p_pages: [{path, slug, title, description, checksum, warnings,
-- sections: [{heading, heading_path, anchor, content}]}]. Embeddings of sections whose text did not change
-- are kept, so that editing one paragraph re-embeds one section.
drop function if exists upsert_docs_page_by_path(text, text, text, text, text, jsonb);
drop function if exists upsert_docs_page_by_path(text, text, text, text, text, jsonb, jsonb);
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
    insert into docs_page (path, slug, title, description, checksum, warnings, last_error)
    values (v_page->>'path', coalesce(v_page->>'slug', ''), coalesce(v_page->>'title', ''), coalesce(v_page->>'description', ''),
            coalesce(v_page->>'checksum', ''), coalesce(v_page->'warnings', '[]'::jsonb), null)
    on conflict (path) do update set slug = excluded.slug, title = excluded.title, description = excluded.description,
      checksum = excluded.checksum, warnings = excluded.warnings, last_error = null, indexed_at = now()
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

-- p_embeddings: [{id, embedding: [numbers]}].
create or replace function set_docs_section_embeddings(p_model text, p_embeddings jsonb) returns integer
language plpgsql as $$
declare
  updated integer;
begin
  update docs_section s
  set embedding = array(select jsonb_array_elements_text(e.value->'embedding')::real), embedding_model = p_model
  from jsonb_array_elements(p_embeddings) e
  where s.id = (e.value->>'id')::bigint;
  get diagnostics updated = row_count;
  return updated;
end;
$$;

-- Rebuilds the vocabulary (words, stems, section frequencies) from the sections.
create or replace function refresh_docs_terms() returns jsonb
language plpgsql as $$
begin
  truncate docs_lexeme;
  insert into docs_lexeme (lexeme, ndoc) select word, ndoc from ts_stat('select fts from docs_section');
  truncate docs_term;
  insert into docs_term (word, lexeme, ndoc)
  select w.word, l.lexeme, coalesce(d.ndoc, 0)
  from ts_stat($q$select to_tsvector('simple', page_title || ' ' || heading || ' ' || content) from docs_section$q$) w
  cross join lateral (select (select lexeme from unnest(to_tsvector('english', w.word)) limit 1) as lexeme) l
  left join docs_lexeme d on d.lexeme = l.lexeme
  where length(w.word) between 2 and 40 and w.word ~ '^[[:alpha:]][[:alnum:]_-]*$';
  analyze docs_term;
  analyze docs_lexeme;
  return jsonb_build_object('words', (select count(*) from docs_term), 'lexemes', (select count(*) from docs_lexeme));
end;
$$;

-- The words of a query, each with the stems it may match: its own stem when the index has it; for the last
-- word of a query still being typed, the stems of indexed words it is a prefix of (when it is not a word of
-- the docs, or the query is one or two words); for a word that matches
-- nothing, the stems of the indexed words closest to it by trigrams (typo tolerance). `factor` discounts the
-- guesses; `idf` weighs rare stems above common ones.
create or replace function docs_query_terms(p_query text)
returns table (gid integer, word text, lexeme text, factor real, idf real)
language plpgsql stable as $$
declare
  v_total real := greatest((select count(*) from docs_section), 1);
  v_is_typing boolean := p_query ~ '[[:alnum:]]$';
  v_word record;
  v_stem text;
  v_found boolean;
  v_words integer := (select count(*) from unnest(to_tsvector('simple', left(p_query, 500))));
begin
  for v_word in
    select t.lexeme as w, t.positions[1]::int as pos, (t.positions[1] = max(t.positions[1]) over ()) as is_last
    from unnest(to_tsvector('simple', left(p_query, 500))) t order by t.positions[1]
  loop
    v_stem := (select u.lexeme from unnest(to_tsvector('english', v_word.w)) u limit 1);
    v_found := false;
    if v_stem is not null and exists (select 1 from docs_lexeme d where d.lexeme = v_stem) then
      v_found := true;
      return query select v_word.pos, v_word.w, v_stem, 1.0::real,
        (select ln(1 + (v_total - d.ndoc + 0.5) / (d.ndoc + 0.5))::real from docs_lexeme d where d.lexeme = v_stem);
    end if;
    -- A complete word that the docs have is taken as typed in a longer question; in a short query (the search
    -- box, as the reader types) it may still be the start of a longer word.
    if v_word.is_last and v_is_typing and length(v_word.w) >= 2 and (not v_found or v_words <= 2) then
      return query
        select v_word.pos, v_word.w, x.lexeme, 0.8::real, ln(1 + (v_total - x.ndoc + 0.5) / (x.ndoc + 0.5))::real
        from (select distinct on (t.lexeme) t.lexeme, d.ndoc
              from docs_term t join docs_lexeme d on d.lexeme = t.lexeme
              where t.word like replace(replace(v_word.w, '\', ''), '%', '') || '_%' and t.lexeme is distinct from v_stem
              order by t.lexeme) x
        order by x.ndoc desc limit 6;
      if found then v_found := true; end if;
    end if;
    if not v_found and v_stem is not null and length(v_word.w) >= 3 then
      return query
        select v_word.pos, v_word.w, x.lexeme, (0.8 * x.sim)::real, ln(1 + (v_total - x.ndoc + 0.5) / (x.ndoc + 0.5))::real
        from (select distinct on (t.lexeme) t.lexeme, d.ndoc, similarity(t.word, v_word.w) as sim
              from docs_term t join docs_lexeme d on d.lexeme = t.lexeme
              where t.word % v_word.w and similarity(t.word, v_word.w) >= 0.5
              order by t.lexeme, similarity(t.word, v_word.w) desc) x
        order by x.sim desc, x.ndoc desc limit 2;
    end if;
  end loop;
end;
$$;

-- Ranked sections for a question. Lexical score: for each query word, the best of its stems, weighed by
-- rarity (idf) and by where it occurs (ts_rank over title A > headings B > body C > description D), summed;
-- then raised when the words cover the page title or the section heading, and when consecutive words occur
-- close together (phrase/proximity). With `p_embedding` (a vector of model `p_model`), the lexical and the
-- vector rankings are fused by reciprocal rank (k = 60). `similarity` is the cosine similarity in that case,
-- the lexical score otherwise.
create or replace function search_docs_sections(
  p_query text, p_limit integer, p_embedding jsonb default null, p_model text default null)
returns jsonb
language plpgsql stable as $$
declare
  v_terms jsonb;
  v_any tsquery;
  v_pairs tsquery[];
  v_limit integer := greatest(1, least(coalesce(p_limit, 8), 50));
  v_vector real[];
  v_result jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object('gid', t.gid, 'lexeme', t.lexeme, 'factor', t.factor, 'idf', t.idf)), '[]'::jsonb),
         string_agg(quote_literal(t.lexeme), ' | ')::tsquery
    into v_terms, v_any
  from docs_query_terms(p_query) t;

  -- Consecutive query words (by their own stems), for the proximity bonus: near each other, in either order.
  select coalesce(array_agg(tsquery_phrase(quote_literal(a.lexeme)::tsquery, quote_literal(b.lexeme)::tsquery, 1)
                            || tsquery_phrase(quote_literal(a.lexeme)::tsquery, quote_literal(b.lexeme)::tsquery, 2)
                            || tsquery_phrase(quote_literal(b.lexeme)::tsquery, quote_literal(a.lexeme)::tsquery, 1)), '{}')
    into v_pairs
  from (select (e->>'gid')::int as gid, e->>'lexeme' as lexeme, row_number() over (order by (e->>'gid')::int) as n
        from jsonb_array_elements(v_terms) e where (e->>'factor')::real = 1) a
  join (select (e->>'gid')::int as gid, e->>'lexeme' as lexeme, row_number() over (order by (e->>'gid')::int) as n
        from jsonb_array_elements(v_terms) e where (e->>'factor')::real = 1) b on b.n = a.n + 1;

  if p_embedding is not null and jsonb_typeof(p_embedding) = 'array' and jsonb_array_length(p_embedding) > 0 then
    v_vector := array(select jsonb_array_elements_text(p_embedding)::real);
  end if;
  if v_any is null and v_vector is null then
    return '[]'::jsonb;
  end if;

  with terms as (
    select (e->>'gid')::int as gid, (e->>'lexeme') as lexeme, (e->>'factor')::real as factor, (e->>'idf')::real as idf,
           quote_literal(e->>'lexeme')::tsquery as q
    from jsonb_array_elements(v_terms) e
  ),
  candidates as (
    select s.id, s.page_id, s.fts, s.title_fts, s.heading_fts from docs_section s where v_any is not null and s.fts @@ v_any
  ),
  -- Only the (section, stem) pairs that match are ranked: @@ is cheaper than ts_rank.
  per_word as (
    select c.id, t.gid, max(t.factor * t.idf * ts_rank('{0.15, 0.4, 0.5, 0.6}', c.fts, t.q, 0)) as score
    from candidates c join terms t on c.fts @@ t.q
    group by c.id, t.gid
  ),
  base as (
    select w.id, sum(w.score) as score from per_word w group by w.id
    order by sum(w.score) desc limit 120
  ),
  -- Coverage of the page title and the heading by the query's words, and proximity: for the best 120 only.
  coverage as (
    select b.id,
           count(distinct t.gid) filter (where c.title_fts @@ t.q) as title_words,
           count(distinct t.gid) filter (where c.heading_fts @@ t.q) as heading_words
    from base b join candidates c on c.id = b.id cross join terms t
    group by b.id
  ),
  lexical as (
    select c.id, c.page_id,
           b.score
             * (1 + 0.3 * least(1.0, v.title_words::real / greatest(length(c.title_fts), 1))
                  + 0.4 * least(1.0, v.heading_words::real / greatest(length(c.heading_fts), 1)))
             * (1 + 0.25 * (select count(*) from unnest(v_pairs) p where c.fts @@ p)) as score
    from base b join candidates c on c.id = b.id join coverage v on v.id = b.id
  ),
  lexical_ranked as (
    select l.id, l.score, row_number() over (order by l.score desc, l.id) as r from lexical l
  ),
  vector_ranked as (
    select x.id, x.sim, row_number() over (order by x.sim desc, x.id) as r
    from (select s.id, docs_cosine_similarity(s.embedding, v_vector) as sim
          from docs_section s
          where v_vector is not null and s.embedding_model = p_model and cardinality(s.embedding) = cardinality(v_vector)) x
    order by x.sim desc, x.id limit 60
  ),
  fused as (
    select coalesce(l.id, v.id) as id,
           case when v_vector is null then l.score
                else coalesce(1.0 / (60 + l.r), 0) + coalesce(1.0 / (60 + v.r), 0) end as score,
           case when v_vector is null then l.score else coalesce(v.sim, 0) end as similarity
    from (select * from lexical_ranked where r <= 60) l full join vector_ranked v on v.id = l.id
  ),
  -- A page's further sections count a little less, so that five results are not five parts of one page.
  diversified as (
    select f.id, f.similarity,
           f.score * power(0.85, row_number() over (partition by s.page_id order by f.score desc) - 1) as score
    from fused f join docs_section s on s.id = f.id
  ),
  top as (
    select d.* from diversified d order by d.score desc, d.id limit v_limit
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'path', p.path, 'slug', p.slug, 'title', s.page_title, 'heading', s.heading, 'anchor', s.anchor,
           'content', s.content, 'similarity', round(t.similarity::numeric, 4)) order by t.score desc, t.id), '[]'::jsonb)
    into v_result
  from top t join docs_section s on s.id = t.id join docs_page p on p.id = s.page_id;
  return v_result;
end;
$$;

create or replace function record_docs_query(p_query text, p_result_count integer, p_source text) returns void
language sql as $$
  insert into docs_query (query, result_count, source) values (left(p_query, 500), p_result_count, p_source)
$$;

select pa_lock_down();
