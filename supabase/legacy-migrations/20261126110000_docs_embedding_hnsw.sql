-- Vectors in Postgres (issue 39, item 2): the nearest sections by embedding come from a pgvector HNSW index
-- where the database has the `vector` extension (Supabase, a Postgres with pgvector, the embedded PGlite with
-- @electric-sql/pglite-pgvector), and from an exact scan where it has not (a plain Postgres: the fallback).
--
-- The embeddings stay in docs_section.embedding (real[], any dimension: the model is configurable and search
-- compares only vectors of the model it queries with). A vector column needs one dimension for an index, and
-- models differ in theirs, so each (model, dimension) gets its own partial expression index over that column:
--   create index docs_section_hnsw_<hash> on docs_section
--     using hnsw ((embedding::halfvec(N)) halfvec_cosine_ops) where embedding_model = '<model>' and cardinality(embedding) = N
-- halfvec: HNSW indexes vectors of up to 2,000 dimensions but halfvecs of up to 4,000 (text-embedding-3-large has
-- 3,072), at half the size; the few candidates it returns are re-scored exactly on the real[] values, so the
-- similarity a search reports is the exact cosine. New models get their index from ensure_docs_embedding_index
-- (supabase/schemas/40_docs_index.sql) before their first embeddings are stored; this migration indexes the models a
-- database has embeddings of already.

do $$
declare
  m record;
begin
  if not exists (select 1 from pg_available_extensions where name = 'vector') then
    return;
  end if;
  create extension if not exists vector;
  for m in select distinct s.embedding_model as model, cardinality(s.embedding) as dims
           from docs_section s
           where s.embedding is not null and s.embedding_model is not null and cardinality(s.embedding) between 1 and 4000 loop
    execute format('create index if not exists %I on docs_section using hnsw ((embedding::halfvec(%s)) halfvec_cosine_ops) '
                   'where embedding_model = %L and cardinality(embedding) = %s',
                   'docs_section_hnsw_' || left(md5(m.model || ':' || m.dims), 12), m.dims, m.model, m.dims);
  end loop;
end;
$$;

select pa_lock_down();
