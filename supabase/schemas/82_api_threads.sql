-- /v1 threads, messages and runs: the same rows as the site's, created, read and listed as OpenAI's
-- Assistants API did (cursor pages, metadata, additional_messages).

-- Messages of /v1 carry the assistant of the run that wrote them.
create or replace function pa_api_message_json(m assistant_message) returns jsonb
language sql stable as $$
  select pa_message_json(m) || jsonb_build_object('assistant_id',
    case when m.role = 'assistant' then (select r.assistant_id from assistant_run r where r.id = m.run_id) end)
$$;

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
  perform pa_assert_one_research_run(p_owner, p_run);
  insert into assistant_message (thread_id, role, content, metadata)
  select t.id, x.item->>'role', x.item->'content', coalesce(x.item->'metadata', '{}'::jsonb)
  from jsonb_array_elements(coalesce(p_messages, '[]'::jsonb)) with ordinality x(item, i)
  order by x.i;
  insert into assistant_run (thread_id, model, instructions, tools, metadata, max_tool_rounds, max_attempts, expires_at,
                             assistant_id, has_client_tools, options, reader_audiences)
  values (t.id, p_run->>'model', coalesce(p_run->>'instructions', ''), coalesce(p_run->'tools', '[]'::jsonb),
          coalesce(p_run->'metadata', '{}'::jsonb), (p_run->>'max_tool_rounds')::int, (p_run->>'max_attempts')::int,
          now() + make_interval(secs => (p_run->>'expires_in_seconds')::int),
          p_run->>'assistant_id', coalesce((p_run->>'has_client_tools')::boolean, false), coalesce(p_run->'options', '{}'::jsonb),
          pa_reader_audiences_of(p_run))
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

select pa_lock_down();
