-- Maintainer review: the Slack outbox, thumbs votes, the transcript view and the analytics report.
-- Idempotent like every migration here: the embedded store may re-apply it, `supabase db push` applies it once.
--
-- Slack posts are enqueued by triggers, so each post is written in the same transaction as its event
-- (a thread, a message, a title change, a vote, a run that ended badly) without redefining the functions of
-- the core migration. The app writes `pa_setting.slack_enabled` at start: with Slack not configured, the
-- triggers queue nothing. A trigger never makes its event fail: if queueing raises, the event still commits.

create table if not exists pa_setting (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

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

-- Outbox -------------------------------------------------------------------------------------------
-- One row per Slack post. Rows of one thread are delivered strictly in id order: only the oldest pending row
-- of a thread can be claimed. thread_id is not a foreign key: posts about a thread deleted meanwhile still go out.

create table if not exists slack_outbox (
  id bigint generated always as identity primary key,
  thread_id text not null,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text,
  slack_ts text,
  created_at timestamptz not null default now(),
  settled_at timestamptz
);
-- Named constraints, dropped and re-added, so that a later migration can extend the lists the same way.
alter table slack_outbox drop constraint if exists slack_outbox_kind_check;
alter table slack_outbox add constraint slack_outbox_kind_check
  check (kind in ('thread', 'thread_title', 'message', 'answer', 'vote', 'run_ended'));
alter table slack_outbox drop constraint if exists slack_outbox_status_check;
alter table slack_outbox add constraint slack_outbox_status_check
  check (status in ('pending', 'delivered', 'failed', 'skipped'));
create index if not exists slack_outbox_pending_idx on slack_outbox (thread_id, id) where status = 'pending';
create index if not exists slack_outbox_thread_idx on slack_outbox (thread_id, id);
create index if not exists slack_outbox_settled_idx on slack_outbox (settled_at) where status in ('delivered', 'skipped');

create or replace function pa_enqueue_slack(p_thread_id text, p_kind text, p_payload jsonb) returns bigint
language plpgsql as $$
declare
  v_id bigint;
begin
  if not pa_slack_enabled() then
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

create or replace function pa_message_text(p_content jsonb) returns text
language sql immutable as $$
  select coalesce(string_agg(part->'text'->>'value', E'\n' order by i), '')
  from jsonb_array_elements(case when jsonb_typeof(p_content) = 'array' then p_content else '[]'::jsonb end)
       with ordinality x(part, i)
$$;

-- Up to 4000 characters of a text are kept with the post, and its full length (the post says what was cut).
create or replace function pa_slack_text_json(p_text text) returns jsonb
language sql immutable as $$
  select jsonb_build_object('text', left(coalesce(p_text, ''), 4000), 'length', length(coalesce(p_text, '')))
$$;

create or replace function pa_slack_on_thread_insert() returns trigger
language plpgsql as $$
begin
  begin
    perform pa_enqueue_slack(new.id, 'thread', jsonb_build_object('title', new.metadata->>'threadTitle'));
  exception when others then
    raise warning 'slack outbox: could not queue thread %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_thread_insert on assistant_thread;
create trigger pa_slack_thread_insert after insert on assistant_thread
  for each row execute function pa_slack_on_thread_insert();

create or replace function pa_slack_on_thread_title() returns trigger
language plpgsql as $$
begin
  begin
    perform pa_enqueue_slack(new.id, 'thread_title',
      jsonb_build_object('title', new.metadata->>'threadTitle', 'previous', old.metadata->>'threadTitle'));
  exception when others then
    raise warning 'slack outbox: could not queue title of thread %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_thread_title on assistant_thread;
create trigger pa_slack_thread_title after update of metadata on assistant_thread
  for each row when (old.metadata->>'threadTitle' is distinct from new.metadata->>'threadTitle')
  execute function pa_slack_on_thread_title();

-- A user message is posted with its text; an answer with its text, its sources (url citations) and the
-- searches its run made (the raw tool arguments: parsed by the app, so that a malformed one cannot fail here).
create or replace function pa_slack_on_message_insert() returns trigger
language plpgsql as $$
declare
  v_payload jsonb;
begin
  begin
    v_payload := jsonb_build_object('message_id', new.id, 'run_id', new.run_id) || pa_slack_text_json(pa_message_text(new.content));
    if new.role = 'user' then
      -- Moderation marks flagged messages; maintainers see the flag on the post.
      v_payload := v_payload || jsonb_build_object('flagged', coalesce(new.metadata->>'flagged', 'false') = 'true');
      perform pa_enqueue_slack(new.thread_id, 'message', v_payload);
    else
      v_payload := v_payload || jsonb_build_object(
        'no_docs_match', coalesce(new.metadata->>'no_docs_match', 'false') = 'true',
        'sources', coalesce((
          select jsonb_agg(jsonb_build_object('url', s.url, 'title', s.title) order by s.first_seen)
          from (select a->>'url' as url, min(a->>'title') as title, min(p.i * 1000 + ai) as first_seen
                from jsonb_array_elements(case when jsonb_typeof(new.content) = 'array' then new.content else '[]'::jsonb end)
                       with ordinality p(part, i),
                     jsonb_array_elements(coalesce(p.part->'text'->'annotations', '[]'::jsonb)) with ordinality an(a, ai)
                where a->>'type' = 'url_citation' and a->>'url' is not null
                group by a->>'url' order by 3 limit 20) s), '[]'::jsonb),
        'searches', coalesce((
          select jsonb_agg(c->'function'->>'arguments' order by ri, ci)
          from assistant_run r,
               jsonb_array_elements(r.tool_rounds) with ordinality rr(round, ri),
               jsonb_array_elements(coalesce(rr.round->'tool_calls', '[]'::jsonb)) with ordinality cc(c, ci)
          where r.id = new.run_id), '[]'::jsonb));
      perform pa_enqueue_slack(new.thread_id, 'answer', v_payload);
    end if;
  exception when others then
    raise warning 'slack outbox: could not queue message %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_message_insert on assistant_message;
create trigger pa_slack_message_insert after insert on assistant_message
  for each row execute function pa_slack_on_message_insert();

-- A run that ends without an answer is worth a maintainer's look too.
create or replace function pa_slack_on_run_ended() returns trigger
language plpgsql as $$
begin
  begin
    perform pa_enqueue_slack(new.thread_id, 'run_ended', jsonb_build_object(
      'run_id', new.id, 'status', new.status, 'error', coalesce(new.last_error, new.incomplete_details)));
  exception when others then
    raise warning 'slack outbox: could not queue end of run %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_run_ended on assistant_run;
create trigger pa_slack_run_ended after update of status on assistant_run
  for each row when (new.status in ('failed', 'expired', 'incomplete') and old.status is distinct from new.status)
  execute function pa_slack_on_run_ended();

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

-- Votes -------------------------------------------------------------------------------------------
-- Thumbs up/down on the assistant's answers: one vote per message per session (the thread's owner), changeable.

create table if not exists message_vote (
  message_id text not null references assistant_message (id) on delete cascade,
  thread_id text not null references assistant_thread (id) on delete cascade,
  owner text not null,
  vote text not null check (vote in ('up', 'down')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (message_id, owner)
);
create index if not exists message_vote_thread_idx on message_vote (thread_id);
create index if not exists message_vote_updated_idx on message_vote (updated_at);

-- p_vote 'up' or 'down' sets the vote, null removes it.
create or replace function set_message_vote_by_id(p_owner text, p_thread_id text, p_message_id text, p_vote text)
returns jsonb
language plpgsql as $$
declare
  m assistant_message;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into m from assistant_message where id = p_message_id and thread_id = p_thread_id;
  if not found then
    raise exception 'No message found with id % in this thread', p_message_id using errcode = 'PA404';
  end if;
  if m.role <> 'assistant' then
    raise exception 'Only the assistant''s answers can be voted on' using errcode = 'PA400';
  end if;
  if p_vote is null then
    delete from message_vote where message_id = m.id and owner = p_owner;
  elsif p_vote in ('up', 'down') then
    insert into message_vote (message_id, thread_id, owner, vote) values (m.id, m.thread_id, p_owner, p_vote)
    on conflict (message_id, owner) do update set vote = excluded.vote, updated_at = now()
    where message_vote.vote is distinct from excluded.vote;
  else
    raise exception 'vote must be up, down or null' using errcode = 'PA400';
  end if;
  return jsonb_build_object('thread_id', m.thread_id, 'message_id', m.id, 'vote', p_vote);
end;
$$;

create or replace function list_message_votes_by_thread(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  return coalesce((
    select jsonb_agg(jsonb_build_object('message_id', v.message_id, 'vote', v.vote, 'updated_at', v.updated_at)
                     order by v.updated_at)
    from message_vote v where v.thread_id = p_thread_id and v.owner = p_owner), '[]'::jsonb);
end;
$$;

create or replace function pa_slack_on_vote() returns trigger
language plpgsql as $$
begin
  begin
    if tg_op = 'DELETE' then
      -- Votes removed by deleting their thread are not news.
      if exists (select 1 from assistant_message where id = old.message_id) then
        perform pa_enqueue_slack(old.thread_id, 'vote',
          jsonb_build_object('message_id', old.message_id, 'vote', null, 'previous', old.vote));
      end if;
    elsif tg_op = 'INSERT' then
      perform pa_enqueue_slack(new.thread_id, 'vote',
        jsonb_build_object('message_id', new.message_id, 'vote', new.vote, 'previous', null));
    elsif old.vote is distinct from new.vote then
      perform pa_enqueue_slack(new.thread_id, 'vote',
        jsonb_build_object('message_id', new.message_id, 'vote', new.vote, 'previous', old.vote));
    end if;
  exception when others then
    raise warning 'slack outbox: could not queue a vote: %', sqlerrm;
  end;
  return null;
end;
$$;
drop trigger if exists pa_slack_vote on message_vote;
create trigger pa_slack_vote after insert or update or delete on message_vote
  for each row execute function pa_slack_on_vote();

-- Maintainers -------------------------------------------------------------------------------------
-- Not scoped to an owner: the app only calls these behind a signed maintainer link.

create or replace function get_thread_transcript_by_id(p_thread_id text) returns jsonb
language plpgsql stable as $$
declare
  t assistant_thread;
begin
  select * into t from assistant_thread where id = p_thread_id;
  if not found then
    raise exception 'No thread found with id %', p_thread_id using errcode = 'PA404';
  end if;
  return jsonb_build_object(
    'thread', pa_thread_json(t),
    'messages', coalesce((
      select jsonb_agg(pa_message_json(m) || jsonb_build_object('vote',
               (select v.vote from message_vote v where v.message_id = m.id order by v.updated_at desc limit 1))
             order by m.seq)
      from assistant_message m where m.thread_id = t.id), '[]'::jsonb),
    'runs', coalesce((
      select jsonb_agg(pa_run_json(r) - 'instructions' - 'tools' order by r.seq)
      from assistant_run r where r.thread_id = t.id), '[]'::jsonb),
    'slack', coalesce((
      select jsonb_agg(jsonb_build_object('kind', o.kind, 'status', o.status, 'attempts', o.attempts,
               'last_error', o.last_error, 'created_at', o.created_at, 'settled_at', o.settled_at) order by o.id)
      from slack_outbox o where o.thread_id = t.id), '[]'::jsonb));
end;
$$;

-- What readers asked in [p_from, p_to) and where the docs failed them. Lists are capped at p_limit entries.
create or replace function get_maintainer_report(p_from timestamptz, p_to timestamptz, p_limit integer)
returns jsonb
language plpgsql stable as $$
declare
  v_limit integer := greatest(coalesce(p_limit, 10), 1);
begin
  return jsonb_build_object(
    'from', p_from,
    'to', p_to,
    'threads', (select count(*) from assistant_thread where created_at >= p_from and created_at < p_to),
    'messages', (select jsonb_build_object(
        'user', count(*) filter (where role = 'user'), 'assistant', count(*) filter (where role = 'assistant'))
      from assistant_message where created_at >= p_from and created_at < p_to),
    'runs', (select jsonb_build_object(
        'total', count(*),
        'by_status', coalesce((select jsonb_object_agg(s.status, s.n) from (
            select status, count(*) as n from assistant_run where created_at >= p_from and created_at < p_to
            group by status) s), '{}'::jsonb),
        'median_seconds', round((percentile_cont(0.5) within group (
            order by extract(epoch from completed_at - created_at)) filter (where status = 'completed'))::numeric, 3),
        'p90_seconds', round((percentile_cont(0.9) within group (
            order by extract(epoch from completed_at - created_at)) filter (where status = 'completed'))::numeric, 3))
      from assistant_run where created_at >= p_from and created_at < p_to),
    'docs_queries', (select jsonb_build_object(
        'total', count(*),
        'site', count(*) filter (where source = 'site'),
        'assistant', count(*) filter (where source = 'assistant'),
        'without_results', count(*) filter (where result_count = 0))
      from docs_query where created_at >= p_from and created_at < p_to),
    'top_queries', coalesce((select jsonb_agg(jsonb_build_object('query', q.query, 'count', q.n, 'avg_results', q.avg_results)
                                              order by q.n desc, q.query)
      from (select lower(btrim(query)) as query, count(*) as n, round(avg(result_count), 1) as avg_results
            from docs_query where created_at >= p_from and created_at < p_to
            group by 1 order by 2 desc, 1 limit v_limit) q), '[]'::jsonb),
    'queries_without_results', coalesce((select jsonb_agg(jsonb_build_object('query', q.query, 'count', q.n)
                                                          order by q.n desc, q.query)
      from (select lower(btrim(query)) as query, count(*) as n
            from docs_query where created_at >= p_from and created_at < p_to and result_count = 0
            group by 1 order by 2 desc, 1 limit v_limit) q), '[]'::jsonb),
    'answers_without_docs', (select jsonb_build_object(
        'count', (select count(*) from assistant_message
                  where role = 'assistant' and metadata->>'no_docs_match' = 'true' and created_at >= p_from and created_at < p_to),
        'items', coalesce((select jsonb_agg(x order by x->>'created_at' desc) from (
            select jsonb_build_object('thread_id', a.thread_id, 'message_id', a.id, 'created_at', a.created_at,
                     'question', left((select pa_message_text(u.content) from assistant_message u
                                       where u.run_id = a.run_id and u.role = 'user' order by u.seq desc limit 1), 500)) as x
            from assistant_message a
            where a.role = 'assistant' and a.metadata->>'no_docs_match' = 'true' and a.created_at >= p_from and a.created_at < p_to
            order by a.seq desc limit v_limit) items), '[]'::jsonb))),
    'votes', (select jsonb_build_object(
        'up', count(*) filter (where vote = 'up'),
        'down', count(*) filter (where vote = 'down'),
        'down_items', coalesce((select jsonb_agg(x order by x->>'updated_at' desc) from (
            select jsonb_build_object('thread_id', v.thread_id, 'message_id', v.message_id, 'updated_at', v.updated_at,
                     'question', left((select pa_message_text(u.content) from assistant_message a
                                         join assistant_message u on u.run_id = a.run_id and u.role = 'user'
                                       where a.id = v.message_id order by u.seq desc limit 1), 500)) as x
            from message_vote v
            where v.vote = 'down' and v.updated_at >= p_from and v.updated_at < p_to
            order by v.updated_at desc limit v_limit) items), '[]'::jsonb))
      from message_vote where updated_at >= p_from and updated_at < p_to)
  );
end;
$$;

select pa_lock_down();
