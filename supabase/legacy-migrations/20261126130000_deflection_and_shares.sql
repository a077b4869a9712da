-- Deflection and share links (issues 40 and 41).
--
-- docs_page_read: how often each docs page was read, per UTC day. A counter and nothing else: no reader, session,
-- address or time of day is kept (the "questions per page read" of the maintainers' deflection figures). The
-- function that counts is supabase/schemas/45_docs_page_reads.sql's.
--
-- thread_share: a read-only link to a conversation as it was when its reader shared it. `id` is the link's
-- unguessable token (lib/assistant/share.ts makes it); `snapshot` the conversation's messages and sources, masked,
-- without the reader's identity or the thread's id. Revoked links are kept (revoked_at) so that they answer 410;
-- deleting the conversation deletes its links. The functions are supabase/schemas/21_thread_shares.sql's.

create table if not exists docs_page_read (
  day date not null,
  path text not null check (length(path) between 1 and 1000),
  reads bigint not null default 0 check (reads >= 0),
  primary key (day, path)
);

-- A page read is counted by its slug (record_docs_page_read).
create index if not exists docs_page_slug_idx on docs_page (slug);

create table if not exists thread_share (
  id text primary key check (length(id) >= 22),
  thread_id text not null references assistant_thread (id) on delete cascade,
  snapshot jsonb not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index if not exists thread_share_thread_idx on thread_share (thread_id);
create index if not exists thread_share_created_idx on thread_share (created_at);

select pa_lock_down();
