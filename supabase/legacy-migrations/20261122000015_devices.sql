-- Issue 15 (a docs site readers use on any device): retrying a question without asking it twice, and the
-- candidates for correcting short typos in the search box. Idempotent like every migration here.
-- New functions only; nothing is replaced.

-- A new run for a question already in the thread: Retry after an answer that did not complete (failed,
-- stopped, expired, incomplete). The question is not stored again (nor sent to Slack again): it is re-pointed
-- at the new run, which is what get_run_context_by_id reads the conversation up to. Only the thread's last
-- question can be retried, only when its latest run ended without completing, and never while a run is active.
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
  if found and last_run.status = 'completed' and last_run.id = m.run_id then
    raise exception 'This question was answered; ask it again to get another answer' using errcode = 'PA409';
  end if;
  insert into assistant_run (thread_id, model, instructions, tools, metadata, max_tool_rounds, max_attempts, expires_at)
  values (t.id, p_run->>'model', coalesce(p_run->>'instructions', ''), coalesce(p_run->'tools', '[]'::jsonb),
          coalesce(p_run->'metadata', '{}'::jsonb) || jsonb_build_object('retry_of', m.run_id)
            -- The docs page the question was asked about (sent with it) still steers the search.
            || case when jsonb_typeof(m.metadata->'page') = 'string' then jsonb_build_object('page', m.metadata->'page')
                    else '{}'::jsonb end,
          (p_run->>'max_tool_rounds')::int, (p_run->>'max_attempts')::int,
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

-- For correcting a short word of a search: whether the docs have it (as a word, or as the start of one: a word
-- still being typed), and if not, the docs words it could be a typo of (within one letter of its length,
-- sharing its first or its last letter), each with the number of sections its stem occurs in. The edit
-- distance is checked by the caller (lib/docs/typos.ts); this only narrows the vocabulary.
create or replace function list_docs_terms_near_word(p_word text) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'known', exists (select 1 from docs_term t
                     where t.word like replace(replace(replace(lower(p_word), '\', '\\'), '%', '\%'), '_', '\_') || '%'),
    'near', coalesce((select jsonb_agg(jsonb_build_object('word', t.word, 'ndoc', t.ndoc))
                      from docs_term t
                      where length(t.word) between length(lower(p_word)) - 1 and length(lower(p_word)) + 1
                        and (left(t.word, 1) = left(lower(p_word), 1) or right(t.word, 1) = right(lower(p_word), 1))),
                     '[]'::jsonb))
$$;

select pa_lock_down();
