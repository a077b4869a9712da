-- The typo lookup of a search takes all its short words in one call (list_docs_terms_near_words, in
-- supabase/schemas/41_docs_search.sql) instead of one call per word: the one-word function is dropped. Whether
-- the docs have a word, or a word starting with it, is one probe of the vocabulary in byte order (an index that
-- holds whatever the database's collation is), where the trigram index cost ~15 ms for a short word.
drop function if exists list_docs_terms_near_word(text);
create index if not exists docs_term_word_c_idx on docs_term (word collate "C");

select pa_lock_down();
