-- Deflection and sources (issue 40, item 2): for the readers' questions of a period, how many the docs answered,
-- how many answers said the docs do not cover it, were voted down, were handed to the maintainers (a hand-off,
-- 65_handoffs.sql) or answered by one; which sources
-- the answers cited (per kind and per page) and which indexed pages none cited; page reads against questions; and
-- how many conversations readers shared. lib/maintainers/deflection.ts turns it into rates, the dashboard's
-- section, the report and the CSV.
--
-- A question is a reader's message in [p_from, p_to). Its answer is the last completed answer of the assistant
-- (not a maintainer's reply) after it and before the reader's next question; "answered by a maintainer": a
-- maintainer replied in that stretch; "handed off": the reader handed the conversation to the maintainers in it. A source is cited by an answer's url_citation annotation (its URL without
-- the anchor), counted once per answer; a page is the indexed page whose URL (pa_docs_page_url) that is, or the API
-- operation whose own URL it is (pa_docs_section_url).
-- Lists are capped at p_limit entries; counts are not.

create or replace function get_maintainer_deflection(p_from timestamptz, p_to timestamptz, p_limit integer)
returns jsonb
language sql stable as $$
  with q as (
    select u.id, u.thread_id, u.seq, u.created_at, nullif(split_part(split_part(u.metadata->>'page', '#', 1), '?', 1), '') as page,
           (select min(n.seq) from assistant_message n where n.thread_id = u.thread_id and n.role = 'user' and n.seq > u.seq) as next_seq,
           (select min(n.created_at) from assistant_message n where n.thread_id = u.thread_id and n.role = 'user' and n.seq > u.seq) as next_at
    from assistant_message u
    where u.role = 'user' and u.created_at >= p_from and u.created_at < p_to
  ),
  qa as (
    select q.id, q.page, a.id as answer_id, a.content as answer_content,
           a.id is not null and coalesce(a.metadata->>'no_docs_match', 'false') <> 'true' as is_answered,
           a.id is not null and a.metadata->>'no_docs_match' = 'true' as is_not_covered,
           a.id is not null and exists (select 1 from message_vote v where v.message_id = a.id and v.vote = 'down') as is_down,
           exists (select 1 from assistant_message r
                   where r.thread_id = q.thread_id and r.seq > q.seq and (q.next_seq is null or r.seq < q.next_seq)
                     and r.metadata->>'author' = 'maintainer') as is_maintainer,
           -- The reader handed the question to the maintainers (lib/handoff) before asking anything else: not deflected.
           exists (select 1 from handoff h
                   where h.thread_id = q.thread_id and h.created_at >= q.created_at and (q.next_at is null or h.created_at < q.next_at)) as is_handed_off
    from q
    left join lateral (
      select a.id, a.content, a.metadata from assistant_message a
      where a.thread_id = q.thread_id and a.role = 'assistant' and a.status = 'completed'
        and (a.metadata->>'author') is distinct from 'maintainer'
        and a.seq > q.seq and (q.next_seq is null or a.seq < q.next_seq)
      order by a.seq desc limit 1) a on true
  ),
  -- An API operation published elsewhere (DOCS_OPENAPI_BASE_URL) keeps its anchor: it is a page of its own there too.
  cites as (
    select distinct on (qa.answer_id, u.url)
           qa.answer_id, u.url, coalesce(x->'source'->>'kind', 'docs') as kind,
           x->>'title' as title
    from qa
    cross join lateral jsonb_array_elements(case when jsonb_typeof(qa.answer_content) = 'array' then qa.answer_content else '[]'::jsonb end) part
    cross join lateral jsonb_array_elements(case when jsonb_typeof(part->'text'->'annotations') = 'array' then part->'text'->'annotations' else '[]'::jsonb end) x
    cross join lateral (select case when x->>'url' ~* '^https?://[^#]*#operation/[^/#?]+$' then x->>'url'
                                    else split_part(x->>'url', '#', 1) end as url) u
    where qa.answer_id is not null and x->>'type' = 'url_citation' and coalesce(x->>'url', '') <> ''
    order by qa.answer_id, u.url
  ),
  -- A page is what a reader opens at its own URL: an API operation is one (pa_docs_section_url), and the index's
  -- page of a tag's operations is none (its sections are the operations).
  pages as (
    select p.path, p.title, p.source_kind, pa_docs_page_url(p.slug) as url from docs_page p
    where not exists (select 1 from docs_section s where s.page_id = p.id and s.anchor ~ '^operation/')
    union all
    select p.path || '#' || s.anchor, p.title || ' › ' || s.heading, p.source_kind, pa_docs_section_url(p.slug, s.anchor)
    from docs_page p join docs_section s on s.page_id = p.id
    where s.anchor ~ '^operation/'
  ),
  reads as (
    select r.path as url, sum(r.reads)::bigint as n from docs_page_read r
    where r.day >= (p_from at time zone 'UTC')::date and r.day <= ((p_to - interval '1 microsecond') at time zone 'UTC')::date
    group by r.path
  ),
  cited_pages as (
    select c.url, count(*) as n, min(c.kind) as kind, min(c.title) as cited_title from cites c group by c.url
  ),
  asked as (
    select qa.page as url, count(*) as n from qa where qa.page is not null group by qa.page
  ),
  -- Pages no answer cited, less a site's error pages (a docs folder's 404 page, as the Paste docs have): not docs
  -- a reader could be sent to, so never a gap in the docs. Only docs and crawled pages: a thread or an answer
  -- numbered 404 is a page like any other.
  uncited as (
    select p.* from pages p
    where not exists (select 1 from cited_pages c where c.url = p.url)
      and not (p.source_kind in ('folder', 'crawl') and split_part(p.url, '?', 1) ~ '/(404|500)(\.html?)?/?$')
  )
  select jsonb_build_object(
    'from', p_from,
    'to', p_to,
    'questions', (select count(*) from qa),
    'answered', (select count(*) from qa where is_answered),
    'not_covered', (select count(*) from qa where is_not_covered),
    'without_answer', (select count(*) from qa where answer_id is null),
    'down_voted', (select count(*) from qa where is_down),
    'by_maintainer', (select count(*) from qa where is_maintainer),
    'handed_off', (select count(*) from qa where is_handed_off),
    'deflected', (select count(*) from qa where is_answered and not is_down and not is_maintainer and not is_handed_off),
    'citing_answers', (select count(distinct answer_id) from cites),
    'citations', (select count(*) from cites),
    'kinds', coalesce((select jsonb_agg(jsonb_build_object('kind', k.kind, 'citations', k.n, 'pages', k.pages) order by k.n desc, k.kind)
      from (select kind, count(*) as n, count(distinct url) as pages from cites group by kind) k), '[]'::jsonb),
    'pages', coalesce((select jsonb_agg(x.item order by x.n desc, x.url) from (
        select jsonb_build_object('url', c.url, 'title', coalesce(p.title, c.cited_title, c.url), 'path', p.path,
                 'label', p.source_kind, 'kind', c.kind, 'citations', c.n, 'reads', coalesce(r.n, 0)) as item, c.n, c.url
        from cited_pages c left join pages p on p.url = c.url left join reads r on r.url = c.url
        order by c.n desc, c.url limit greatest(1, least(coalesce(p_limit, 50), 1000))) x), '[]'::jsonb),
    'cited_pages', (select count(*) from cited_pages),
    'indexed_pages', (select count(*) from pages),
    'never_cited', jsonb_build_object(
      'count', (select count(*) from uncited),
      'labels', coalesce((select jsonb_object_agg(l.source_kind, l.n) from (
          select u.source_kind, count(*) as n from uncited u group by u.source_kind) l), '{}'::jsonb),
      'items', coalesce((select jsonb_agg(x.item order by x.reads desc, x.url) from (
          select jsonb_build_object('url', p.url, 'title', p.title, 'path', p.path, 'label', p.source_kind, 'reads', coalesce(r.n, 0)) as item,
                 coalesce(r.n, 0) as reads, p.url
          from uncited p left join reads r on r.url = p.url
          order by coalesce(r.n, 0) desc, p.url limit greatest(1, least(coalesce(p_limit, 50), 1000))) x), '[]'::jsonb)),
    'reads', jsonb_build_object(
      'total', (select coalesce(sum(n), 0) from reads),
      'questions_from_pages', (select coalesce(sum(n), 0) from asked),
      'pages', coalesce((select jsonb_agg(x.item order by x.questions desc, x.reads desc, x.url) from (
          select jsonb_build_object('url', u.url, 'title', coalesce(p.title, u.url), 'reads', coalesce(r.n, 0), 'questions', coalesce(a.n, 0)) as item,
                 coalesce(a.n, 0) as questions, coalesce(r.n, 0) as reads, u.url
          from (select url from reads union select url from asked) u
          left join pages p on p.url = u.url left join reads r on r.url = u.url left join asked a on a.url = u.url
          order by coalesce(a.n, 0) desc, coalesce(r.n, 0) desc, u.url limit greatest(1, least(coalesce(p_limit, 50), 1000))) x), '[]'::jsonb)),
    'shares', (select jsonb_build_object('links', count(*), 'conversations', count(distinct s.thread_id),
                                         'revoked', count(*) filter (where s.revoked_at is not null))
               from thread_share s where s.created_at >= p_from and s.created_at < p_to)
  )
$$;

select pa_lock_down();
