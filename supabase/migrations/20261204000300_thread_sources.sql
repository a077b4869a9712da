-- Where a conversation came from, by its owner's prefix (issue 68): each chat door's threads are owned by
-- '<door>:…' (lib/chat-doors/door.ts), and the app writes one row per door of its registry at start
-- (lib/chat-doors/doors/index.ts, set_thread_sources in supabase/schemas/10_threads.sql), so pa_thread_source
-- names a door's conversations without the SQL naming any door. Rows are kept when a door goes: its old
-- conversations keep their source.

create table if not exists thread_source (
  prefix text not null,
  source text not null,
  constraint thread_source_pkey PRIMARY KEY (prefix)
);
alter table thread_source enable row level security;

select pa_lock_down();
