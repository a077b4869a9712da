-- Versioned docs (issue 38): a page of versioned docs carries its version in docs_page.meta.version (`1.x`,
-- Docusaurus's `current`; lib/docs/sources/versions.ts), and a page without one belongs to every version. No table
-- changes: the ranker filters in memory, and the nearest sections by embedding can be asked of some versions only,
-- so that an answer never mixes versions. Its new signature (p_versions) is defined in
-- supabase/schemas/41_docs_search.sql; the old one goes here.

drop function if exists search_docs_sections_by_embedding(jsonb, text, integer, jsonb);

select pa_lock_down();
