-- Streaming answers: the run's assistant message exists while the model is still writing it.
-- Idempotent like every migration here: the embedded store may re-apply it, `supabase db push` applies it once.
--
-- Life of the assistant message of a run (there is at most one per run, enforced below):
--   the executor's first text delta inserts it as `in_progress`; later deltas are appended to it at a bounded
--   rate (append_run_message_by_id); complete_run_by_id finalizes that same row as `completed` with the final
--   content (or inserts it, when no delta came first). A model step that ends in tool calls drops the text it
--   wrote before them (it was not the answer). A run that ends without completing (failed, cancelled, expired,
--   incomplete) keeps the text persisted so far as an `incomplete` message with incomplete_details.reason
--   `run_<status>`, or drops the message when no text was persisted.
--
-- Text offsets in these functions count characters as Postgres does (Unicode code points), not UTF-16 units.

alter table assistant_message add column if not exists status text not null default 'completed';
alter table assistant_message drop constraint if exists assistant_message_status_check;
alter table assistant_message add constraint assistant_message_status_check
  check (status in ('in_progress', 'incomplete', 'completed'));
alter table assistant_message add column if not exists incomplete_details jsonb;
alter table assistant_message add column if not exists completed_at timestamptz;
alter table assistant_message add column if not exists incomplete_at timestamptz;
alter table assistant_message add column if not exists updated_at timestamptz;

-- Exactly one assistant message per run: the in-progress row is finalized, never duplicated.
create unique index if not exists assistant_message_one_answer_idx on assistant_message (run_id)
  where role = 'assistant';

create or replace function pa_message_json(m assistant_message) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', m.id, 'thread_id', m.thread_id, 'run_id', m.run_id, 'role', m.role, 'content', m.content,
    'metadata', m.metadata, 'created_at', m.created_at, 'status', m.status,
    'incomplete_details', m.incomplete_details,
    'completed_at', case when m.status = 'completed' then coalesce(m.completed_at, m.created_at) end,
    'incomplete_at', m.incomplete_at)
$$;

create or replace function pa_text_content(p_text text) returns jsonb
language sql immutable as $$
  select jsonb_build_array(jsonb_build_object('type', 'text',
    'text', jsonb_build_object('value', coalesce(p_text, ''), 'annotations', '[]'::jsonb)))
$$;

create or replace function pa_content_text(p_content jsonb) returns text
language sql immutable as $$
  select coalesce(p_content->0->'text'->>'value', '')
$$;

-- The executor holding the run's lease writes the answer so far: the text becomes its first p_offset
-- characters followed by p_text (p_offset 0 replaces it). Refused (is_active false) once the run is no longer
-- in progress under this worker, which tells the executor to stop the model (e.g. the reader cancelled).
-- A p_offset beyond the stored text is a gap: nothing is written and `length` says what is stored.
create or replace function append_run_message_by_id(
  p_run_id text, p_worker text, p_message_id text, p_offset integer, p_text text)
returns jsonb
language plpgsql as $$
declare
  r assistant_run;
  m assistant_message;
  stored text;
  next_text text;
begin
  if p_offset is null or p_offset < 0 then
    raise exception 'p_offset must be 0 or more' using errcode = 'PA400';
  end if;
  select * into r from assistant_run where id = p_run_id for update;
  if not found then
    return jsonb_build_object('is_active', false, 'status', null);
  end if;
  if r.status <> 'in_progress' or r.lease_owner is distinct from p_worker then
    return jsonb_build_object('is_active', false, 'status', r.status);
  end if;
  select * into m from assistant_message where run_id = r.id and role = 'assistant' for update;
  if not found then
    if p_offset <> 0 then
      return jsonb_build_object('is_active', true, 'status', r.status, 'message_id', null, 'length', 0, 'is_gap', true);
    end if;
    insert into assistant_message (id, thread_id, run_id, role, content, status, updated_at)
    values (p_message_id, r.thread_id, r.id, 'assistant', pa_text_content(p_text), 'in_progress', now())
    returning * into m;
    return jsonb_build_object('is_active', true, 'status', r.status, 'message_id', m.id, 'length', length(p_text), 'is_gap', false);
  end if;
  stored := pa_content_text(m.content);
  if length(stored) < p_offset then
    return jsonb_build_object('is_active', true, 'status', r.status, 'message_id', m.id, 'length', length(stored), 'is_gap', true);
  end if;
  next_text := left(stored, p_offset) || coalesce(p_text, '');
  update assistant_message set content = pa_text_content(next_text), updated_at = now() where seq = m.seq;
  return jsonb_build_object('is_active', true, 'status', r.status, 'message_id', m.id, 'length', length(next_text), 'is_gap', false);
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

-- Whatever ends a run (cancel, failure, expiry, the tool-round cap, an executor giving up) settles its
-- in-progress message here, so that no function that ends runs has to know about streaming.
create or replace function pa_stream_on_run_status() returns trigger
language plpgsql as $$
begin
  if new.status = 'requires_action' then
    -- The step ended in tool calls: text written before them is not the answer; the next step writes anew.
    delete from assistant_message where run_id = new.id and role = 'assistant' and status = 'in_progress';
  else
    delete from assistant_message
    where run_id = new.id and role = 'assistant' and status = 'in_progress' and pa_content_text(content) = '';
    update assistant_message set status = 'incomplete', incomplete_at = now(), updated_at = now(),
      incomplete_details = jsonb_build_object('reason', 'run_' || new.status)
    where run_id = new.id and role = 'assistant' and status = 'in_progress';
  end if;
  return null;
end;
$$;
drop trigger if exists pa_stream_run_status on assistant_run;
create trigger pa_stream_run_status after update of status on assistant_run
  for each row when (old.status is distinct from new.status
                     and new.status in ('requires_action', 'failed', 'cancelled', 'expired', 'incomplete'))
  execute function pa_stream_on_run_status();

-- What the executor needs: the run, the thread's messages up to (and including) the run's own question, and
-- the answer persisted so far by an earlier attempt at this step (an executor that died mid-answer).
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
                          where m.thread_id = r.thread_id and m.seq <= coalesce(question_seq, m.seq)
                            and m.status <> 'in_progress'), '[]'::jsonb),
    'draft', (select pa_message_json(m) from assistant_message m
              where m.run_id = r.id and m.role = 'assistant' and m.status = 'in_progress'));
end;
$$;

-- claim_run_by_id and, when the claim succeeds, get_run_context_by_id, in one round trip: the executor needs
-- both before it can call the model, and every round trip there adds to what a reader waits.
create or replace function claim_run_with_context_by_id(p_run_id text, p_worker text, p_lease_seconds integer) returns jsonb
language plpgsql as $$
declare
  claim jsonb;
begin
  claim := claim_run_by_id(p_run_id, p_worker, p_lease_seconds);
  if not coalesce((claim->>'claimed')::boolean, false) then
    return claim;
  end if;
  return claim || (get_run_context_by_id(p_run_id) - 'run');
end;
$$;

-- The event stream's read: the run (owned by the caller, expiry applied) and its assistant message, if any.
create or replace function get_run_stream_state_by_id(p_owner text, p_thread_id text, p_run_id text) returns jsonb
language plpgsql as $$
declare
  run jsonb;
begin
  run := get_run_by_id(p_owner, p_thread_id, p_run_id);
  return jsonb_build_object(
    'run', run,
    'message', (select pa_message_json(m) from assistant_message m where m.run_id = p_run_id and m.role = 'assistant'));
end;
$$;

-- The Slack outbox (its own migration) queues an answer when an assistant message is inserted. An answer
-- now starts as an in-progress row, so the post waits for the row to be completed: once, with the final text.
do $$
begin
  if exists (select 1 from pg_proc where proname = 'pa_slack_on_message_insert') then
    drop trigger if exists pa_slack_message_insert on assistant_message;
    create trigger pa_slack_message_insert after insert on assistant_message
      for each row when (new.status = 'completed') execute function pa_slack_on_message_insert();
    drop trigger if exists pa_slack_message_completed on assistant_message;
    create trigger pa_slack_message_completed after update of status on assistant_message
      for each row when (old.status = 'in_progress' and new.status = 'completed')
      execute function pa_slack_on_message_insert();
  end if;
end;
$$;

select pa_lock_down();
