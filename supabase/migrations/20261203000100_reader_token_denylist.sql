-- Reader sessions that end for good (issue 67):
-- - reader_session.token_key: which host-signed token made the session's reader (a hash of its `jti`, or of the
--   whole token when it has none: lib/audiences/token.ts); null for OpenID Connect sign-in.
-- - reader_token_denied: tokens whose reader signed out, refused at POST /api/reader/session until they expire
--   (expires_at: the token's exp), on every instance. Lapsed rows are deleted as new ones come and go.
-- - the functions put_reader_session and delete_reader_session_by_id give way to start_reader_session and
--   end_reader_session (supabase/schemas/15_reader_sessions.sql), which move the reader to a new session id.

alter table reader_session add column if not exists token_key text;
create index if not exists reader_session_token_key_idx on reader_session (token_key) where token_key is not null;

create table if not exists reader_token_denied (
  token_key  text not null,
  expires_at timestamp with time zone not null,
  constraint reader_token_denied_pkey PRIMARY KEY (token_key)
);
create index if not exists reader_token_denied_expires_idx on reader_token_denied (expires_at);
alter table reader_token_denied enable row level security;

drop function if exists put_reader_session(text, text, jsonb, text, timestamp with time zone);
drop function if exists delete_reader_session_by_id(text);

select pa_lock_down();
