-- Answers in Slack (tables): a mention of the app in a channel, or a direct message, is answered in its Slack
-- thread by the run engine. The functions and triggers are in supabase/schemas (52_slack_answers.sql, and the
-- dashboard's new figures in 61_maintainers.sql). Idempotent like every migration here: the embedded store may
-- re-apply it, `supabase db push` applies it once.
--
-- A Slack thread (team, channel, the ts of its first message) is one assistant thread, owned by 'slack:<team>'.

create table if not exists slack_conversation (
  id bigint generated always as identity primary key,
  team_id text not null,
  channel_id text not null,
  thread_ts text not null,
  thread_id text not null references assistant_thread (id) on delete cascade,
  -- 'channel' (public or private: app_mention) or 'im' (a direct message).
  channel_type text not null,
  -- The Slack member who started it: with SLACK_ANSWER_FOLLOW_UPS=asker, their later messages in it are answered.
  asker text not null,
  created_at timestamptz not null default now(),
  unique (team_id, channel_id, thread_ts)
);
create index if not exists slack_conversation_thread_idx on slack_conversation (thread_id);

-- The inbox: one row per Slack message the app acts on, written by POST /api/slack/events (which then answers
-- Slack at once) and worked by any instance that takes its lease. The row is the question's whole life: its
-- "Searching the docs…" reply (reply_ts), the run that answers it (run_id), the text last shown in Slack, and
-- retries with backoff while Slack or the database fail. One row per message (team, channel, ts), whichever
-- event or retry of an event brought it: Slack's retries and the app_mention + message pair of one message
-- make one answer.
create table if not exists slack_inbox (
  id bigint generated always as identity primary key,
  event_id text not null,
  -- 'question': to answer. 'thread_message': a message in an answered thread without a mention; the worker
  -- decides whether it is a maintainer's reply, a follow-up of the asker, or nothing for the app.
  kind text not null,
  team_id text not null,
  channel_id text not null,
  channel_type text not null,
  thread_ts text not null,
  message_ts text not null,
  slack_user text not null,
  -- Personal data already masked (as on the site).
  text text not null,
  metadata jsonb not null default '{}'::jsonb,
  status text not null default 'pending',
  -- How it ended: answered, refused (a limit), apologized (the run failed), maintainer_reply, ignored.
  outcome text,
  thread_id text references assistant_thread (id) on delete cascade,
  run_id text,
  reply_ts text,
  posted_text text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, channel_id, message_ts)
);
alter table slack_inbox drop constraint if exists slack_inbox_kind_check;
alter table slack_inbox add constraint slack_inbox_kind_check check (kind in ('question', 'thread_message'));
alter table slack_inbox drop constraint if exists slack_inbox_status_check;
alter table slack_inbox add constraint slack_inbox_status_check check (status in ('pending', 'done', 'failed'));
create index if not exists slack_inbox_pending_idx on slack_inbox (team_id, channel_id, thread_ts, id) where status = 'pending';
create index if not exists slack_inbox_due_idx on slack_inbox (next_attempt_at) where status = 'pending';
create index if not exists slack_inbox_reply_idx on slack_inbox (channel_id, reply_ts) where reply_ts is not null;
create index if not exists slack_inbox_run_idx on slack_inbox (run_id) where run_id is not null;

select pa_lock_down();
