-- A drafted issue's number on GitHub (issue 54): drafting a topic again updates the issue its earlier draft opened,
-- rather than opening a second one (lib/maintainers/gaps/drafts.ts). Null: not an issue on GitHub, or not opened yet.
alter table docs_gap_draft add column if not exists issue_number integer;

-- record_gap_draft_attempt_by_id takes the issue's number too (supabase/schemas/63_docs_gaps.sql).
drop function if exists record_gap_draft_attempt_by_id(bigint, text, text, text);

select pa_lock_down();
