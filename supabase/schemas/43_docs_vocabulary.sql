-- The vocabulary learned from use: what readers did with search results and answers (opened a result; voted an
-- answer up), and maintainers' decisions on the reader words that led to a page. lib/docs/search/ranking/vocabulary.ts
-- turns the evidence into suggestions (words the page does not have) and approved entries into index terms.

-- A reader opened a search result: p_reader is a keyed hash that stands for them (lib/docs/search/ranking/vocabulary.ts),
-- never their session or address. Only pages that are indexed are recorded (true when recorded).
create or replace function record_docs_feedback(p_query text, p_path text, p_source text, p_reader text) returns boolean
language plpgsql as $$
begin
  if not exists (select 1 from docs_page where path = p_path) then
    return false;
  end if;
  insert into docs_feedback (query, path, source, reader) values (left(p_query, 500), p_path, p_source, left(p_reader, 100));
  return true;
end;
$$;

-- The evidence, newest first: opened results, and each thumbs-up answer's question (the reader's message before
-- it) with every indexed page the answer cites ([{query, path, source: 'open' | 'vote', reader}]). `reader` stands for
-- who gave it, so that suggestions count readers, not requests: an opened result's keyed hash (a row stored without
-- one is a reader of its own), a vote's a digest of the voter's session.
create or replace function list_docs_feedback(p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('query', x.query, 'path', x.path, 'source', x.source, 'reader', x.reader) order by x.at desc), '[]'::jsonb)
  from (
    (select f.query, f.path, f.source, coalesce(f.reader, 'row:' || f.id) as reader, f.created_at as at
     from docs_feedback f order by f.created_at desc limit greatest(1, least(p_limit, 5000)))
    union all
    (select distinct on (v.message_id, v.owner, p.path) q.text as query, p.path, 'vote' as source, 'vote:' || md5(v.owner) as reader, v.updated_at as at
     from message_vote v
     join assistant_message m on m.id = v.message_id
     cross join lateral (select pa_message_text(u.content) as text from assistant_message u
                         where u.thread_id = m.thread_id and u.role = 'user' and u.seq < m.seq order by u.seq desc limit 1) q
     cross join lateral jsonb_array_elements(case when jsonb_typeof(m.content) = 'array' then m.content else '[]'::jsonb end) part
     cross join lateral jsonb_array_elements(coalesce(part->'text'->'annotations', '[]'::jsonb)) a
     cross join lateral (select (regexp_match(a->>'url', '/docs/([^#?]*)'))[1] as slug) t
     -- An API operation's own page (`<slug>/operation/<id>`: pa_docs_section_url) is the index's page that holds it.
     join docs_page p on p.slug in (t.slug, regexp_replace(t.slug, '/operation/[^/]+$', ''))
     where v.vote = 'up' and a->>'type' = 'url_citation'
       and (p.slug = t.slug or exists (select 1 from docs_section s where s.page_id = p.id and s.anchor = substring(t.slug from '(operation/[^/]+)$')))
     order by v.message_id, v.owner, p.path, v.updated_at desc
     limit greatest(1, least(p_limit, 5000)))
  ) x
$$;

create or replace function list_docs_vocabulary() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('word', word, 'path', path, 'status', status, 'decided_at', decided_at)
                            order by word, path), '[]'::jsonb)
  from docs_vocabulary
$$;

-- A maintainer approves or rejects a word for a page; null forgets the decision (the word may be suggested again).
create or replace function set_docs_vocabulary_status(p_word text, p_path text, p_status text) returns jsonb
language plpgsql as $$
begin
  if p_status is null then
    delete from docs_vocabulary where word = p_word and path = p_path;
    return null;
  end if;
  if not exists (select 1 from docs_page where path = p_path) then
    raise exception 'no such page' using errcode = 'PA404';
  end if;
  insert into docs_vocabulary (word, path, status) values (p_word, p_path, p_status)
  on conflict (word, path) do update set status = excluded.status, decided_at = now();
  return (select jsonb_build_object('word', word, 'path', path, 'status', status) from docs_vocabulary where word = p_word and path = p_path);
end;
$$;

select pa_lock_down();
