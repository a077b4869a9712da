-- Where answers go wrong (issue 69, item 3; the tables are 20261204000100_answer_grades.sql's). Every answer of the
-- assistant is graded once its conversation settled — answered, partly or not answered — from what the reader did
-- (lib/maintainers/grades/grade.ts says when, and runs the model's judgement on the sampled share):
--   not_answered  the answer said the docs do not cover it (no_docs_match), the reader voted it down, or handed the
--                 conversation to the maintainers before the next answer;
--   partly        the reader asked the same again in other words within minutes (a rephrase) and did not vote it up;
--   answered      none of these.
-- Its reasons list every signal seen, the good ones too (voted_up, source_opened) and sources_not_opened when it
-- cited pages the reader opened none of. A model's judgement, when there is one, can only make a grade worse.

-- The words of a question that carry its meaning: English lexemes (stop words gone, words stemmed), distinct.
create or replace function pa_question_lexemes(p_text text) returns text[]
language sql immutable as $$
  select coalesce(array(select distinct x from unnest(tsvector_to_array(to_tsvector('english', coalesce(p_text, '')))) x order by x), '{}')
$$;

-- Whether question b asks question a again in other words: the same words, or at least half of the main terms of the
-- shorter of the two shared.
create or replace function pa_is_rephrase(p_a text, p_b text) returns boolean
language sql immutable as $$
  select case
    when lower(btrim(coalesce(p_a, ''))) = lower(btrim(coalesce(p_b, ''))) then btrim(coalesce(p_a, '')) <> ''
    else (select cardinality(x.a) > 0 and cardinality(x.b) > 0
                 and cardinality(array(select unnest(x.a) intersect select unnest(x.b))) * 2 >= least(cardinality(x.a), cardinality(x.b))
          from (select pa_question_lexemes(p_a) as a, pa_question_lexemes(p_b) as b) x)
  end
$$;

-- The URLs an answer cites, in order, each once.
create or replace function pa_message_cited_urls(p_content jsonb) returns text[]
language sql immutable as $$
  select coalesce(array(
    select u.url from (
      select a->>'url' as url, min(i * 1000 + j) as at
      from jsonb_array_elements(case when jsonb_typeof(p_content) = 'array' then p_content else '[]'::jsonb end) with ordinality p(part, i)
      cross join lateral jsonb_array_elements(coalesce(p.part->'text'->'annotations', '[]'::jsonb)) with ordinality n(a, j)
      where a->>'type' = 'url_citation' and coalesce(a->>'url', '') <> ''
      group by 1) u
    order by u.at), '{}')
$$;

-- The indexed page a cited URL is read at (its slug's URL, the anchor left off), or null.
create or replace function pa_page_of_cited_url(p_url text) returns docs_page
language sql stable as $$
  select p.* from docs_page p where pa_docs_page_url(p.slug) = split_part(p_url, '#', 1) order by p.id limit 1
$$;

create or replace function pa_grade_rank(p_grade text) returns integer
language sql immutable as $$
  select case p_grade when 'not_answered' then 0 when 'partly' then 1 when 'answered' then 2 end
$$;

-- The grade the dashboard counts: the offline grade, or the model's when it judged worse.
create or replace function pa_effective_grade(g answer_grade) returns text
language sql immutable as $$
  select case when g.judge_grade in ('answered', 'partly', 'not_answered') and pa_grade_rank(g.judge_grade) < pa_grade_rank(g.grade)
              then g.judge_grade else g.grade end
$$;

-- Whether an answer is in the sampled share the model judges: a stable hash of its id below p_sample (0 to 1).
create or replace function pa_is_sampled(p_message_id text, p_sample double precision) returns boolean
language sql immutable as $$
  select coalesce(p_sample, 0) > 0
     and (('x' || substr(md5(p_message_id), 1, 8))::bit(32)::bigint)::double precision / 4294967296.0 < p_sample
$$;

-- Grades the answers whose conversation has been idle p_idle_seconds (no message since) by p_now: at most p_limit,
-- oldest first; answers older than 40 days are left ungraded (a site that turns grading on grades its last weeks).
-- p_rephrase_seconds: how soon a question asked again counts as a rephrase (the same reader, any of their threads).
-- p_sample: the share the model judges (0 without a model). Returns how many it graded. Safe to run on many
-- instances at once: a grade is written once (on conflict do nothing).
create or replace function grade_settled_answers(p_idle_seconds integer, p_rephrase_seconds integer, p_sample double precision,
                                                 p_limit integer, p_now timestamptz default now())
returns integer
language plpgsql as $$
declare
  v_settled timestamptz := p_now - make_interval(secs => greatest(p_idle_seconds, 0));
  v_count integer := 0;
  r record;
  v_reasons text[];
  v_grade text;
  v_page docs_page;
  v_cited text[];
  v_next record;
  v_next_answer timestamptz;
  v_inserted integer;
  v_previous_model text;
begin
  for r in
    select a.id, a.thread_id, a.seq, a.created_at, a.content, a.metadata, t.owner, t.metadata as thread_metadata, run.model,
           (select u.content from assistant_message u where u.thread_id = a.thread_id and u.role = 'user' and u.seq < a.seq
            order by u.seq desc limit 1) as question_content
    from assistant_message a
    join assistant_thread t on t.id = a.thread_id
    left join assistant_run run on run.id = a.run_id
    where a.role = 'assistant' and a.status = 'completed' and a.run_id is not null
      and (a.metadata->>'author') is distinct from 'maintainer'
      and a.created_at >= p_now - interval '40 days' and a.created_at <= v_settled
      and not exists (select 1 from answer_grade g where g.message_id = a.id)
      and not exists (select 1 from assistant_message m where m.thread_id = a.thread_id and m.created_at > v_settled)
    order by a.created_at, a.seq
    limit greatest(coalesce(p_limit, 500), 1)
  loop
    v_reasons := '{}';
    v_cited := pa_message_cited_urls(r.content);
    if r.metadata->>'no_docs_match' = 'true' then v_reasons := v_reasons || 'not_covered'::text; end if;
    if exists (select 1 from message_vote v where v.message_id = r.id and v.vote = 'down') then v_reasons := v_reasons || 'voted_down'::text; end if;
    select min(n.created_at) into v_next_answer from assistant_message n
    where n.thread_id = r.thread_id and n.role = 'assistant' and n.seq > r.seq and (n.metadata->>'author') is distinct from 'maintainer';
    if exists (select 1 from handoff h where h.thread_id = r.thread_id and h.created_at >= r.created_at
               and (v_next_answer is null or h.created_at < v_next_answer)) then
      v_reasons := v_reasons || 'handed_off'::text;
    end if;
    -- The reader's next question (in any of their threads) soon after the answer: the same question in other words?
    select u.content, u.created_at into v_next from assistant_message u join assistant_thread ut on ut.id = u.thread_id
    where ut.owner = r.owner and u.role = 'user' and u.created_at > r.created_at
      and u.created_at <= r.created_at + make_interval(secs => greatest(p_rephrase_seconds, 0))
    order by u.created_at limit 1;
    if found and pa_is_rephrase(pa_message_text(r.question_content), pa_message_text(v_next.content)) then
      v_reasons := v_reasons || 'rephrased'::text;
    end if;
    if exists (select 1 from message_vote v where v.message_id = r.id and v.vote = 'up') then v_reasons := v_reasons || 'voted_up'::text; end if;
    if exists (select 1 from answer_source_open o where o.message_id = r.id) then
      v_reasons := v_reasons || 'source_opened'::text;
    elsif cardinality(v_cited) > 0 then
      v_reasons := v_reasons || 'sources_not_opened'::text;
    end if;
    v_grade := case
      when v_reasons && array['not_covered', 'voted_down', 'handed_off'] then 'not_answered'
      when 'rephrased' = any(v_reasons) and not 'voted_up' = any(v_reasons) then 'partly'
      else 'answered' end;
    v_page := case when cardinality(v_cited) > 0 then pa_page_of_cited_url(v_cited[1]) end;
    insert into answer_grade (message_id, thread_id, answered_at, grade, reasons, topic, source_kind, door, model, is_sampled, graded_at)
    values (r.id, r.thread_id, r.created_at, v_grade, v_reasons,
            case when cardinality(v_cited) > 0 then coalesce(v_page.title, (select a->>'title' from jsonb_array_elements(r.content->0->'text'->'annotations') a limit 1)) end,
            case when cardinality(v_cited) > 0 then coalesce(v_page.source_kind, 'link') end,
            pa_thread_source(r.owner, r.thread_metadata), r.model, pa_is_sampled(r.id, p_sample), p_now)
    on conflict (message_id) do nothing;
    get diagnostics v_inserted = row_count;
    if v_inserted > 0 then
      v_count := v_count + 1;
      -- A model other than the one of the answer before: the day is marked on the dashboard's charts.
      select g.model into v_previous_model from answer_grade g
      where g.answered_at < r.created_at and g.model is not null order by g.answered_at desc limit 1;
      if found and r.model is not null and v_previous_model is distinct from r.model then
        insert into quality_mark (day, kind, detail) values ((r.created_at at time zone 'UTC')::date, 'model', r.model)
        on conflict (day, kind) do update set detail = excluded.detail;
      end if;
    end if;
  end loop;
  return v_count;
end;
$$;

-- The sampled answers the model has not judged yet, oldest first: the reader's question, the answer, and the sections
-- it cites (the text the reader was shown as sources; an indexed page's section at the cited anchor, else the page's
-- first). Nothing else of the conversation or the reader.
create or replace function list_answers_to_judge(p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x.item order by x.at), '[]'::jsonb) from (
    select g.graded_at as at, jsonb_build_object(
      'message_id', g.message_id,
      'question', (select pa_message_text(u.content) from assistant_message u where u.thread_id = a.thread_id and u.role = 'user' and u.seq < a.seq
                   order by u.seq desc limit 1),
      'answer', pa_message_text(a.content),
      'sections', coalesce((
        select jsonb_agg(jsonb_build_object('url', c.url, 'heading', s.heading, 'text', s.content) order by c.n)
        from unnest(pa_message_cited_urls(a.content)) with ordinality c(url, n)
        cross join lateral (
          select sec.heading, sec.content from docs_section sec join docs_page p on p.id = sec.page_id
          where pa_docs_page_url(p.slug) = split_part(c.url, '#', 1)
          order by (pa_docs_section_url(p.slug, sec.anchor) = c.url) desc, sec.id
          limit 1) s), '[]'::jsonb)) as item
    from answer_grade g join assistant_message a on a.id = g.message_id
    where g.is_sampled and g.judged_at is null
    order by g.graded_at limit greatest(coalesce(p_limit, 20), 1)) x
$$;

-- The model's judgement of a sampled answer ('unreadable' when its reply was not one). False if there is no such grade.
create or replace function record_answer_judgement(p_message_id text, p_grade text, p_reason text) returns boolean
language plpgsql as $$
begin
  update answer_grade set judge_grade = p_grade, judge_reason = left(nullif(btrim(coalesce(p_reason, '')), ''), 500), judged_at = now()
  where message_id = p_message_id and is_sampled;
  return found;
end;
$$;

-- A reader opened a source an answer of theirs cites. Only the thread's owner, only a URL the answer cites (else
-- false); once per answer and URL. PA404 for a thread that is not the caller's.
create or replace function record_answer_source_opened(p_owner text, p_thread_id text, p_message_id text, p_url text) returns boolean
language plpgsql as $$
declare
  a assistant_message;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into a from assistant_message where id = p_message_id and thread_id = p_thread_id and role = 'assistant';
  if not found or not (p_url = any(pa_message_cited_urls(a.content))) then
    return false;
  end if;
  insert into answer_source_open (message_id, url) values (p_message_id, p_url) on conflict do nothing;
  return true;
end;
$$;

-- The docs changed (a page written with a new checksum): today is marked re-indexed on the dashboard's charts.
create or replace function pa_mark_docs_reindexed() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if not exists (select 1 from changed_rows) then return null; end if;
  elsif not exists (select 1 from changed_rows n join old_rows o on o.id = n.id where o.checksum is distinct from n.checksum) then
    return null;
  end if;
  insert into quality_mark (day, kind) values ((now() at time zone 'UTC')::date, 'reindex') on conflict (day, kind) do nothing;
  return null;
end;
$$;
drop trigger if exists pa_quality_docs_page_insert on docs_page;
create trigger pa_quality_docs_page_insert after insert on docs_page
  referencing new table as changed_rows for each statement execute function pa_mark_docs_reindexed();
drop trigger if exists pa_quality_docs_page_update on docs_page;
create trigger pa_quality_docs_page_update after update on docs_page
  referencing old table as old_rows new table as changed_rows for each statement execute function pa_mark_docs_reindexed();

-- [{key, grade}] → [{key, graded, answered, partly, not_answered}], the most graded first.
create or replace function pa_grade_groups(p_items jsonb) returns jsonb
language sql immutable as $$
  select coalesce(jsonb_agg(jsonb_build_object('key', x.key, 'graded', x.graded, 'answered', x.answered, 'partly', x.partly, 'not_answered', x.not_answered)
                            order by x.graded desc, x.key), '[]'::jsonb)
  from (select i->>'key' as key, count(*) as graded, count(*) filter (where i->>'grade' = 'answered') as answered,
               count(*) filter (where i->>'grade' = 'partly') as partly, count(*) filter (where i->>'grade' = 'not_answered') as not_answered
        from jsonb_array_elements(p_items) i group by 1) x
$$;

-- The grades of the answers given in [p_from, p_to): per UTC day, per topic (the first cited page), per source kind
-- (its kind), per door; the days marked; and the worst answers (not answered, then partly; most reasons, then newest),
-- at most p_limit, each with its question and whether it is an eval case already.
create or replace function get_answer_grades(p_from timestamptz, p_to timestamptz, p_limit integer) returns jsonb
language sql stable as $$
  with g as (
    select ag.*, pa_effective_grade(ag) as final_grade from answer_grade ag where ag.answered_at >= p_from and ag.answered_at < p_to
  ), counted as (
    select count(*) as graded, count(*) filter (where final_grade = 'answered') as answered,
           count(*) filter (where final_grade = 'partly') as partly, count(*) filter (where final_grade = 'not_answered') as not_answered
    from g
  )
  select jsonb_build_object(
    'days', coalesce((
      select jsonb_agg(jsonb_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'graded', coalesce(x.graded, 0), 'answered', coalesce(x.answered, 0),
                                          'partly', coalesce(x.partly, 0), 'not_answered', coalesce(x.not_answered, 0)) order by d.day)
      from generate_series((p_from at time zone 'UTC')::date, ((p_to - interval '1 microsecond') at time zone 'UTC')::date, interval '1 day') as d(day)
      left join (select (answered_at at time zone 'UTC')::date as day, count(*) as graded,
                        count(*) filter (where final_grade = 'answered') as answered, count(*) filter (where final_grade = 'partly') as partly,
                        count(*) filter (where final_grade = 'not_answered') as not_answered
                 from g group by 1) x on x.day = d.day), '[]'::jsonb),
    'totals', (select jsonb_build_object('graded', graded, 'answered', answered, 'partly', partly, 'not_answered', not_answered) from counted),
    'topics', pa_grade_groups((select coalesce(jsonb_agg(jsonb_build_object('key', coalesce(topic, ''), 'grade', final_grade)), '[]'::jsonb) from g)),
    'kinds', pa_grade_groups((select coalesce(jsonb_agg(jsonb_build_object('key', coalesce(source_kind, ''), 'grade', final_grade)), '[]'::jsonb) from g)),
    'doors', pa_grade_groups((select coalesce(jsonb_agg(jsonb_build_object('key', door, 'grade', final_grade)), '[]'::jsonb) from g)),
    'marks', coalesce((select jsonb_agg(jsonb_build_object('day', to_char(m.day, 'YYYY-MM-DD'), 'kind', m.kind, 'detail', m.detail) order by m.day, m.kind)
                       from quality_mark m
                       where m.day >= (p_from at time zone 'UTC')::date and m.day <= ((p_to - interval '1 microsecond') at time zone 'UTC')::date), '[]'::jsonb),
    'judged', (select jsonb_build_object('sampled', count(*) filter (where is_sampled), 'judged', count(*) filter (where judged_at is not null),
                                         'worse', count(*) filter (where final_grade <> grade)) from g),
    'worst', coalesce((
      select jsonb_agg(w.item order by w.rank, w.reasons desc, w.at desc) from (
        select pa_grade_rank(g.final_grade) as rank, cardinality(g.reasons) as reasons, g.answered_at as at,
               jsonb_build_object('message_id', g.message_id, 'thread_id', g.thread_id, 'answered_at', g.answered_at, 'grade', g.final_grade,
                 'reasons', to_jsonb(g.reasons), 'judge_grade', g.judge_grade, 'judge_reason', g.judge_reason, 'topic', g.topic, 'door', g.door,
                 'question', left((select pa_message_text(u.content) from assistant_message a join assistant_message u
                                     on u.thread_id = a.thread_id and u.role = 'user' and u.seq < a.seq
                                   where a.id = g.message_id order by u.seq desc limit 1), 500),
                 'eval_case_id', (select e.id from eval_case e where e.message_id = g.message_id)) as item
        from g where g.final_grade <> 'answered'
        order by 1, 2 desc, 3 desc limit least(greatest(coalesce(p_limit, 20), 1), 200)) w), '[]'::jsonb))
$$;

-- Eval cases (npm run eval's JSONL: lib/maintainers/grades/eval-cases.ts). From an answer: its question (the reader's
-- message before it) and the page the maintainer says should have answered; made again for the same answer, the page
-- is replaced. PA404 for an answer that does not exist; PA400 for one without a question.
create or replace function pa_eval_case_json(e eval_case) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', e.id, 'message_id', e.message_id, 'thread_id', e.thread_id, 'question', e.question,
                            'expected_path', e.expected_path, 'expected_title', e.expected_title, 'created_at', e.created_at)
$$;

create or replace function create_eval_case_by_message(p_message_id text, p_expected_path text, p_expected_title text) returns jsonb
language plpgsql as $$
declare
  a assistant_message;
  v_question text;
  e eval_case;
begin
  select * into a from assistant_message where id = p_message_id and role = 'assistant';
  if not found then
    raise exception 'No answer found with id %', p_message_id using errcode = 'PA404';
  end if;
  select btrim(pa_message_text(u.content)) into v_question from assistant_message u
  where u.thread_id = a.thread_id and u.role = 'user' and u.seq < a.seq order by u.seq desc limit 1;
  if coalesce(v_question, '') = '' then
    raise exception 'That answer has no question' using errcode = 'PA400';
  end if;
  insert into eval_case (message_id, thread_id, question, expected_path, expected_title)
  values (a.id, a.thread_id, left(v_question, 2000), p_expected_path, coalesce(p_expected_title, ''))
  on conflict (message_id) do update set expected_path = excluded.expected_path, expected_title = excluded.expected_title
  returning * into e;
  return pa_eval_case_json(e);
end;
$$;

create or replace function list_eval_cases(p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(pa_eval_case_json(x) order by x.id), '[]'::jsonb)
  from (select * from eval_case order by id limit least(greatest(coalesce(p_limit, 1000), 1), 10000)) x
$$;

create or replace function delete_eval_case_by_id(p_id bigint) returns boolean
language plpgsql as $$
begin
  delete from eval_case where id = p_id;
  return found;
end;
$$;

select pa_lock_down();
