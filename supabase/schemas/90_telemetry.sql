-- What the telemetry's gauges read (lib/telemetry/metrics.ts, through lib/db/telemetry.ts): the depth of the
-- queues, counted in one round trip per collection. Counts only: no row's content leaves.
create or replace function get_work_depths() returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'runs_queued', (select count(*) from assistant_run where status = 'queued'),
    'runs_active', (select count(*) from assistant_run where status in ('queued', 'in_progress', 'requires_action')),
    'inbox_pending', (select count(*) from chat_inbox where status = 'pending'),
    'outbox_pending', (select count(*) from slack_outbox where status = 'pending'))
$$;

select pa_lock_down();
