-- The sweeper's leases: of many instances, one moves a run that no reader is watching (assistant_run_sweep).

-- The sweeper: runs nobody moves, leased to one instance for p_lease_seconds. Due are a queued or
-- requires_action run that waited p_grace_seconds (a reader would have moved it at once) and an in_progress run
-- whose executor's lease lapsed; not a run waiting for its client's tool outputs (has_client_tools): only the
-- client can submit them, and it has until the run expires. Runs past expires_at are expired here first.
-- Returns [{run, owner}].
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

-- The embedded store is one process: at start-up, a run still leased to another worker was held by the
-- previous process of this DATA_DIR, which is gone. Its lease ends now, so the run is resumed at once rather
-- than after the lease. Never called where several instances share the database.
create or replace function release_run_leases_of_other_workers(p_worker text) returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  update assistant_run set lease_expires_at = now()
  where status = 'in_progress' and lease_owner is distinct from p_worker
    and (lease_expires_at is null or lease_expires_at > now());
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

select pa_lock_down();
