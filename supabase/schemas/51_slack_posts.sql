-- What goes to the maintainers' Slack: triggers queue a post in the same transaction as its event (a thread, a
-- title, a message, a run that ended badly, a vote). A trigger never makes its event fail: if queueing raises,
-- the event still commits.

-- Up to 4000 characters of a text are kept with the post, and its full length (the post says what was cut).
create or replace function pa_slack_text_json(p_text text) returns jsonb
language sql immutable as $$
  select jsonb_build_object('text', left(coalesce(p_text, ''), 4000), 'length', length(coalesce(p_text, '')))
$$;

create or replace function pa_slack_on_thread_insert() returns trigger
language plpgsql as $$
begin
  begin
    perform pa_enqueue_slack(new.id, 'thread', jsonb_build_object('title', new.metadata->>'threadTitle'));
  exception when others then
    raise warning 'slack outbox: could not queue thread %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_thread_insert on assistant_thread;
create trigger pa_slack_thread_insert after insert on assistant_thread
  for each row execute function pa_slack_on_thread_insert();

create or replace function pa_slack_on_thread_title() returns trigger
language plpgsql as $$
begin
  begin
    perform pa_enqueue_slack(new.id, 'thread_title',
      jsonb_build_object('title', new.metadata->>'threadTitle', 'previous', old.metadata->>'threadTitle'));
  exception when others then
    raise warning 'slack outbox: could not queue title of thread %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_thread_title on assistant_thread;
create trigger pa_slack_thread_title after update of metadata on assistant_thread
  for each row when (old.metadata->>'threadTitle' is distinct from new.metadata->>'threadTitle')
  execute function pa_slack_on_thread_title();

-- A user message is posted with its text (and the passage it asks about, if any); an answer with its text, its sources (url citations, each with its
-- title and what the citation says of its source: kind, a thread's number and state; lib/review-channel/format.ts shows
-- them) and the searches its run made (the raw tool arguments: parsed by the app, so that a malformed one cannot
-- fail here).
create or replace function pa_slack_on_message_insert() returns trigger
language plpgsql as $$
declare
  v_payload jsonb;
begin
  begin
    v_payload := jsonb_build_object('message_id', new.id, 'run_id', new.run_id) || pa_slack_text_json(pa_message_text(new.content));
    if new.role = 'user' then
      -- Moderation marks flagged messages; maintainers see the flag on the post.
      v_payload := v_payload || jsonb_build_object('flagged', coalesce(new.metadata->>'flagged', 'false') = 'true');
      -- A question asked about a passage ("Ask about this", issue 71) goes with it: stored masked and bounded
      -- (lib/assistant/service.ts), cut again here, its page's title and address beside it.
      if jsonb_typeof(new.metadata->'quote') = 'object' and jsonb_typeof(new.metadata->'quote'->'text') = 'string' then
        v_payload := v_payload || jsonb_build_object('quote', jsonb_strip_nulls(jsonb_build_object(
          'text', left(new.metadata->'quote'->>'text', 2000),
          'title', left(new.metadata->'quote'->>'title', 300),
          'url', left(new.metadata->'quote'->>'url', 2000))));
      end if;
      perform pa_enqueue_slack(new.thread_id, 'message', v_payload);
    else
      v_payload := v_payload || jsonb_build_object(
        'no_docs_match', coalesce(new.metadata->>'no_docs_match', 'false') = 'true',
        'sources', coalesce((
          select jsonb_agg(jsonb_strip_nulls(jsonb_build_object('url', s.url, 'title', s.title, 'source', s.source)) order by s.first_seen)
          from (select a->>'url' as url, min(a->>'title') as title, min(p.i * 1000 + ai) as first_seen,
                       (array_agg(a->'source' order by p.i, ai) filter (where jsonb_typeof(a->'source') = 'object'))[1] as source
                from jsonb_array_elements(case when jsonb_typeof(new.content) = 'array' then new.content else '[]'::jsonb end)
                       with ordinality p(part, i),
                     jsonb_array_elements(coalesce(p.part->'text'->'annotations', '[]'::jsonb)) with ordinality an(a, ai)
                where a->>'type' = 'url_citation' and a->>'url' is not null
                group by a->>'url' order by 3 limit 20) s), '[]'::jsonb),
        'searches', coalesce((
          select jsonb_agg(c->'function'->>'arguments' order by ri, ci)
          from assistant_run r,
               jsonb_array_elements(r.tool_rounds) with ordinality rr(round, ri),
               jsonb_array_elements(coalesce(rr.round->'tool_calls', '[]'::jsonb)) with ordinality cc(c, ci)
          where r.id = new.run_id), '[]'::jsonb));
      perform pa_enqueue_slack(new.thread_id, 'answer', v_payload);
    end if;
  exception when others then
    raise warning 'slack outbox: could not queue message %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
-- A maintainer's reply is already in Slack: it is not posted back.
drop trigger if exists pa_slack_message_insert on assistant_message;
create trigger pa_slack_message_insert after insert on assistant_message
  for each row when (new.status = 'completed' and (new.metadata->>'author') is distinct from 'maintainer')
  execute function pa_slack_on_message_insert();
-- An answer starts as an in-progress row (streaming): it is posted once, when it is completed, with its final text.
drop trigger if exists pa_slack_message_completed on assistant_message;
create trigger pa_slack_message_completed after update of status on assistant_message
  for each row when (old.status = 'in_progress' and new.status = 'completed')
  execute function pa_slack_on_message_insert();

-- A run that ends without an answer is worth a maintainer's look too.
create or replace function pa_slack_on_run_ended() returns trigger
language plpgsql as $$
begin
  begin
    perform pa_enqueue_slack(new.thread_id, 'run_ended', jsonb_build_object(
      'run_id', new.id, 'status', new.status, 'error', coalesce(new.last_error, new.incomplete_details)));
  exception when others then
    raise warning 'slack outbox: could not queue end of run %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_run_ended on assistant_run;
create trigger pa_slack_run_ended after update of status on assistant_run
  for each row when (new.status in ('failed', 'expired', 'incomplete') and old.status is distinct from new.status)
  execute function pa_slack_on_run_ended();

create or replace function pa_slack_on_vote() returns trigger
language plpgsql as $$
begin
  begin
    if tg_op = 'DELETE' then
      -- Votes removed by deleting their thread are not news.
      if exists (select 1 from assistant_message where id = old.message_id) then
        perform pa_enqueue_slack(old.thread_id, 'vote',
          jsonb_build_object('message_id', old.message_id, 'vote', null, 'previous', old.vote));
      end if;
    elsif tg_op = 'INSERT' then
      perform pa_enqueue_slack(new.thread_id, 'vote',
        jsonb_build_object('message_id', new.message_id, 'vote', new.vote, 'previous', null, 'reason', new.reason));
    elsif old.vote is distinct from new.vote or (new.reason is not null and old.reason is distinct from new.reason) then
      perform pa_enqueue_slack(new.thread_id, 'vote',
        jsonb_build_object('message_id', new.message_id, 'vote', new.vote, 'previous', old.vote, 'reason', new.reason));
    end if;
  exception when others then
    raise warning 'slack outbox: could not queue a vote: %', sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_vote on message_vote;
create trigger pa_slack_vote after insert or update or delete on message_vote
  for each row execute function pa_slack_on_vote();

select pa_lock_down();
