-- Drafted docs fixes for the gaps (issue 40, items 3 and 4): a topic of readers' questions the docs failed
-- (lib/maintainers/gaps/topics.ts) becomes a draft: a pull request with a unified diff to the docs page that should
-- hold the answer (with a model), or an issue listing the questions (offline); on GitHub (DOCS_REPO) or as a patch to
-- download. A draft is kept whatever GitHub answers: `status` 'failed' with `error` says why, and a retry opens it.
-- Once the changed page is re-indexed and the topic's questions find it, the draft's topic is closed (`closed_at`,
-- `answered`: how many of its questions now find the page). The functions are supabase/schemas/63_docs_gaps.sql's.

create table if not exists docs_gap_draft (
  id bigint generated always as identity primary key,
  -- The topic's stable id (gap_…) and label when the draft was made.
  topic_id text not null,
  topic text not null,
  target text not null check (target in ('github', 'patch')),
  -- pull: a unified diff (with a model); issue: the questions, what was missing, the nearest sections (offline).
  kind text not null check (kind in ('pull', 'issue')),
  status text not null default 'pending' check (status in ('pending', 'opened', 'failed')),
  title text not null,
  body text not null,
  diff text,
  -- The docs page (relative to DOCS_DIR) that should hold the answer: the diff's file, or the nearest page.
  page_path text,
  -- The topic's questions: [{text, messageId, kind, reason}], searched again to close the gap.
  questions jsonb not null default '[]'::jsonb,
  url text,
  error text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  opened_at timestamptz,
  closed_at timestamptz,
  answered integer
);
create index if not exists docs_gap_draft_topic_idx on docs_gap_draft (topic_id, created_at desc);
create index if not exists docs_gap_draft_created_idx on docs_gap_draft (created_at desc);

select pa_lock_down();
