-- The maintainers' loop: a thread's transcript, the report and the dashboard, replies from Slack, the digest's
-- lease.

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
    'source', pa_thread_source(t.owner, t.metadata),
    'conversation', (select jsonb_build_object('channel_id', c.door_data->>'channel_id', 'channel_type', c.door_data->>'channel_type',
                                               'thread_ts', c.door_data->>'thread_ts')
                     from chat_conversation c where c.thread_id = t.id and c.door = 'slack' limit 1),
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
        'user', count(*) filter (where role = 'user'),
        'assistant', count(*) filter (where role = 'assistant' and (metadata->>'author') is distinct from 'maintainer'),
        'maintainer', count(*) filter (where role = 'assistant' and metadata->>'author' = 'maintainer'))
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
            -- The question is the one before the answer, not the one pointing at its run: a question researched after
            -- its quick answer ("Research this", create_run_for_message_by_id) points at the research run.
            select jsonb_build_object('thread_id', a.thread_id, 'message_id', a.id, 'created_at', a.created_at,
                     'question', pa_question_before(a.thread_id, a.seq)) as x
            from assistant_message a
            where a.role = 'assistant' and a.metadata->>'no_docs_match' = 'true' and a.created_at >= p_from and a.created_at < p_to
            order by a.seq desc limit v_limit) items), '[]'::jsonb))),
    'votes', (select jsonb_build_object(
        'up', count(*) filter (where vote = 'up'),
        'down', count(*) filter (where vote = 'down'),
        'down_items', coalesce((select jsonb_agg(x order by x->>'updated_at' desc) from (
            select jsonb_build_object('thread_id', v.thread_id, 'message_id', v.message_id, 'updated_at', v.updated_at,
                     'question', (select pa_question_before(a.thread_id, a.seq) from assistant_message a
                                  where a.id = v.message_id)) as x
            from message_vote v
            where v.vote = 'down' and v.updated_at >= p_from and v.updated_at < p_to
            order by v.updated_at desc limit v_limit) items), '[]'::jsonb))
      from message_vote where updated_at >= p_from and updated_at < p_to)
  );
end;
$$;

-- The dashboard: figures per UTC day over [p_from, p_to), and the questions the docs failed: answers that said the docs do not
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
    'sources', coalesce((
      select jsonb_agg(jsonb_build_object('source', x.source, 'questions', x.n) order by x.n desc, x.source)
      from (select pa_thread_source(t.owner, t.metadata) as source, count(*) as n
            from assistant_message m join assistant_thread t on t.id = m.thread_id
            where m.role = 'user' and m.created_at >= p_from and m.created_at < p_to
            group by 1) x), '[]'::jsonb),
    'maintainer_replies', (select count(*) from assistant_message
                           where metadata->>'author' = 'maintainer' and created_at >= p_from and created_at < p_to),
    'searches_without_results', coalesce((select jsonb_agg(jsonb_build_object('query', x.query, 'count', x.n) order by x.n desc, x.query)
      from (select lower(btrim(query)) as query, count(*) as n from docs_query
            where created_at >= p_from and created_at < p_to and result_count = 0
            group by 1 order by 2 desc, 1 limit least(v_limit, 50)) x), '[]'::jsonb),
    'unanswered', coalesce((select jsonb_agg(x.item order by x.at desc) from (
        select jsonb_build_object('kind', 'not_covered', 'thread_id', a.thread_id, 'message_id', a.id,
                 'created_at', a.created_at, 'question', pa_question_before(a.thread_id, a.seq), 'reason', null,
                 'source', pa_thread_source(t.owner, t.metadata)) as item,
               a.created_at as at
        from assistant_message a join assistant_thread t on t.id = a.thread_id
        where a.role = 'assistant' and a.metadata->>'no_docs_match' = 'true' and a.status = 'completed'
          and a.created_at >= p_from and a.created_at < p_to
        union all
        select jsonb_build_object('kind', 'voted_down', 'thread_id', v.thread_id, 'message_id', v.message_id,
                 'created_at', v.updated_at, 'question', pa_question_before(a.thread_id, a.seq), 'reason', v.reason,
                 'source', pa_thread_source(t.owner, t.metadata)),
               v.updated_at
        from message_vote v join assistant_message a on a.id = v.message_id join assistant_thread t on t.id = a.thread_id
        where v.vote = 'down' and v.updated_at >= p_from and v.updated_at < p_to
        order by 2 desc limit v_limit) x), '[]'::jsonb));
end;
$$;

-- p_author: {name, slack_user}. Returns {status: 'added', message} | {status: 'duplicate'} | {status: 'unknown_thread'}.
-- p_proposal: {answer}, the reply as a proposed maintainers' answer (masked, without names: lib/maintainers/answers.ts);
-- proposed with the reply, in its transaction, and never at its cost (62_maintainer_answers.sql). Null: none.
create or replace function add_maintainer_reply_by_slack_thread(
  p_event_id text, p_thread_ts text, p_slack_ts text, p_text text, p_author jsonb, p_proposal jsonb default null)
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
  perform pa_propose_maintainer_answer(m, p_proposal);
  return jsonb_build_object('status', 'added', 'message', pa_message_json(m), 'owner', t.owner);
end;
$$;

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
