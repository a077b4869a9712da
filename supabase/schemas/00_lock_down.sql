-- Lock-down: row-level security on every table, and no grants to anon or authenticated.
-- Every file here and every migration ends with `select pa_lock_down();`, so objects they create are covered.

-- Row-level security on, no policies: only the service role (which bypasses RLS) reads or writes.
-- Supabase grants new objects in `public` to anon and authenticated by default; take that back.
create or replace function pa_lock_down() returns void
language plpgsql as $$
declare
  obj record;
  grantee text;
begin
  for obj in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind = 'r' loop
    execute format('alter table public.%I enable row level security', obj.relname);
  end loop;
  foreach grantee in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = grantee) then
      execute format('revoke all on all tables in schema public from %I', grantee);
      execute format('revoke all on all sequences in schema public from %I', grantee);
      execute format('revoke execute on all functions in schema public from %I', grantee);
    end if;
  end loop;
  execute 'revoke execute on all functions in schema public from public';
  if exists (select 1 from pg_roles where rolname = 'service_role') then
    execute 'grant execute on all functions in schema public to service_role';
    execute 'grant all on all tables in schema public to service_role';
    execute 'grant all on all sequences in schema public to service_role';
  end if;
end;
$$;

select pa_lock_down();
