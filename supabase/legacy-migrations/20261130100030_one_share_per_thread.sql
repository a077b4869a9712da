-- One live share link per conversation (issue 54, item 1.4). Every POST …/share used to keep another copy of the
-- whole conversation: a reader could pile up snapshots without bound. Now a conversation has at most one live link
-- (the partial unique index below); sharing it again refreshes that link's snapshot (create_thread_share,
-- supabase/schemas/21_thread_shares.sql), and `updated_at` says when the snapshot was taken. A revoked link keeps
-- its row, so that it answers 410, but not its snapshot: revoking removes the conversation's copy (the check below).
--
-- A conversation that has several live links today keeps its newest (the fullest snapshot); the others are revoked
-- and answer 410 from now on.

alter table thread_share add column if not exists updated_at timestamptz;
update thread_share set updated_at = created_at where updated_at is null;
alter table thread_share alter column updated_at set default now();
alter table thread_share alter column updated_at set not null;

update thread_share s set revoked_at = now()
where s.revoked_at is null
  and exists (select 1 from thread_share n
              where n.thread_id = s.thread_id and n.revoked_at is null and (n.created_at, n.id) > (s.created_at, s.id));

alter table thread_share alter column snapshot drop not null;
update thread_share set snapshot = null where revoked_at is not null and snapshot is not null;
alter table thread_share drop constraint if exists thread_share_snapshot_check;
alter table thread_share add constraint thread_share_snapshot_check check ((revoked_at is null) = (snapshot is not null));

create unique index if not exists thread_share_live_thread_idx on thread_share (thread_id) where revoked_at is null;

select pa_lock_down();
