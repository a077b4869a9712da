-- A site session's verified reader (lib/audiences/session.ts): who the reader is (a host-signed token's or an
-- OpenID Connect provider's subject) and the audiences they may read until expires_at. The session id is the one
-- the session cookie carries (lib/session), or the embed's reader id; only the server, having verified the
-- identity, writes a row.
--
-- Signing in and signing out each move the reader to a new session id (the caller's new cookie or embed token,
-- made by the route wrapper, lib/http/index.ts): whoever else holds the old id (a cookie planted before sign-in, one
-- copied while signed in) is left with nothing, no identity and no conversations. The reader's conversations (their
-- threads, and their votes on them) move with them in the same transaction: they asked them in this browser, and
-- keep them whether they sign in or out.

-- Moves what a session owns, its threads and its votes, to the session id p_to. A new id owns nothing, so no vote
-- collides (one per message and owner).
create or replace function pa_move_session_owner(p_from text, p_to text) returns void
language plpgsql as $$
begin
  if p_from is null or p_to is null or p_from = p_to then
    return;
  end if;
  update assistant_thread set owner = p_to where owner = p_from;
  update message_vote set owner = p_to where owner = p_from;
end;
$$;

-- Signs a reader in on the new session id p_session_id, moving to it what p_from_session_id owned; p_from_session_id
-- keeps no identity. p_token_key: the host-signed token that verified the reader (null for OpenID Connect), refused
-- (PA401) once its reader signed out, until it expires. An expiry already past is refused (PA400): nothing is granted.
create or replace function start_reader_session(
  p_from_session_id text, p_session_id text, p_subject text, p_audiences jsonb, p_via text,
  p_expires_at timestamp with time zone, p_token_key text default null)
returns jsonb
language plpgsql as $$
declare
  s reader_session;
begin
  if p_expires_at <= now() then
    raise exception 'The reader''s identity has expired' using errcode = 'PA400';
  end if;
  -- Lapsed rows leave as new ones arrive: the tables hold only what can still grant or refuse something.
  delete from reader_session where expires_at <= now();
  delete from reader_token_denied where expires_at <= now();
  if p_token_key is not null and exists (select 1 from reader_token_denied where token_key = p_token_key) then
    raise exception 'The reader token was refused: its reader signed out. Ask the host site for a new one.' using errcode = 'PA401';
  end if;
  perform pa_move_session_owner(p_from_session_id, p_session_id);
  delete from reader_session where session_id = p_from_session_id;
  insert into reader_session (session_id, subject, audiences, via, expires_at, token_key)
  values (p_session_id, p_subject, array(select jsonb_array_elements_text(coalesce(p_audiences, '[]'::jsonb))), p_via,
          p_expires_at, p_token_key)
  on conflict (session_id) do update set subject = excluded.subject, audiences = excluded.audiences,
    via = excluded.via, expires_at = excluded.expires_at, token_key = excluded.token_key, created_at = now()
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

-- Signs p_from_session_id's reader out and moves what it owned to the new session id p_session_id. The token that
-- verified the reader, if one did, is refused from now until it expires, and every other session it made is signed
-- out too. True when a reader was signed in.
create or replace function end_reader_session(p_from_session_id text, p_session_id text) returns boolean
language plpgsql as $$
declare
  v_token_key text;
  v_expires_at timestamp with time zone;
  v_is_signed_in boolean := false;
begin
  delete from reader_session where session_id = p_from_session_id returning token_key, expires_at into v_token_key, v_expires_at;
  if found then
    v_is_signed_in := v_expires_at > now();
  end if;
  if v_token_key is not null then
    insert into reader_token_denied (token_key, expires_at) values (v_token_key, v_expires_at)
    on conflict (token_key) do update set expires_at = greatest(reader_token_denied.expires_at, excluded.expires_at);
    delete from reader_session where token_key = v_token_key;
  end if;
  delete from reader_token_denied where expires_at <= now();
  perform pa_move_session_owner(p_from_session_id, p_session_id);
  return v_is_signed_in;
end;
$$;

select pa_lock_down();
