-- Docs search: what the in-memory ranker (lib/docs/search/ranking) reads from the database (the sections, the index's
-- version, the nearest sections by embedding when embeddings are configured); the anchors that links in answers
-- are checked against; the log of searches. (Typos are corrected from the ranker's in-memory vocabulary.)

-- The anchors of the pages whose slugs are given ({slug: [anchor, ...]}; a page that is not indexed is absent):
-- what links in an answer are checked against before the answer is stored (lib/model/citations.ts).
-- The empty anchor stands for the top of the page. An API operation is a page of its own at
-- `<slug>/operation/<id>` (pa_docs_section_url, 45_docs_page_reads.sql): asked for by that slug, it is there with
-- its top.
create or replace function list_docs_anchors_by_slugs(p_slugs jsonb) returns jsonb
language sql stable as $$
  with wanted as (select jsonb_array_elements_text(case when jsonb_typeof(p_slugs) = 'array' then p_slugs else '[]'::jsonb end) as slug)
  select coalesce(jsonb_object_agg(x.slug, x.anchors), '{}'::jsonb)
  from (select p.slug, jsonb_agg(distinct s.anchor) || '[""]'::jsonb as anchors
        from docs_page p left join docs_section s on s.page_id = p.id
        where p.slug in (select slug from wanted)
        group by p.slug
        union all
        select distinct w.slug, '[""]'::jsonb
        from (select slug, regexp_match(slug, '^(.*)/(operation/[^/#?]+)$') as parts from wanted) w
        join docs_page p on p.slug = w.parts[1]
        join docs_section s on s.page_id = p.id and s.anchor = w.parts[2]
        where w.parts is not null) x
$$;

-- The sections with what the in-memory ranker indexes (lib/docs/search/ranking/store.ts loads them when a server first
-- searches and again when get_docs_search_version changes), with their page's description: the ranker indexes it
-- as the page's context. Each carries its page's kind and meta, labels the ranker filters by and hands on.
-- One page of at most p_limit sections in id order, those above p_after_id: the caller reads every section page by
-- page (lib/db/docs-index.ts#listDocsSectionsForRanking), so no single value holds them all. page_last_id (the id of
-- its page's last section) tells the ranker's build when it has read all of a page (its context is the page's first
-- paragraph, which may lie in any of its sections), so that it need not hold every section's text until the end.
create or replace function list_docs_sections_for_ranking_page(p_after_id bigint, p_limit integer) returns jsonb
language sql stable as $$
  with x as (select * from docs_section s where s.id > coalesce(p_after_id, 0)
             order by s.id limit greatest(1, coalesce(p_limit, 1000))),
  -- Per page, grouped, so that its sections are found through docs_section_page_idx (a bare max(id) walks the
  -- primary key; a join of the pages reads every section).
  last as (select d.page_id, (select max(o.id) from docs_section o where o.page_id = d.page_id group by o.page_id) as id
           from (select distinct page_id from x) d)
  select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'path', p.path, 'slug', p.slug, 'title', x.page_title,
    'description', x.description, 'heading', x.heading, 'heading_path', x.heading_path, 'anchor', x.anchor, 'content', x.content,
    'kind', p.source_kind, 'meta', p.meta, 'page_last_id', last.id)
    order by x.id), '[]'::jsonb)
  from x
  join docs_page p on p.id = x.page_id
  join last on last.page_id = x.page_id
$$;

-- The text of the sections whose ids are given ([{id, content}], in id order; a section no longer stored is absent):
-- the in-memory ranking index keeps no section's text, so a search reads its hits' text here, once per search
-- (lib/docs/search/ranking/store.ts). The caller bounds the ids (lib/db/docs-index.ts#listDocsSectionContents).
create or replace function list_docs_section_contents(p_ids jsonb) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'content', s.content) order by s.id), '[]'::jsonb)
  from docs_section s
  where s.id in (select (x #>> '{}')::bigint from jsonb_array_elements(case when jsonb_typeof(p_ids) = 'array' then p_ids else '[]'::jsonb end) x)
$$;

-- The docs search's version: changes whenever what the ranker reads does (the sections, the approved vocabulary), so
-- that each server instance notices another's re-index or a maintainer's approval. Every search may ask for it (at
-- most once a second per server, lib/docs/search/ranking/store.ts), so it reads one row, whatever the size of the
-- docs: a counter (docs_search_version) that the triggers below move in the transaction that changes the docs. A
-- server that reads the new value therefore reads the new sections too, and a rolled-back change moves nothing.
-- A number as text: the persisted index's key (ranking/store.ts) and the servers compare it for equality only.
create or replace function get_docs_search_version() returns text
language sql stable as $$
  select coalesce((select v.version::text from docs_search_version v where v.singleton), '0')
$$;

-- Adds one to the version. An upsert of the one row: concurrent writers each add one (the second waits for the
-- first's commit and adds to its value), and a missing row is made again rather than the version frozen.
create or replace function docs_search_version_bump() returns void
language sql as $$
  insert into docs_search_version (singleton, version) values (true, 1)
  on conflict (singleton) do update set version = docs_search_version.version + 1
$$;

-- Per statement on docs_section, not per row: re-indexing a page is one delete and one insert of its sections.
-- An insert or delete that changed no row (a new page has no sections to delete) leaves the version as it is; the
-- transition table is `changed_rows` for both (an UPDATE OF or a TRUNCATE trigger has none). The same row keeps the
-- digest of the stored ids (get_docs_section_id_digest, 47_docs_rank_index.sql): what an insert adds, a delete takes
-- away, a truncate empties (an update changes no id).
create or replace function docs_search_sections_changed() returns trigger
language plpgsql as $$
declare
  v_sign integer := case tg_op when 'INSERT' then 1 when 'DELETE' then -1 else 0 end;
begin
  if tg_op in ('INSERT', 'DELETE') then
    if not exists (select 1 from changed_rows) then
      return null;
    end if;
  end if;
  perform docs_search_version_bump();
  if v_sign <> 0 then
    update docs_search_version v set
      section_count = v.section_count + v_sign * c.n,
      section_id_sum = v.section_id_sum + v_sign * c.s,
      section_id_hash = v.section_id_hash + v_sign * c.h
    from (select count(*) as n, coalesce(sum(r.id), 0) as s, coalesce(sum((r.id::bigint * 2654435761) % 4294967296), 0) as h from changed_rows r) c
    where v.singleton;
  elsif tg_op = 'TRUNCATE' then
    update docs_search_version set section_count = 0, section_id_sum = 0, section_id_hash = 0 where singleton;
  end if;
  return null;
end;
$$;
drop trigger if exists pa_docs_search_sections_insert on docs_section;
create trigger pa_docs_search_sections_insert after insert on docs_section
  referencing new table as changed_rows for each statement execute function docs_search_sections_changed();
drop trigger if exists pa_docs_search_sections_delete on docs_section;
create trigger pa_docs_search_sections_delete after delete on docs_section
  referencing old table as changed_rows for each statement execute function docs_search_sections_changed();
-- The columns list_docs_sections_for_ranking_page reads: storing embeddings (set_docs_section_embeddings) changes none.
drop trigger if exists pa_docs_search_sections_update on docs_section;
create trigger pa_docs_search_sections_update
  after update of page_id, page_title, description, heading, heading_path, anchor, content on docs_section
  for each statement execute function docs_search_sections_changed();
drop trigger if exists pa_docs_search_sections_truncate on docs_section;
create trigger pa_docs_search_sections_truncate after truncate on docs_section
  for each statement execute function docs_search_sections_changed();

-- The ranker learns only approved words (set_docs_vocabulary_status, 43_docs_vocabulary.sql): a decision that
-- approves a word, revokes or re-decides an approval, or forgets one moves the version; a rejection alone does not.
-- Per row: a maintainer decides one word at a time.
create or replace function docs_search_vocabulary_changed() returns trigger
language plpgsql as $$
begin
  perform docs_search_version_bump();
  return null;
end;
$$;
drop trigger if exists pa_docs_search_vocabulary_insert on docs_vocabulary;
create trigger pa_docs_search_vocabulary_insert after insert on docs_vocabulary
  for each row when (new.status = 'approved') execute function docs_search_vocabulary_changed();
drop trigger if exists pa_docs_search_vocabulary_update on docs_vocabulary;
create trigger pa_docs_search_vocabulary_update after update on docs_vocabulary
  for each row when (old.status = 'approved' or new.status = 'approved') execute function docs_search_vocabulary_changed();
drop trigger if exists pa_docs_search_vocabulary_delete on docs_vocabulary;
create trigger pa_docs_search_vocabulary_delete after delete on docs_vocabulary
  for each row when (old.status = 'approved') execute function docs_search_vocabulary_changed();
drop trigger if exists pa_docs_search_vocabulary_truncate on docs_vocabulary;
create trigger pa_docs_search_vocabulary_truncate after truncate on docs_vocabulary
  for each statement execute function docs_search_vocabulary_changed();

-- With embeddings on: the sections nearest the question's embedding, for the ranker to fuse with its own ranking.
-- p_kinds: only sections of pages of these kinds (docs_page.source_kind); null: every kind.
-- p_versions: only sections of pages of these versions, or of no version (docs_page.meta.version); null: every version.
-- Where the model's vectors of this dimension have an HNSW index (ensure_docs_embedding_index), the index offers
-- candidates (approximate, in halfvec) that are re-scored exactly; elsewhere every vector of the model is compared
-- (exact; fine for a small index). Either way `similarity` is the exact cosine similarity.
create or replace function search_docs_sections_by_embedding(p_embedding jsonb, p_model text, p_limit integer, p_kinds jsonb default null,
  p_versions jsonb default null) returns jsonb
language plpgsql volatile as $$
declare
  v_vector real[];
  v_limit integer := greatest(1, least(coalesce(p_limit, 60), 200));
  v_result jsonb;
begin
  if p_embedding is null or jsonb_typeof(p_embedding) <> 'array' or jsonb_array_length(p_embedding) = 0 then
    return '[]'::jsonb;
  end if;
  v_vector := array(select jsonb_array_elements_text(p_embedding)::real);
  if to_regclass(docs_embedding_index_name(p_model, cardinality(v_vector))) is not null then
    perform docs_hnsw_search_settings(greatest(100, 2 * v_limit));
    execute docs_embedding_search_sql(p_model, cardinality(v_vector)) into v_result using v_vector, v_limit, p_kinds, p_versions;
    return v_result;
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'similarity', round(x.sim::numeric, 4)) order by x.sim desc, x.id), '[]'::jsonb)
          from (select s.id, docs_cosine_similarity(s.embedding, v_vector) as sim
                from docs_section s
                where s.embedding_model = p_model and cardinality(s.embedding) = cardinality(v_vector)
                  and docs_section_in_scope(s.page_id, p_kinds, p_versions)
                order by 2 desc, s.id limit v_limit) x);
end;
$$;

-- Whether a section's page is of one of these kinds and versions (null: any), as search_docs_sections_by_embedding filters.
create or replace function docs_section_in_scope(p_page_id bigint, p_kinds jsonb, p_versions jsonb) returns boolean
language sql stable as $$
  select (jsonb_typeof(p_kinds) is distinct from 'array'
          or exists (select 1 from docs_page p where p.id = p_page_id
                     and p.source_kind in (select jsonb_array_elements_text(p_kinds))))
     and (jsonb_typeof(p_versions) is distinct from 'array'
          or exists (select 1 from docs_page p where p.id = p_page_id
                     and (jsonb_typeof(p.meta->'version') is distinct from 'string'
                          or p.meta->>'version' in (select jsonb_array_elements_text(p_versions)))))
$$;

-- The query search_docs_sections_by_embedding runs through a model's HNSW index (tests EXPLAIN it): parameters $1 the
-- question's vector (real[]), $2 how many, $3 kinds, $4 versions. The model and dimension are literals, so that the
-- planner matches the partial index. The index offers twice as many candidates as asked (at least 100, hnsw.ef_search
-- as many), iteratively where pgvector can (0.8: a filter by kind or version does not leave a search short); they are
-- re-scored on the exact vectors and the best $2 returned (docs_hnsw_search_settings is applied first).
create or replace function docs_embedding_search_sql(p_model text, p_dimensions integer) returns text
language sql immutable as $$
  select format($q$
    select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'similarity', round(x.sim::numeric, 4)) order by x.sim desc, x.id), '[]'::jsonb)
    from (select c.id, docs_cosine_similarity(c.embedding, $1) as sim
          from (select s.id, s.embedding
                from docs_section s
                where s.embedding_model = %1$L and cardinality(s.embedding) = %2$s
                  and docs_section_in_scope(s.page_id, $3, $4)
                order by (s.embedding::halfvec(%2$s)) <=> ($1::halfvec(%2$s)) limit greatest(100, 2 * $2)) c
          order by 2 desc, c.id limit $2) x
  $q$, p_model, p_dimensions)
$$;

-- How wide an HNSW search looks (hnsw.ef_search) and, where pgvector has it (0.8), that it goes on past a filter
-- (hnsw.iterative_scan), for this transaction.
create or replace function docs_hnsw_search_settings(p_candidates integer) returns void
language plpgsql volatile as $$
begin
  perform set_config('hnsw.ef_search', least(greatest(p_candidates, 40), 1000)::text, true);
  begin
    perform set_config('hnsw.iterative_scan', 'relaxed_order', true);
  exception when others then
    null; -- pgvector before 0.8: no iterative scans
  end;
end;
$$;

create or replace function record_docs_query(p_query text, p_result_count integer, p_source text) returns void
language sql as $$
  insert into docs_query (query, result_count, source) values (left(p_query, 500), p_result_count, p_source)
$$;

-- The headings that compare pages ("Popover vs. Modal", "Tooltip compared to Popover"), wherever they stand in a
-- section's heading path (a comparison's own text may sit in its subsections), with the page each is on: the docs'
-- own word for which pages are alternatives to each other (lib/docs/gate/compared.ts reads them for a reader).
create or replace function list_docs_comparison_headings() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(distinct jsonb_build_object('path', x.path, 'heading', x.heading)), '[]'::jsonb)
  from (select p.path, h.heading
        from docs_page p
        join docs_section s on s.page_id = p.id
        cross join lateral jsonb_array_elements_text(
          case when jsonb_typeof(s.heading_path) = 'array' then s.heading_path else '[]'::jsonb end || to_jsonb(s.heading)) h(heading)
        where h.heading ~* '\s(vs\.?|versus|compared (to|with))\s') x
$$;

select pa_lock_down();
