-- Messages of a thread: their JSON, their text, the site's list of them, and a reader's question with its run.

create or replace function pa_message_json(m assistant_message) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', m.id, 'thread_id', m.thread_id, 'run_id', m.run_id, 'role', m.role, 'content', m.content,
    'metadata', m.metadata, 'created_at', m.created_at, 'status', m.status,
    'incomplete_details', m.incomplete_details,
    'completed_at', case when m.status = 'completed' then coalesce(m.completed_at, m.created_at) end,
    'incomplete_at', m.incomplete_at)
$$;

-- A message's text, defined as in TypeScript (messageText in lib/shared/messages.ts): its text parts joined as
-- separate paragraphs, with a blank line between them; what the browser shows and the model reads (Slack posts,
-- the maintainers' pages, the streaming draft). tests/integration/migrations.test.ts checks that the two agree.
create or replace function pa_message_text(p_content jsonb) returns text
language sql immutable as $$
  select coalesce(string_agg(part->'text'->>'value', E'\n\n' order by i), '')
  from jsonb_array_elements(case when jsonb_typeof(p_content) = 'array' then p_content else '[]'::jsonb end)
       with ordinality x(part, i)
$$;

create or replace function pa_content_text(p_content jsonb) returns text
language sql immutable as $$
  select pa_message_text(p_content)
$$;

create or replace function pa_text_content(p_text text) returns jsonb
language sql immutable as $$
  select jsonb_build_array(jsonb_build_object('type', 'text',
    'text', jsonb_build_object('value', coalesce(p_text, ''), 'annotations', '[]'::jsonb)))
$$;

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

-- A research run (issue 71: options.mode = 'research') is one at a time per owner (a reader's session, an API
-- key): while another of the owner's research runs is active, on any thread, a new one is refused (PA409, naming
-- it). Taken under a lock on the owner's name, so that two questions sent at once cannot both pass the check.
create or replace function pa_assert_one_research_run(p_owner text, p_run jsonb)
returns void
language plpgsql as $$
declare
  active_id text;
begin
  if coalesce(p_run->'options'->>'mode', '') <> 'research' then
    return;
  end if;
  perform pg_advisory_xact_lock(hashtext('pa_research_run:' || p_owner));
  select r.id into active_id from assistant_run r join assistant_thread t on t.id = r.thread_id
  where t.owner = p_owner and r.status in ('queued', 'in_progress', 'requires_action')
    and r.options->>'mode' = 'research' and r.expires_at > now()
  limit 1;
  if found then
    raise exception 'Your research run % is still going; one research question at a time. Wait for it to finish or stop it, then ask again', active_id
      using errcode = 'PA409';
  end if;
end;
$$;

-- Stores the user's message and queues a run for it, atomically: refused (PA409) while a run is active.
-- The thread's version of versioned docs (its metadata `version`) goes onto the run: every search of the
-- conversation is of that version (lib/assistant/engine/dispatch.ts).
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
  perform pa_assert_one_research_run(p_owner, p_run);
  -- The run first, so that the question is inserted with its run_id: its insert triggers see it (a chat door's
  -- inbox row learns its run, 53_chat_inbox.sql), and the message row is written once.
  -- options: the run's settings the reader never sees (the trace of the request that queued it: lib/telemetry).
  insert into assistant_run (thread_id, model, instructions, tools, metadata, max_tool_rounds, max_attempts, expires_at, options,
                             reader_audiences)
  values (t.id, p_run->>'model', coalesce(p_run->>'instructions', ''), coalesce(p_run->'tools', '[]'::jsonb),
          coalesce(p_run->'metadata', '{}'::jsonb)
            || case when jsonb_typeof(t.metadata->'version') = 'string' then jsonb_build_object('version', t.metadata->'version')
                    else '{}'::jsonb end,
          (p_run->>'max_tool_rounds')::int, (p_run->>'max_attempts')::int,
          now() + make_interval(secs => (p_run->>'expires_in_seconds')::int),
          coalesce(p_run->'options', '{}'::jsonb),
          pa_reader_audiences_of(p_run))
  returning * into r;
  insert into assistant_message (thread_id, role, content, metadata, run_id)
  values (t.id, 'user', p_content, coalesce(p_message_metadata, '{}'::jsonb), r.id) returning * into m;
  update assistant_thread set updated_at = now() where id = t.id;
  return jsonb_build_object('message', pa_message_json(m), 'run', pa_run_json(r));
exception
  when unique_violation then
    raise exception 'A run is already active on this thread' using errcode = 'PA409';
end;
$$;

select pa_lock_down();
