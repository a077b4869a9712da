-- Who opened a search result, as a keyed hash (issue 54, item 1.3): the maintainers' vocabulary counted requests, so
-- one address posting the same opened result 60 times put its words at the top with a count of 60. Each piece of
-- evidence now names its reader — a hash (HMAC with the session secret) of the session the request carried, or of
-- its address when it carried none, never the session or the address itself — and suggestions count distinct
-- readers (lib/docs/search/ranking/vocabulary.ts). Rows stored before have none: each counts as a reader of its own.
alter table docs_feedback add column if not exists reader text;
-- record_docs_feedback takes the reader (supabase/schemas/43_docs_vocabulary.sql defines it again).
drop function if exists record_docs_feedback(text, text, text);

select pa_lock_down();
