-- Answers in Discord (tables): an `/ask` command or the "Ask the docs" message command, delivered to
-- POST /api/discord/interactions, is answered by the run engine into the command's deferred response. The
-- functions and triggers are in supabase/schemas/55_discord.sql. Idempotent like every migration here.
--
-- A Discord thread the app started from an answer (or a DM's answer) is one assistant thread, owned by
-- 'discord:<guild id>' ('discord:@me' outside a guild).

create table if not exists discord_conversation (
  -- The Discord thread (a channel) where the conversation goes on: `/ask` in it continues this conversation.
  channel_id text primary key,
  guild_id text,
  thread_id text not null references assistant_thread (id) on delete cascade,
  -- The Discord user who started it.
  asker text not null,
  created_at timestamptz not null default now()
);
create index if not exists discord_conversation_thread_idx on discord_conversation (thread_id);

-- The inbox: one row per interaction to answer (the interaction id is Discord's: a retried delivery is the same
-- row), written by the interactions endpoint before it answers Discord, worked by any instance that takes its
-- lease. The interaction token (a credential for 15 minutes) is cleared when the row ends.
create table if not exists discord_interaction (
  id text primary key,
  application_id text not null,
  token text not null,
  -- 'ask' (the slash command) or 'ask_message' (the message command).
  kind text not null,
  guild_id text,
  channel_id text not null,
  discord_user text not null,
  -- Personal data already masked (as on the site).
  text text not null,
  metadata jsonb not null default '{}'::jsonb,
  status text not null default 'pending',
  -- How it ended: answered, refused (a limit), apologized (the run failed).
  outcome text,
  thread_id text references assistant_thread (id) on delete cascade,
  run_id text,
  -- The deferred response's message, the Discord thread started from it, and what was last written.
  message_id text,
  discord_thread_id text,
  posted_text text,
  -- How many follow-up messages (the parts of an answer past the first 2,000 characters) were posted.
  posted_parts integer not null default 0,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table discord_interaction drop constraint if exists discord_interaction_kind_check;
alter table discord_interaction add constraint discord_interaction_kind_check check (kind in ('ask', 'ask_message'));
alter table discord_interaction drop constraint if exists discord_interaction_status_check;
alter table discord_interaction add constraint discord_interaction_status_check check (status in ('pending', 'done', 'failed'));
create index if not exists discord_interaction_pending_idx on discord_interaction (channel_id, created_at) where status = 'pending';
create index if not exists discord_interaction_run_idx on discord_interaction (run_id) where run_id is not null;

select pa_lock_down();
