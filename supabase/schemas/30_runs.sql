-- Runs: a run's life from queued to an end (claimed under a lease, waiting for tool outputs, completed, failed,
-- cancelled, expired, incomplete). Of many server instances, exactly one executes a run: the one holding its lease.

create or replace function pa_run_json(r assistant_run) returns jsonb
language sql stable as $$
  select to_jsonb(r) - 'seq' - 'lease_owner'
    || jsonb_build_object('is_lease_stale',
         r.status = 'in_progress' and (r.lease_expires_at is null or r.lease_expires_at <= now()))
$$;

-- The audiences a new run is asked under (TNewRun.reader_audiences, lib/db/messages.ts): a JSON list of names, or
-- null for a reader with none. Set once, when the run is created; nothing changes it afterwards.
create or replace function pa_reader_audiences_of(p_run jsonb) returns text[]
language sql immutable as $$
  select case when jsonb_typeof(p_run->'reader_audiences') = 'array'
    then array(select jsonb_array_elements_text(p_run->'reader_audiences')) else null end
$$;

create or replace function pa_add_usage(a jsonb, b jsonb) returns jsonb
language sql immutable as $$
  select case when b is null then a else jsonb_build_object(
    'prompt_tokens', coalesce((a->>'prompt_tokens')::int, 0) + coalesce((b->>'prompt_tokens')::int, 0),
    'completion_tokens', coalesce((a->>'completion_tokens')::int, 0) + coalesce((b->>'completion_tokens')::int, 0),
    'total_tokens', coalesce((a->>'total_tokens')::int, 0) + coalesce((b->>'total_tokens')::int, 0)) end
$$;

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

-- What the executor needs besides the run: the thread's messages up to (and including) the run's own question,
-- and the answer persisted so far by an earlier attempt at this step (an executor that died mid-answer). The question
-- is looked for in the run's thread, so that the thread's index finds it, not a scan of every thread's messages.
create or replace function pa_run_context_json(r assistant_run) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'messages', coalesce((select jsonb_agg(pa_message_json(m) order by m.seq) from assistant_message m
                          where m.thread_id = r.thread_id
                            and m.seq <= coalesce((select max(q.seq) from assistant_message q
                                                    where q.thread_id = r.thread_id and q.run_id = r.id and q.role = 'user'), m.seq)
                            and m.status <> 'in_progress'), '[]'::jsonb),
    'draft', (select pa_message_json(m) from assistant_message m
              where m.run_id = r.id and m.role = 'assistant' and m.status = 'in_progress'))
$$;

-- The run and its context (pa_run_context_json).
create or replace function get_run_context_by_id(p_run_id text) returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  select * into r from assistant_run where id = p_run_id;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  return jsonb_build_object('run', pa_run_json(r)) || pa_run_context_json(r);
end;
$$;

-- claim_run_by_id and, when the claim succeeds, get_run_context_by_id, in one round trip: the executor needs
-- both before it can call the model, and every round trip there adds to what a reader waits. `owner`: the thread's,
-- with which the executor dispatches the step's tool calls itself (lib/assistant/engine/execute.ts).
create or replace function claim_run_with_context_by_id(p_run_id text, p_worker text, p_lease_seconds integer) returns jsonb
language plpgsql as $$
declare
  claim jsonb;
begin
  claim := claim_run_by_id(p_run_id, p_worker, p_lease_seconds);
  if not coalesce((claim->>'claimed')::boolean, false) then
    return claim;
  end if;
  return claim || (select pa_run_context_json(r) || jsonb_build_object('owner', t.owner)
                   from assistant_run r join assistant_thread t on t.id = r.thread_id where r.id = p_run_id);
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

-- Outputs must answer each of the run's pending tool calls exactly once (a 400 otherwise).
create or replace function pa_check_tool_outputs(r assistant_run, p_tool_outputs jsonb) returns void
language plpgsql as $$
begin
  if (select coalesce(array_agg(c->>'id' order by c->>'id'), '{}')
      from jsonb_array_elements(r.required_action->'submit_tool_outputs'->'tool_calls') c)
     <> (select coalesce(array_agg(o->>'tool_call_id' order by o->>'tool_call_id'), '{}')
         from jsonb_array_elements(p_tool_outputs) o) then
    raise exception 'Tool outputs must answer each pending tool call exactly once' using errcode = 'PA400';
  end if;
end;
$$;

-- Accepts outputs for exactly the pending tool calls, once; the run is queued again for the model.
create or replace function submit_run_tool_outputs_by_id(p_owner text, p_run_id text, p_tool_outputs jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  select run.* into r from assistant_run run join assistant_thread t on t.id = run.thread_id
  where run.id = p_run_id and t.owner = p_owner for update of run;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  if r.status <> 'requires_action' then
    raise exception 'Run % is %, not waiting for tool outputs', r.id, r.status using errcode = 'PA409';
  end if;
  perform pa_check_tool_outputs(r, p_tool_outputs);
  update assistant_run set status = 'queued', required_action = null, updated_at = now(),
    tool_rounds = jsonb_set(tool_rounds, array[(jsonb_array_length(tool_rounds) - 1)::text, 'tool_outputs'], p_tool_outputs)
  where id = r.id returning * into r;
  return pa_run_json(r);
end;
$$;

-- The server's own dispatch of a run's tool calls (lib/assistant/engine/dispatch.ts) says which round its outputs
-- answer: p_round, the run's number of tool rounds when the dispatcher read it. A submission for a round the run
-- has left (another dispatcher answered it first, or the run moved on to its next round or ended) is a conflict
-- (409), never mistaken for outputs that miss the pending calls (400, which submit_run_tool_outputs_by_id keeps
-- for a client's wrong tool_call ids, as OpenAI's API answered).
create or replace function submit_run_tool_round_by_id(p_owner text, p_run_id text, p_round integer, p_tool_outputs jsonb)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
begin
  select run.* into r from assistant_run run join assistant_thread t on t.id = run.thread_id
  where run.id = p_run_id and t.owner = p_owner for update of run;
  if not found then
    raise exception 'No run found with id %', p_run_id using errcode = 'PA404';
  end if;
  if r.status <> 'requires_action' or jsonb_array_length(r.tool_rounds) <> p_round then
    raise exception 'Tool round % of run % is no longer pending (the run is %)', p_round, r.id, r.status using errcode = 'PA409';
  end if;
  return submit_run_tool_outputs_by_id(p_owner, p_run_id, p_tool_outputs);
end;
$$;

-- The tool round's outputs submitted (submit_run_tool_round_by_id) and the run's next step claimed by the
-- dispatching instance (claim_run_with_context_by_id), in one round trip and one transaction: between a tool's
-- output and the model's next request the executor waits for the database once, not twice. `run`: the run as the
-- submission left it (queued), which its followers are told first; `claim`: what claim_run_with_context_by_id returns.
-- The common case (the run neither expired nor out of attempts, so the claim succeeds) is one lookup and one update
-- of the run, its queued state told as it would have been stored: this is on the path of every answer that searched.
-- Anything else goes the way of the two functions, whose checks it keeps.
create or replace function submit_run_tool_round_and_claim_by_id(
  p_owner text, p_run_id text, p_round integer, p_tool_outputs jsonb, p_worker text, p_lease_seconds integer)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
  queued assistant_run;
begin
  select run.* into r from assistant_run run join assistant_thread t on t.id = run.thread_id
  where run.id = p_run_id and t.owner = p_owner for update of run;
  if not found or r.status <> 'requires_action' or jsonb_array_length(r.tool_rounds) <> p_round
     or r.expires_at <= now() or r.attempts >= r.max_attempts then
    return jsonb_build_object('run', submit_run_tool_round_by_id(p_owner, p_run_id, p_round, p_tool_outputs),
      'claim', claim_run_with_context_by_id(p_run_id, p_worker, p_lease_seconds));
  end if;
  perform pa_check_tool_outputs(r, p_tool_outputs);
  queued := r;
  queued.status := 'queued';
  queued.required_action := null;
  queued.updated_at := now();
  queued.tool_rounds := jsonb_set(r.tool_rounds, array[(jsonb_array_length(r.tool_rounds) - 1)::text, 'tool_outputs'], p_tool_outputs);
  update assistant_run set status = 'in_progress', required_action = null, updated_at = now(), tool_rounds = queued.tool_rounds,
    lease_owner = p_worker, lease_expires_at = now() + make_interval(secs => p_lease_seconds), attempts = attempts + 1,
    started_at = coalesce(started_at, now())
  where id = r.id returning * into r;
  return jsonb_build_object('run', pa_run_json(queued),
    'claim', jsonb_build_object('claimed', true, 'run', pa_run_json(r), 'owner', p_owner) || pa_run_context_json(r));
end;
$$;

-- A question stored with its run (create_message_and_run) and the run's first step claimed by this instance
-- (claim_run_with_context_by_id), in one round trip: what the question's sender waits for before the model is
-- asked. `message` and `run` as create_message_and_run returns them (the run queued, as the sender is told);
-- `claim`: what claim_run_with_context_by_id returns.
create or replace function create_message_and_claim_run(
  p_owner text, p_thread_id text, p_content jsonb, p_message_metadata jsonb, p_run jsonb, p_worker text, p_lease_seconds integer)
returns jsonb
language plpgsql as $$
declare
  created jsonb;
begin
  created := create_message_and_run(p_owner, p_thread_id, p_content, p_message_metadata, p_run);
  return created || jsonb_build_object('claim', claim_run_with_context_by_id(created->'run'->>'id', p_worker, p_lease_seconds));
end;
$$;

-- The model allowance of a question or a re-run, as p_limits gives it (`thread_message_cap`, `daily_token_cap`,
-- `model_buckets`, and `passable`: limits a solved challenge goes past): null when taken, else {refusal: …}. Called
-- inside the caller's block, so that a PA404/PA409 after it gives the tokens back.
create or replace function pa_refused_model_allowance(p_owner text, p_thread_id text, p_limits jsonb)
returns jsonb
language plpgsql as $$
declare
  allowance jsonb;
begin
  allowance := take_model_allowance(p_owner, p_thread_id, (p_limits->>'thread_message_cap')::integer,
    (p_limits->>'daily_token_cap')::bigint, coalesce(p_limits->'model_buckets', '[]'::jsonb));
  if not (allowance->>'allowed')::boolean and not coalesce(p_limits->'passable' ? (allowance->>'limit'), false) then
    return jsonb_build_object('refusal', allowance);
  end if;
  return null;
end;
$$;

-- A question stored with its run (create_message_and_run) and, given a worker, the run's first step claimed
-- (create_message_and_claim_run), within the sender's limits, in one round trip: the round trips before the model is
-- asked are what a sender waits for (lib/assistant/service.ts). The limits are taken as the calls of 70_limits.sql take
-- them, in the same order: `request_buckets`, the request's burst buckets (take_rate_limits), then the model allowance
-- (take_model_allowance: `thread_message_cap`, `daily_token_cap`, `model_buckets`), a refusal of which naming a limit
-- in `passable` (a solved challenge's) lets the question through. A refusal returns {refusal: {allowed: false, limit,
-- retry_after_seconds, …}} and stores nothing. The burst tokens stay taken whatever follows (a request was made, as
-- when the request's wrapper takes them); the model tokens only with the question stored: a question refused with
-- PA404 (not the owner's thread) or PA409 (a run is active) costs none, and the error is returned as {error: {code,
-- message}} for lib/db/runs.ts to throw. On a server, the bucket rows stay locked until the question is stored.
create or replace function create_message_and_run_within_limits(
  p_limits jsonb, p_owner text, p_thread_id text, p_content jsonb, p_message_metadata jsonb, p_run jsonb,
  p_worker text, p_lease_seconds integer)
returns jsonb
language plpgsql as $$
declare
  allowance jsonb;
  refusal jsonb;
begin
  if jsonb_array_length(coalesce(p_limits->'request_buckets', '[]'::jsonb)) > 0 then
    allowance := pa_take_buckets(p_limits->'request_buckets');
    if not (allowance->>'allowed')::boolean then
      return jsonb_build_object('refusal', allowance);
    end if;
  end if;
  begin
    refusal := pa_refused_model_allowance(p_owner, p_thread_id, p_limits);
    if refusal is not null then
      return refusal;
    end if;
    if p_worker is null then
      return create_message_and_run(p_owner, p_thread_id, p_content, p_message_metadata, p_run);
    end if;
    return create_message_and_claim_run(p_owner, p_thread_id, p_content, p_message_metadata, p_run, p_worker, p_lease_seconds);
  exception
    when sqlstate 'PA404' or sqlstate 'PA409' then
      return jsonb_build_object('error', jsonb_build_object('code', sqlstate, 'message', sqlerrm));
  end;
end;
$$;

-- The model answered: the run's in-progress message becomes the answer (or the answer is inserted when no
-- text was streamed), and the run completes, unless the run was cancelled or taken over meanwhile.
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
  update assistant_message set content = p_content, metadata = coalesce(p_message_metadata, '{}'::jsonb),
    status = 'completed', completed_at = now(), updated_at = now()
  where run_id = r.id and role = 'assistant';
  if not found then
    insert into assistant_message (thread_id, run_id, role, content, metadata, status, completed_at, updated_at)
    values (r.thread_id, r.id, 'assistant', p_content, coalesce(p_message_metadata, '{}'::jsonb), 'completed', now(), now());
  end if;
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

-- A new run for a question already in the thread: Retry after an answer that did not complete (failed,
-- stopped, expired, incomplete). The question is not stored again (nor sent to Slack again): it is re-pointed
-- at the new run, which is what get_run_context_by_id reads the conversation up to. Only the thread's last
-- question can be retried, only when its latest run ended without completing, and never while a run is active.
-- One completed answer can be followed all the same: a quick one the docs did not cover (its message's metadata
-- no_docs_match), by a research run ("Research this", issue 71). The quick answer stays and the research answer
-- comes after it, under the one question; the research run reads the conversation up to that question, so it sees
-- the question once and not the quick answer. A covered answer, or a research answer, is still refused.
create or replace function create_run_for_message_by_id(p_owner text, p_thread_id text, p_message_id text, p_run jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  m assistant_message;
  r assistant_run;
  last_run assistant_run;
begin
  t := pa_get_owned_thread(p_owner, p_thread_id, true);
  perform pa_expire_due_runs(t.id);
  select * into m from assistant_message where id = p_message_id and thread_id = t.id and role = 'user' for update;
  if not found then
    raise exception 'No question found with id %', p_message_id using errcode = 'PA404';
  end if;
  if exists (select 1 from assistant_message where thread_id = t.id and role = 'user' and seq > m.seq) then
    raise exception 'Only the last question of a thread can be retried' using errcode = 'PA409';
  end if;
  select * into last_run from assistant_run where thread_id = t.id order by seq desc limit 1;
  if found and last_run.status in ('queued', 'in_progress', 'requires_action') then
    raise exception 'Run % is still active on this thread; wait for it to finish or cancel it', last_run.id
      using errcode = 'PA409';
  end if;
  if found and last_run.status = 'completed' and last_run.id = m.run_id
     and not (coalesce(p_run->'options'->>'mode', '') = 'research'
              and coalesce(last_run.options->>'mode', '') <> 'research'
              and coalesce(last_run.metadata->>'mode', '') <> 'research'
              and exists (select 1 from assistant_message a
                          where a.run_id = last_run.id and a.role = 'assistant' and a.status = 'completed'
                            and a.metadata->>'no_docs_match' = 'true')) then
    raise exception 'This question was answered; ask it again to get another answer' using errcode = 'PA409';
  end if;
  perform pa_assert_one_research_run(p_owner, p_run);
  insert into assistant_run (thread_id, model, instructions, tools, metadata, max_tool_rounds, max_attempts, expires_at, options,
                             reader_audiences)
  values (t.id, p_run->>'model', coalesce(p_run->>'instructions', ''), coalesce(p_run->'tools', '[]'::jsonb),
          coalesce(p_run->'metadata', '{}'::jsonb) || jsonb_build_object('retry_of', m.run_id)
            -- The docs page the question was asked about (sent with it) still steers the search.
            || case when jsonb_typeof(m.metadata->'page') = 'string' then jsonb_build_object('page', m.metadata->'page')
                    else '{}'::jsonb end
            -- The thread's version of versioned docs, as create_message_and_run copies it.
            || case when jsonb_typeof(t.metadata->'version') = 'string' then jsonb_build_object('version', t.metadata->'version')
                    else '{}'::jsonb end,
          (p_run->>'max_tool_rounds')::int, (p_run->>'max_attempts')::int,
          now() + make_interval(secs => (p_run->>'expires_in_seconds')::int),
          coalesce(p_run->'options', '{}'::jsonb),
          pa_reader_audiences_of(p_run))
  returning * into r;
  update assistant_message set run_id = r.id where seq = m.seq returning * into m;
  update assistant_thread set updated_at = now() where id = t.id;
  return jsonb_build_object('message', pa_message_json(m), 'run', pa_run_json(r));
exception
  when unique_violation then
    raise exception 'A run is already active on this thread' using errcode = 'PA409';
end;
$$;

-- A Retry or "Research this" within the asker's model allowance, in one round trip: the allowance is taken, then the
-- run is created; a re-run the thread refuses (404, 409) gives the allowance back (the block's changes are rolled
-- back with its exception) and is returned as an error, as create_message_and_run_within_limits returns one. A
-- refused allowance is returned as a refusal, nothing created.
create or replace function create_run_for_message_within_limits(
  p_limits jsonb, p_owner text, p_thread_id text, p_message_id text, p_run jsonb)
returns jsonb
language plpgsql as $$
declare
  refusal jsonb;
begin
  begin
    refusal := pa_refused_model_allowance(p_owner, p_thread_id, p_limits);
    if refusal is not null then
      return refusal;
    end if;
    return create_run_for_message_by_id(p_owner, p_thread_id, p_message_id, p_run);
  exception
    when sqlstate 'PA404' or sqlstate 'PA409' then
      return jsonb_build_object('error', jsonb_build_object('code', sqlstate, 'message', sqlerrm));
  end;
end;
$$;

select pa_lock_down();
