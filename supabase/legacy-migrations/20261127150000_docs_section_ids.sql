-- A server brings its ranking index up to date by reading the ids of every stored section
-- (list_docs_section_ids, supabase/schemas/47_docs_rank_index.sql) and the sections added since, page by page
-- (list_docs_sections_for_ranking_page). The function that returned the added sections as one jsonb value is
-- dropped: after every page is re-indexed that value held every section, as large as the one-call read that
-- 20261127140000_docs_sections_paged.sql removed.
drop function if exists list_docs_sections_for_ranking_since(bigint);

select pa_lock_down();
