-- Threads, messages and runs: the part of the Assistants API that OpenAI used to host.
-- Every statement is idempotent: the embedded store re-applies this file safely, `supabase db push` applies it once.
-- Application code calls only the functions below (db.rpc); they return jsonb, so both transports see one shape.
-- Errors raised here use SQLSTATEs the app maps to HTTP: PA400 bad input, PA404 not found, PA409 conflict.

create table if not exists assistant_thread (
  seq bigint generated always as identity,
  id text primary key default 'thread_' || replace(gen_random_uuid()::text, '-', ''),
  owner text not null,
  metadata jsonb not null default '{}'::jsonb,
  slack_thread_ts text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists assistant_thread_owner_seq_idx on assistant_thread (owner, seq desc);

create table if not exists assistant_message (
  seq bigint generated always as identity primary key,
  id text not null unique default 'msg_' || replace(gen_random_uuid()::text, '-', ''),
  thread_id text not null references assistant_thread (id) on delete cascade,
  run_id text,
  role text not null check (role in ('user', 'assistant')),
  content jsonb not null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index if not exists assistant_message_thread_seq_idx on assistant_message (thread_id, seq);

create table if not exists assistant_run (
  seq bigint generated always as identity,
  id text primary key default 'run_' || replace(gen_random_uuid()::text, '-', ''),
  thread_id text not null references assistant_thread (id) on delete cascade,
  status text not null default 'queued'
    check (status in ('queued', 'in_progress', 'requires_action', 'completed', 'failed', 'cancelled', 'expired', 'incomplete')),
  model text not null,
  instructions text not null default '',
  tools jsonb not null default '[]'::jsonb,
  required_action jsonb,
  -- One entry per tool round: {tool_calls: [{id, type, function: {name, arguments}}], tool_outputs: [{tool_call_id, output}]}.
  tool_rounds jsonb not null default '[]'::jsonb,
  last_error jsonb,
  incomplete_details jsonb,
  usage jsonb,
  metadata jsonb not null default '{}'::jsonb,
  max_tool_rounds integer not null,
  max_attempts integer not null,
  -- Claims since the run last made progress; a run whose executors keep dying is failed, not retried forever.
  attempts integer not null default 0,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  expires_at timestamptz not null,
  cancelled_at timestamptz,
  failed_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz not null default now()
);
-- At most one active run per thread, even when two requests race past the check in create_message_and_run.
create unique index if not exists assistant_run_one_active_idx on assistant_run (thread_id)
  where status in ('queued', 'in_progress', 'requires_action');
create index if not exists assistant_run_thread_seq_idx on assistant_run (thread_id, seq desc);
create index if not exists assistant_run_active_idx on assistant_run (status, lease_expires_at)
  where status in ('queued', 'in_progress', 'requires_action');

-- Row-level security on, no policies: only the service role (which bypasses RLS) reads or writes.
-- Supabase grants new objects in `public` to anon and authenticated by default; take that back.
create or replace function pa_lock_down() returns void
language plpgsql as $$
declare
  obj record;
  grantee text;
begin
  for obj in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind = 'r' loop
    execute format('alter table public.%I enable row level security', obj.relname);
  end loop;
  foreach grantee in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = grantee) then
      execute format('revoke all on all tables in schema public from %I', grantee);
      execute format('revoke all on all sequences in schema public from %I', grantee);
      execute format('revoke execute on all functions in schema public from %I', grantee);
    end if;
  end loop;
  execute 'revoke execute on all functions in schema public from public';
  if exists (select 1 from pg_roles where rolname = 'service_role') then
    execute 'grant execute on all functions in schema public to service_role';
    execute 'grant all on all tables in schema public to service_role';
    execute 'grant all on all sequences in schema public to service_role';
  end if;
end;
$$;

create or replace function pa_thread_json(t assistant_thread) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', t.id, 'created_at', t.created_at, 'updated_at', t.updated_at, 'metadata', t.metadata,
    'slack_thread_ts', t.slack_thread_ts)
$$;

create or replace function pa_message_json(m assistant_message) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', m.id, 'thread_id', m.thread_id, 'run_id', m.run_id, 'role', m.role, 'content', m.content,
    'metadata', m.metadata, 'created_at', m.created_at)
$$;

create or replace function pa_run_json(r assistant_run) returns jsonb
language sql stable as $$
  select to_jsonb(r) - 'seq' - 'lease_owner'
    || jsonb_build_object('is_lease_stale',
         r.status = 'in_progress' and (r.lease_expires_at is null or r.lease_expires_at <= now()))
$$;

create or replace function pa_add_usage(a jsonb, b jsonb) returns jsonb
language sql immutable as $$
  select case when b is null then a else jsonb_build_object(
    'prompt_tokens', coalesce((a->>'prompt_tokens')::int, 0) + coalesce((b->>'prompt_tokens')::int, 0),
    'completion_tokens', coalesce((a->>'completion_tokens')::int, 0) + coalesce((b->>'completion_tokens')::int, 0),
    'total_tokens', coalesce((a->>'total_tokens')::int, 0) + coalesce((b->>'total_tokens')::int, 0)) end
$$;

-- Threads ------------------------------------------------------------------------------------------

create or replace function create_thread(p_owner text, p_metadata jsonb) returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
begin
  insert into assistant_thread (owner, metadata) values (p_owner, coalesce(p_metadata, '{}'::jsonb)) returning * into t;
  return pa_thread_json(t);
end;
$$;

create or replace function pa_get_owned_thread(p_owner text, p_thread_id text, p_lock boolean default false)
returns assistant_thread
language plpgsql as $$
declare
  t assistant_thread;
begin
  if p_lock then
    select * into t from assistant_thread where id = p_thread_id and owner = p_owner for update;
  else
    select * into t from assistant_thread where id = p_thread_id and owner = p_owner;
  end if;
  if not found then
    raise exception 'No thread found with id %', p_thread_id using errcode = 'PA404';
  end if;
  return t;
end;
$$;

create or replace function get_thread_by_id(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  return pa_thread_json(pa_get_owned_thread(p_owner, p_thread_id));
end;
$$;

create or replace function list_threads_by_owner(p_owner text, p_limit integer, p_after text default null)
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  rows jsonb;
begin
  if p_after is not null then
    select seq into after_seq from assistant_thread where id = p_after and owner = p_owner;
    if not found then
      raise exception 'No thread found with id %', p_after using errcode = 'PA400';
    end if;
  end if;
  select coalesce(jsonb_agg(pa_thread_json(t) order by t.seq desc), '[]'::jsonb) into rows
  from (select * from assistant_thread
        where owner = p_owner and (after_seq is null or seq < after_seq)
        order by seq desc limit p_limit + 1) t;
  return jsonb_build_object(
    'data', coalesce((select jsonb_agg(e order by i) from jsonb_array_elements(rows) with ordinality x(e, i) where i <= p_limit), '[]'::jsonb),
    'has_more', jsonb_array_length(rows) > p_limit);
end;
$$;

-- Merges metadata: keys with a null value are removed. OpenAI's limit: at most 16 keys.
create or replace function update_thread_metadata_by_id(p_owner text, p_thread_id text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  merged jsonb;
begin
  t := pa_get_owned_thread(p_owner, p_thread_id, true);
  merged := jsonb_strip_nulls(t.metadata || p_metadata);
  if (select count(*) from jsonb_object_keys(merged)) > 16 then
    raise exception 'metadata can have at most 16 keys' using errcode = 'PA400';
  end if;
  update assistant_thread set metadata = merged, updated_at = now() where id = t.id returning * into t;
  return pa_thread_json(t);
end;
$$;

create or replace function delete_thread_by_id(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  delete from assistant_thread where id = p_thread_id and owner = p_owner;
  if not found then
    raise exception 'No thread found with id %', p_thread_id using errcode = 'PA404';
  end if;
  return jsonb_build_object('id', p_thread_id, 'deleted', true);
end;
$$;

-- Messages -----------------------------------------------------------------------------------------

create or replace function list_messages_by_thread(
  p_owner text, p_thread_id text, p_limit integer, p_after text default null, p_order text default 'asc')
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  rows jsonb;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  if p_after is not null then
    select seq into after_seq from assistant_message where id = p_after and thread_id = p_thread_id;
    if not found then
      raise exception 'No message found with id % in this thread', p_after using errcode = 'PA400';
    end if;
  end if;
  if p_order = 'desc' then
    select coalesce(jsonb_agg(pa_message_json(m) order by m.seq desc), '[]'::jsonb) into rows
    from (select * from assistant_message where thread_id = p_thread_id and (after_seq is null or seq < after_seq)
          order by seq desc limit p_limit + 1) m;
  else
    select coalesce(jsonb_agg(pa_message_json(m) order by m.seq), '[]'::jsonb) into rows
    from (select * from assistant_message where thread_id = p_thread_id and (after_seq is null or seq > after_seq)
          order by seq limit p_limit + 1) m;
  end if;
  return jsonb_build_object(
    'data', coalesce((select jsonb_agg(e order by i) from jsonb_array_elements(rows) with ordinality x(e, i) where i <= p_limit), '[]'::jsonb),
    'has_more', jsonb_array_length(rows) > p_limit);
end;
$$;

-- Stores the user's message and queues a run for it, atomically: refused (PA409) while a run is active.
create or replace function create_message_and_run(
  p_owner text, p_thread_id text, p_content jsonb, p_message_metadata jsonb, p_run jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  m assistant_message;
  r assistant_run;
  active_id text;
begin
  t := pa_get_owned_thread(p_owner, p_thread_id, true);
  -- A run past its expiry no longer blocks the thread.
  perform pa_expire_due_runs(t.id);
  select id into active_id from assistant_run
  where thread_id = t.id and status in ('queued', 'in_progress', 'requires_action') limit 1;
  if found then
    raise exception 'Run % is still active on this thread; wait for it to finish or cancel it', active_id
      using errcode = 'PA409';
  end if;
  insert into assistant_message (thread_id, role, content, metadata)
  values (t.id, 'user', p_content, coalesce(p_message_metadata, '{}'::jsonb)) returning * into m;
  insert into assistant_run (thread_id, model, instructions, tools, metadata, max_tool_rounds, max_attempts, expires_at)
  values (t.id, p_run->>'model', coalesce(p_run->>'instructions', ''), coalesce(p_run->'tools', '[]'::jsonb),
          coalesce(p_run->'metadata', '{}'::jsonb), (p_run->>'max_tool_rounds')::int, (p_run->>'max_attempts')::int,
          now() + make_interval(secs => (p_run->>'expires_in_seconds')::int))
  returning * into r;
  update assistant_message set run_id = r.id where seq = m.seq returning * into m;
  update assistant_thread set updated_at = now() where id = t.id;
  return jsonb_build_object('message', pa_message_json(m), 'run', pa_run_json(r));
exception
  when unique_violation then
    raise exception 'A run is already active on this thread' using errcode = 'PA409';
end;
$$;

-- Runs ---------------------------------------------------------------------------------------------

create or replace function pa_expire_due_runs(p_thread_id text) returns void
language sql as $$
  update assistant_run set
    status = 'expired', lease_owner = null, lease_expires_at = null, required_action = null, updated_at = now(),
    last_error = jsonb_build_object('code', 'run_expired',
      'message', 'The assistant did not finish answering in time, so the run expired. Send your message again.')
  where thread_id = p_thread_id and status in ('queued', 'in_progress', 'requires_action') and expires_at <= now()
$$;

create or replace function get_run_by_id(p_owner text, p_thread_id text, p_run_id text) returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  perform pa_expire_due_runs(p_thread_id);
  select * into r from assistant_run where id = p_run_id and thread_id = p_thread_id;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  return pa_run_json(r);
end;
$$;

create or replace function get_latest_run_by_thread(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  perform pa_expire_due_runs(p_thread_id);
  select * into r from assistant_run where thread_id = p_thread_id order by seq desc limit 1;
  if not found then
    return null;
  end if;
  return pa_run_json(r);
end;
$$;

-- Takes the run's lease if nobody holds a live one. Of many instances, exactly one gets claimed = true.
create or replace function claim_run_by_id(p_run_id text, p_worker text, p_lease_seconds integer) returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  select * into r from assistant_run where id = p_run_id for update skip locked;
  if not found then
    return jsonb_build_object('claimed', false, 'run', null);
  end if;
  if r.status in ('queued', 'in_progress', 'requires_action') and r.expires_at <= now() then
    perform pa_expire_due_runs(r.thread_id);
    select * into r from assistant_run where id = p_run_id;
    return jsonb_build_object('claimed', false, 'run', pa_run_json(r));
  end if;
  if r.status = 'queued' or (r.status = 'in_progress' and (r.lease_expires_at is null or r.lease_expires_at <= now())) then
    if r.attempts >= r.max_attempts then
      update assistant_run set status = 'failed', failed_at = now(), updated_at = now(),
        lease_owner = null, lease_expires_at = null,
        last_error = jsonb_build_object('code', 'server_error',
          'message', 'The run was interrupted repeatedly and was stopped. Send your message again.')
      where id = r.id returning * into r;
      return jsonb_build_object('claimed', false, 'run', pa_run_json(r));
    end if;
    update assistant_run set status = 'in_progress', lease_owner = p_worker,
      lease_expires_at = now() + make_interval(secs => p_lease_seconds), attempts = attempts + 1,
      started_at = coalesce(started_at, now()), updated_at = now()
    where id = r.id returning * into r;
    return jsonb_build_object('claimed', true, 'run', pa_run_json(r));
  end if;
  return jsonb_build_object('claimed', false, 'run', pa_run_json(r));
end;
$$;

create or replace function renew_run_lease_by_id(p_run_id text, p_worker text, p_lease_seconds integer) returns boolean
language plpgsql as $$
begin
  update assistant_run set lease_expires_at = now() + make_interval(secs => p_lease_seconds)
  where id = p_run_id and lease_owner = p_worker and status = 'in_progress';
  return found;
end;
$$;

-- What the executor needs: the run and the thread's messages up to (and including) the run's own question.
create or replace function get_run_context_by_id(p_run_id text) returns jsonb
language plpgsql as $$
declare
  r assistant_run;
  question_seq bigint;
begin
  select * into r from assistant_run where id = p_run_id;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  select max(seq) into question_seq from assistant_message where run_id = r.id and role = 'user';
  return jsonb_build_object(
    'run', pa_run_json(r),
    'messages', coalesce((select jsonb_agg(pa_message_json(m) order by m.seq) from assistant_message m
                          where m.thread_id = r.thread_id and m.seq <= coalesce(question_seq, m.seq)), '[]'::jsonb));
end;
$$;

-- The model asked for tools: the run waits in requires_action until their outputs are submitted.
-- Past the cap on tool rounds the run ends incomplete instead.
create or replace function require_run_action_by_id(p_run_id text, p_worker text, p_tool_calls jsonb, p_usage jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  select * into r from assistant_run where id = p_run_id for update;
  if not found or r.status <> 'in_progress' or r.lease_owner is distinct from p_worker then
    return case when found then pa_run_json(r) else null end;
  end if;
  if jsonb_array_length(r.tool_rounds) >= r.max_tool_rounds then
    update assistant_run set status = 'incomplete', usage = pa_add_usage(usage, p_usage), updated_at = now(),
      completed_at = now(), lease_owner = null, lease_expires_at = null,
      incomplete_details = jsonb_build_object('reason', 'max_tool_rounds',
        'message', format('The assistant needed more than %s rounds of docs search and stopped. Try a more specific question.', r.max_tool_rounds))
    where id = r.id returning * into r;
  else
    update assistant_run set status = 'requires_action', usage = pa_add_usage(usage, p_usage), updated_at = now(),
      tool_rounds = tool_rounds || jsonb_build_array(jsonb_build_object('tool_calls', p_tool_calls)),
      required_action = jsonb_build_object('type', 'submit_tool_outputs',
        'submit_tool_outputs', jsonb_build_object('tool_calls', p_tool_calls)),
      lease_owner = null, lease_expires_at = null, attempts = 0
    where id = r.id returning * into r;
  end if;
  return pa_run_json(r);
end;
$$;

-- Accepts outputs for exactly the pending tool calls, once; the run is queued again for the model.
create or replace function submit_run_tool_outputs_by_id(p_owner text, p_run_id text, p_tool_outputs jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
  pending text[];
  given text[];
begin
  select run.* into r from assistant_run run join assistant_thread t on t.id = run.thread_id
  where run.id = p_run_id and t.owner = p_owner for update of run;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  if r.status <> 'requires_action' then
    raise exception 'Run % is %, not waiting for tool outputs', r.id, r.status using errcode = 'PA409';
  end if;
  select coalesce(array_agg(c->>'id' order by c->>'id'), '{}') into pending
  from jsonb_array_elements(r.required_action->'submit_tool_outputs'->'tool_calls') c;
  select coalesce(array_agg(o->>'tool_call_id' order by o->>'tool_call_id'), '{}') into given
  from jsonb_array_elements(p_tool_outputs) o;
  if pending <> given then
    raise exception 'Tool outputs must answer each pending tool call exactly once' using errcode = 'PA400';
  end if;
  update assistant_run set status = 'queued', required_action = null, updated_at = now(),
    tool_rounds = jsonb_set(tool_rounds, array[(jsonb_array_length(tool_rounds) - 1)::text, 'tool_outputs'], p_tool_outputs)
  where id = r.id returning * into r;
  return pa_run_json(r);
end;
$$;

-- The model answered: store the assistant message and complete the run, unless the run was cancelled meanwhile.
create or replace function complete_run_by_id(
  p_run_id text, p_worker text, p_content jsonb, p_message_metadata jsonb, p_usage jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  select * into r from assistant_run where id = p_run_id for update;
  if not found or r.status <> 'in_progress' or r.lease_owner is distinct from p_worker then
    return case when found then pa_run_json(r) else null end;
  end if;
  insert into assistant_message (thread_id, run_id, role, content, metadata)
  values (r.thread_id, r.id, 'assistant', p_content, coalesce(p_message_metadata, '{}'::jsonb));
  update assistant_run set status = 'completed', completed_at = now(), updated_at = now(),
    usage = pa_add_usage(usage, p_usage), lease_owner = null, lease_expires_at = null, required_action = null
  where id = r.id returning * into r;
  update assistant_thread set updated_at = now() where id = r.thread_id;
  return pa_run_json(r);
end;
$$;

-- Ends a run as failed (with last_error) or incomplete (with incomplete_details). A worker may end only a
-- run it holds; without a worker (p_worker null) any active run can be ended.
create or replace function end_run_by_id(p_run_id text, p_worker text, p_status text, p_error jsonb, p_usage jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  if p_status not in ('failed', 'incomplete') then
    raise exception 'end_run_by_id takes failed or incomplete, not %', p_status using errcode = 'PA400';
  end if;
  select * into r from assistant_run where id = p_run_id for update;
  if not found then
    return null;
  end if;
  if r.status not in ('queued', 'in_progress', 'requires_action')
     or (p_worker is not null and r.lease_owner is distinct from p_worker) then
    return pa_run_json(r);
  end if;
  update assistant_run set status = p_status, updated_at = now(), usage = pa_add_usage(usage, p_usage),
    lease_owner = null, lease_expires_at = null, required_action = null,
    last_error = case when p_status = 'failed' then p_error else last_error end,
    incomplete_details = case when p_status = 'incomplete' then p_error else incomplete_details end,
    failed_at = case when p_status = 'failed' then now() else failed_at end,
    completed_at = case when p_status = 'incomplete' then now() else completed_at end
  where id = r.id returning * into r;
  return pa_run_json(r);
end;
$$;

create or replace function cancel_run_by_id(p_owner text, p_thread_id text, p_run_id text) returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into r from assistant_run where id = p_run_id and thread_id = p_thread_id for update;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  if r.status not in ('queued', 'in_progress', 'requires_action') then
    raise exception 'Cannot cancel run with status %', r.status using errcode = 'PA409';
  end if;
  update assistant_run set status = 'cancelled', cancelled_at = now(), updated_at = now(),
    lease_owner = null, lease_expires_at = null, required_action = null
  where id = r.id returning * into r;
  return pa_run_json(r);
end;
$$;

-- Runs that need someone to look at them: queued, holding a dead lease, or past their expiry.
create or replace function list_orphaned_runs(p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'thread_id', x.thread_id, 'owner', x.owner, 'status', x.status)), '[]'::jsonb)
  from (select r.id, r.thread_id, t.owner, r.status from assistant_run r join assistant_thread t on t.id = r.thread_id
        where r.status in ('queued', 'in_progress', 'requires_action')
          and (r.status <> 'in_progress' or r.lease_expires_at is null or r.lease_expires_at <= now() or r.expires_at <= now())
        order by r.seq limit p_limit) x
$$;

select pa_lock_down();
