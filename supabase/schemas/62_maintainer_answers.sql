-- The maintainers' answers (issue 37, item 3; the table is 20261125100000_maintainer_answers.sql's): a maintainer's
-- reply in Slack becomes a proposed answer in the reply's own transaction, or a maintainer writes one on the
-- dashboard (issue 56, item 5: create_maintainer_answer); the dashboard approves, rejects or edits it
-- (lib/maintainers/answers.ts); an approved one is a docs page of kind 'answer', built and indexed by that kind
-- (lib/docs/sources/answers) through the same indexing path as every kind, at once after each decision.
-- Nothing here keeps or returns who asked or who replied: the reply's message is referenced, never shown.

-- An answer as the dashboard lists it. origin: 'slack' while it keeps the reply it was proposed from, else
-- 'dashboard' (written there). The table keeps no origin of its own: an approved Slack-born answer whose
-- conversation was deleted (its reference set null, pa_maintainer_answer_orphaned) reads as 'dashboard' too.
create or replace function pa_maintainer_answer_json(a maintainer_answer) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', a.id, 'status', a.status, 'question', a.question, 'answer', a.answer,
    'origin', case when a.source_message_id is null then 'dashboard' else 'slack' end,
    'answeredAt', a.answered_at, 'createdAt', a.created_at, 'decidedAt', a.decided_at)
$$;

-- An answer's title: the question's first line, cut at a word past 120 characters.
create or replace function pa_maintainer_answer_title(p_question text) returns text
language sql immutable as $$
  select case when length(l) <= 120 then l else regexp_replace(left(l, 120), '\s+\S*$', '') || '…' end
  from (select btrim(split_part(btrim(p_question), E'\n', 1)) as l) x
$$;

-- The page an approved answer is, and the answers kind's sync, are built in TypeScript (lib/docs/sources/answers/page.ts)
-- since the kind moved there; their former SQL definitions leave databases made before.
drop function if exists sync_maintainer_answer_pages();
drop function if exists pa_maintainer_answer_page(maintainer_answer);

-- A maintainer's reply (p_message, just stored) as a proposed answer: the reader's question before it in the
-- conversation, and p_proposal->>'answer', the reply as the app masked it. Nothing is proposed without either. A
-- failure here is a warning, never the reply's: the reply is stored whatever happens to its proposal.
create or replace function pa_propose_maintainer_answer(p_message assistant_message, p_proposal jsonb) returns bigint
language plpgsql as $$
declare
  v_answer text := btrim(coalesce(p_proposal->>'answer', ''));
  v_question text;
  v_id bigint;
begin
  if p_proposal is null or jsonb_typeof(p_proposal) <> 'object' or v_answer = '' then
    return null;
  end if;
  begin
    select btrim(pa_message_text(u.content)) into v_question from assistant_message u
    where u.thread_id = p_message.thread_id and u.role = 'user' and u.seq < p_message.seq
    order by u.seq desc limit 1;
    if coalesce(v_question, '') = '' then
      return null;
    end if;
    insert into maintainer_answer (question, answer, source_message_id, answered_at)
    values (left(v_question, 4000), left(v_answer, 8000), p_message.id, coalesce(p_message.created_at, now()))
    on conflict (source_message_id) do nothing
    returning id into v_id;
    return v_id;
  exception when others then
    raise warning 'maintainer answer not proposed: %', sqlerrm;
    return null;
  end;
end;
$$;

-- The dashboard's lists: {proposed, approved, rejected}, newest first, each at most p_limit long.
create or replace function list_maintainer_answers(p_limit integer) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'proposed', coalesce((select jsonb_agg(x.j order by x.at desc, x.id desc) from (select pa_maintainer_answer_json(a) as j, a.created_at as at, a.id
      from maintainer_answer a where a.status = 'proposed' order by a.created_at desc, a.id desc limit greatest(1, least(coalesce(p_limit, 200), 1000))) x), '[]'::jsonb),
    'approved', coalesce((select jsonb_agg(x.j order by x.at desc, x.id desc) from (select pa_maintainer_answer_json(a) as j, a.decided_at as at, a.id
      from maintainer_answer a where a.status = 'approved' order by a.decided_at desc, a.id desc limit greatest(1, least(coalesce(p_limit, 200), 1000))) x), '[]'::jsonb),
    'rejected', coalesce((select jsonb_agg(x.j order by x.at desc, x.id desc) from (select pa_maintainer_answer_json(a) as j, a.decided_at as at, a.id
      from maintainer_answer a where a.status = 'rejected' order by a.decided_at desc, a.id desc limit greatest(1, least(coalesce(p_limit, 200), 1000))) x), '[]'::jsonb))
$$;

-- A maintainer's decision: p_status 'approved' or 'rejected', or null (back to proposed); p_question and p_answer,
-- when given, replace the texts (masked by the app). Returns the answer; 404 for an unknown id. The answers kind then
-- indexes an approved answer's page, or removes any other's (lib/maintainers/answers.ts).
create or replace function decide_maintainer_answer_by_id(p_id bigint, p_status text, p_question text, p_answer text) returns jsonb
language plpgsql as $$
declare
  a maintainer_answer;
  v_status text := coalesce(p_status, 'proposed');
begin
  if v_status not in ('proposed', 'approved', 'rejected') then
    raise exception 'status must be approved, rejected or null' using errcode = 'PA400';
  end if;
  if (p_question is not null and btrim(p_question) = '') or (p_answer is not null and btrim(p_answer) = '') then
    raise exception 'a question and an answer need text' using errcode = 'PA400';
  end if;
  update maintainer_answer set
    status = v_status,
    question = coalesce(left(btrim(p_question), 4000), question),
    answer = coalesce(left(btrim(p_answer), 8000), answer),
    updated_at = now(),
    -- The decision's date: kept while the status stays, so that editing an approved answer keeps its approval.
    decided_at = case when v_status = 'proposed' then null when v_status = status then coalesce(decided_at, now()) else now() end
  where id = p_id
  returning * into a;
  if not found then
    raise exception 'No maintainers'' answer %', p_id using errcode = 'PA404';
  end if;
  return pa_maintainer_answer_json(a);
end;
$$;

-- A maintainer's own answer, written on the dashboard (texts masked by the app): proposed, or approved at once
-- through decide_maintainer_answer_by_id, the path a Slack-born answer's approval takes (indexed in this
-- transaction). 409 when an answer that is not rejected already has the same question (case and spaces aside):
-- edit that one instead. Returns the answer.
create or replace function create_maintainer_answer(p_question text, p_answer text, p_status text) returns jsonb
language plpgsql as $$
declare
  v_question text := left(btrim(coalesce(p_question, '')), 4000);
  v_answer text := left(btrim(coalesce(p_answer, '')), 8000);
  v_existing bigint;
  v_id bigint;
begin
  if p_status is not null and p_status <> 'approved' then
    raise exception 'status must be approved or null' using errcode = 'PA400';
  end if;
  if v_question = '' or v_answer = '' then
    raise exception 'a question and an answer need text' using errcode = 'PA400';
  end if;
  select a.id into v_existing from maintainer_answer a
  where a.status <> 'rejected' and lower(regexp_replace(btrim(a.question), '\s+', ' ', 'g')) = lower(regexp_replace(v_question, '\s+', ' ', 'g'))
  limit 1;
  if found then
    raise exception 'Answer % already has this question: edit it instead', v_existing using errcode = 'PA409';
  end if;
  insert into maintainer_answer (question, answer) values (v_question, v_answer) returning id into v_id;
  if p_status = 'approved' then
    return decide_maintainer_answer_by_id(v_id, 'approved', null, null);
  end if;
  return (select pa_maintainer_answer_json(a) from maintainer_answer a where a.id = v_id);
end;
$$;

-- An approved answer, for its public page; null for any other (a retracted, rejected or unknown one is a 404).
create or replace function get_approved_maintainer_answer_by_id(p_id bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', a.id, 'title', pa_maintainer_answer_title(a.question), 'question', a.question, 'answer', a.answer,
    'answeredAt', a.answered_at, 'approvedAt', a.decided_at)
  from maintainer_answer a where a.id = p_id and a.status = 'approved'
$$;

-- The approved answers, for the answers kind (lib/docs/sources/answers): each with its title (the public page's,
-- pa_maintainer_answer_title) and the dates it was answered and approved, oldest first.
create or replace function list_approved_maintainer_answers() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'title', pa_maintainer_answer_title(a.question), 'question', a.question,
    'answer', a.answer, 'answeredAt', a.answered_at, 'approvedAt', a.decided_at) order by a.id), '[]'::jsonb)
  from maintainer_answer a where a.status = 'approved'
$$;

-- The index paths of the approved answers (the kind's listIds).
create or replace function list_approved_maintainer_answer_paths() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg('answer:' || id order by id), '[]'::jsonb) from maintainer_answer where status = 'approved'
$$;

-- The conversation an answer came from left (its reply's reference was set null): a proposed or rejected answer
-- goes with it; an approved one stays, as published. A deleted answer's page leaves the index with it.
create or replace function pa_maintainer_answer_orphaned() returns trigger
language plpgsql as $$
begin
  delete from maintainer_answer where id = new.id and status <> 'approved';
  return null;
end;
$$;
drop trigger if exists pa_maintainer_answer_orphaned on maintainer_answer;
create trigger pa_maintainer_answer_orphaned after update of source_message_id on maintainer_answer
  for each row when (old.source_message_id is not null and new.source_message_id is null)
  execute function pa_maintainer_answer_orphaned();

create or replace function pa_maintainer_answer_deleted() returns trigger
language plpgsql as $$
begin
  delete from docs_page where path = 'answer:' || old.id;
  return null;
end;
$$;
drop trigger if exists pa_maintainer_answer_deleted on maintainer_answer;
create trigger pa_maintainer_answer_deleted after delete on maintainer_answer
  for each row execute function pa_maintainer_answer_deleted();

select pa_lock_down();
