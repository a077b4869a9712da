-- Readers' thumbs up and down on answers, with a reason for a thumbs-down (posted to Slack by 51_slack_posts.sql).

-- p_vote 'up' or 'down' sets the vote, null removes it. A reason is kept with a 'down' vote only: a 'down' vote
-- sent again without one keeps the reason it had; any other vote clears it.
create or replace function set_message_vote_by_id(
  p_owner text, p_thread_id text, p_message_id text, p_vote text, p_reason text default null)
returns jsonb
language plpgsql as $$
declare
  m assistant_message;
  v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into m from assistant_message where id = p_message_id and thread_id = p_thread_id;
  if not found then
    raise exception 'No message found with id % in this thread', p_message_id using errcode = 'PA404';
  end if;
  if m.role <> 'assistant' or m.metadata->>'author' = 'maintainer' then
    raise exception 'Only the assistant''s answers can be voted on' using errcode = 'PA400';
  end if;
  if v_reason is not null and p_vote is distinct from 'down' then
    raise exception 'A reason goes with a thumbs-down only' using errcode = 'PA400';
  end if;
  if p_vote is null then
    delete from message_vote where message_id = m.id and owner = p_owner;
  elsif p_vote in ('up', 'down') then
    insert into message_vote (message_id, thread_id, owner, vote, reason)
    values (m.id, m.thread_id, p_owner, p_vote, v_reason)
    on conflict (message_id, owner) do update
      set vote = excluded.vote,
          reason = case when excluded.vote = 'down'
                        then coalesce(excluded.reason, case when message_vote.vote = 'down' then message_vote.reason end) end,
          updated_at = now()
    where message_vote.vote is distinct from excluded.vote
       or (excluded.reason is not null and message_vote.reason is distinct from excluded.reason);
  else
    raise exception 'vote must be up, down or null' using errcode = 'PA400';
  end if;
  return jsonb_build_object('thread_id', m.thread_id, 'message_id', m.id, 'vote', p_vote,
    'reason', (select v.reason from message_vote v where v.message_id = m.id and v.owner = p_owner));
end;
$$;

create or replace function list_message_votes_by_thread(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  return coalesce((
    select jsonb_agg(jsonb_build_object('message_id', v.message_id, 'vote', v.vote, 'updated_at', v.updated_at)
                     order by v.updated_at)
    from message_vote v where v.thread_id = p_thread_id and v.owner = p_owner), '[]'::jsonb);
end;
$$;

select pa_lock_down();
