-- Answers in Discord (the Discord door: lib/chat-doors/doors/discord), what is Discord's own: 👍 / 👎 buttons on the app's answers as votes. The
-- inbox of interactions and the conversations (a Discord thread as an assistant thread) are every chat door's:
-- 53_chat_inbox.sql.

-- A 👍 / 👎 button under one of the app's answers in Discord: the voter's vote on it (owner 'discord:<user>'), set
-- again by a second press of the same button. Returns {status: 'set', thread_id, message_id, vote} |
-- {status: 'unknown'} (not a completed answer of a Discord conversation).
create or replace function set_message_vote_by_discord_button(p_message_id text, p_voter text, p_vote text)
returns jsonb
language plpgsql as $$
declare
  m assistant_message;
begin
  if p_vote not in ('up', 'down') then
    raise exception 'vote must be up or down' using errcode = 'PA400';
  end if;
  select msg.* into m from assistant_message msg join assistant_thread t on t.id = msg.thread_id
  where msg.id = p_message_id and msg.role = 'assistant' and msg.status = 'completed'
    and (msg.metadata->>'author') is distinct from 'maintainer' and t.owner like 'discord:%';
  if not found then
    return jsonb_build_object('status', 'unknown');
  end if;
  insert into message_vote (message_id, thread_id, owner, vote) values (m.id, m.thread_id, p_voter, p_vote)
  on conflict (message_id, owner) do update set vote = excluded.vote, reason = null, updated_at = now()
  where message_vote.vote is distinct from excluded.vote;
  return jsonb_build_object('status', 'set', 'thread_id', m.thread_id, 'message_id', m.id, 'vote', p_vote);
end;
$$;

select pa_lock_down();
