-- The Assistants API, kept alive (issue 18): OpenAI's /v1 assistants, threads, messages, runs and run steps,
-- served on the same threads, messages and runs as the site, by the same run engine. Idempotent like every
-- migration here: the embedded store may re-apply it, `supabase db push` applies it once.
--
-- What this adds:
--   - api_key: keys for /v1, stored as a SHA-256 of the key (the key itself is shown once, when created);
--   - api_assistant: the assistants a key created (name, model, instructions, tools);
--   - on runs: assistant_id, has_client_tools (the client runs the function tools: a run in requires_action
--     waits for the client's outputs; no server dispatches them), options (the run settings OpenAI echoed);
--   - functions for /v1's creates, reads and cursor-paginated lists (limit, order, after, before).
-- The owner of a key's objects is `apikey:<key id>`: never a site session id (those have no colon), so a key
-- sees only its own objects and a reader's cookie never reaches them.
--
-- replaces: claim_runs_to_sweep (20261122000010_scale_out.sql): a run waiting for its client's tool outputs is not the sweeper's to move
-- replaces: pa_enqueue_slack (20261121000006_slack_outbox.sql): conversations of API keys are not posted to the maintainers' Slack

-- API keys -----------------------------------------------------------------------------------------

create table if not exists api_key (
  seq bigint generated always as identity,
  id text primary key default 'key_' || replace(gen_random_uuid()::text, '-', ''),
  name text not null check (length(name) between 1 and 100),
  key_hash text not null unique,
  -- Enough of the key to recognise it in a list (its prefix and last four characters), never enough to use it.
  key_hint text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create or replace function pa_api_key_json(k api_key) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', k.id, 'name', k.name, 'key_hint', k.key_hint, 'created_at', k.created_at,
    'last_used_at', k.last_used_at, 'revoked_at', k.revoked_at)
$$;

create or replace function create_api_key(p_name text, p_key_hash text, p_key_hint text) returns jsonb
language plpgsql as $$
declare
  k api_key;
begin
  insert into api_key (name, key_hash, key_hint) values (p_name, p_key_hash, p_key_hint) returning * into k;
  return pa_api_key_json(k);
exception
  when check_violation then
    raise exception 'A key name has 1 to 100 characters' using errcode = 'PA400';
end;
$$;

create or replace function list_api_keys() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(pa_api_key_json(k) order by k.seq), '[]'::jsonb) from api_key k
$$;

-- Revokes the key with this id, or the one active key with this name. Revoking twice is not an error.
create or replace function revoke_api_key(p_key text) returns jsonb
language plpgsql as $$
declare
  k api_key;
  matches integer;
begin
  select * into k from api_key where id = p_key for update;
  if not found then
    select count(*) into matches from api_key where name = p_key and revoked_at is null;
    if matches > 1 then
      raise exception '% active keys are named %; revoke one by its id', matches, p_key using errcode = 'PA409';
    end if;
    select * into k from api_key where name = p_key and revoked_at is null for update;
    if not found then
      raise exception 'No API key found with id or name %', p_key using errcode = 'PA404';
    end if;
  end if;
  update api_key set revoked_at = coalesce(revoked_at, now()) where id = k.id returning * into k;
  return pa_api_key_json(k);
end;
$$;

-- The active key with this hash, or null. Notes its use, at most once a minute (a write per request would be waste).
create or replace function get_api_key_by_hash(p_key_hash text) returns jsonb
language plpgsql as $$
declare
  k api_key;
begin
  select * into k from api_key where key_hash = p_key_hash and revoked_at is null;
  if not found then
    return null;
  end if;
  if k.last_used_at is null or k.last_used_at < now() - interval '1 minute' then
    update api_key set last_used_at = now() where id = k.id returning * into k;
  end if;
  return pa_api_key_json(k);
end;
$$;

-- Cursor pages ---------------------------------------------------------------------------------------
-- One page of a list as OpenAI paginated them: `p_source` is a query of this file's functions yielding
-- (seq, obj) for the rows the caller may list, with $1 and $2 as its parameters. In list order (p_order on seq),
-- `after` starts after a row and `before` ends before one; with only `before`, the page is the p_limit rows just
-- before it. has_more: more rows lie beyond the page, in the direction it was read.

create or replace function pa_api_page(
  p_source text, p_arg1 text, p_arg2 text, p_limit integer, p_order text, p_after_seq bigint, p_before_seq bigint)
returns jsonb
language plpgsql as $$
declare
  is_desc boolean := p_order = 'desc';
  -- A page ending at `before` is read from `before` backwards.
  is_backward boolean := p_before_seq is not null and p_after_seq is null;
  scan_dir text;
  result jsonb;
begin
  scan_dir := case when is_desc <> is_backward then 'desc' else 'asc' end;
  execute format($q$
    with lim as (
      select seq, obj from (%s) src
      where ($3::bigint is null or seq %s $3) and ($4::bigint is null or seq %s $4)
      order by seq %s limit $5 + 1),
    page as (select seq, obj, row_number() over (order by seq %s) as rn from lim)
    select jsonb_build_object(
      'data', coalesce((select jsonb_agg(obj order by seq %s) from page where rn <= $5), '[]'::jsonb),
      'has_more', (select count(*) from page) > $5)
    $q$,
    p_source,
    case when is_desc then '<' else '>' end,
    case when is_desc then '>' else '<' end,
    scan_dir, scan_dir,
    case when is_desc then 'desc' else 'asc' end)
  into result using p_arg1, p_arg2, p_after_seq, p_before_seq, p_limit;
  return result;
end;
$$;

-- Assistants ---------------------------------------------------------------------------------------

create table if not exists api_assistant (
  seq bigint generated always as identity,
  id text primary key default 'asst_' || replace(gen_random_uuid()::text, '-', ''),
  owner text not null,
  name text,
  description text,
  model text not null,
  instructions text,
  tools jsonb not null default '[]'::jsonb,
  metadata jsonb not null default '{}'::jsonb,
  temperature double precision,
  top_p double precision,
  response_format jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists api_assistant_owner_seq_idx on api_assistant (owner, seq);

create or replace function pa_api_assistant_json(a api_assistant) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', a.id, 'created_at', a.created_at, 'name', a.name, 'description', a.description,
    'model', a.model, 'instructions', a.instructions, 'tools', a.tools, 'metadata', a.metadata,
    'temperature', a.temperature, 'top_p', a.top_p, 'response_format', a.response_format)
$$;

create or replace function pa_get_owned_assistant(p_owner text, p_assistant_id text, p_lock boolean default false)
returns api_assistant
language plpgsql as $$
declare
  a api_assistant;
begin
  if p_lock then
    select * into a from api_assistant where id = p_assistant_id and owner = p_owner for update;
  else
    select * into a from api_assistant where id = p_assistant_id and owner = p_owner;
  end if;
  if not found then
    raise exception 'No assistant found with id ''%''.', p_assistant_id using errcode = 'PA404';
  end if;
  return a;
end;
$$;

-- p_assistant: {model, name?, description?, instructions?, tools?, metadata?, temperature?, top_p?, response_format?}
create or replace function create_assistant(p_owner text, p_assistant jsonb) returns jsonb
language plpgsql as $$
declare
  a api_assistant;
begin
  insert into api_assistant (owner, name, description, model, instructions, tools, metadata, temperature, top_p, response_format)
  values (p_owner, p_assistant->>'name', p_assistant->>'description', p_assistant->>'model', p_assistant->>'instructions',
          coalesce(p_assistant->'tools', '[]'::jsonb), coalesce(p_assistant->'metadata', '{}'::jsonb),
          (p_assistant->>'temperature')::double precision, (p_assistant->>'top_p')::double precision,
          nullif(p_assistant->'response_format', 'null'::jsonb))
  returning * into a;
  return pa_api_assistant_json(a);
end;
$$;

create or replace function get_assistant_by_id(p_owner text, p_assistant_id text) returns jsonb
language plpgsql as $$
begin
  return pa_api_assistant_json(pa_get_owned_assistant(p_owner, p_assistant_id));
end;
$$;

-- Changes only the fields present in p_changes (a present null clears a field); metadata is merged, a null
-- value removing its key, as for threads.
create or replace function update_assistant_by_id(p_owner text, p_assistant_id text, p_changes jsonb) returns jsonb
language plpgsql as $$
declare
  a api_assistant;
  merged jsonb;
begin
  a := pa_get_owned_assistant(p_owner, p_assistant_id, true);
  merged := case when p_changes ? 'metadata' then jsonb_strip_nulls(a.metadata || coalesce(p_changes->'metadata', '{}'::jsonb)) else a.metadata end;
  if (select count(*) from jsonb_object_keys(merged)) > 16 then
    raise exception 'metadata can have at most 16 keys' using errcode = 'PA400';
  end if;
  update api_assistant set
    name = case when p_changes ? 'name' then p_changes->>'name' else name end,
    description = case when p_changes ? 'description' then p_changes->>'description' else description end,
    model = case when p_changes ? 'model' then coalesce(p_changes->>'model', model) else model end,
    instructions = case when p_changes ? 'instructions' then p_changes->>'instructions' else instructions end,
    tools = case when p_changes ? 'tools' then coalesce(p_changes->'tools', '[]'::jsonb) else tools end,
    temperature = case when p_changes ? 'temperature' then (p_changes->>'temperature')::double precision else temperature end,
    top_p = case when p_changes ? 'top_p' then (p_changes->>'top_p')::double precision else top_p end,
    response_format = case when p_changes ? 'response_format' then nullif(p_changes->'response_format', 'null'::jsonb) else response_format end,
    metadata = merged,
    updated_at = now()
  where id = a.id returning * into a;
  return pa_api_assistant_json(a);
end;
$$;

create or replace function delete_assistant_by_id(p_owner text, p_assistant_id text) returns jsonb
language plpgsql as $$
begin
  delete from api_assistant where id = p_assistant_id and owner = p_owner;
  if not found then
    raise exception 'No assistant found with id ''%''.', p_assistant_id using errcode = 'PA404';
  end if;
  return jsonb_build_object('id', p_assistant_id, 'deleted', true);
end;
$$;

create or replace function list_assistants_by_owner(
  p_owner text, p_limit integer, p_order text, p_after text default null, p_before text default null)
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  before_seq bigint;
begin
  if p_after is not null then
    select seq into after_seq from api_assistant where id = p_after and owner = p_owner;
    if not found then raise exception 'No assistant found with id ''%''.', p_after using errcode = 'PA400'; end if;
  end if;
  if p_before is not null then
    select seq into before_seq from api_assistant where id = p_before and owner = p_owner;
    if not found then raise exception 'No assistant found with id ''%''.', p_before using errcode = 'PA400'; end if;
  end if;
  return pa_api_page('select a.seq, pa_api_assistant_json(a) as obj from api_assistant a where a.owner = $1',
    p_owner, null, p_limit, p_order, after_seq, before_seq);
end;
$$;

-- Runs: what a /v1 run carries beyond a site run -------------------------------------------------------

alter table assistant_run add column if not exists assistant_id text;
alter table assistant_run add column if not exists has_client_tools boolean not null default false;
-- The run settings OpenAI's run object echoed (temperature, top_p, tool_choice, response_format, …), as sent.
alter table assistant_run add column if not exists options jsonb not null default '{}'::jsonb;

-- Messages of /v1 carry the assistant of the run that wrote them.
create or replace function pa_api_message_json(m assistant_message) returns jsonb
language sql stable as $$
  select pa_message_json(m) || jsonb_build_object('assistant_id',
    case when m.role = 'assistant' then (select r.assistant_id from assistant_run r where r.id = m.run_id) end)
$$;

-- Threads and messages -------------------------------------------------------------------------------

-- p_messages: [{role, content, metadata}], stored in order with the thread, in one transaction.
create or replace function create_thread_with_messages(p_owner text, p_metadata jsonb, p_messages jsonb) returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
begin
  insert into assistant_thread (owner, metadata) values (p_owner, coalesce(p_metadata, '{}'::jsonb)) returning * into t;
  insert into assistant_message (thread_id, role, content, metadata)
  select t.id, x.item->>'role', x.item->'content', coalesce(x.item->'metadata', '{}'::jsonb)
  from jsonb_array_elements(coalesce(p_messages, '[]'::jsonb)) with ordinality x(item, i)
  order by x.i;
  return pa_thread_json(t);
exception
  when check_violation then
    raise exception 'A message''s role is user or assistant' using errcode = 'PA400';
end;
$$;

-- Refused (PA409) while a run is active on the thread, as OpenAI refused it.
create or replace function create_message_by_thread(p_owner text, p_thread_id text, p_role text, p_content jsonb, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  m assistant_message;
  active_id text;
begin
  t := pa_get_owned_thread(p_owner, p_thread_id, true);
  perform pa_expire_due_runs(t.id);
  select id into active_id from assistant_run
  where thread_id = t.id and status in ('queued', 'in_progress', 'requires_action') limit 1;
  if found then
    raise exception 'Can''t add messages to % while a run % is active.', t.id, active_id using errcode = 'PA409';
  end if;
  insert into assistant_message (thread_id, role, content, metadata)
  values (t.id, p_role, p_content, coalesce(p_metadata, '{}'::jsonb)) returning * into m;
  update assistant_thread set updated_at = now() where id = t.id;
  return pa_api_message_json(m);
exception
  when check_violation then
    raise exception 'A message''s role is user or assistant' using errcode = 'PA400';
end;
$$;

create or replace function get_message_by_id(p_owner text, p_thread_id text, p_message_id text) returns jsonb
language plpgsql as $$
declare
  m assistant_message;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into m from assistant_message where id = p_message_id and thread_id = p_thread_id;
  if not found then
    raise exception 'No message found with id ''%''.', p_message_id using errcode = 'PA404';
  end if;
  return pa_api_message_json(m);
end;
$$;

create or replace function update_message_metadata_by_id(p_owner text, p_thread_id text, p_message_id text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  m assistant_message;
  merged jsonb;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into m from assistant_message where id = p_message_id and thread_id = p_thread_id for update;
  if not found then
    raise exception 'No message found with id ''%''.', p_message_id using errcode = 'PA404';
  end if;
  merged := jsonb_strip_nulls(m.metadata || coalesce(p_metadata, '{}'::jsonb));
  if (select count(*) from jsonb_object_keys(merged)) > 16 then
    raise exception 'metadata can have at most 16 keys' using errcode = 'PA400';
  end if;
  update assistant_message set metadata = merged, updated_at = now() where seq = m.seq returning * into m;
  return pa_api_message_json(m);
end;
$$;

-- The thread's messages, a page at a time; p_run_id keeps those of one run (its answer).
create or replace function list_messages_page_by_thread(
  p_owner text, p_thread_id text, p_limit integer, p_order text,
  p_after text default null, p_before text default null, p_run_id text default null)
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  before_seq bigint;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  if p_after is not null then
    select seq into after_seq from assistant_message where id = p_after and thread_id = p_thread_id;
    if not found then raise exception 'No message found with id ''%''.', p_after using errcode = 'PA400'; end if;
  end if;
  if p_before is not null then
    select seq into before_seq from assistant_message where id = p_before and thread_id = p_thread_id;
    if not found then raise exception 'No message found with id ''%''.', p_before using errcode = 'PA400'; end if;
  end if;
  return pa_api_page(
    'select m.seq, pa_api_message_json(m) as obj from assistant_message m where m.thread_id = $1 and ($2::text is null or m.run_id = $2)',
    p_thread_id, p_run_id, p_limit, p_order, after_seq, before_seq);
end;
$$;

-- Runs -----------------------------------------------------------------------------------------------

-- Queues a run on the thread, after storing p_messages (additional_messages) in the same transaction.
-- p_run: TNewRun (lib/db/messages.ts) plus assistant_id, has_client_tools and options. Refused (PA409)
-- while another run is active on the thread.
create or replace function create_run_by_thread(p_owner text, p_thread_id text, p_messages jsonb, p_run jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  r assistant_run;
  active_id text;
begin
  t := pa_get_owned_thread(p_owner, p_thread_id, true);
  perform pa_expire_due_runs(t.id);
  select id into active_id from assistant_run
  where thread_id = t.id and status in ('queued', 'in_progress', 'requires_action') limit 1;
  if found then
    raise exception 'Thread % already has an active run %.', t.id, active_id using errcode = 'PA409';
  end if;
  insert into assistant_message (thread_id, role, content, metadata)
  select t.id, x.item->>'role', x.item->'content', coalesce(x.item->'metadata', '{}'::jsonb)
  from jsonb_array_elements(coalesce(p_messages, '[]'::jsonb)) with ordinality x(item, i)
  order by x.i;
  insert into assistant_run (thread_id, model, instructions, tools, metadata, max_tool_rounds, max_attempts, expires_at,
                             assistant_id, has_client_tools, options)
  values (t.id, p_run->>'model', coalesce(p_run->>'instructions', ''), coalesce(p_run->'tools', '[]'::jsonb),
          coalesce(p_run->'metadata', '{}'::jsonb), (p_run->>'max_tool_rounds')::int, (p_run->>'max_attempts')::int,
          now() + make_interval(secs => (p_run->>'expires_in_seconds')::int),
          p_run->>'assistant_id', coalesce((p_run->>'has_client_tools')::boolean, false), coalesce(p_run->'options', '{}'::jsonb))
  returning * into r;
  update assistant_thread set updated_at = now() where id = t.id;
  return jsonb_build_object('run', pa_run_json(r));
exception
  when unique_violation then
    raise exception 'Thread % already has an active run.', p_thread_id using errcode = 'PA409';
  when check_violation then
    raise exception 'A message''s role is user or assistant' using errcode = 'PA400';
end;
$$;

create or replace function list_runs_page_by_thread(
  p_owner text, p_thread_id text, p_limit integer, p_order text, p_after text default null, p_before text default null)
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  before_seq bigint;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  perform pa_expire_due_runs(p_thread_id);
  if p_after is not null then
    select seq into after_seq from assistant_run where id = p_after and thread_id = p_thread_id;
    if not found then raise exception 'No run found with id ''%''.', p_after using errcode = 'PA400'; end if;
  end if;
  if p_before is not null then
    select seq into before_seq from assistant_run where id = p_before and thread_id = p_thread_id;
    if not found then raise exception 'No run found with id ''%''.', p_before using errcode = 'PA400'; end if;
  end if;
  return pa_api_page('select r.seq, pa_run_json(r) as obj from assistant_run r where r.thread_id = $1 and $2::text is null',
    p_thread_id, null, p_limit, p_order, after_seq, before_seq);
end;
$$;

create or replace function update_run_metadata_by_id(p_owner text, p_thread_id text, p_run_id text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
  merged jsonb;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into r from assistant_run where id = p_run_id and thread_id = p_thread_id for update;
  if not found then
    raise exception 'No run found with id ''%''.', p_run_id using errcode = 'PA404';
  end if;
  merged := jsonb_strip_nulls(r.metadata || coalesce(p_metadata, '{}'::jsonb));
  if (select count(*) from jsonb_object_keys(merged)) > 16 then
    raise exception 'metadata can have at most 16 keys' using errcode = 'PA400';
  end if;
  -- Metadata only: updated_at (the run's state version, which streams and sweeps follow) stays.
  update assistant_run set metadata = merged where id = r.id returning * into r;
  return pa_run_json(r);
end;
$$;

-- The sweeper (as in 20261122000010_scale_out.sql), except that a run waiting for its client's tool outputs
-- (has_client_tools) is not due: only the client can submit them, and it has until the run expires.
create or replace function claim_runs_to_sweep(p_worker text, p_limit integer, p_grace_seconds integer, p_lease_seconds integer)
returns jsonb
language plpgsql as $$
declare
  v_claimed jsonb;
begin
  perform pa_expire_due_runs(d.thread_id)
  from (select distinct thread_id from assistant_run
        where status in ('queued', 'in_progress', 'requires_action') and expires_at <= now()) d;
  with due as (
    select r.id, r.updated_at from assistant_run r
    left join assistant_run_sweep s on s.run_id = r.id
    where r.status in ('queued', 'in_progress', 'requires_action')
      and not (r.status = 'requires_action' and r.has_client_tools)
      and (s.run_id is null or s.until <= now() or s.run_updated_at is distinct from r.updated_at)
      and ((r.status in ('queued', 'requires_action') and r.updated_at <= now() - make_interval(secs => p_grace_seconds))
        or (r.status = 'in_progress' and (r.lease_expires_at is null or r.lease_expires_at <= now())))
    order by r.seq
    limit p_limit
    for update of r skip locked
  ), leased as (
    insert into assistant_run_sweep (run_id, worker, until, run_updated_at)
    select r.id, p_worker, now() + make_interval(secs => p_lease_seconds), r.updated_at
    from due join assistant_run r on r.id = due.id
    on conflict (run_id) do update set worker = excluded.worker, until = excluded.until, run_updated_at = excluded.run_updated_at
    returning run_id
  )
  select coalesce(jsonb_agg(jsonb_build_object('run', pa_run_json(r), 'owner', t.owner) order by r.seq), '[]'::jsonb)
  into v_claimed
  from leased l join assistant_run r on r.id = l.run_id join assistant_thread t on t.id = r.thread_id;
  delete from assistant_run_sweep s using assistant_run r
  where r.id = s.run_id and r.status not in ('queued', 'in_progress', 'requires_action');
  return v_claimed;
end;
$$;

-- Slack: the maintainers review the site's conversations. Threads of API keys (owner `apikey:…`) are an
-- application's own, and are not posted (as in 20261121000006_slack_outbox.sql otherwise).
create or replace function pa_enqueue_slack(p_thread_id text, p_kind text, p_payload jsonb) returns bigint
language plpgsql as $$
declare
  v_id bigint;
begin
  if not pa_slack_enabled() then
    return null;
  end if;
  if exists (select 1 from assistant_thread where id = p_thread_id and owner like 'apikey:%') then
    return null;
  end if;
  insert into slack_outbox (thread_id, kind, payload) values (p_thread_id, p_kind, coalesce(p_payload, '{}'::jsonb))
  returning id into v_id;
  return v_id;
end;
$$;

select pa_lock_down();
