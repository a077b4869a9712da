-- Streaming answers: the run's assistant message exists while the model is still writing it, and the event
-- streams read runs and their drafts.
--
-- Life of the assistant message of a run (at most one per run: assistant_message_one_answer_idx):
--   the executor's first text delta inserts it as `in_progress`; later deltas are appended to it at a bounded
--   rate (append_run_message_by_id); complete_run_by_id finalizes that same row as `completed` with the final
--   content (or inserts it, when no delta came first). A model step that ends in tool calls drops the text it
--   wrote before them (it was not the answer). A run that ends without completing (failed, cancelled, expired,
--   incomplete) keeps the text persisted so far as an `incomplete` message with incomplete_details.reason
--   `run_<status>`, or drops the message when no text was persisted.
--
-- Text offsets in these functions count characters as Postgres does (Unicode code points), not UTF-16 units.

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

-- The event streams of one process read all the runs they follow in one query per tick. p_runs is
-- [{id, version}] with the version the caller last saw (null: never); the answer lists only the runs whose
-- version differs ({id, version, run, message}) and the ones that are gone ({id, is_missing: true}, e.g. the
-- thread was deleted). Expiry is applied first, as a read of one run (get_run_by_id) applies it. Ownership
-- was checked when each stream opened (get_run_stream_state_by_id); this is the server's own read.
create or replace function get_run_stream_states(p_runs jsonb) returns jsonb
language plpgsql as $$
declare
  v_ids text[] := array(select jsonb_array_elements(p_runs)->>'id');
begin
  perform pa_expire_due_runs(d.thread_id)
  from (select distinct thread_id from assistant_run
        where id = any(v_ids) and status in ('queued', 'in_progress', 'requires_action') and expires_at <= now()) d;
  return coalesce((
    select jsonb_agg(case when x.run_id is null then jsonb_build_object('id', x.id, 'is_missing', true)
                          else jsonb_build_object('id', x.id, 'version', x.version, 'run', x.run, 'message', x.message) end)
    from (
      select q.id, r.id as run_id, v.version,
             case when r.id is not null then pa_run_json(r) end as run,
             case when m.seq is not null then pa_message_json(m) end as message,
             q.version as known
      from jsonb_to_recordset(p_runs) as q(id text, version text)
      left join assistant_run r on r.id = q.id
      left join assistant_message m on m.run_id = r.id and m.role = 'assistant'
      cross join lateral (select concat_ws(':', r.status, extract(epoch from r.updated_at),
                                 r.status = 'in_progress' and (r.lease_expires_at is null or r.lease_expires_at <= now()),
                                 m.seq, extract(epoch from m.updated_at), m.status) as version) v
    ) x
    where x.run_id is null or x.known is distinct from x.version), '[]'::jsonb);
end;
$$;

select pa_lock_down();
