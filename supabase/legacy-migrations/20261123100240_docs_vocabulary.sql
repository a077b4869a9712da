-- A vocabulary learned from use (issue 24): readers' words mapped to the docs pages that answered them. Two
-- tables; the functions are in supabase/schemas/43_docs_vocabulary.sql. Idempotent like every migration here.
--
-- docs_feedback: a reader opened a search result (POST /api/docs-search-opened): the query (masked, as every
-- recorded query) and the page. Thumbs-up votes on answers need no row here: the vote, the question before the
-- answer and the pages it cites are already stored, and the suggestions read them where they are.
create table if not exists docs_feedback (
  id bigint generated always as identity primary key,
  query text not null,
  path text not null,
  source text not null check (source in ('open')),
  created_at timestamptz not null default now()
);
create index if not exists docs_feedback_created_idx on docs_feedback (created_at);

-- A maintainer's decision on a suggestion: the reader's word (lower-cased, as written) leads to the page.
-- Approved entries feed the ranker (lib/docs/ranking); rejected ones are no longer suggested.
create table if not exists docs_vocabulary (
  word text not null,
  path text not null,
  status text not null check (status in ('approved', 'rejected')),
  decided_at timestamptz not null default now(),
  primary key (word, path)
);

select pa_lock_down();
