-- Tables and columns nothing reads or writes since docs search ranks and corrects typos in memory
-- (lib/docs/search): the SQL vocabulary (docs_term, docs_lexeme; emptied by 20261123200240) and two of the
-- sections' generated search vectors (docs_section.title_fts, heading_fts). No function, view or trigger in
-- supabase/schemas names them, and no code in lib/; their indexes go with them.
-- docs_section.fts stays, though nothing reads it either: 20261121000002 creates an index on it, and the
-- migrations must still apply on top of themselves (tests/integration/migrations.test.ts), which that index
-- would fail once the column is gone. Re-running 20261121000002 re-creates the two tables; this file, run
-- after it, drops them again.
drop table if exists docs_term;
drop table if exists docs_lexeme;
alter table docs_section drop column if exists title_fts, drop column if exists heading_fts;

select pa_lock_down();
