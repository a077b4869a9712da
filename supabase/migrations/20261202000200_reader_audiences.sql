-- Readers with identity (issue 57): who a reader is, and what a conversation was asked under.
-- - reader_session: a site session's verified reader (a host-signed token exchanged at POST /api/reader/session, or
--   OpenID Connect sign-in): its subject, its audiences and when they lapse. Keyed by the session id the session
--   cookie carries (lib/session); a lapsed row grants nothing and is deleted when next read or replaced.
-- - assistant_run.reader_audiences: the audiences the run's question was asked under (lib/audiences: a reader's,
--   '*' for a maintainer), so that its searches, however late the tool call is dispatched, see what the asker
--   could see at the time of asking and no more. Null: a reader with none (public pages only).
-- - api_key.audiences: the audiences a /v1, /mcp or /api/docs-search key sees. Null: a key made before audiences
--   existed, which keeps what such a key saw (lib/audiences/access.ts says what that is).

create table if not exists reader_session (
  session_id text not null,
  subject    text not null,
  audiences  text[] not null default '{}'::text[],
  via        text not null,
  expires_at timestamp with time zone not null,
  created_at timestamp with time zone not null default now(),
  constraint reader_session_pkey PRIMARY KEY (session_id),
  constraint reader_session_subject_check CHECK (((length(subject) >= 1) AND (length(subject) <= 300)))
);
create index if not exists reader_session_expires_idx on reader_session (expires_at);
alter table reader_session enable row level security;

alter table assistant_run add column if not exists reader_audiences text[];
alter table api_key add column if not exists audiences text[];

select pa_lock_down();
