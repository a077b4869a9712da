-- One inbox for every chat door (lib/chat-doors): the questions asked in Slack (answers in Slack) and in
-- Discord (`/ask`) were two tables each (slack_inbox + slack_conversation, discord_interaction +
-- discord_conversation) worked by two copies of the same functions. They are now one inbox and one conversation
-- table keyed by door; the functions are in supabase/schemas/53_chat_inbox.sql. This migration makes the tables,
-- moves every row of the old ones over (rows in flight keep their lease, attempts, step and reply), and drops
-- the old tables with their functions and triggers. Idempotent like every migration here: run again, it finds
-- the old tables gone and moves nothing.
--
-- A door's conversation is keyed by conversation_key, the door's own name for a conversation: in Slack
-- '<team>:<channel>:<thread ts>', in Discord the channel (the Discord thread) id.

create table if not exists chat_conversation (
  id bigint generated always as identity primary key,
  -- The door it came through: 'slack', 'discord', … (lib/chat-doors/<door>).
  door text not null,
  conversation_key text not null,
  thread_id text not null references assistant_thread (id) on delete cascade,
  -- Who started it: with SLACK_ANSWER_FOLLOW_UPS=asker, their later messages in a Slack thread are answered.
  asker text not null,
  -- What the door keeps of it (Slack: team_id, channel_id, thread_ts, channel_type; Discord: guild_id).
  door_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  unique (door, conversation_key)
);
create index if not exists chat_conversation_thread_idx on chat_conversation (thread_id);

-- One row per delivery a door acts on (delivery_id is the door's: a repeated delivery is the same row), written
-- by the door's endpoint before it answers the chat service, worked by any instance that takes its lease. The
-- row is the question's whole life: its first reply (reply_id), its run, the text last shown, the parts posted,
-- retries with backoff.
create table if not exists chat_inbox (
  id bigint generated always as identity primary key,
  door text not null,
  delivery_id text not null,
  -- The door's kind of delivery (Slack: question, thread_message; Discord: ask, ask_message).
  kind text not null,
  conversation_key text not null,
  -- Rows with the same queue key are answered one at a time, in order (a Slack thread, a Discord thread);
  -- null: a question that waits for nobody.
  queue_key text,
  asker text not null,
  -- Personal data already masked (as on the site).
  text text not null,
  metadata jsonb not null default '{}'::jsonb,
  -- What the door needs to reply (Slack: team, channel, thread; Discord: application, guild, channel, its thread).
  door_data jsonb not null default '{}'::jsonb,
  -- A credential the door needs until the row ends (Discord's interaction token), cleared when it ends.
  secret text not null default '',
  status text not null default 'pending',
  -- How it ended: answered, refused (a limit), apologized (the run failed), hint, maintainer_reply, ignored, gave_up.
  outcome text,
  thread_id text references assistant_thread (id) on delete cascade,
  run_id text,
  -- The app's reply (Slack's message ts, Discord's deferred response's message id).
  reply_id text,
  posted_text text,
  -- How many messages of the final answer were posted (a door that splits long answers).
  posted_parts integer not null default 0,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (door, delivery_id)
);
alter table chat_inbox drop constraint if exists chat_inbox_status_check;
alter table chat_inbox add constraint chat_inbox_status_check check (status in ('pending', 'done', 'failed'));
create index if not exists chat_inbox_queue_idx on chat_inbox (door, queue_key, id) where status = 'pending' and queue_key is not null;
create index if not exists chat_inbox_due_idx on chat_inbox (door, next_attempt_at) where status = 'pending';
create index if not exists chat_inbox_reply_idx on chat_inbox (door, reply_id) where reply_id is not null;
create index if not exists chat_inbox_run_idx on chat_inbox (run_id) where run_id is not null;

-- The rows of the two old doors' tables, moved over in the order they came.
do $$
begin
  if to_regclass('public.slack_conversation') is not null then
    insert into chat_conversation (door, conversation_key, thread_id, asker, door_data, created_at)
    select 'slack', c.team_id || ':' || c.channel_id || ':' || c.thread_ts, c.thread_id, c.asker,
           jsonb_build_object('team_id', c.team_id, 'channel_id', c.channel_id, 'thread_ts', c.thread_ts, 'channel_type', c.channel_type),
           c.created_at
    from slack_conversation c order by c.id
    on conflict (door, conversation_key) do nothing;
  end if;
  if to_regclass('public.slack_inbox') is not null then
    insert into chat_inbox (door, delivery_id, kind, conversation_key, queue_key, asker, text, metadata, door_data,
                            status, outcome, thread_id, run_id, reply_id, posted_text, attempts, next_attempt_at,
                            lease_owner, lease_expires_at, last_error, created_at, updated_at)
    select 'slack', q.team_id || ':' || q.channel_id || ':' || q.message_ts, q.kind,
           q.team_id || ':' || q.channel_id || ':' || q.thread_ts, q.team_id || ':' || q.channel_id || ':' || q.thread_ts,
           q.slack_user, q.text, q.metadata,
           jsonb_build_object('event_id', q.event_id, 'team_id', q.team_id, 'channel_id', q.channel_id,
                              'channel_type', q.channel_type, 'thread_ts', q.thread_ts, 'message_ts', q.message_ts),
           q.status, q.outcome, q.thread_id, q.run_id, q.reply_ts, q.posted_text, q.attempts, q.next_attempt_at,
           q.lease_owner, q.lease_expires_at, q.last_error, q.created_at, q.updated_at
    from slack_inbox q order by q.id
    on conflict (door, delivery_id) do nothing;
  end if;
  if to_regclass('public.discord_conversation') is not null then
    insert into chat_conversation (door, conversation_key, thread_id, asker, door_data, created_at)
    select 'discord', c.channel_id, c.thread_id, c.asker, jsonb_strip_nulls(jsonb_build_object('guild_id', c.guild_id)), c.created_at
    from discord_conversation c order by c.created_at, c.channel_id
    on conflict (door, conversation_key) do nothing;
  end if;
  if to_regclass('public.discord_interaction') is not null then
    insert into chat_inbox (door, delivery_id, kind, conversation_key, queue_key, asker, text, metadata, door_data,
                            secret, status, outcome, thread_id, run_id, reply_id, posted_text, posted_parts, attempts,
                            next_attempt_at, lease_owner, lease_expires_at, last_error, created_at, updated_at)
    select 'discord', q.id, q.kind, q.channel_id,
           case when (q.metadata->>'discord_in_thread') = 'true' then q.channel_id end,
           q.discord_user, q.text, q.metadata,
           jsonb_strip_nulls(jsonb_build_object('application_id', q.application_id, 'guild_id', q.guild_id,
                                                'channel_id', q.channel_id, 'discord_thread_id', q.discord_thread_id)),
           q.token, q.status, q.outcome, q.thread_id, q.run_id, q.message_id, q.posted_text, q.posted_parts, q.attempts,
           q.next_attempt_at, q.lease_owner, q.lease_expires_at, q.last_error, q.created_at, q.updated_at
    from discord_interaction q order by q.created_at, q.id
    on conflict (door, delivery_id) do nothing;
  end if;
end $$;

-- The old doors' triggers and functions (those whose tables go, and those replaced by 53_chat_inbox.sql's).
drop trigger if exists pa_slack_inbox_message on assistant_message;
drop function if exists pa_slack_inbox_on_message();
drop trigger if exists pa_discord_interaction_message on assistant_message;
drop function if exists pa_discord_interaction_on_message();
drop function if exists record_slack_inbox(text, text, text, text, text, text, text, text, text, jsonb);
drop function if exists get_slack_conversation(text, text, text);
drop function if exists claim_slack_inbox_batch(text, integer, integer);
drop function if exists renew_slack_inbox_lease_by_id(bigint, text, integer);
drop function if exists update_slack_inbox_by_id(bigint, text, jsonb);
drop function if exists retry_slack_inbox_by_id(bigint, text, integer, text, integer);
drop function if exists release_slack_inbox_leases_of_other_workers(text);
drop function if exists prune_slack_inbox(integer);
drop function if exists open_slack_conversation(text, text, text, text, text, jsonb);
drop function if exists record_discord_interaction(text, text, text, text, text, text, text, text, jsonb);
drop function if exists claim_discord_interaction_batch(text, integer, integer);
drop function if exists renew_discord_interaction_lease_by_id(text, text, integer);
drop function if exists update_discord_interaction_by_id(text, text, jsonb);
drop function if exists retry_discord_interaction_by_id(text, text, integer, text, integer);
drop function if exists release_discord_interaction_leases_of_other_workers(text);
drop function if exists prune_discord_interactions(integer);
drop function if exists open_discord_conversation(text, text, jsonb);
drop function if exists link_discord_conversation(text, text, text, text);
do $$
begin
  if to_regclass('public.slack_inbox') is not null then
    drop function if exists pa_slack_inbox_json(slack_inbox);
  end if;
  if to_regclass('public.discord_interaction') is not null then
    drop function if exists pa_discord_interaction_json(discord_interaction);
  end if;
end $$;
drop table if exists slack_inbox;
drop table if exists slack_conversation;
drop table if exists discord_interaction;
drop table if exists discord_conversation;

select pa_lock_down();
