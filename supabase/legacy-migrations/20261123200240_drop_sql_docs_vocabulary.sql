-- Docs search ranks and corrects typos in memory (lib/docs/ranking, lib/docs/typos.ts): the SQL vocabulary
-- (docs_term, docs_lexeme) and the index on the sections' search vectors are read by nothing since, yet every
-- index run still rebuilt the one and kept up the other. The functions that filled and read the vocabulary are
-- dropped (supabase/schemas no longer defines them), and so is the index. The tables are emptied, not dropped, and
-- the generated search vectors (docs_section.fts, title_fts, heading_fts) stay: earlier migrations use them
-- (20261123100245 indexes docs_term, 20261121000002 indexes fts), and the runner re-applies every migration after
-- a changed one, which must still work (tests/integration/migrations.test.ts, streaming-store.test.ts).
drop function if exists refresh_docs_terms();
drop function if exists list_docs_terms_near_words(jsonb);
truncate docs_term, docs_lexeme;
drop index if exists docs_section_fts_idx;

select pa_lock_down();
