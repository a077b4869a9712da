-- Docs search ranks and corrects typos in memory (lib/docs/ranking, lib/docs/typos.ts): the SQL vocabulary
-- (docs_term, docs_lexeme) and the index on the sections' search vectors are read by nothing since, yet every
-- index run still rebuilt the one and kept up the other. Dropped, with the functions that filled and read the
-- vocabulary, which supabase/schemas no longer defines. The generated search vectors themselves (docs_section.fts,
-- title_fts, heading_fts) stay: dropping them would stop the landed migrations from applying again on top of
-- themselves (20261121000002_docs.sql indexes fts), which tests/integration/migrations.test.ts requires.
drop function if exists refresh_docs_terms();
drop function if exists list_docs_terms_near_words(jsonb);
drop table if exists docs_term;
drop table if exists docs_lexeme;
drop index if exists docs_section_fts_idx;

select pa_lock_down();
