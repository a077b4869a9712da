-- The chat doors' one inbox (lib/chat-doors): a question asked through a chat door (Slack, Discord, …) is a row
-- of chat_inbox, worked under a lease, step by step; a conversation in the door (a Slack thread, a Discord
-- thread) is an assistant thread (chat_conversation). Every function takes the door: each door's worker claims
-- its own rows. The tables are 20261127100000_chat_inbox.sql's.

-- The row as the worker reads it: without its lease owner, with its conversation when the door has one for it.
create or replace function pa_chat_inbox_json(q chat_inbox) returns jsonb
language sql stable as $$
  select to_jsonb(q) - 'lease_owner' || jsonb_build_object('conversation', (
    select jsonb_build_object('thread_id', c.thread_id, 'asker', c.asker, 'door_data', c.door_data)
    from chat_conversation c where c.door = q.door and c.conversation_key = q.conversation_key))
$$;

-- Records one delivery to act on. Returns {status: 'queued', id} or {status: 'duplicate'} (the same delivery
-- came before: a retry of the chat service's, or another event about the same message): it is acted on once.
create or replace function record_chat_inbox(
  p_door text, p_delivery_id text, p_kind text, p_conversation_key text, p_queue_key text, p_asker text,
  p_text text, p_metadata jsonb, p_door_data jsonb, p_secret text)
returns jsonb
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into chat_inbox (door, delivery_id, kind, conversation_key, queue_key, asker, text, metadata, door_data, secret)
  values (p_door, p_delivery_id, p_kind, p_conversation_key, p_queue_key, p_asker, coalesce(p_text, ''),
          coalesce(p_metadata, '{}'::jsonb), coalesce(p_door_data, '{}'::jsonb), coalesce(p_secret, ''))
  on conflict (door, delivery_id) do nothing
  returning id into v_id;
  if v_id is null then
    return jsonb_build_object('status', 'duplicate');
  end if;
  return jsonb_build_object('status', 'queued', 'id', v_id);
end;
$$;

create or replace function get_chat_conversation(p_door text, p_conversation_key text) returns jsonb
language sql stable as $$
  select to_jsonb(c) from chat_conversation c where c.door = p_door and c.conversation_key = p_conversation_key
$$;

-- Takes a lease on up to p_limit of the door's rows that are due. A row with a queue key waits for the earlier
-- pending rows of its queue (a conversation's questions are answered in order and one at a time, whichever
-- instance takes them); a row without one waits for nobody.
create or replace function claim_chat_inbox_batch(p_door text, p_worker text, p_limit integer, p_lease_seconds integer) returns jsonb
language plpgsql as $$
declare
  v_ids bigint[];
begin
  select coalesce(array_agg(x.id), '{}') into v_ids from (
    select o.id from chat_inbox o
    where o.door = p_door
      and o.status = 'pending'
      and o.next_attempt_at <= now()
      and (o.lease_expires_at is null or o.lease_expires_at <= now())
      and not (o.queue_key is not null and exists (
        select 1 from chat_inbox e
        where e.door = o.door and e.queue_key = o.queue_key and e.status = 'pending' and e.id < o.id))
    order by o.id
    limit greatest(p_limit, 0)
    for update of o skip locked) x;
  if cardinality(v_ids) = 0 then
    return '[]'::jsonb;
  end if;
  update chat_inbox set lease_owner = p_worker, lease_expires_at = now() + make_interval(secs => p_lease_seconds),
    updated_at = now()
  where id = any(v_ids);
  return coalesce((select jsonb_agg(pa_chat_inbox_json(q) order by q.id) from chat_inbox q where q.id = any(v_ids)), '[]'::jsonb);
end;
$$;

create or replace function renew_chat_inbox_lease_by_id(p_id bigint, p_worker text, p_lease_seconds integer) returns boolean
language plpgsql as $$
begin
  update chat_inbox set lease_expires_at = now() + make_interval(secs => p_lease_seconds)
  where id = p_id and lease_owner = p_worker and status = 'pending';
  return found;
end;
$$;

-- One step of a row by the worker holding its lease: p_changes sets any of kind, reply_id, posted_text,
-- posted_parts, thread_id, run_id, last_error, outcome and status ('done' or 'failed' end it, release the lease
-- and clear the secret), and merges door_data into the row's. Returns the row, or null when this worker no
-- longer holds it.
create or replace function update_chat_inbox_by_id(p_id bigint, p_worker text, p_changes jsonb) returns jsonb
language plpgsql as $$
declare
  q chat_inbox;
  v_status text := coalesce(p_changes->>'status', 'pending');
begin
  if v_status not in ('pending', 'done', 'failed') then
    raise exception 'status must be pending, done or failed, not %', v_status using errcode = 'PA400';
  end if;
  update chat_inbox set
    kind = case when p_changes ? 'kind' then p_changes->>'kind' else kind end,
    reply_id = case when p_changes ? 'reply_id' then p_changes->>'reply_id' else reply_id end,
    posted_text = case when p_changes ? 'posted_text' then p_changes->>'posted_text' else posted_text end,
    posted_parts = case when p_changes ? 'posted_parts' then (p_changes->>'posted_parts')::integer else posted_parts end,
    thread_id = case when p_changes ? 'thread_id' then p_changes->>'thread_id' else thread_id end,
    run_id = case when p_changes ? 'run_id' then p_changes->>'run_id' else run_id end,
    last_error = case when p_changes ? 'last_error' then left(p_changes->>'last_error', 500) else last_error end,
    outcome = case when p_changes ? 'outcome' then p_changes->>'outcome' else outcome end,
    door_data = case when jsonb_typeof(p_changes->'door_data') = 'object' then door_data || (p_changes->'door_data') else door_data end,
    status = v_status,
    secret = case when v_status = 'pending' then secret else '' end,
    lease_owner = case when v_status = 'pending' then lease_owner end,
    lease_expires_at = case when v_status = 'pending' then lease_expires_at end,
    updated_at = now()
  where id = p_id and lease_owner = p_worker and status = 'pending'
  returning * into q;
  if not found then
    return null;
  end if;
  return pa_chat_inbox_json(q);
end;
$$;

-- A failure to try again after p_delay_ms (the chat service down or rate limited, the thread busy, the
-- database): the lease is released. A row older than p_max_age_seconds is failed for good (and its secret
-- cleared). Returns the row's status.
create or replace function retry_chat_inbox_by_id(p_id bigint, p_worker text, p_delay_ms integer, p_error text, p_max_age_seconds integer)
returns text
language plpgsql as $$
declare
  q chat_inbox;
begin
  update chat_inbox set attempts = attempts + 1, last_error = left(p_error, 500),
    next_attempt_at = now() + make_interval(secs => greatest(p_delay_ms, 0) / 1000.0),
    lease_owner = null, lease_expires_at = null, updated_at = now()
  where id = p_id and lease_owner = p_worker and status = 'pending'
  returning * into q;
  if not found then
    return null;
  end if;
  if q.created_at <= now() - make_interval(secs => p_max_age_seconds) then
    update chat_inbox set status = 'failed', outcome = 'gave_up', secret = '',
      last_error = left(format('gave up after %s attempts: %s', q.attempts, p_error), 500)
    where id = q.id;
    return 'failed';
  end if;
  return 'pending';
end;
$$;

-- The embedded store is one process per DATA_DIR: at start, the door's rows still leased were the previous process's.
create or replace function release_chat_inbox_leases_of_other_workers(p_door text, p_worker text) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  update chat_inbox set lease_owner = null, lease_expires_at = null
  where door = p_door and status = 'pending' and lease_owner is not null and lease_owner <> p_worker;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- The door's rows that ended without a thread (ignored messages, refusals before any) are kept a while, then
-- removed; the others go with their thread (RETENTION_DAYS), as their reply's votes need them while it lives.
create or replace function prune_chat_inbox(p_door text, p_keep_days integer) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  delete from chat_inbox
  where door = p_door and status <> 'pending' and thread_id is null and updated_at < now() - make_interval(days => p_keep_days);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- The assistant thread a question goes in: the conversation's, or a new one (owner p_owner, p_metadata as its
-- metadata), kept as the conversation's when p_is_kept (else the door links it later, link_chat_conversation).
-- Returns {thread_id, asker, door_data, is_new}.
create or replace function open_chat_conversation(
  p_door text, p_conversation_key text, p_owner text, p_asker text, p_door_data jsonb, p_metadata jsonb, p_is_kept boolean)
returns jsonb
language plpgsql as $$
declare
  c chat_conversation;
  t assistant_thread;
begin
  perform pg_advisory_xact_lock(hashtext('chat_conversation:' || p_door || ':' || p_conversation_key));
  select * into c from chat_conversation where door = p_door and conversation_key = p_conversation_key;
  if found then
    return jsonb_build_object('thread_id', c.thread_id, 'asker', c.asker, 'door_data', c.door_data, 'is_new', false);
  end if;
  insert into assistant_thread (owner, metadata) values (p_owner, coalesce(p_metadata, '{}'::jsonb)) returning * into t;
  if p_is_kept then
    insert into chat_conversation (door, conversation_key, thread_id, asker, door_data)
    values (p_door, p_conversation_key, t.id, p_asker, coalesce(p_door_data, '{}'::jsonb));
  end if;
  return jsonb_build_object('thread_id', t.id, 'asker', p_asker, 'door_data', coalesce(p_door_data, '{}'::jsonb), 'is_new', true);
end;
$$;

-- A conversation of the door (a Discord thread started from an answer, say) continues an assistant thread.
-- Returns whether it is new.
create or replace function link_chat_conversation(p_door text, p_conversation_key text, p_thread_id text, p_asker text, p_door_data jsonb)
returns boolean
language plpgsql as $$
begin
  insert into chat_conversation (door, conversation_key, thread_id, asker, door_data)
  values (p_door, p_conversation_key, p_thread_id, p_asker, coalesce(p_door_data, '{}'::jsonb))
  on conflict (door, conversation_key) do nothing;
  return found;
end;
$$;

-- The row whose reply is the message p_reply_id, the latest if several (a Slack ts is unique in its channel only:
-- p_door_data, which the row's door_data must contain, says which channel). A click on a button of the reply (its
-- Stop, lib/chat-doors/stop.ts) reads who asked and which run the reply follows. Never the row's secret.
create or replace function get_chat_inbox_by_reply(p_door text, p_reply_id text, p_door_data jsonb) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', q.id, 'asker', q.asker, 'thread_id', q.thread_id, 'run_id', q.run_id, 'status', q.status)
  from chat_inbox q
  where q.door = p_door and q.reply_id = p_reply_id and q.door_data @> coalesce(p_door_data, '{}'::jsonb)
  order by q.id desc
  limit 1
$$;

-- The question's message names its inbox row (metadata.chat_inbox_id): the row learns its run in the same
-- transaction that stores the message and queues the run, so a restart between the two cannot ask twice.
-- Message metadata is also written by clients (the Assistants API takes it as given), so the name alone is not
-- trusted: the row is updated only by a message in a thread of its door's own (owned `<door>:…`, as
-- lib/chat-doors adapters name their owners), never by a reader's or an API key's thread.
create or replace function pa_chat_inbox_on_message() returns trigger
language plpgsql as $$
begin
  update chat_inbox q set run_id = new.run_id, thread_id = new.thread_id, updated_at = now()
  where q.id = (new.metadata->>'chat_inbox_id')::bigint
    and exists (select 1 from assistant_thread t where t.id = new.thread_id and starts_with(t.owner, q.door || ':'));
  return null;
end;
$$;
drop trigger if exists pa_chat_inbox_message on assistant_message;
create trigger pa_chat_inbox_message after insert on assistant_message
  for each row when (new.role = 'user' and new.metadata ? 'chat_inbox_id' and (new.metadata->>'chat_inbox_id') ~ '^\d{1,18}$')
  execute function pa_chat_inbox_on_message();

select pa_lock_down();
