-- Privacy: retention (threads deleted after RETENTION_DAYS of inactivity, and a reader deleting all their
-- threads at once, both with their Slack outbox rows) and the proof-of-work challenge's server state (spent
-- challenges, so a solution counts once; the extra messages a solution allows). Idempotent like every
-- migration here: the embedded store may re-apply it, `supabase db push` applies it once.
-- New functions only; nothing earlier is redefined.

-- Retention -----------------------------------------------------------------------------------------
-- A thread's updated_at moves with every message, answer and title (core, streaming, devices migrations):
-- it is the thread's last activity.
create index if not exists assistant_thread_updated_idx on assistant_thread (updated_at);

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

-- Challenge -----------------------------------------------------------------------------------------
-- A solved challenge is spent once: its id (the signature) is kept until the challenge would have expired.
create table if not exists pa_challenge_spent (
  id text primary key,
  expires_at timestamptz not null
);
create index if not exists pa_challenge_spent_expires_idx on pa_challenge_spent (expires_at);

-- Messages a solved challenge allows a session (key), until used or expired.
create table if not exists pa_challenge_pass (
  key text primary key,
  credits integer not null,
  expires_at timestamptz not null
);

-- How full each bucket is, without taking from it ([{key, name, capacity, per_seconds}] → [{name, available,
-- capacity}]): a bucket never used is full.
create or replace function get_rate_bucket_levels(p_buckets jsonb) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'name', x->>'name',
    'capacity', (x->>'capacity')::double precision,
    'available', coalesce(least((x->>'capacity')::double precision,
      r.tokens + greatest(extract(epoch from now() - r.updated_at), 0)
        * (x->>'capacity')::double precision / (x->>'per_seconds')::double precision),
      (x->>'capacity')::double precision))), '[]'::jsonb)
  from jsonb_array_elements(coalesce(p_buckets, '[]'::jsonb)) x
  left join pa_rate_bucket r on r.key = x->>'key'
$$;

-- Spends a verified challenge (refused when it was spent before), takes one from the grant bucket (how many
-- solutions count per hour), and gives the session p_credits messages until p_pass_expires_at. Credits are set,
-- not added: solving twice in a row does not stack.
create or replace function redeem_challenge(
  p_challenge_id text, p_expires_at timestamptz, p_pass_key text, p_credits integer, p_pass_expires_at timestamptz,
  p_grant_bucket jsonb)
returns jsonb
language plpgsql as $$
declare
  granted jsonb;
begin
  insert into pa_challenge_spent (id, expires_at) values (p_challenge_id, p_expires_at) on conflict (id) do nothing;
  if not found then
    return jsonb_build_object('redeemed', false, 'reason', 'spent');
  end if;
  granted := pa_take_buckets(jsonb_build_array(p_grant_bucket));
  if not (granted->>'allowed')::boolean then
    return jsonb_build_object('redeemed', false, 'reason', 'limit', 'retry_after_seconds', granted->'retry_after_seconds');
  end if;
  insert into pa_challenge_pass (key, credits, expires_at) values (p_pass_key, p_credits, p_pass_expires_at)
  on conflict (key) do update set credits = excluded.credits, expires_at = excluded.expires_at;
  if random() < 0.05 then
    delete from pa_challenge_spent where id in (select id from pa_challenge_spent where expires_at < now() limit 500);
    delete from pa_challenge_pass where key in (select key from pa_challenge_pass where expires_at < now() limit 500);
  end if;
  return jsonb_build_object('redeemed', true, 'credits', p_credits);
end;
$$;

-- Takes one message from the session's pass, if it has one left.
create or replace function take_challenge_credit(p_pass_key text) returns jsonb
language plpgsql as $$
declare
  left_over integer;
begin
  update pa_challenge_pass set credits = credits - 1
  where key = p_pass_key and credits > 0 and expires_at > now()
  returning credits into left_over;
  return jsonb_build_object('taken', left_over is not null, 'remaining', coalesce(left_over, 0));
end;
$$;

select pa_lock_down();
