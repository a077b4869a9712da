-- The maintainers' answers (issue 37, item 3): a maintainer's reply in Slack to a reader's conversation becomes a
-- proposed answer (the reader's question and the reply, masked, without anyone's identity); approved on the
-- dashboard, it is a docs source of its own kind ('answer', lib/docs/sources/answers). The functions that propose,
-- list, decide and index them are supabase/schemas/62_maintainer_answers.sql's.
--
-- source_message_id: the reply it came from, never shown. When the conversation leaves (deleted by its reader, or
-- by retention) the reference is set null; a trigger of the schema file then removes the answer unless it was
-- approved: an approved answer is the maintainers' published text, reviewed and masked, and stays.

create table if not exists maintainer_answer (
  id bigint generated always as identity primary key,
  status text not null default 'proposed' check (status in ('proposed', 'approved', 'rejected')),
  question text not null check (btrim(question) <> ''),
  answer text not null check (btrim(answer) <> ''),
  source_message_id text unique references assistant_message (id) on delete set null,
  -- When the maintainer replied: the date readers see ("Answered by the maintainers (date)").
  answered_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  decided_at timestamptz
);
create index if not exists maintainer_answer_status_idx on maintainer_answer (status, created_at desc);

-- The reply functions take the masked proposal as a new last argument (supabase/schemas/61_maintainers.sql and
-- 52_slack_answers.sql define the new signatures).
drop function if exists add_maintainer_reply_by_slack_thread(text, text, text, text, jsonb);
drop function if exists add_maintainer_reply_by_slack_conversation(text, text, text, text, text, jsonb);

select pa_lock_down();
