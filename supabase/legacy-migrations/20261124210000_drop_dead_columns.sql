-- Columns nothing reads or writes since docs search ranks in memory (lib/docs/search): two of the sections'
-- generated search vectors, docs_section.title_fts and heading_fts. No function, view or trigger in
-- supabase/schemas names them, and no code in lib/; the search functions of the landed migrations that read
-- them are plpgsql (not checked when re-created) and were dropped by 20261123100241.
--
-- Dead too, and kept, because the migrations must still apply on top of themselves from any one of them
-- (tests/integration/migrations.test.ts, streaming-store.test.ts) and landed ones are never edited:
--   - docs_term, docs_lexeme (emptied by 20261123200240): 20261122000015 creates a SQL function over docs_term,
--     20261123100245 indexes it and 20261123200240 truncates both; re-run from after 20261121000002 (which
--     creates them), those fail once the tables are gone;
--   - docs_section.fts: 20261121000002 indexes it.
alter table docs_section drop column if exists title_fts, drop column if exists heading_fts;

select pa_lock_down();
