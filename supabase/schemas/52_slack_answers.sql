-- Answers in Slack (the Slack door: lib/chat-doors/doors/slack), what is Slack's own: 👍 / 👎 reactions on the app's replies as votes;
-- maintainers' replies in a thread the app answers in. The inbox and the conversations (a Slack thread, keyed
-- '<team>:<channel>:<thread ts>', as an assistant thread) are every chat door's: 53_chat_inbox.sql.

-- Reactions ----------------------------------------------------------------------------------------------
-- 👍 / 👎 on the app's reply in Slack is the voter's vote on that answer (owner 'slack:<team>:<user>'); p_vote
-- null removes it, if it is still p_previous. Returns {status: 'set', thread_id, message_id} | {status: 'unknown'}
-- (not one of the app's answers) | {status: 'not_answered'} (the reply holds no completed answer).
create or replace function set_message_vote_by_slack_reply(
  p_team_id text, p_channel_id text, p_reply_ts text, p_voter text, p_vote text, p_previous text)
returns jsonb
language plpgsql as $$
declare
  q chat_inbox;
  m assistant_message;
begin
  select * into q from chat_inbox
  where door = 'slack' and reply_id = p_reply_ts and door_data->>'channel_id' = p_channel_id and door_data->>'team_id' = p_team_id
  order by id desc limit 1;
  if not found or q.run_id is null then
    return jsonb_build_object('status', 'unknown');
  end if;
  select * into m from assistant_message
  where run_id = q.run_id and role = 'assistant' and status = 'completed' and (metadata->>'author') is distinct from 'maintainer';
  if not found then
    return jsonb_build_object('status', 'not_answered');
  end if;
  if p_vote is null then
    delete from message_vote where message_id = m.id and owner = p_voter and (p_previous is null or vote = p_previous);
  elsif p_vote in ('up', 'down') then
    insert into message_vote (message_id, thread_id, owner, vote) values (m.id, m.thread_id, p_voter, p_vote)
    on conflict (message_id, owner) do update set vote = excluded.vote, reason = null, updated_at = now()
    where message_vote.vote is distinct from excluded.vote;
  else
    raise exception 'vote must be up, down or null' using errcode = 'PA400';
  end if;
  return jsonb_build_object('status', 'set', 'thread_id', m.thread_id, 'message_id', m.id,
    'vote', (select v.vote from message_vote v where v.message_id = m.id and v.owner = p_voter));
end;
$$;

-- Maintainers in an answered thread ----------------------------------------------------------------------
-- A maintainer's message in a Slack thread the app answers in is a maintainer's reply in its assistant thread, as
-- a reply in the review channel is. Returns {status: 'added', message, owner} | {status: 'duplicate'} | {status: 'unknown_thread'}.
-- p_proposal: as add_maintainer_reply_by_slack_thread's (61_maintainers.sql): the reply as a proposed answer.
create or replace function add_maintainer_reply_by_slack_conversation(
  p_team_id text, p_channel_id text, p_thread_ts text, p_slack_ts text, p_text text, p_author jsonb, p_proposal jsonb default null)
returns jsonb
language plpgsql as $$
declare
  c chat_conversation;
  m assistant_message;
begin
  if coalesce(btrim(p_text), '') = '' then
    raise exception 'A reply needs text' using errcode = 'PA400';
  end if;
  select * into c from chat_conversation where door = 'slack' and conversation_key = p_team_id || ':' || p_channel_id || ':' || p_thread_ts;
  if not found then
    return jsonb_build_object('status', 'unknown_thread');
  end if;
  if exists (select 1 from assistant_message where thread_id = c.thread_id and metadata->>'slack_ts' = p_slack_ts) then
    return jsonb_build_object('status', 'duplicate');
  end if;
  insert into assistant_message (thread_id, run_id, role, content, metadata, status, completed_at)
  values (c.thread_id, null, 'assistant', pa_text_content(p_text),
          jsonb_build_object('author', 'maintainer',
                             'author_name', coalesce(nullif(p_author->>'name', ''), 'A maintainer'),
                             'slack_user', p_author->>'slack_user',
                             'slack_ts', p_slack_ts),
          'completed', now())
  returning * into m;
  update assistant_thread set updated_at = now() where id = c.thread_id;
  perform pa_propose_maintainer_answer(m, p_proposal);
  return jsonb_build_object('status', 'added', 'message', pa_message_json(m), 'owner', 'slack:' || p_team_id);
end;
$$;

select pa_lock_down();
