-- /v1 assistants (name, model, instructions, tools) and the cursor pages of every /v1 list.

-- One page of a list as OpenAI paginated them: `p_source` is a query of a /v1 list function yielding
-- (seq, obj) for the rows the caller may list, with $1 and $2 as its parameters. In list order (p_order on seq),
-- `after` starts after a row and `before` ends before one; with only `before`, the page is the p_limit rows just
-- before it. has_more: more rows lie beyond the page, in the direction it was read.

create or replace function pa_api_page(
  p_source text, p_arg1 text, p_arg2 text, p_limit integer, p_order text, p_after_seq bigint, p_before_seq bigint)
returns jsonb
language plpgsql as $$
declare
  is_desc boolean := p_order = 'desc';
  -- A page ending at `before` is read from `before` backwards.
  is_backward boolean := p_before_seq is not null and p_after_seq is null;
  scan_dir text;
  result jsonb;
begin
  scan_dir := case when is_desc <> is_backward then 'desc' else 'asc' end;
  execute format($q$
    with lim as (
      select seq, obj from (%s) src
      where ($3::bigint is null or seq %s $3) and ($4::bigint is null or seq %s $4)
      order by seq %s limit $5 + 1),
    page as (select seq, obj, row_number() over (order by seq %s) as rn from lim)
    select jsonb_build_object(
      'data', coalesce((select jsonb_agg(obj order by seq %s) from page where rn <= $5), '[]'::jsonb),
      'has_more', (select count(*) from page) > $5)
    $q$,
    p_source,
    case when is_desc then '<' else '>' end,
    case when is_desc then '>' else '<' end,
    scan_dir, scan_dir,
    case when is_desc then 'desc' else 'asc' end)
  into result using p_arg1, p_arg2, p_after_seq, p_before_seq, p_limit;
  return result;
end;
$$;

create or replace function pa_api_assistant_json(a api_assistant) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', a.id, 'created_at', a.created_at, 'name', a.name, 'description', a.description,
    'model', a.model, 'instructions', a.instructions, 'tools', a.tools, 'metadata', coalesce(nullif(a.metadata, 'null'::jsonb), '{}'::jsonb),
    'temperature', a.temperature, 'top_p', a.top_p, 'response_format', a.response_format)
$$;

create or replace function pa_get_owned_assistant(p_owner text, p_assistant_id text, p_lock boolean default false)
returns api_assistant
language plpgsql as $$
declare
  a api_assistant;
begin
  if p_lock then
    select * into a from api_assistant where id = p_assistant_id and owner = p_owner for update;
  else
    select * into a from api_assistant where id = p_assistant_id and owner = p_owner;
  end if;
  if not found then
    raise exception 'No assistant found with id ''%''.', p_assistant_id using errcode = 'PA404';
  end if;
  return a;
end;
$$;

-- p_assistant: {model, name?, description?, instructions?, tools?, metadata?, temperature?, top_p?, response_format?}
-- A JSON null (`"metadata": null`, which /v1 accepts) is no metadata: p_assistant->'metadata' is then 'null'::jsonb,
-- which coalesce keeps, hence nullif. Assistants created before this stored it as is; they read as {} too.
create or replace function create_assistant(p_owner text, p_assistant jsonb) returns jsonb
language plpgsql as $$
declare
  a api_assistant;
begin
  insert into api_assistant (owner, name, description, model, instructions, tools, metadata, temperature, top_p, response_format)
  values (p_owner, p_assistant->>'name', p_assistant->>'description', p_assistant->>'model', p_assistant->>'instructions',
          coalesce(nullif(p_assistant->'tools', 'null'::jsonb), '[]'::jsonb), coalesce(nullif(p_assistant->'metadata', 'null'::jsonb), '{}'::jsonb),
          (p_assistant->>'temperature')::double precision, (p_assistant->>'top_p')::double precision,
          nullif(p_assistant->'response_format', 'null'::jsonb))
  returning * into a;
  return pa_api_assistant_json(a);
end;
$$;

create or replace function get_assistant_by_id(p_owner text, p_assistant_id text) returns jsonb
language plpgsql as $$
begin
  return pa_api_assistant_json(pa_get_owned_assistant(p_owner, p_assistant_id));
end;
$$;

-- Changes only the fields present in p_changes (a present null clears a field); metadata is merged, a null
-- value removing its key, as for threads; `"metadata": null` changes none (`{}` merged), as for threads.
create or replace function update_assistant_by_id(p_owner text, p_assistant_id text, p_changes jsonb) returns jsonb
language plpgsql as $$
declare
  a api_assistant;
  merged jsonb;
begin
  a := pa_get_owned_assistant(p_owner, p_assistant_id, true);
  merged := coalesce(nullif(a.metadata, 'null'::jsonb), '{}'::jsonb);
  if p_changes ? 'metadata' then
    merged := jsonb_strip_nulls(merged || coalesce(nullif(p_changes->'metadata', 'null'::jsonb), '{}'::jsonb));
  end if;
  if (select count(*) from jsonb_object_keys(merged)) > 16 then
    raise exception 'metadata can have at most 16 keys' using errcode = 'PA400';
  end if;
  update api_assistant set
    name = case when p_changes ? 'name' then p_changes->>'name' else name end,
    description = case when p_changes ? 'description' then p_changes->>'description' else description end,
    model = case when p_changes ? 'model' then coalesce(p_changes->>'model', model) else model end,
    instructions = case when p_changes ? 'instructions' then p_changes->>'instructions' else instructions end,
    tools = case when p_changes ? 'tools' then coalesce(nullif(p_changes->'tools', 'null'::jsonb), '[]'::jsonb) else tools end,
    temperature = case when p_changes ? 'temperature' then (p_changes->>'temperature')::double precision else temperature end,
    top_p = case when p_changes ? 'top_p' then (p_changes->>'top_p')::double precision else top_p end,
    response_format = case when p_changes ? 'response_format' then nullif(p_changes->'response_format', 'null'::jsonb) else response_format end,
    metadata = merged,
    updated_at = now()
  where id = a.id returning * into a;
  return pa_api_assistant_json(a);
end;
$$;

create or replace function delete_assistant_by_id(p_owner text, p_assistant_id text) returns jsonb
language plpgsql as $$
begin
  delete from api_assistant where id = p_assistant_id and owner = p_owner;
  if not found then
    raise exception 'No assistant found with id ''%''.', p_assistant_id using errcode = 'PA404';
  end if;
  return jsonb_build_object('id', p_assistant_id, 'deleted', true);
end;
$$;

create or replace function list_assistants_by_owner(
  p_owner text, p_limit integer, p_order text, p_after text default null, p_before text default null)
returns jsonb
language plpgsql as $$
declare
  after_seq bigint;
  before_seq bigint;
begin
  if p_after is not null then
    select seq into after_seq from api_assistant where id = p_after and owner = p_owner;
    if not found then raise exception 'No assistant found with id ''%''.', p_after using errcode = 'PA400'; end if;
  end if;
  if p_before is not null then
    select seq into before_seq from api_assistant where id = p_before and owner = p_owner;
    if not found then raise exception 'No assistant found with id ''%''.', p_before using errcode = 'PA400'; end if;
  end if;
  return pa_api_page('select a.seq, pa_api_assistant_json(a) as obj from api_assistant a where a.owner = $1',
    p_owner, null, p_limit, p_order, after_seq, before_seq);
end;
$$;

select pa_lock_down();
