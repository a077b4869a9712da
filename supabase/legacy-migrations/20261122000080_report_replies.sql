-- The maintainers' report (`npm run report`, GET /api/maintainers/report) counted a maintainer's reply from Slack
-- (an assistant message with metadata.author = 'maintainer', 20261122000060_maintainers.sql) as one of the
-- assistant's answers; the dashboard already tells them apart. Now `messages` has `assistant` (the assistant's
-- answers only) and `maintainer` (replies from Slack).
--
-- replaces: get_maintainer_report (20261121000006_slack_outbox.sql; messages.assistant without replies, messages.maintainer)
--
-- And list_orphaned_runs (20261121000001_core.sql) is dropped: nothing calls it since the sweeper claims runs
-- nobody reads itself (claim_runs_to_sweep, 20261122000010_scale_out.sql).

drop function if exists list_orphaned_runs(integer);

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
