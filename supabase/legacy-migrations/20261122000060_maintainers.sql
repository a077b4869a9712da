-- The maintainers' loop: a reason with a thumbs-down, the dashboard's figures, replies from Slack, the weekly
-- digest's lease. Idempotent like every migration here: the embedded store may re-apply it, `supabase db push`
-- applies it once.
--
-- replaces: set_message_vote_by_id (20261121000006_slack_outbox.sql; gains p_reason, refuses maintainer replies)
-- replaces: pa_slack_on_vote (20261121000006_slack_outbox.sql; also posts a reason given after the vote)

-- Votes: the reader may say why an answer did not help ------------------------------------------------

alter table message_vote add column if not exists reason text;
alter table message_vote drop constraint if exists message_vote_reason_check;
alter table message_vote add constraint message_vote_reason_check check (reason is null or char_length(reason) <= 1000);

-- The four-argument version goes: with both, a call naming four arguments would be ambiguous.
drop function if exists set_message_vote_by_id(text, text, text, text);

-- p_vote 'up' or 'down' sets the vote, null removes it. A reason is kept with a 'down' vote only: a 'down' vote
-- sent again without one keeps the reason it had; any other vote clears it.
create or replace function set_message_vote_by_id(
  p_owner text, p_thread_id text, p_message_id text, p_vote text, p_reason text default null)
returns jsonb
language plpgsql as $$
declare
  m assistant_message;
  v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  select * into m from assistant_message where id = p_message_id and thread_id = p_thread_id;
  if not found then
    raise exception 'No message found with id % in this thread', p_message_id using errcode = 'PA404';
  end if;
  if m.role <> 'assistant' or m.metadata->>'author' = 'maintainer' then
    raise exception 'Only the assistant''s answers can be voted on' using errcode = 'PA400';
  end if;
  if v_reason is not null and p_vote is distinct from 'down' then
    raise exception 'A reason goes with a thumbs-down only' using errcode = 'PA400';
  end if;
  if p_vote is null then
    delete from message_vote where message_id = m.id and owner = p_owner;
  elsif p_vote in ('up', 'down') then
    insert into message_vote (message_id, thread_id, owner, vote, reason)
    values (m.id, m.thread_id, p_owner, p_vote, v_reason)
    on conflict (message_id, owner) do update
      set vote = excluded.vote,
          reason = case when excluded.vote = 'down'
                        then coalesce(excluded.reason, case when message_vote.vote = 'down' then message_vote.reason end) end,
          updated_at = now()
    where message_vote.vote is distinct from excluded.vote
       or (excluded.reason is not null and message_vote.reason is distinct from excluded.reason);
  else
    raise exception 'vote must be up, down or null' using errcode = 'PA400';
  end if;
  return jsonb_build_object('thread_id', m.thread_id, 'message_id', m.id, 'vote', p_vote,
    'reason', (select v.reason from message_vote v where v.message_id = m.id and v.owner = p_owner));
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
        jsonb_build_object('message_id', new.message_id, 'vote', new.vote, 'previous', null, 'reason', new.reason));
    elsif old.vote is distinct from new.vote or (new.reason is not null and old.reason is distinct from new.reason) then
      perform pa_enqueue_slack(new.thread_id, 'vote',
        jsonb_build_object('message_id', new.message_id, 'vote', new.vote, 'previous', old.vote, 'reason', new.reason));
    end if;
  exception when others then
    raise warning 'slack outbox: could not queue a vote: %', sqlerrm;
  end;
  return null;
end;
$$;

-- Replies from Slack ----------------------------------------------------------------------------------
-- A maintainer's reply in a conversation's Slack thread becomes an assistant message of the reader's thread with
-- metadata.author = 'maintainer' and no run. Slack retries an event it thinks was not received: event ids are
-- kept a week, and a retry changes nothing.

create table if not exists slack_event (
  event_id text primary key,
  received_at timestamptz not null default now()
);
create index if not exists slack_event_received_idx on slack_event (received_at);
create index if not exists assistant_thread_slack_ts_idx on assistant_thread (slack_thread_ts) where slack_thread_ts is not null;

-- A maintainer's reply is already in Slack: it is not posted back.
drop trigger if exists pa_slack_message_insert on assistant_message;
create trigger pa_slack_message_insert after insert on assistant_message
  for each row when (new.status = 'completed' and (new.metadata->>'author') is distinct from 'maintainer')
  execute function pa_slack_on_message_insert();

-- p_author: {name, slack_user}. Returns {status: 'added', message} | {status: 'duplicate'} | {status: 'unknown_thread'}.
create or replace function add_maintainer_reply_by_slack_thread(
  p_event_id text, p_thread_ts text, p_slack_ts text, p_text text, p_author jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  m assistant_message;
begin
  if coalesce(btrim(p_text), '') = '' then
    raise exception 'A reply needs text' using errcode = 'PA400';
  end if;
  delete from slack_event where received_at < now() - interval '7 days';
  insert into slack_event (event_id) values (p_event_id) on conflict (event_id) do nothing;
  if not found then
    return jsonb_build_object('status', 'duplicate');
  end if;
  select * into t from assistant_thread where slack_thread_ts = p_thread_ts limit 1;
  if not found then
    -- The parent was posted but its ts not yet kept on the thread (it is, once its first reply goes out).
    select th.* into t from slack_outbox o join assistant_thread th on th.id = o.thread_id
    where o.kind = 'thread' and o.status = 'delivered' and o.slack_ts = p_thread_ts
    order by o.id desc limit 1;
    if not found then
      return jsonb_build_object('status', 'unknown_thread');
    end if;
  end if;
  if exists (select 1 from assistant_message where thread_id = t.id and metadata->>'slack_ts' = p_slack_ts) then
    return jsonb_build_object('status', 'duplicate');
  end if;
  insert into assistant_message (thread_id, run_id, role, content, metadata, status, completed_at)
  values (t.id, null, 'assistant', pa_text_content(p_text),
          jsonb_build_object('author', 'maintainer',
                             'author_name', coalesce(nullif(p_author->>'name', ''), 'A maintainer'),
                             'slack_user', p_author->>'slack_user',
                             'slack_ts', p_slack_ts),
          'completed', now())
  returning * into m;
  update assistant_thread set updated_at = now() where id = t.id;
  return jsonb_build_object('status', 'added', 'message', pa_message_json(m), 'owner', t.owner);
end;
$$;

-- The dashboard ---------------------------------------------------------------------------------------
-- Figures per UTC day over [p_from, p_to), and the questions the docs failed: answers that said the docs do not
-- cover the question, and answers voted down (with the reader's reason). Maintainers' replies are not answers.
-- Lists are capped at p_limit entries; the app groups the questions by similarity.

create or replace function pa_question_before(p_thread_id text, p_seq bigint) returns text
language sql stable as $$
  select left(pa_message_text(u.content), 500) from assistant_message u
  where u.thread_id = p_thread_id and u.role = 'user' and u.seq < p_seq
  order by u.seq desc limit 1
$$;

create or replace function get_maintainer_dashboard(p_from timestamptz, p_to timestamptz, p_limit integer)
returns jsonb
language plpgsql stable as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 200), 1), 2000);
begin
  return jsonb_build_object(
    'from', p_from,
    'to', p_to,
    'days', coalesce((
      select jsonb_agg(jsonb_build_object(
               'day', to_char(d.day, 'YYYY-MM-DD'),
               'questions', coalesce(q.n, 0),
               'answered', coalesce(a.answered, 0),
               'not_covered', coalesce(a.not_covered, 0),
               'up', coalesce(v.up, 0),
               'down', coalesce(v.down, 0),
               'searches', coalesce(s.total, 0),
               'searches_without_results', coalesce(s.empty, 0)) order by d.day)
      from generate_series((p_from at time zone 'UTC')::date, ((p_to - interval '1 microsecond') at time zone 'UTC')::date,
                           interval '1 day') as d(day)
      left join (select (created_at at time zone 'UTC')::date as day, count(*) as n from assistant_message
                 where role = 'user' and created_at >= p_from and created_at < p_to group by 1) q on q.day = d.day
      left join (select (created_at at time zone 'UTC')::date as day,
                        count(*) filter (where coalesce(metadata->>'no_docs_match', 'false') <> 'true') as answered,
                        count(*) filter (where metadata->>'no_docs_match' = 'true') as not_covered
                 from assistant_message
                 where role = 'assistant' and status = 'completed' and (metadata->>'author') is distinct from 'maintainer'
                   and created_at >= p_from and created_at < p_to group by 1) a on a.day = d.day
      left join (select (updated_at at time zone 'UTC')::date as day,
                        count(*) filter (where vote = 'up') as up, count(*) filter (where vote = 'down') as down
                 from message_vote where updated_at >= p_from and updated_at < p_to group by 1) v on v.day = d.day
      left join (select (created_at at time zone 'UTC')::date as day, count(*) as total,
                        count(*) filter (where result_count = 0) as empty
                 from docs_query where created_at >= p_from and created_at < p_to group by 1) s on s.day = d.day), '[]'::jsonb),
    'maintainer_replies', (select count(*) from assistant_message
                           where metadata->>'author' = 'maintainer' and created_at >= p_from and created_at < p_to),
    'searches_without_results', coalesce((select jsonb_agg(jsonb_build_object('query', x.query, 'count', x.n) order by x.n desc, x.query)
      from (select lower(btrim(query)) as query, count(*) as n from docs_query
            where created_at >= p_from and created_at < p_to and result_count = 0
            group by 1 order by 2 desc, 1 limit least(v_limit, 50)) x), '[]'::jsonb),
    'unanswered', coalesce((select jsonb_agg(x.item order by x.at desc) from (
        select jsonb_build_object('kind', 'not_covered', 'thread_id', a.thread_id, 'message_id', a.id,
                 'created_at', a.created_at, 'question', pa_question_before(a.thread_id, a.seq), 'reason', null) as item,
               a.created_at as at
        from assistant_message a
        where a.role = 'assistant' and a.metadata->>'no_docs_match' = 'true' and a.status = 'completed'
          and a.created_at >= p_from and a.created_at < p_to
        union all
        select jsonb_build_object('kind', 'voted_down', 'thread_id', v.thread_id, 'message_id', v.message_id,
                 'created_at', v.updated_at, 'question', pa_question_before(a.thread_id, a.seq), 'reason', v.reason),
               v.updated_at
        from message_vote v join assistant_message a on a.id = v.message_id
        where v.vote = 'down' and v.updated_at >= p_from and v.updated_at < p_to
        order by 2 desc limit v_limit) x), '[]'::jsonb));
end;
$$;

-- The weekly digest -----------------------------------------------------------------------------------
-- Every instance's digest loop asks; one gets the lease, posts, and records the period's end, which is where the
-- next period starts. A lease that lapses (the instance died, Slack failed) lets another instance try.

create table if not exists maintainer_digest (
  kind text primary key,
  last_sent_at timestamptz,
  lease_owner text,
  lease_until timestamptz
);

-- Returns {claimed: false} or {claimed: true, from, to}: the period since the last digest (at most p_every_seconds
-- back for the first one).
create or replace function claim_maintainer_digest(p_kind text, p_worker text, p_every_seconds integer, p_lease_seconds integer)
returns jsonb
language plpgsql as $$
declare
  d maintainer_digest;
  v_now timestamptz := now();
begin
  insert into maintainer_digest (kind) values (p_kind) on conflict (kind) do nothing;
  update maintainer_digest set lease_owner = p_worker, lease_until = v_now + make_interval(secs => p_lease_seconds)
  where kind = p_kind
    and (last_sent_at is null or last_sent_at <= v_now - make_interval(secs => p_every_seconds))
    and (lease_until is null or lease_until <= v_now)
  returning * into d;
  if not found then
    return jsonb_build_object('claimed', false);
  end if;
  return jsonb_build_object('claimed', true,
    'from', greatest(coalesce(d.last_sent_at, v_now - make_interval(secs => p_every_seconds)), v_now - make_interval(secs => p_every_seconds * 2)),
    'to', v_now);
end;
$$;

-- The digest of the claimed period went out. False if this worker no longer held the lease.
create or replace function complete_maintainer_digest(p_kind text, p_worker text, p_to timestamptz) returns boolean
language plpgsql as $$
begin
  update maintainer_digest set last_sent_at = p_to, lease_owner = null, lease_until = null
  where kind = p_kind and lease_owner = p_worker;
  return found;
end;
$$;

select pa_lock_down();
