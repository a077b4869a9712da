-- The Slack outbox: one row per post, delivered by lib/slack in id order per thread, under leases, retried on
-- transient failures; Slack being down delays posts, never loses them. The app writes pa_setting.slack_enabled at
-- start: with Slack not configured, nothing is queued.

create or replace function pa_slack_enabled() returns boolean
language sql stable as $$
  select coalesce((select value = 'true'::jsonb from pa_setting where key = 'slack_enabled'), false)
$$;

create or replace function set_slack_outbox_enabled(p_enabled boolean) returns boolean
language plpgsql as $$
begin
  insert into pa_setting (key, value) values ('slack_enabled', to_jsonb(coalesce(p_enabled, false)))
  on conflict (key) do update set value = excluded.value, updated_at = now();
  return coalesce(p_enabled, false);
end;
$$;

-- Conversations of API keys are not posted to the maintainers' Slack; conversations held in Slack already are
-- in Slack (their channel, or the asker's DMs), and the review channel does not repeat them.
create or replace function pa_enqueue_slack(p_thread_id text, p_kind text, p_payload jsonb) returns bigint
language plpgsql as $$
declare
  v_id bigint;
begin
  if not pa_slack_enabled() then
    return null;
  end if;
  if exists (select 1 from assistant_thread where id = p_thread_id and (owner like 'apikey:%' or owner like 'slack:%')) then
    return null;
  end if;
  insert into slack_outbox (thread_id, kind, payload) values (p_thread_id, p_kind, coalesce(p_payload, '{}'::jsonb))
  returning id into v_id;
  return v_id;
end;
$$;

-- For events that have no trigger of their own: queues one post in the caller's transaction.
create or replace function enqueue_slack_post_by_thread(p_thread_id text, p_kind text, p_payload jsonb) returns jsonb
language plpgsql as $$
declare
  v_id bigint;
begin
  v_id := pa_enqueue_slack(p_thread_id, p_kind, p_payload);
  return jsonb_build_object('id', v_id, 'queued', v_id is not null);
exception
  when check_violation then
    raise exception 'Unknown Slack post kind %', p_kind using errcode = 'PA400';
end;
$$;

-- Takes a lease on up to p_limit rows that are due, each the oldest pending row of its thread. A row leased by
-- another worker (or locked by its claim) holds back its whole thread, so order per thread survives many workers.
create or replace function claim_slack_outbox_batch(p_worker text, p_limit integer, p_lease_seconds integer)
returns jsonb
language plpgsql as $$
declare
  v_ids bigint[];
begin
  select coalesce(array_agg(x.id), '{}') into v_ids from (
    select o.id from slack_outbox o
    where o.status = 'pending'
      and o.next_attempt_at <= now()
      and (o.lease_expires_at is null or o.lease_expires_at <= now())
      and not exists (select 1 from slack_outbox e where e.thread_id = o.thread_id and e.status = 'pending' and e.id < o.id)
    order by o.id
    limit p_limit
    for update of o skip locked) x;
  if cardinality(v_ids) = 0 then
    return '[]'::jsonb;
  end if;
  update slack_outbox set lease_owner = p_worker, lease_expires_at = now() + make_interval(secs => p_lease_seconds)
  where id = any(v_ids);
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'id', o.id, 'thread_id', o.thread_id, 'kind', o.kind, 'payload', o.payload, 'attempts', o.attempts,
      'created_at', o.created_at, 'is_thread_present', t.id is not null, 'thread_title', t.metadata->>'threadTitle',
      'parent_ts', coalesce(t.slack_thread_ts, (
        select p.slack_ts from slack_outbox p
        where p.thread_id = o.thread_id and p.kind = 'thread' and p.status = 'delivered' and p.slack_ts is not null
        order by p.id desc limit 1)))
      order by o.id)
    from slack_outbox o left join assistant_thread t on t.id = o.thread_id
    where o.id = any(v_ids)), '[]'::jsonb);
end;
$$;

-- Ends a pending row as delivered, failed or skipped. Returns false if it was no longer pending (another
-- worker settled it), so that a rejection is logged once. A delivered parent's ts is kept on its thread.
create or replace function settle_slack_outbox_by_id(p_id bigint, p_status text, p_slack_ts text, p_error text)
returns boolean
language plpgsql as $$
declare
  o slack_outbox;
begin
  if p_status not in ('delivered', 'failed', 'skipped') then
    raise exception 'settle_slack_outbox_by_id takes delivered, failed or skipped, not %', p_status using errcode = 'PA400';
  end if;
  update slack_outbox set status = p_status, slack_ts = p_slack_ts, last_error = left(p_error, 500),
    attempts = attempts + 1, settled_at = now(), lease_owner = null, lease_expires_at = null
  where id = p_id and status = 'pending' returning * into o;
  if not found then
    return false;
  end if;
  if o.kind = 'thread' and p_status = 'delivered' and p_slack_ts is not null then
    update assistant_thread set slack_thread_ts = p_slack_ts where id = o.thread_id and slack_thread_ts is null;
  end if;
  return true;
end;
$$;

-- A transient failure: the row waits p_delay_ms and is tried again, unless it has been failing for longer
-- than p_max_age_seconds, in which case it is failed for good. Returns the row's status.
create or replace function retry_slack_outbox_by_id(p_id bigint, p_delay_ms integer, p_error text, p_max_age_seconds integer)
returns text
language plpgsql as $$
declare
  o slack_outbox;
begin
  update slack_outbox set attempts = attempts + 1, last_error = left(p_error, 500),
    next_attempt_at = now() + make_interval(secs => greatest(p_delay_ms, 0) / 1000.0),
    lease_owner = null, lease_expires_at = null
  where id = p_id and status = 'pending' returning * into o;
  if not found then
    return null;
  end if;
  if o.created_at <= now() - make_interval(secs => p_max_age_seconds) then
    update slack_outbox set status = 'failed', settled_at = now(),
      last_error = left(format('gave up after %s attempts: %s', o.attempts, p_error), 500)
    where id = o.id;
    return 'failed';
  end if;
  return 'pending';
end;
$$;

-- The Slack parent of a thread whose announcement was never delivered (Slack was off when it was created, or
-- the post was rejected) is created when its next reply goes out. Returns the ts the thread now has.
create or replace function set_slack_thread_ts_by_id(p_thread_id text, p_slack_ts text) returns text
language plpgsql as $$
declare
  v_ts text;
begin
  update assistant_thread set slack_thread_ts = coalesce(slack_thread_ts, p_slack_ts) where id = p_thread_id
  returning slack_thread_ts into v_ts;
  return coalesce(v_ts, p_slack_ts);
end;
$$;

create or replace function get_slack_outbox_stats() returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'pending', count(*) filter (where status = 'pending'),
    'delivered', count(*) filter (where status = 'delivered'),
    'failed', count(*) filter (where status = 'failed'),
    'skipped', count(*) filter (where status = 'skipped'),
    'oldest_pending_at', min(created_at) filter (where status = 'pending'))
  from slack_outbox
$$;

-- Delivered and skipped rows are kept a while for inspection, then removed. Failed rows stay.
create or replace function prune_slack_outbox(p_keep_days integer) returns integer
language plpgsql as $$
declare
  removed integer;
begin
  delete from slack_outbox where status in ('delivered', 'skipped') and settled_at < now() - make_interval(days => p_keep_days);
  get diagnostics removed = row_count;
  return removed;
end;
$$;

select pa_lock_down();
