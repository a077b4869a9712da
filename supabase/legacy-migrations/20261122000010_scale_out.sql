-- Many instances on one database: the event streams' shared read, the sweeper's leases, and the embedded
-- store's restart. Idempotent like every migration here. Defines only new functions (replaces: nothing).

-- Which instance sweeps a run now, and until when: of many sweepers, one acts on a run per lease. The lease
-- holds only while the run stays as it was swept (run_updated_at): once the run moves on, it may be swept again.
-- Its own table, so that the run's JSON (pa_run_json is the row minus a few columns) does not change.
create table if not exists assistant_run_sweep (
  run_id text primary key references assistant_run (id) on delete cascade,
  worker text not null,
  until timestamptz not null,
  run_updated_at timestamptz not null
);

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

-- The sweeper: runs nobody moves, leased to one instance for p_lease_seconds. Due are a queued or
-- requires_action run that waited p_grace_seconds (a reader would have moved it at once) and an in_progress run
-- whose executor's lease lapsed. Runs past expires_at are expired here first. Returns [{run, owner}].
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
