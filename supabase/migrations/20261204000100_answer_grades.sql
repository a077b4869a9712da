-- Where answers go wrong (issue 69, item 3). The functions are supabase/schemas/66_answer_grades.sql's.
-- - answer_grade: one row per assistant answer once its conversation settled (idle long enough): answered, partly
--   or not answered, with the reasons read from what the reader did; a sampled share also judged by the model.
--   What the dashboard groups by (topic, the first cited page's kind, the door, the model) is kept with it.
-- - answer_source_open: a reader opened a source an answer cites (one row per answer and URL).
-- - quality_mark: the days the docs changed (re-indexed) or answers came from another model, marked on the charts.
-- - eval_case: a conversation a maintainer turned into an eval case: its question and the page that should have
--   answered it, downloaded as the JSONL `npm run eval` reads. It outlives the conversation (retention) on purpose.

create table if not exists answer_grade (
  message_id    text not null,
  thread_id     text not null,
  answered_at   timestamp with time zone not null,
  grade         text not null,
  reasons       text[] not null default '{}',
  topic         text,
  source_kind   text,
  door          text not null,
  model         text,
  is_sampled    boolean not null default false,
  judge_grade   text,
  judge_reason  text,
  judged_at     timestamp with time zone,
  graded_at     timestamp with time zone not null default now(),
  constraint answer_grade_pkey PRIMARY KEY (message_id),
  constraint answer_grade_message_id_fkey FOREIGN KEY (message_id) REFERENCES assistant_message(id) ON DELETE CASCADE,
  constraint answer_grade_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE,
  constraint answer_grade_grade_check CHECK (grade = ANY (ARRAY['answered'::text, 'partly'::text, 'not_answered'::text])),
  constraint answer_grade_judge_grade_check CHECK (judge_grade IS NULL OR judge_grade = ANY (ARRAY['answered'::text, 'partly'::text, 'not_answered'::text, 'unreadable'::text])),
  constraint answer_grade_judge_reason_check CHECK (judge_reason IS NULL OR char_length(judge_reason) <= 500)
);
create index if not exists answer_grade_answered_at_idx on answer_grade (answered_at);
create index if not exists answer_grade_to_judge_idx on answer_grade (graded_at) where is_sampled and judged_at is null;
alter table answer_grade enable row level security;
-- The answers not graded yet are found by their time (grade_settled_answers), not by scanning every message.
create index if not exists assistant_message_answer_created_idx on assistant_message (created_at) where role = 'assistant';

create table if not exists answer_source_open (
  message_id text not null,
  url        text not null,
  opened_at  timestamp with time zone not null default now(),
  constraint answer_source_open_pkey PRIMARY KEY (message_id, url),
  constraint answer_source_open_message_id_fkey FOREIGN KEY (message_id) REFERENCES assistant_message(id) ON DELETE CASCADE,
  constraint answer_source_open_url_check CHECK (char_length(url) >= 1 AND char_length(url) <= 2000)
);
alter table answer_source_open enable row level security;

create table if not exists quality_mark (
  day    date not null,
  kind   text not null,
  detail text not null default '',
  constraint quality_mark_pkey PRIMARY KEY (day, kind),
  constraint quality_mark_kind_check CHECK (kind = ANY (ARRAY['reindex'::text, 'model'::text]))
);
alter table quality_mark enable row level security;

create table if not exists eval_case (
  id            bigint not null generated always as identity,
  message_id    text,
  thread_id     text,
  question      text not null,
  expected_path text not null,
  expected_title text not null default '',
  created_at    timestamp with time zone not null default now(),
  constraint eval_case_pkey PRIMARY KEY (id),
  constraint eval_case_message_id_key UNIQUE (message_id),
  constraint eval_case_question_check CHECK (char_length(question) >= 1 AND char_length(question) <= 2000),
  constraint eval_case_expected_path_check CHECK (char_length(expected_path) >= 1 AND char_length(expected_path) <= 1000)
);
alter table eval_case enable row level security;

select pa_lock_down();
