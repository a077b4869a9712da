-- Threads: a reader's conversations (the Assistants API's thread objects), always read through their owner.
-- Errors raised here use SQLSTATEs the app maps to HTTP (lib/db/errors.ts): PA400 bad input, PA401 a credential
-- refused, PA404 not found, PA409 conflict.

-- Where a conversation came from, for the maintainers: derived from its owner (metadata is the reader's to write).
-- A chat door's conversations by the owner prefix its registry declares (thread_source, written at start by
-- set_thread_sources: lib/chat-doors/doors/index.ts); the API's, MCP's and the site's are the app's own.
create or replace function pa_thread_source(p_owner text, p_metadata jsonb) returns text
language plpgsql stable as $$
declare
  v_source text;
begin
  select s.source into v_source from thread_source s where starts_with(p_owner, s.prefix) order by length(s.prefix) desc limit 1;
  return coalesce(v_source, case
    when p_owner like 'apikey:%' then 'api'
    when p_metadata->>'source' = 'mcp' then 'mcp'
    else 'site' end);
end
$$;

-- The chat doors' owner prefixes and the source each names (p_sources: [{prefix, source}]), from the app's registry
-- at start; a prefix already there takes the new source, and none is removed.
create or replace function set_thread_sources(p_sources jsonb) returns void
language plpgsql as $$
begin
  insert into thread_source (prefix, source)
  select item->>'prefix', item->>'source' from jsonb_array_elements(p_sources) as item
  on conflict (prefix) do update set source = excluded.source;
end
$$;

create or replace function pa_thread_json(t assistant_thread) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', t.id, 'created_at', t.created_at, 'updated_at', t.updated_at, 'metadata', t.metadata,
    'slack_thread_ts', t.slack_thread_ts)
$$;

create or replace function pa_get_owned_thread(p_owner text, p_thread_id text, p_lock boolean default false)
returns assistant_thread
language plpgsql as $$
declare
  t assistant_thread;
begin
  if p_lock then
    select * into t from assistant_thread where id = p_thread_id and owner = p_owner for update;
  else
    select * into t from assistant_thread where id = p_thread_id and owner = p_owner;
  end if;
  if not found then
    raise exception 'No thread found with id %', p_thread_id using errcode = 'PA404';
  end if;
  return t;
end;
$$;

create or replace function create_thread(p_owner text, p_metadata jsonb) returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
begin
  insert into assistant_thread (owner, metadata) values (p_owner, coalesce(p_metadata, '{}'::jsonb)) returning * into t;
  return pa_thread_json(t);
end;
$$;

create or replace function get_thread_by_id(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  return pa_thread_json(pa_get_owned_thread(p_owner, p_thread_id));
end;
$$;

create or replace function list_threads_by_owner(p_owner text, p_limit integer, p_after text default null)
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  rows jsonb;
begin
  if p_after is not null then
    select seq into after_seq from assistant_thread where id = p_after and owner = p_owner;
    if not found then
      raise exception 'No thread found with id %', p_after using errcode = 'PA400';
    end if;
  end if;
  select coalesce(jsonb_agg(pa_thread_json(t) order by t.seq desc), '[]'::jsonb) into rows
  from (select * from assistant_thread
        where owner = p_owner and (after_seq is null or seq < after_seq)
        order by seq desc limit p_limit + 1) t;
  return jsonb_build_object(
    'data', coalesce((select jsonb_agg(e order by i) from jsonb_array_elements(rows) with ordinality x(e, i) where i <= p_limit), '[]'::jsonb),
    'has_more', jsonb_array_length(rows) > p_limit);
end;
$$;

-- Merges metadata: keys with a null value are removed. OpenAI's limit: at most 16 keys.
create or replace function update_thread_metadata_by_id(p_owner text, p_thread_id text, p_metadata jsonb)
returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  merged jsonb;
begin
  t := pa_get_owned_thread(p_owner, p_thread_id, true);
  merged := jsonb_strip_nulls(t.metadata || p_metadata);
  if (select count(*) from jsonb_object_keys(merged)) > 16 then
    raise exception 'metadata can have at most 16 keys' using errcode = 'PA400';
  end if;
  update assistant_thread set metadata = merged, updated_at = now() where id = t.id returning * into t;
  return pa_thread_json(t);
end;
$$;

create or replace function delete_thread_by_id(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  delete from assistant_thread where id = p_thread_id and owner = p_owner;
  if not found then
    raise exception 'No thread found with id %', p_thread_id using errcode = 'PA404';
  end if;
  return jsonb_build_object('id', p_thread_id, 'deleted', true);
end;
$$;

select pa_lock_down();
