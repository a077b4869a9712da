-- API keys for /v1, stored as a SHA-256 of the key (the key itself is shown once, when created). The owner of a
-- key's objects is `apikey:<key id>`: never a site session id (those have no colon), so a key sees only its own
-- objects and a reader's cookie never reaches them. A key reads the pages of its audiences (made with them; none: the
-- public pages only).

create or replace function pa_api_key_json(k api_key) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', k.id, 'name', k.name, 'key_hint', k.key_hint, 'created_at', k.created_at,
    'last_used_at', k.last_used_at, 'revoked_at', k.revoked_at, 'audiences', to_jsonb(coalesce(k.audiences, '{}'::text[])))
$$;

-- p_audiences: a JSON array of names (every transport sends a list as JSON). The three-argument form it replaces is
-- dropped here rather than in a migration: the audiences migration (20261202000200) was already listed as landed
-- when keys took audiences, and dropping a function that may not exist is safe to repeat.
drop function if exists create_api_key(text, text, text);
create or replace function create_api_key(p_name text, p_key_hash text, p_key_hint text, p_audiences jsonb) returns jsonb
language plpgsql as $$
declare
  k api_key;
begin
  insert into api_key (name, key_hash, key_hint, audiences) values (p_name, p_key_hash, p_key_hint, array(select distinct jsonb_array_elements_text(coalesce(p_audiences, '[]'::jsonb)) order by 1)) returning * into k;
  return pa_api_key_json(k);
exception
  when check_violation then
    raise exception 'A key name has 1 to 100 characters' using errcode = 'PA400';
end;
$$;

create or replace function list_api_keys() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(pa_api_key_json(k) order by k.seq), '[]'::jsonb) from api_key k
$$;

-- Revokes the key with this id, or the one active key with this name. Revoking twice is not an error.
create or replace function revoke_api_key(p_key text) returns jsonb
language plpgsql as $$
declare
  k api_key;
  matches integer;
begin
  select * into k from api_key where id = p_key for update;
  if not found then
    select count(*) into matches from api_key where name = p_key and revoked_at is null;
    if matches > 1 then
      raise exception '% active keys are named %; revoke one by its id', matches, p_key using errcode = 'PA409';
    end if;
    select * into k from api_key where name = p_key and revoked_at is null for update;
    if not found then
      raise exception 'No API key found with id or name %', p_key using errcode = 'PA404';
    end if;
  end if;
  update api_key set revoked_at = coalesce(revoked_at, now()) where id = k.id returning * into k;
  return pa_api_key_json(k);
end;
$$;

-- The active key with this hash, or null. Notes its use, at most once a minute (a write per request would be waste).
create or replace function get_api_key_by_hash(p_key_hash text) returns jsonb
language plpgsql as $$
declare
  k api_key;
begin
  select * into k from api_key where key_hash = p_key_hash and revoked_at is null;
  if not found then
    return null;
  end if;
  if k.last_used_at is null or k.last_used_at < now() - interval '1 minute' then
    update api_key set last_used_at = now() where id = k.id returning * into k;
  end if;
  return pa_api_key_json(k);
end;
$$;

select pa_lock_down();
