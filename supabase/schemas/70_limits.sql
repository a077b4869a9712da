-- Abuse limits: rate limits and quotas that hold across every instance sharing this database.
-- lib/limits/index.ts decides which buckets a request takes.
--
-- A bucket is a token bucket: it holds up to `capacity` tokens and refills at capacity / per_seconds tokens a
-- second, so "60 per 3600 s" allows a burst of 60 and then one a minute. A request takes `cost` tokens from
-- each of its buckets, all or none: a refused request costs nothing, and says when the emptiest bucket will
-- have refilled enough (retry_after_seconds).

create or replace function pa_utc_today() returns date
language sql stable as $$
  select (now() at time zone 'utc')::date
$$;

create or replace function pa_add_model_usage(p_tokens bigint) returns void
language sql as $$
  insert into pa_model_usage_daily as u (day, total_tokens) values (pa_utc_today(), greatest(p_tokens, 0))
  on conflict (day) do update set total_tokens = u.total_tokens + greatest(p_tokens, 0), updated_at = now()
$$;

create or replace function pa_usage_tokens(p_usage jsonb) returns bigint
language sql immutable as $$
  select case when jsonb_typeof(p_usage->'total_tokens') = 'number'
              then greatest(floor((p_usage->>'total_tokens')::numeric), 0)::bigint else 0 end
$$;

create or replace function pa_track_run_usage() returns trigger
language plpgsql as $$
declare
  delta bigint;
begin
  delta := pa_usage_tokens(new.usage) - case when tg_op = 'UPDATE' then pa_usage_tokens(old.usage) else 0 end;
  if delta > 0 then
    perform pa_add_model_usage(delta);
  end if;
  return null;
end;
$$;
-- Fired only when the usage changed: most run writes carry none, and each call costs a plpgsql function call
-- (measured: ~0.1 ms a run write on the embedded store).
drop trigger if exists pa_track_run_usage_trg on assistant_run;
drop trigger if exists pa_track_run_usage_insert on assistant_run;
create trigger pa_track_run_usage_insert after insert on assistant_run
  for each row when (new.usage is not null) execute function pa_track_run_usage();
drop trigger if exists pa_track_run_usage_update on assistant_run;
create trigger pa_track_run_usage_update after update of usage on assistant_run
  for each row when (new.usage is distinct from old.usage) execute function pa_track_run_usage();

-- The tokens a bucket has now, for the capacity and period the settings give now. A stored bucket keeps the capacity
-- its tokens were counted under: when the settings changed since (an operator raised or lowered a quota and
-- restarted), what the bucket's holder had used is kept, not what they had left, so a raised quota gives them its
-- extra room at once and a lowered one takes it away. A bucket stored without a capacity (before it was kept) is
-- read against today's. Then it refills at capacity / per_seconds tokens a second, up to the capacity.
create or replace function pa_bucket_available(
  p_tokens double precision, p_stored_capacity double precision, p_updated_at timestamptz,
  p_capacity double precision, p_per_seconds double precision)
returns double precision
language sql stable as $$
  select least(p_capacity,
               greatest(p_tokens + coalesce(p_capacity - p_stored_capacity, 0), 0)
               + greatest(extract(epoch from now() - p_updated_at), 0) * p_capacity / p_per_seconds)
$$;

-- Takes `cost` tokens from every bucket in p_buckets ([{key, name, capacity, per_seconds, cost}]), or from none.
-- Returns {allowed: true} or {allowed: false, limit: <name of the bucket that waits longest>, retry_after_seconds}.
create or replace function pa_take_buckets(p_buckets jsonb) returns jsonb
language plpgsql as $$
declare
  b record;
  refused text;
  retry double precision := 0;
  wait double precision;
begin
  if p_buckets is null or jsonb_typeof(p_buckets) <> 'array' then
    raise exception 'buckets must be an array' using errcode = 'PA400';
  end if;
  insert into pa_rate_bucket (key, tokens, capacity, updated_at)
  select distinct on (x->>'key') x->>'key', (x->>'capacity')::double precision, (x->>'capacity')::double precision, now()
  from jsonb_array_elements(p_buckets) x
  on conflict (key) do nothing;
  -- Locked as they are read, in key order, so that instances taking overlapping buckets never deadlock.
  for b in
    select x->>'name' as name, r.key,
           pa_bucket_available(r.tokens, r.capacity, r.updated_at,
                               (x->>'capacity')::double precision, (x->>'per_seconds')::double precision) as available,
           (x->>'capacity')::double precision as capacity,
           (x->>'per_seconds')::double precision as per_seconds,
           coalesce((x->>'cost')::double precision, 1) as cost
    from jsonb_array_elements(p_buckets) x join pa_rate_bucket r on r.key = x->>'key'
    order by r.key
    for update of r
  loop
    if b.available < b.cost then
      wait := (b.cost - b.available) * b.per_seconds / b.capacity;
      if refused is null or wait > retry then
        refused := b.name;
        retry := wait;
      end if;
    end if;
  end loop;
  if refused is not null then
    return jsonb_build_object('allowed', false, 'limit', refused, 'retry_after_seconds', greatest(ceil(retry), 1)::int);
  end if;

  update pa_rate_bucket r set
    tokens = pa_bucket_available(r.tokens, r.capacity, r.updated_at, x.capacity, x.per_seconds) - x.cost,
    capacity = x.capacity,
    updated_at = now()
  from (select distinct on (e->>'key') e->>'key' as key, (e->>'capacity')::double precision as capacity,
               (e->>'per_seconds')::double precision as per_seconds, coalesce((e->>'cost')::double precision, 1) as cost
        from jsonb_array_elements(p_buckets) e) x
  where r.key = x.key;

  -- Buckets idle for a day are full again; forget a few of them now and then.
  if random() < 0.01 then
    delete from pa_rate_bucket where key in
      (select key from pa_rate_bucket where updated_at < now() - interval '1 day' limit 100);
  end if;
  return jsonb_build_object('allowed', true);
end;
$$;

-- Every API request: the short-window (burst) buckets of the caller's session and address.
create or replace function take_rate_limits(p_buckets jsonb) returns jsonb
language plpgsql as $$
begin
  return pa_take_buckets(p_buckets);
end;
$$;

-- Before a model call (a message, a title completion): the per-thread cap on messages, the site's daily token
-- cap, then the caller's hourly buckets. Refusals say which limit and when to retry:
--   thread_messages — never lifts on this thread (a new thread starts at zero);
--   daily_tokens    — lifts at the next UTC midnight;
--   bucket names    — lift as the bucket refills.
create or replace function take_model_allowance(
  p_owner text, p_thread_id text, p_thread_message_cap integer, p_daily_token_cap bigint, p_buckets jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  used integer;
  spent bigint;
begin
  if p_thread_id is not null then
    t := pa_get_owned_thread(p_owner, p_thread_id);
    if p_thread_message_cap is not null then
      select count(*) into used from assistant_message where thread_id = t.id and role = 'user';
      if used >= p_thread_message_cap then
        return jsonb_build_object('allowed', false, 'limit', 'thread_messages', 'retry_after_seconds', null,
          'used', used, 'cap', p_thread_message_cap);
      end if;
    end if;
  end if;
  if coalesce(p_daily_token_cap, 0) > 0 then
    select total_tokens into spent from pa_model_usage_daily where day = pa_utc_today();
    if coalesce(spent, 0) >= p_daily_token_cap then
      return jsonb_build_object('allowed', false, 'limit', 'daily_tokens',
        'retry_after_seconds', greatest(ceil(extract(epoch from
          ((pa_utc_today() + 1)::timestamp at time zone 'utc') - now())), 1)::int);
    end if;
  end if;
  return pa_take_buckets(p_buckets);
end;
$$;

-- Tokens spent by model calls that are not runs (thread titles).
create or replace function record_model_usage(p_total_tokens bigint) returns jsonb
language plpgsql as $$
begin
  perform pa_add_model_usage(coalesce(p_total_tokens, 0));
  return jsonb_build_object('day', pa_utc_today(),
    'total_tokens', (select total_tokens from pa_model_usage_daily where day = pa_utc_today()));
end;
$$;

create or replace function get_model_usage_today() returns jsonb
language sql stable as $$
  select jsonb_build_object('day', pa_utc_today(),
    'total_tokens', coalesce((select total_tokens from pa_model_usage_daily where day = pa_utc_today()), 0))
$$;

-- How full each bucket is, without taking from it ([{key, name, capacity, per_seconds}] → [{name, available,
-- capacity}]): a bucket never used is full.
create or replace function get_rate_bucket_levels(p_buckets jsonb) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'name', x->>'name',
    'capacity', (x->>'capacity')::double precision,
    'available', case when r.key is null then (x->>'capacity')::double precision
                      else pa_bucket_available(r.tokens, r.capacity, r.updated_at,
                             (x->>'capacity')::double precision, (x->>'per_seconds')::double precision) end)), '[]'::jsonb)
  from jsonb_array_elements(coalesce(p_buckets, '[]'::jsonb)) x
  left join pa_rate_bucket r on r.key = x->>'key'
$$;

select pa_lock_down();
