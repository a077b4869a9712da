-- What the baseline (20261201000000_baseline.sql) leaves out, dropped from a database that the chain before it
-- migrated (supabase/legacy-migrations); on a database the baseline made, nothing here exists and nothing happens.
-- None of it is read: the docs search ranks in memory (lib/docs/search/ranking) from docs_section's text and
-- docs_vocabulary, so
-- - docs_term and docs_lexeme (the SQL vocabulary and its lexemes' document counts) have had no reader or writer
--   since 20261123200240_drop_sql_docs_vocabulary.sql dropped their functions;
-- - docs_section.fts (the stored full-text vector, computed on every section written) has had no reader since
--   20261123100241_drop_sql_docs_ranking.sql, nor an index since 20261123200240; heading_path_text existed only to
--   compute it;
-- - pg_trgm served only docs_term's trigram index. It stays where something else of the database uses it.

drop table if exists docs_term;
drop table if exists docs_lexeme;
alter table docs_section drop column if exists fts;
drop function if exists heading_path_text(jsonb);
do $$
begin
  drop extension if exists pg_trgm;
exception when dependent_objects_still_exist then
  null;
end;
$$;

select pa_lock_down();
