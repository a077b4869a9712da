-- Abuse limits: rate limits and quotas that hold across every instance sharing this database.
-- Idempotent like every migration here. lib/limits/index.ts decides which buckets a request takes.
--
-- A bucket is a token bucket: it holds up to `capacity` tokens and refills at capacity / per_seconds tokens a
-- second, so "60 per 3600 s" allows a burst of 60 and then one a minute. A request takes `cost` tokens from
-- each of its buckets, all or none: a refused request costs nothing, and says when the emptiest bucket will
-- have refilled enough (retry_after_seconds).

create table if not exists pa_rate_bucket (
  key text primary key,
  tokens double precision not null,
  updated_at timestamptz not null default now()
);
create index if not exists pa_rate_bucket_updated_idx on pa_rate_bucket (updated_at);

-- Model tokens spent per UTC day, for the whole site: kept by a trigger on runs (usage.total_tokens) plus
-- what other model calls record. A counter, not a sum over runs, so deleting threads does not give tokens back.
create table if not exists pa_model_usage_daily (
  day date primary key,
  total_tokens bigint not null default 0,
  updated_at timestamptz not null default now()
);

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

drop trigger if exists pa_track_run_usage_trg on assistant_run;
create trigger pa_track_run_usage_trg after insert or update of usage on assistant_run
  for each row execute function pa_track_run_usage();

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
  insert into pa_rate_bucket (key, tokens, updated_at)
  select distinct on (x->>'key') x->>'key', (x->>'capacity')::double precision, now()
  from jsonb_array_elements(p_buckets) x
  on conflict (key) do nothing;
  -- Lock in key order, so that instances taking overlapping buckets never deadlock.
  perform 1 from pa_rate_bucket where key in (select x->>'key' from jsonb_array_elements(p_buckets) x)
  order by key for update;

  for b in
    select x->>'name' as name, r.key,
           least((x->>'capacity')::double precision,
                 r.tokens + greatest(extract(epoch from now() - r.updated_at), 0)
                            * (x->>'capacity')::double precision / (x->>'per_seconds')::double precision) as available,
           (x->>'capacity')::double precision as capacity,
           (x->>'per_seconds')::double precision as per_seconds,
           coalesce((x->>'cost')::double precision, 1) as cost
    from jsonb_array_elements(p_buckets) x join pa_rate_bucket r on r.key = x->>'key'
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
    tokens = least(x.capacity, r.tokens + greatest(extract(epoch from now() - r.updated_at), 0) * x.capacity / x.per_seconds) - x.cost,
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

select pa_lock_down();
