-- The ranker reads the stored sections a page at a time (list_docs_sections_for_ranking_page, in
-- supabase/schemas/41_docs_search.sql) instead of as one jsonb value of every section: at ten times the Paste docs
-- that one value was ~200 MB built inside the database, which grew the embedded database's WASM memory for the
-- life of the process, and past 255 MB a jsonb value cannot be built at all. The one-call function is dropped.
drop function if exists list_docs_sections_for_ranking();

select pa_lock_down();
