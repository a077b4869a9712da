-- Retention: threads deleted after RETENTION_DAYS of inactivity, and a reader deleting all their threads at
-- once, both with their Slack outbox rows.

-- Deletes up to p_limit threads inactive for p_days days (none with an active run), and the Slack outbox rows
-- about them, pending or settled: after the retention period nothing of the conversation stays here.
create or replace function delete_threads_inactive_since(p_days integer, p_limit integer default 500) returns jsonb
language plpgsql as $$
declare
  ids text[];
  posts integer;
begin
  if p_days is null or p_days < 1 then
    raise exception 'days must be at least 1' using errcode = 'PA400';
  end if;
  select coalesce(array_agg(id), '{}') into ids from (
    select t.id from assistant_thread t
    where t.updated_at < now() - make_interval(days => p_days)
      and not exists (select 1 from assistant_run r where r.thread_id = t.id
                      and r.status in ('queued', 'in_progress', 'requires_action'))
    order by t.updated_at
    limit greatest(coalesce(p_limit, 500), 1)
    for update of t skip locked
  ) expired;
  delete from slack_outbox where thread_id = any (ids);
  get diagnostics posts = row_count;
  delete from assistant_thread where id = any (ids);
  return jsonb_build_object('deleted', coalesce(array_length(ids, 1), 0), 'slack_posts_deleted', posts);
end;
$$;

-- A reader deletes every thread of theirs (messages, runs and votes go with them by cascade), and the Slack
-- outbox rows about them: posts not yet delivered are not sent. Posts already in Slack stay there.
create or replace function delete_threads_by_owner(p_owner text) returns jsonb
language plpgsql as $$
declare
  ids text[];
  posts integer;
begin
  select coalesce(array_agg(id), '{}') into ids from assistant_thread where owner = p_owner;
  delete from slack_outbox where thread_id = any (ids);
  get diagnostics posts = row_count;
  delete from assistant_thread where id = any (ids);
  return jsonb_build_object('deleted', coalesce(array_length(ids, 1), 0), 'slack_posts_deleted', posts);
end;
$$;

select pa_lock_down();
