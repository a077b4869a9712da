-- Answers in Slack (lib/slack/answers): the inbox of Slack messages to act on, with its lease and steps; a
-- Slack thread as an assistant thread; 👍 / 👎 reactions on the app's replies as votes; maintainers' replies in
-- a thread the app answers in. The tables are 20261123000260_slack_answers.sql's.

-- The inbox ----------------------------------------------------------------------------------------------

create or replace function pa_slack_inbox_json(q slack_inbox) returns jsonb
language sql stable as $$
  select to_jsonb(q) - 'lease_owner' || jsonb_build_object('conversation', (
    select jsonb_build_object('thread_id', c.thread_id, 'asker', c.asker, 'channel_type', c.channel_type)
    from slack_conversation c where c.team_id = q.team_id and c.channel_id = q.channel_id and c.thread_ts = q.thread_ts))
$$;

-- Records one Slack message to act on. Returns {status: 'queued', id} or {status: 'duplicate'} (the same
-- message came before: a retry of the event, or the other event of the app_mention + message pair).
create or replace function record_slack_inbox(
  p_event_id text, p_kind text, p_team_id text, p_channel_id text, p_channel_type text, p_thread_ts text,
  p_message_ts text, p_user text, p_text text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into slack_inbox (event_id, kind, team_id, channel_id, channel_type, thread_ts, message_ts, slack_user, text, metadata)
  values (p_event_id, p_kind, p_team_id, p_channel_id, p_channel_type, p_thread_ts, p_message_ts, p_user,
          coalesce(p_text, ''), coalesce(p_metadata, '{}'::jsonb))
  on conflict (team_id, channel_id, message_ts) do nothing
  returning id into v_id;
  if v_id is null then
    return jsonb_build_object('status', 'duplicate');
  end if;
  return jsonb_build_object('status', 'queued', 'id', v_id);
end;
$$;

create or replace function get_slack_conversation(p_team_id text, p_channel_id text, p_thread_ts text) returns jsonb
language sql stable as $$
  select to_jsonb(c) from slack_conversation c
  where c.team_id = p_team_id and c.channel_id = p_channel_id and c.thread_ts = p_thread_ts
$$;

-- Takes a lease on up to p_limit rows that are due, each the oldest pending row of its Slack thread, so that the
-- questions of one thread are answered in order and one at a time, whichever instance takes them.
create or replace function claim_slack_inbox_batch(p_worker text, p_limit integer, p_lease_seconds integer) returns jsonb
language plpgsql as $$
declare
  v_ids bigint[];
begin
  select coalesce(array_agg(x.id), '{}') into v_ids from (
    select o.id from slack_inbox o
    where o.status = 'pending'
      and o.next_attempt_at <= now()
      and (o.lease_expires_at is null or o.lease_expires_at <= now())
      and not exists (select 1 from slack_inbox e
                      where e.team_id = o.team_id and e.channel_id = o.channel_id and e.thread_ts = o.thread_ts
                        and e.status = 'pending' and e.id < o.id)
    order by o.id
    limit greatest(p_limit, 0)
    for update of o skip locked) x;
  if cardinality(v_ids) = 0 then
    return '[]'::jsonb;
  end if;
  update slack_inbox set lease_owner = p_worker, lease_expires_at = now() + make_interval(secs => p_lease_seconds),
    updated_at = now()
  where id = any(v_ids);
  return coalesce((select jsonb_agg(pa_slack_inbox_json(q) order by q.id) from slack_inbox q where q.id = any(v_ids)), '[]'::jsonb);
end;
$$;

create or replace function renew_slack_inbox_lease_by_id(p_id bigint, p_worker text, p_lease_seconds integer) returns boolean
language plpgsql as $$
begin
  update slack_inbox set lease_expires_at = now() + make_interval(secs => p_lease_seconds)
  where id = p_id and lease_owner = p_worker and status = 'pending';
  return found;
end;
$$;

-- One step of a row by the worker holding its lease: p_changes sets any of kind, reply_ts, posted_text,
-- thread_id, run_id, last_error, outcome and status ('done' or 'failed' end it and release the lease). Returns
-- the row, or null when this worker no longer holds it.
create or replace function update_slack_inbox_by_id(p_id bigint, p_worker text, p_changes jsonb) returns jsonb
language plpgsql as $$
declare
  q slack_inbox;
  v_status text := coalesce(p_changes->>'status', 'pending');
begin
  if v_status not in ('pending', 'done', 'failed') then
    raise exception 'status must be pending, done or failed, not %', v_status using errcode = 'PA400';
  end if;
  update slack_inbox set
    kind = case when p_changes ? 'kind' then p_changes->>'kind' else kind end,
    reply_ts = case when p_changes ? 'reply_ts' then p_changes->>'reply_ts' else reply_ts end,
    posted_text = case when p_changes ? 'posted_text' then p_changes->>'posted_text' else posted_text end,
    thread_id = case when p_changes ? 'thread_id' then p_changes->>'thread_id' else thread_id end,
    run_id = case when p_changes ? 'run_id' then p_changes->>'run_id' else run_id end,
    last_error = case when p_changes ? 'last_error' then left(p_changes->>'last_error', 500) else last_error end,
    outcome = case when p_changes ? 'outcome' then p_changes->>'outcome' else outcome end,
    status = v_status,
    lease_owner = case when v_status = 'pending' then lease_owner end,
    lease_expires_at = case when v_status = 'pending' then lease_expires_at end,
    updated_at = now()
  where id = p_id and lease_owner = p_worker and status = 'pending'
  returning * into q;
  if not found then
    return null;
  end if;
  return pa_slack_inbox_json(q);
end;
$$;

-- A failure to try again after p_delay_ms (Slack down or rate limited, the thread busy, the database): the lease
-- is released. A row failing for longer than p_max_age_seconds is failed for good. Returns the row's status.
create or replace function retry_slack_inbox_by_id(p_id bigint, p_worker text, p_delay_ms integer, p_error text, p_max_age_seconds integer)
returns text
language plpgsql as $$
declare
  q slack_inbox;
begin
  update slack_inbox set attempts = attempts + 1, last_error = left(p_error, 500),
    next_attempt_at = now() + make_interval(secs => greatest(p_delay_ms, 0) / 1000.0),
    lease_owner = null, lease_expires_at = null, updated_at = now()
  where id = p_id and lease_owner = p_worker and status = 'pending'
  returning * into q;
  if not found then
    return null;
  end if;
  if q.created_at <= now() - make_interval(secs => p_max_age_seconds) then
    update slack_inbox set status = 'failed', outcome = 'gave_up',
      last_error = left(format('gave up after %s attempts: %s', q.attempts, p_error), 500)
    where id = q.id;
    return 'failed';
  end if;
  return 'pending';
end;
$$;

-- The embedded store is one process per DATA_DIR: at start, rows still leased were the previous process's.
create or replace function release_slack_inbox_leases_of_other_workers(p_worker text) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  update slack_inbox set lease_owner = null, lease_expires_at = null
  where status = 'pending' and lease_owner is not null and lease_owner <> p_worker;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- Rows that ended without a thread (ignored messages, refusals before any) are kept a while, then removed; the
-- others go with their thread (RETENTION_DAYS), as their reply's votes need them while it lives.
create or replace function prune_slack_inbox(p_keep_days integer) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  delete from slack_inbox where status <> 'pending' and thread_id is null and updated_at < now() - make_interval(days => p_keep_days);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- A Slack thread's assistant thread, created with it the first time (owner 'slack:<team>', p_metadata as its
-- metadata). Returns {thread_id, asker, channel_type, is_new}.
create or replace function open_slack_conversation(
  p_team_id text, p_channel_id text, p_thread_ts text, p_channel_type text, p_asker text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  c slack_conversation;
  t assistant_thread;
begin
  perform pg_advisory_xact_lock(hashtext('slack_conversation:' || p_team_id || ':' || p_channel_id || ':' || p_thread_ts));
  select * into c from slack_conversation where team_id = p_team_id and channel_id = p_channel_id and thread_ts = p_thread_ts;
  if found then
    return jsonb_build_object('thread_id', c.thread_id, 'asker', c.asker, 'channel_type', c.channel_type, 'is_new', false);
  end if;
  insert into assistant_thread (owner, metadata) values ('slack:' || p_team_id, coalesce(p_metadata, '{}'::jsonb)) returning * into t;
  insert into slack_conversation (team_id, channel_id, thread_ts, thread_id, channel_type, asker)
  values (p_team_id, p_channel_id, p_thread_ts, t.id, p_channel_type, p_asker) returning * into c;
  return jsonb_build_object('thread_id', c.thread_id, 'asker', c.asker, 'channel_type', c.channel_type, 'is_new', true);
end;
$$;

-- The question's message names its inbox row (metadata.slack_inbox_id): the row learns its run in the same
-- transaction that stores the message and queues the run, so a restart between the two cannot ask twice.
create or replace function pa_slack_inbox_on_message() returns trigger
language plpgsql as $$
begin
  update slack_inbox set run_id = new.run_id, thread_id = new.thread_id, updated_at = now()
  where id = (new.metadata->>'slack_inbox_id')::bigint;
  return null;
end;
$$;
drop trigger if exists pa_slack_inbox_message on assistant_message;
create trigger pa_slack_inbox_message after insert on assistant_message
  for each row when (new.role = 'user' and new.metadata ? 'slack_inbox_id' and (new.metadata->>'slack_inbox_id') ~ '^\d{1,18}$')
  execute function pa_slack_inbox_on_message();

-- Reactions ----------------------------------------------------------------------------------------------
-- 👍 / 👎 on the app's reply in Slack is the voter's vote on that answer (owner 'slack:<team>:<user>'); p_vote
-- null removes it, if it is still p_previous. Returns {status: 'set', thread_id, message_id} | {status: 'unknown'}
-- (not one of the app's answers) | {status: 'not_answered'} (the reply holds no completed answer).
create or replace function set_message_vote_by_slack_reply(
  p_team_id text, p_channel_id text, p_reply_ts text, p_voter text, p_vote text, p_previous text)
returns jsonb
language plpgsql as $$
declare
  q slack_inbox;
  m assistant_message;
begin
  select * into q from slack_inbox where channel_id = p_channel_id and reply_ts = p_reply_ts and team_id = p_team_id
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
  c slack_conversation;
  m assistant_message;
begin
  if coalesce(btrim(p_text), '') = '' then
    raise exception 'A reply needs text' using errcode = 'PA400';
  end if;
  select * into c from slack_conversation where team_id = p_team_id and channel_id = p_channel_id and thread_ts = p_thread_ts;
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
