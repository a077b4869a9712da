-- Answers in Discord (lib/discord): the inbox of interactions to answer, with its lease and steps; a Discord
-- thread as an assistant thread; 👍 / 👎 buttons on the app's answers as votes. The tables are
-- 20261126140000_discord.sql's.

-- The row as the worker reads it: without its lease owner, with its conversation when it asks in a known thread.
create or replace function pa_discord_interaction_json(q discord_interaction) returns jsonb
language sql stable as $$
  select to_jsonb(q) - 'lease_owner' || jsonb_build_object('conversation', (
    select jsonb_build_object('thread_id', c.thread_id, 'asker', c.asker)
    from discord_conversation c where c.channel_id = q.channel_id))
$$;

-- Records one interaction to answer. Returns {status: 'queued'} or {status: 'duplicate'} (the same interaction
-- delivered again: it is answered once).
create or replace function record_discord_interaction(
  p_id text, p_application_id text, p_token text, p_kind text, p_guild_id text, p_channel_id text, p_user text,
  p_text text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  v_id text;
begin
  insert into discord_interaction (id, application_id, token, kind, guild_id, channel_id, discord_user, text, metadata)
  values (p_id, p_application_id, p_token, p_kind, p_guild_id, p_channel_id, p_user, coalesce(p_text, ''),
          coalesce(p_metadata, '{}'::jsonb))
  on conflict (id) do nothing
  returning id into v_id;
  if v_id is null then
    return jsonb_build_object('status', 'duplicate');
  end if;
  return jsonb_build_object('status', 'queued');
end;
$$;

-- Takes a lease on up to p_limit rows that are due. A question asked in a Discord thread (one conversation) waits
-- for the thread's earlier pending questions, so that they are answered in order and one at a time, whichever
-- instance takes them; a question in a channel or a DM starts a conversation of its own and waits for nobody.
create or replace function claim_discord_interaction_batch(p_worker text, p_limit integer, p_lease_seconds integer) returns jsonb
language plpgsql as $$
declare
  v_ids text[];
begin
  select coalesce(array_agg(x.id), '{}') into v_ids from (
    select o.id from discord_interaction o
    where o.status = 'pending'
      and o.next_attempt_at <= now()
      and (o.lease_expires_at is null or o.lease_expires_at <= now())
      and not ((o.metadata->>'discord_in_thread') = 'true' and exists (
        select 1 from discord_interaction e
        where e.channel_id = o.channel_id and e.status = 'pending' and (e.created_at, e.id) < (o.created_at, o.id)))
    order by o.created_at, o.id
    limit greatest(p_limit, 0)
    for update of o skip locked) x;
  if cardinality(v_ids) = 0 then
    return '[]'::jsonb;
  end if;
  update discord_interaction set lease_owner = p_worker, lease_expires_at = now() + make_interval(secs => p_lease_seconds),
    updated_at = now()
  where id = any(v_ids);
  return coalesce((select jsonb_agg(pa_discord_interaction_json(q) order by q.created_at, q.id)
                   from discord_interaction q where q.id = any(v_ids)), '[]'::jsonb);
end;
$$;

create or replace function renew_discord_interaction_lease_by_id(p_id text, p_worker text, p_lease_seconds integer) returns boolean
language plpgsql as $$
begin
  update discord_interaction set lease_expires_at = now() + make_interval(secs => p_lease_seconds)
  where id = p_id and lease_owner = p_worker and status = 'pending';
  return found;
end;
$$;

-- One step of a row by the worker holding its lease: p_changes sets any of message_id, discord_thread_id,
-- posted_text, posted_parts, thread_id, run_id, last_error, outcome and status ('done' or 'failed' end it,
-- release the lease and clear the interaction token). Returns the row, or null when this worker no longer holds it.
create or replace function update_discord_interaction_by_id(p_id text, p_worker text, p_changes jsonb) returns jsonb
language plpgsql as $$
declare
  q discord_interaction;
  v_status text := coalesce(p_changes->>'status', 'pending');
begin
  if v_status not in ('pending', 'done', 'failed') then
    raise exception 'status must be pending, done or failed, not %', v_status using errcode = 'PA400';
  end if;
  update discord_interaction set
    message_id = case when p_changes ? 'message_id' then p_changes->>'message_id' else message_id end,
    discord_thread_id = case when p_changes ? 'discord_thread_id' then p_changes->>'discord_thread_id' else discord_thread_id end,
    posted_text = case when p_changes ? 'posted_text' then p_changes->>'posted_text' else posted_text end,
    posted_parts = case when p_changes ? 'posted_parts' then (p_changes->>'posted_parts')::integer else posted_parts end,
    thread_id = case when p_changes ? 'thread_id' then p_changes->>'thread_id' else thread_id end,
    run_id = case when p_changes ? 'run_id' then p_changes->>'run_id' else run_id end,
    last_error = case when p_changes ? 'last_error' then left(p_changes->>'last_error', 500) else last_error end,
    outcome = case when p_changes ? 'outcome' then p_changes->>'outcome' else outcome end,
    status = v_status,
    token = case when v_status = 'pending' then token else '' end,
    lease_owner = case when v_status = 'pending' then lease_owner end,
    lease_expires_at = case when v_status = 'pending' then lease_expires_at end,
    updated_at = now()
  where id = p_id and lease_owner = p_worker and status = 'pending'
  returning * into q;
  if not found then
    return null;
  end if;
  return pa_discord_interaction_json(q);
end;
$$;

-- A failure to try again after p_delay_ms (Discord down or rate limited, the thread busy): the lease is released.
-- A row older than p_max_age_seconds (its token has expired) is failed for good. Returns the row's status.
create or replace function retry_discord_interaction_by_id(p_id text, p_worker text, p_delay_ms integer, p_error text, p_max_age_seconds integer)
returns text
language plpgsql as $$
declare
  q discord_interaction;
begin
  update discord_interaction set attempts = attempts + 1, last_error = left(p_error, 500),
    next_attempt_at = now() + make_interval(secs => greatest(p_delay_ms, 0) / 1000.0),
    lease_owner = null, lease_expires_at = null, updated_at = now()
  where id = p_id and lease_owner = p_worker and status = 'pending'
  returning * into q;
  if not found then
    return null;
  end if;
  if q.created_at <= now() - make_interval(secs => p_max_age_seconds) then
    update discord_interaction set status = 'failed', outcome = 'gave_up', token = '',
      last_error = left(format('gave up after %s attempts: %s', q.attempts, p_error), 500)
    where id = q.id;
    return 'failed';
  end if;
  return 'pending';
end;
$$;

-- The embedded store is one process per DATA_DIR: at start, rows still leased were the previous process's.
create or replace function release_discord_interaction_leases_of_other_workers(p_worker text) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  update discord_interaction set lease_owner = null, lease_expires_at = null
  where status = 'pending' and lease_owner is not null and lease_owner <> p_worker;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- Ended rows without a thread are removed after p_keep_days; the others go with their thread (RETENTION_DAYS).
create or replace function prune_discord_interactions(p_keep_days integer) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  delete from discord_interaction where status <> 'pending' and thread_id is null and updated_at < now() - make_interval(days => p_keep_days);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- The assistant thread a question goes in: the conversation of the Discord thread it was asked in, or a new
-- thread (owner 'discord:<guild>' or 'discord:@me', p_metadata as its metadata). Returns {thread_id, is_new}.
create or replace function open_discord_conversation(p_channel_id text, p_guild_id text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  c discord_conversation;
  t assistant_thread;
begin
  select * into c from discord_conversation where channel_id = p_channel_id;
  if found then
    return jsonb_build_object('thread_id', c.thread_id, 'is_new', false);
  end if;
  insert into assistant_thread (owner, metadata) values ('discord:' || coalesce(p_guild_id, '@me'), coalesce(p_metadata, '{}'::jsonb))
  returning * into t;
  return jsonb_build_object('thread_id', t.id, 'is_new', true);
end;
$$;

-- The Discord thread started from an answer continues that answer's assistant thread. Returns whether it is new.
create or replace function link_discord_conversation(p_channel_id text, p_guild_id text, p_thread_id text, p_asker text)
returns boolean
language plpgsql as $$
begin
  insert into discord_conversation (channel_id, guild_id, thread_id, asker)
  values (p_channel_id, p_guild_id, p_thread_id, p_asker)
  on conflict (channel_id) do nothing;
  return found;
end;
$$;

-- The question's message names its row (metadata.discord_interaction_id): the row learns its run in the same
-- transaction that stores the message and queues the run, so a restart between the two cannot ask twice.
create or replace function pa_discord_interaction_on_message() returns trigger
language plpgsql as $$
begin
  update discord_interaction set run_id = new.run_id, thread_id = new.thread_id, updated_at = now()
  where id = new.metadata->>'discord_interaction_id';
  return null;
end;
$$;
drop trigger if exists pa_discord_interaction_message on assistant_message;
create trigger pa_discord_interaction_message after insert on assistant_message
  for each row when (new.role = 'user' and new.metadata ? 'discord_interaction_id')
  execute function pa_discord_interaction_on_message();

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
