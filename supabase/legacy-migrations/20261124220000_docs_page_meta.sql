-- Sources, one model (issue 37): a page of any kind may carry fields of its own kind, kept as data the index
-- and search carry through without reading them: a GitHub thread's number, its state (open, closed, merged) and
-- when it was last updated ({number, state, updatedAt}; lib/db/docs-index.ts, TPageMeta). Docs pages keep '{}'.
-- The nearest sections by embedding can be asked of some kinds only (a `sources` filter), so that the search's
-- first results are all of the asked kinds: its new signature is defined in supabase/schemas/41_docs_search.sql.

alter table docs_page add column if not exists meta jsonb not null default '{}'::jsonb;

drop function if exists search_docs_sections_by_embedding(jsonb, text, integer);

select pa_lock_down();
