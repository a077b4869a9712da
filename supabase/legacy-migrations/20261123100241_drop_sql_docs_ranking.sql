-- Docs search ranks in memory now (lib/docs/ranking, issue 24): the SQL ranking and its helpers are no longer
-- called. Dropped here; supabase/schemas/41_docs_search.sql no longer defines them. The index tables they read
-- (docs_term, docs_lexeme) stay: the search box's typo correction reads them (list_docs_terms_near_word).
drop function if exists search_docs_sections(text, integer, jsonb, text);
drop function if exists docs_query_terms(text);
drop function if exists docs_filler_words();

select pa_lock_down();
