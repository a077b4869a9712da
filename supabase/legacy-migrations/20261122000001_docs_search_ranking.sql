-- Docs search ranking for real readers' questions (issue 14): long, noisy questions pasted from an issue or a
-- chat ("I'm looking to add a kebab menu icon to the new design of …") as well as short ones typed in a box.
--
-- replaces: search_docs_sections (20261121000002_docs.sql)
--
-- What changed, and why (weights tuned on the dev half of evals/paste-real.json and on evals/paste-docs.json):
-- * Salient terms. Each query word weighs its rarity (idf) times a salience: words readers wrap around a
--   question ("would like", "trying", "properly": docs_filler_words) count a fifth; code identifiers
--   (Theme.Provider, useToaster, @twilio-paste/core/theme and their parts) count 1.6 times; a word the reader
--   repeats counts a quarter more per repeat (at most twice). Rare filler no longer outranks what is asked about.
-- * Page-level evidence. A section's score is multiplied by its page's: (2 + the share of the question's
--   salient weight that the page matches anywhere) × (1 + 0.9 × the share of the page title's words that the
--   question names). A question about a "copy Icon" belongs on the Icon page; a page that answers a question
--   usually mentions most of what it asks, across its sections.
-- * Distinct pages. A page's second section counts half, its third a quarter (was 0.85 per section): the first
--   results name several pages, so that a reader, and a model, sees the alternatives.
-- * Evidence for a relevance floor. Each result carries `query_coverage` (the share of the question's salient
--   weight the section matches; words the docs do not have at all count in the total, as rare words) and
--   `evidence` (the section's lexical score over the largest idf of this index, so that one threshold fits a
--   small docs folder and a large one). lib/docs/search.ts calls results weak below its floor, and the assistant
--   then says the docs do not cover the question.

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
  v_total_weight real;
  v_result jsonb;
begin
  with raw_terms as (
    select t.gid, t.word, t.lexeme, t.factor, t.idf from docs_query_terms(p_query) t
  ),
  -- Words as the reader wrote them (case kept), to recognise code: dotted names, camelCase, @scope/package.
  code_words as (
    select distinct lower(m[1]) as word
    from regexp_matches(left(p_query, 500), '([@A-Za-z_][A-Za-z0-9_./@-]*)', 'g') as m
    where m[1] ~ '[a-z][A-Z]' or m[1] ~ '[A-Za-z]\.[A-Za-z]' or m[1] ~ '^@' or m[1] ~ '[a-z]/[a-z]'
  ),
  code_parts as (
    -- The parts of a code word are code too: "@twilio-paste/core/theme" makes "theme" salient.
    select distinct p as word from code_words c, regexp_split_to_table(c.word, '[./@-]+') p where p <> ''
  ),
  repeats as (
    select w.lexeme as word, count(*) as n from unnest(to_tsvector('simple', left(p_query, 500))) w, unnest(w.positions) pos
    group by w.lexeme
  ),
  salient as (
    select r.gid, r.word, r.lexeme, r.factor, r.idf,
           (case when r.word in (select word from code_words) or r.word in (select word from code_parts) then 1.6
                 when r.word = any (docs_filler_words()) then 0.2
                 else 1.0 end)
           * (1 + 0.25 * least(coalesce((select n from repeats x where x.word = r.word), 1) - 1, 2)) as salience
    from raw_terms r
  )
  select coalesce(jsonb_agg(jsonb_build_object('gid', s.gid, 'lexeme', s.lexeme, 'factor', s.factor, 'idf', s.idf,
                                               'weight', s.factor * s.idf * s.salience)), '[]'::jsonb),
         string_agg(quote_literal(s.lexeme), ' | ')::tsquery
    into v_terms, v_any
  from salient s;

  -- The question's total salient weight (each word once, at its best stem): the denominator of coverage. Words
  -- the docs do not have at all count too, as rare words (a question about Jupiter's moons matches nothing of
  -- what it asks, even when "many" occurs everywhere); English stop words and filler do not.
  select coalesce(sum(w), 0) into v_total_weight
  from (select max((e->>'weight')::real) as w from jsonb_array_elements(v_terms) e group by (e->>'gid')::int) x;
  select v_total_weight + coalesce(sum(
           (case when u.word = any (docs_filler_words()) then 0.2 else 1.0 end)
           * ln(1 + (greatest((select count(*) from docs_section), 1) - 1 + 0.5) / 1.5)), 0)
    into v_total_weight
  from (select w.lexeme as word, w.positions[1] as pos from unnest(to_tsvector('simple', left(p_query, 500))) w) u
  where length(u.word) >= 3 and u.word ~ '^[[:alpha:]]+$'
    and exists (select 1 from unnest(to_tsvector('english', u.word)))
    and not exists (select 1 from jsonb_array_elements(v_terms) e where (e->>'gid')::int = u.pos);

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
    select (e->>'gid')::int as gid, (e->>'lexeme') as lexeme, (e->>'weight')::real as weight,
           quote_literal(e->>'lexeme')::tsquery as q
    from jsonb_array_elements(v_terms) e
  ),
  candidates as (
    select s.id, s.page_id, s.fts, s.title_fts, s.heading_fts from docs_section s where v_any is not null and s.fts @@ v_any
  ),
  -- Only the (section, stem) pairs that match are ranked: @@ is cheaper than ts_rank.
  per_word as (
    select c.id, c.page_id, t.gid, max(t.weight * ts_rank('{0.15, 0.4, 0.5, 0.6}', c.fts, t.q, 0)) as score,
           max(t.weight) as weight
    from candidates c join terms t on c.fts @@ t.q
    group by c.id, c.page_id, t.gid
  ),
  -- Page evidence: the share of the question's salient weight the page matches anywhere, and the share of the
  -- page title's words the question names.
  page_words as (
    select w.page_id, w.gid, max(w.weight) as weight from per_word w group by w.page_id, w.gid
  ),
  page_match as (
    select pw.page_id, least(1.0, sum(pw.weight) / greatest(v_total_weight, 0.001)) as coverage
    from page_words pw group by pw.page_id
  ),
  page_title as (
    select p.id as page_id,
           least(1.0, count(distinct t.gid)::real / greatest(length(to_tsvector('english', p.title)), 1)) as coverage
    from docs_page p join terms t on to_tsvector('english', p.title) @@ t.q
    where p.id in (select page_id from page_match) and t.weight >= 0.5
    group by p.id
  ),
  base as (
    select w.id, w.page_id, sum(w.score) as score from per_word w group by w.id, w.page_id
  ),
  -- Coverage of the section heading by the query's words, and proximity: for the best 200 only.
  best as (
    select b.id, b.page_id,
           b.score * (2.0 + coalesce(m.coverage, 0)) * (1 + 0.9 * coalesce(pt.coverage, 0)) as score
    from base b left join page_match m on m.page_id = b.page_id left join page_title pt on pt.page_id = b.page_id
    order by 3 desc limit 200
  ),
  coverage as (
    select b.id, count(distinct t.gid) filter (where c.heading_fts @@ t.q) as heading_words
    from best b join candidates c on c.id = b.id cross join terms t
    group by b.id
  ),
  lexical as (
    select b.id, b.page_id,
           b.score
             * (1 + 0.4 * least(1.0, v.heading_words::real / greatest(length(c.heading_fts), 1)))
             * (1 + 0.25 * (select count(*) from unnest(v_pairs) p where c.fts @@ p)) as score
    from best b join candidates c on c.id = b.id join coverage v on v.id = b.id
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
           case when v_vector is null then l.score else coalesce(v.sim, 0) end as similarity,
           l.score as lexical
    from (select * from lexical_ranked where r <= 60) l full join vector_ranked v on v.id = l.id
  ),
  -- A page's second section counts half, its third a quarter: the first results name several pages.
  diversified as (
    select f.id, f.similarity, f.lexical,
           f.score * power(0.5, row_number() over (partition by s.page_id order by f.score desc) - 1) as score
    from fused f join docs_section s on s.id = f.id
  ),
  top as (
    select d.* from diversified d order by d.score desc, d.id limit v_limit
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'path', p.path, 'slug', p.slug, 'title', s.page_title, 'heading', s.heading, 'anchor', s.anchor,
           'content', s.content, 'similarity', round(t.similarity::numeric, 4),
           'evidence', round((coalesce(t.lexical, 0) / ln(1 + (greatest((select count(*) from docs_section), 2) - 0.5) / 1.5))::numeric, 4),
           'query_coverage', round(coalesce((select m.coverage from (
              select least(1.0, sum(x.weight) / greatest(v_total_weight, 0.001)) as coverage
              from (select t2.gid, max(t2.weight) as weight from terms t2 where s.fts @@ t2.q group by t2.gid) x) m), 0)::numeric, 4))
           order by t.score desc, t.id), '[]'::jsonb)
    into v_result
  from top t join docs_section s on s.id = t.id join docs_page p on p.id = s.page_id;
  return v_result;
end;
$$;

-- Words readers wrap around a question that say nothing about what it is about. English only, like the index.
create or replace function docs_filler_words() returns text[]
language sql immutable as $$
  select array['would', 'like', 'want', 'wanted', 'need', 'needs', 'trying', 'try', 'tried', 'get', 'getting', 'got',
    'way', 'ways', 'looking', 'look', 'thing', 'things', 'something', 'anything', 'anyone', 'someone', 'know', 'think',
    'seems', 'seem', 'also', 'just', 'really', 'please', 'thanks', 'thank', 'hi', 'hello', 'hey', 'question', 'questions',
    'issue', 'issues', 'problem', 'problems', 'help', 'able', 'currently', 'actually', 'still', 'even', 'properly',
    'correctly', 'right', 'wrong', 'little', 'lot', 'lots', 'says', 'say', 'said', 'won', 'doesn', 'don', 'isn', 'can',
    'cannot', 'could', 'should', 'expected', 'expect', 'supposed', 'example', 'possible', 'possibly', 'maybe', 'else',
    'working', 'work', 'works', 'happen', 'happens', 'instead', 'tell', 'good', 'best', 'better', 'etc', 'via', 'new',
    'recently', 'latest', 'version', 'versions', 'time', 'times', 'much', 'many', 'since', 'whether', 'okay', 'ok']
$$;

-- The anchors of the pages whose slugs are given ({slug: [anchor, ...]}; a page that is not indexed is absent):
-- what links in an answer are checked against before the answer is stored (lib/assistant/model/citations.ts).
-- The empty anchor stands for the top of the page.
create or replace function list_docs_anchors_by_slugs(p_slugs jsonb) returns jsonb
language sql stable as $$
  select coalesce(jsonb_object_agg(x.slug, x.anchors), '{}'::jsonb)
  from (select p.slug, jsonb_agg(distinct s.anchor) || '[""]'::jsonb as anchors
        from docs_page p left join docs_section s on s.page_id = p.id
        where p.slug in (select jsonb_array_elements_text(case when jsonb_typeof(p_slugs) = 'array' then p_slugs else '[]'::jsonb end))
        group by p.slug) x
$$;

select pa_lock_down();
