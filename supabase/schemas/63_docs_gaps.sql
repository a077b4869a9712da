-- The gaps (issue 40; the table is 20261126120000_docs_gaps.sql's): the questions of a period the docs failed, for
-- lib/maintainers/gaps to group into topics, and the drafted docs fixes made from a topic.

-- The questions of [p_from, p_to) that the docs failed, newest first, at most p_limit: answers that said the docs do
-- not cover the question (not_covered), answers voted down with the reader's reason (voted_down), and questions a
-- maintainer answered in the conversation (maintainer; `answer`: the maintainers' answer proposed from that reply,
-- masked and without names, when there is one: supabase/schemas/62_maintainer_answers.sql). A question shows once
-- per kind; the app counts a question once per topic.
create or replace function list_gap_questions(p_from timestamptz, p_to timestamptz, p_limit integer)
returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x.item order by x.at desc, x.item->>'message_id'), '[]'::jsonb) from (
    select * from (
      select jsonb_build_object('kind', 'not_covered', 'thread_id', a.thread_id, 'message_id', a.id, 'created_at', a.created_at,
               'question', pa_question_before(a.thread_id, a.seq), 'reason', null, 'answer', null) as item,
             a.created_at as at
      from assistant_message a
      where a.role = 'assistant' and a.metadata->>'no_docs_match' = 'true' and a.status = 'completed'
        and a.created_at >= p_from and a.created_at < p_to
      union all
      select jsonb_build_object('kind', 'voted_down', 'thread_id', v.thread_id, 'message_id', v.message_id, 'created_at', v.updated_at,
               'question', pa_question_before(a.thread_id, a.seq), 'reason', v.reason, 'answer', null),
             v.updated_at
      from message_vote v join assistant_message a on a.id = v.message_id
      where v.vote = 'down' and v.updated_at >= p_from and v.updated_at < p_to
      union all
      select jsonb_build_object('kind', 'maintainer', 'thread_id', m.thread_id, 'message_id', m.id, 'created_at', m.created_at,
               'question', pa_question_before(m.thread_id, m.seq), 'reason', null,
               'answer', (select ma.answer from maintainer_answer ma where ma.source_message_id = m.id and ma.status <> 'rejected')),
             m.created_at
      from assistant_message m
      where m.role = 'assistant' and m.metadata->>'author' = 'maintainer'
        and m.created_at >= p_from and m.created_at < p_to
    ) y order by y.at desc limit least(greatest(coalesce(p_limit, 1000), 1), 5000)
  ) x
$$;

create or replace function pa_gap_draft_json(d docs_gap_draft) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', d.id, 'topicId', d.topic_id, 'topic', d.topic, 'target', d.target, 'kind', d.kind,
    'status', d.status, 'title', d.title, 'body', d.body, 'diff', d.diff, 'pagePath', d.page_path, 'questions', d.questions,
    'url', d.url, 'error', d.error, 'attempts', d.attempts, 'createdAt', d.created_at, 'updatedAt', d.updated_at,
    'openedAt', d.opened_at, 'closedAt', d.closed_at, 'answered', d.answered, 'issueNumber', d.issue_number)
$$;

-- p_draft: {topicId, topic, target, kind, title, body, diff, pagePath, questions}. Returns the draft, pending.
create or replace function add_gap_draft(p_draft jsonb) returns jsonb
language plpgsql as $$
declare
  d docs_gap_draft;
begin
  insert into docs_gap_draft (topic_id, topic, target, kind, title, body, diff, page_path, questions)
  values (p_draft->>'topicId', p_draft->>'topic', p_draft->>'target', p_draft->>'kind', p_draft->>'title', p_draft->>'body',
          p_draft->>'diff', p_draft->>'pagePath', coalesce(p_draft->'questions', '[]'::jsonb))
  returning * into d;
  return pa_gap_draft_json(d);
end;
$$;

-- What one attempt to open the draft met: opened (with its URL, and the issue's number when it is an issue on GitHub)
-- or failed (with why). Null if there is no such draft.
create or replace function record_gap_draft_attempt_by_id(p_id bigint, p_status text, p_url text, p_error text, p_issue_number integer default null) returns jsonb
language plpgsql as $$
declare
  d docs_gap_draft;
begin
  if p_status not in ('opened', 'failed') then
    raise exception 'A draft attempt is opened or failed' using errcode = 'PA400';
  end if;
  update docs_gap_draft set status = p_status, url = coalesce(p_url, url), issue_number = coalesce(p_issue_number, issue_number),
         error = case when p_status = 'failed' then left(p_error, 500) end,
         attempts = attempts + 1, updated_at = now(), opened_at = case when p_status = 'opened' then now() else opened_at end
  where id = p_id returning * into d;
  if not found then
    return null;
  end if;
  return pa_gap_draft_json(d);
end;
$$;

create or replace function get_gap_draft_by_id(p_id bigint) returns jsonb
language sql stable as $$
  select pa_gap_draft_json(d) from docs_gap_draft d where d.id = p_id
$$;

-- The drafts made in [p_from, p_to), newest first (p_from null: since the first).
create or replace function list_gap_drafts(p_from timestamptz, p_to timestamptz, p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x.j order by x.created_at desc, x.id desc), '[]'::jsonb) from (
    select pa_gap_draft_json(d) as j, d.created_at, d.id from docs_gap_draft d
    where (p_from is null or d.created_at >= p_from) and d.created_at < coalesce(p_to, 'infinity'::timestamptz)
    order by d.created_at desc, d.id desc limit least(greatest(coalesce(p_limit, 200), 1), 1000)) x
$$;

-- A draft's topic is answered: `p_answered` of its questions now find the changed page. Once: a closed draft stays closed.
create or replace function close_gap_draft_by_id(p_id bigint, p_answered integer) returns jsonb
language plpgsql as $$
declare
  d docs_gap_draft;
begin
  update docs_gap_draft set closed_at = now(), answered = p_answered, updated_at = now()
  where id = p_id and closed_at is null returning * into d;
  if not found then
    return null;
  end if;
  return pa_gap_draft_json(d);
end;
$$;

-- The drafts whose topics may now be answered: opened, not closed, and their page re-indexed (changed) since the draft.
create or replace function list_gap_drafts_to_recheck(p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x.j order by x.id), '[]'::jsonb) from (
    select pa_gap_draft_json(d) as j, d.id from docs_gap_draft d join docs_page p on p.path = d.page_path
    where d.status = 'opened' and d.closed_at is null and p.indexed_at > d.created_at
    order by d.id limit least(greatest(coalesce(p_limit, 100), 1), 1000)) x
$$;

select pa_lock_down();
