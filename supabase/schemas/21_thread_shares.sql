-- Share links (issue 41, item 2; the table is 20261126130000_deflection_and_shares.sql's): a reader shares a
-- conversation they own as a read-only snapshot (lib/assistant/share.ts builds it: masked, without their identity),
-- reachable by anyone holding its unguessable id, until they revoke it. Ownership is checked here (PA404 for a
-- thread that is not the caller's, as every thread read); the snapshot never carries the owner.

-- Keeps a snapshot of the caller's thread: under its live link, whose snapshot it replaces (one live link per thread:
-- thread_share_live_thread_idx, legacy-migrations/20261130100030_one_share_per_thread.sql), else under p_id, a new link, unless the thread
-- has had v_limit (5) new links in the last hour (revoked ones count: revoking and sharing again is how a
-- reader would pile them up). The thread's row is locked, so that shares of one thread at once are taken one at a time.
-- Returns {id, created_at, updated_at, created: whether the link is new}, or {refused: true, limit, retry_after: seconds
-- until the oldest of that hour's links is an hour old}.
create or replace function create_thread_share(p_owner text, p_thread_id text, p_id text, p_snapshot jsonb) returns jsonb
language plpgsql as $$
declare
  v_limit constant integer := 5;
  s thread_share;
  v_recent integer;
  v_oldest timestamptz;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id, true);
  update thread_share set snapshot = p_snapshot, updated_at = now()
  where thread_id = p_thread_id and revoked_at is null
  returning * into s;
  if not found then
    select count(*), min(created_at) into v_recent, v_oldest
    from thread_share where thread_id = p_thread_id and created_at > now() - interval '1 hour';
    if v_recent >= v_limit then
      return jsonb_build_object('refused', true, 'limit', v_limit,
        'retry_after', greatest(1, ceil(extract(epoch from v_oldest + interval '1 hour' - now())))::integer);
    end if;
    insert into thread_share (id, thread_id, snapshot) values (p_id, p_thread_id, p_snapshot) returning * into s;
  end if;
  return jsonb_build_object('id', s.id, 'created_at', s.created_at, 'updated_at', s.updated_at, 'created', s.id = p_id);
end;
$$;

-- Revokes the caller's thread's live link, and drops its snapshot: the row stays so that the link answers 410.
-- Returns {revoked: how many (0 or 1)}.
create or replace function revoke_thread_shares_by_thread(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
declare
  n integer;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  update thread_share set revoked_at = now(), snapshot = null where thread_id = p_thread_id and revoked_at is null;
  get diagnostics n = row_count;
  return jsonb_build_object('revoked', n);
end;
$$;

-- A link as anyone opens it: {status: 'active', snapshot, created_at, updated_at}, {status: 'revoked'}, or null (no such link,
-- or its conversation was deleted). Not scoped to an owner: holding the id is the permission.
create or replace function get_thread_share_by_id(p_id text) returns jsonb
language sql stable as $$
  select case when s.revoked_at is null
              then jsonb_build_object('status', 'active', 'snapshot', s.snapshot, 'created_at', s.created_at, 'updated_at', s.updated_at)
              else jsonb_build_object('status', 'revoked') end
  from thread_share s where s.id = p_id
$$;

select pa_lock_down();
