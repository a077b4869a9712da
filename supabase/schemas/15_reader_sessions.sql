-- A site session's verified reader (lib/audiences/session.ts): who the reader is (a host-signed token's or an
-- OpenID Connect provider's subject) and the audiences they may read until expires_at. The session id is the one
-- the session cookie carries (lib/session); only the server, having verified the identity, writes a row.

-- Makes (or replaces) the session's reader. An expiry already past is refused (PA400): nothing is granted.
create or replace function put_reader_session(
  p_session_id text, p_subject text, p_audiences jsonb, p_via text, p_expires_at timestamp with time zone)
returns jsonb
language plpgsql as $$
declare
  s reader_session;
begin
  if p_expires_at <= now() then
    raise exception 'The reader''s identity has expired' using errcode = 'PA400';
  end if;
  -- Lapsed rows of other sessions leave as new ones arrive: the table holds only what can still grant something.
  delete from reader_session where expires_at <= now();
  insert into reader_session (session_id, subject, audiences, via, expires_at)
  values (p_session_id, p_subject, array(select jsonb_array_elements_text(coalesce(p_audiences, '[]'::jsonb))), p_via, p_expires_at)
  on conflict (session_id) do update set subject = excluded.subject, audiences = excluded.audiences,
    via = excluded.via, expires_at = excluded.expires_at, created_at = now()
  returning * into s;
  return jsonb_build_object('subject', s.subject, 'audiences', to_jsonb(s.audiences), 'via', s.via, 'expires_at', s.expires_at);
end;
$$;

-- The session's reader while their identity holds, else null (an expired one grants nothing).
create or replace function get_reader_session_by_id(p_session_id text) returns jsonb
language sql stable as $$
  select jsonb_build_object('subject', s.subject, 'audiences', to_jsonb(s.audiences), 'via', s.via, 'expires_at', s.expires_at)
  from reader_session s where s.session_id = p_session_id and s.expires_at > now()
$$;

-- Signs the session's reader out; true when there was one.
create or replace function delete_reader_session_by_id(p_session_id text) returns boolean
language plpgsql as $$
begin
  delete from reader_session where session_id = p_session_id;
  return found;
end;
$$;

select pa_lock_down();
