-- The tables the migrations make: supabase/migrations applied in order to an empty database (and the migration
-- runner's own two tables). Generated, never edited: after adding a migration, regenerate it from a freshly
-- migrated embedded database with
--   npm run db:schema-snapshot
-- and commit it with the migration. tests/integration/schema-snapshot.test.ts fails when the migrations make
-- anything else. Functions, triggers, views and policies are not here: each is defined once, in supabase/schemas.

create table answer_grade (
  message_id   text not null,
  thread_id    text not null,
  answered_at  timestamp with time zone not null,
  grade        text not null,
  reasons      text[] not null default '{}'::text[],
  topic        text,
  source_kind  text,
  door         text not null,
  model        text,
  is_sampled   boolean not null default false,
  judge_grade  text,
  judge_reason text,
  judged_at    timestamp with time zone,
  graded_at    timestamp with time zone not null default now(),
  constraint answer_grade_grade_check CHECK ((grade = ANY (ARRAY['answered'::text, 'partly'::text, 'not_answered'::text]))),
  constraint answer_grade_judge_grade_check CHECK (((judge_grade IS NULL) OR (judge_grade = ANY (ARRAY['answered'::text, 'partly'::text, 'not_answered'::text, 'unreadable'::text])))),
  constraint answer_grade_judge_reason_check CHECK (((judge_reason IS NULL) OR (char_length(judge_reason) <= 500))),
  constraint answer_grade_message_id_fkey FOREIGN KEY (message_id) REFERENCES assistant_message(id) ON DELETE CASCADE,
  constraint answer_grade_pkey PRIMARY KEY (message_id),
  constraint answer_grade_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX answer_grade_answered_at_idx ON public.answer_grade USING btree (answered_at);
CREATE INDEX answer_grade_to_judge_idx ON public.answer_grade USING btree (graded_at) WHERE (is_sampled AND (judged_at IS NULL));
alter table answer_grade enable row level security;

create table answer_source_open (
  message_id text not null,
  url        text not null,
  opened_at  timestamp with time zone not null default now(),
  constraint answer_source_open_message_id_fkey FOREIGN KEY (message_id) REFERENCES assistant_message(id) ON DELETE CASCADE,
  constraint answer_source_open_pkey PRIMARY KEY (message_id, url),
  constraint answer_source_open_url_check CHECK (((char_length(url) >= 1) AND (char_length(url) <= 2000)))
);
alter table answer_source_open enable row level security;

create table api_assistant (
  seq             bigint not null generated always as identity,
  id              text not null default ('asst_'::text || replace((gen_random_uuid())::text, '-'::text, ''::text)),
  owner           text not null,
  name            text,
  description     text,
  model           text not null,
  instructions    text,
  tools           jsonb not null default '[]'::jsonb,
  metadata        jsonb not null default '{}'::jsonb,
  temperature     double precision,
  top_p           double precision,
  response_format jsonb,
  created_at      timestamp with time zone not null default now(),
  updated_at      timestamp with time zone not null default now(),
  constraint api_assistant_pkey PRIMARY KEY (id)
);
CREATE INDEX api_assistant_owner_seq_idx ON public.api_assistant USING btree (owner, seq);
alter table api_assistant enable row level security;

create table api_key (
  seq          bigint not null generated always as identity,
  id           text not null default ('key_'::text || replace((gen_random_uuid())::text, '-'::text, ''::text)),
  name         text not null,
  key_hash     text not null,
  key_hint     text not null,
  created_at   timestamp with time zone not null default now(),
  last_used_at timestamp with time zone,
  revoked_at   timestamp with time zone,
  audiences    text[],
  constraint api_key_key_hash_key UNIQUE (key_hash),
  constraint api_key_name_check CHECK (((length(name) >= 1) AND (length(name) <= 100))),
  constraint api_key_pkey PRIMARY KEY (id)
);
alter table api_key enable row level security;

create table assistant_message (
  seq                bigint not null generated always as identity,
  id                 text not null default ('msg_'::text || replace((gen_random_uuid())::text, '-'::text, ''::text)),
  thread_id          text not null,
  run_id             text,
  role               text not null,
  content            jsonb not null,
  metadata           jsonb not null default '{}'::jsonb,
  created_at         timestamp with time zone not null default now(),
  status             text not null default 'completed'::text,
  incomplete_details jsonb,
  completed_at       timestamp with time zone,
  incomplete_at      timestamp with time zone,
  updated_at         timestamp with time zone,
  constraint assistant_message_id_key UNIQUE (id),
  constraint assistant_message_pkey PRIMARY KEY (seq),
  constraint assistant_message_role_check CHECK ((role = ANY (ARRAY['user'::text, 'assistant'::text]))),
  constraint assistant_message_status_check CHECK ((status = ANY (ARRAY['in_progress'::text, 'incomplete'::text, 'completed'::text]))),
  constraint assistant_message_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX assistant_message_answer_created_idx ON public.assistant_message USING btree (created_at) WHERE (role = 'assistant'::text);
CREATE UNIQUE INDEX assistant_message_one_answer_idx ON public.assistant_message USING btree (run_id) WHERE (role = 'assistant'::text);
CREATE INDEX assistant_message_thread_seq_idx ON public.assistant_message USING btree (thread_id, seq);
alter table assistant_message enable row level security;

create table assistant_run (
  seq                bigint not null generated always as identity,
  id                 text not null default ('run_'::text || replace((gen_random_uuid())::text, '-'::text, ''::text)),
  thread_id          text not null,
  status             text not null default 'queued'::text,
  model              text not null,
  instructions       text not null default ''::text,
  tools              jsonb not null default '[]'::jsonb,
  required_action    jsonb,
  tool_rounds        jsonb not null default '[]'::jsonb,
  last_error         jsonb,
  incomplete_details jsonb,
  usage              jsonb,
  metadata           jsonb not null default '{}'::jsonb,
  max_tool_rounds    integer not null,
  max_attempts       integer not null,
  attempts           integer not null default 0,
  lease_owner        text,
  lease_expires_at   timestamp with time zone,
  created_at         timestamp with time zone not null default now(),
  started_at         timestamp with time zone,
  expires_at         timestamp with time zone not null,
  cancelled_at       timestamp with time zone,
  failed_at          timestamp with time zone,
  completed_at       timestamp with time zone,
  updated_at         timestamp with time zone not null default now(),
  assistant_id       text,
  has_client_tools   boolean not null default false,
  options            jsonb not null default '{}'::jsonb,
  reader_audiences   text[],
  constraint assistant_run_pkey PRIMARY KEY (id),
  constraint assistant_run_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'in_progress'::text, 'requires_action'::text, 'completed'::text, 'failed'::text, 'cancelled'::text, 'expired'::text, 'incomplete'::text]))),
  constraint assistant_run_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX assistant_run_active_idx ON public.assistant_run USING btree (status, lease_expires_at) WHERE (status = ANY (ARRAY['queued'::text, 'in_progress'::text, 'requires_action'::text]));
CREATE UNIQUE INDEX assistant_run_one_active_idx ON public.assistant_run USING btree (thread_id) WHERE (status = ANY (ARRAY['queued'::text, 'in_progress'::text, 'requires_action'::text]));
CREATE INDEX assistant_run_thread_seq_idx ON public.assistant_run USING btree (thread_id, seq DESC);
alter table assistant_run enable row level security;

create table assistant_run_sweep (
  run_id         text not null,
  worker         text not null,
  until          timestamp with time zone not null,
  run_updated_at timestamp with time zone not null,
  constraint assistant_run_sweep_pkey PRIMARY KEY (run_id),
  constraint assistant_run_sweep_run_id_fkey FOREIGN KEY (run_id) REFERENCES assistant_run(id) ON DELETE CASCADE
);
alter table assistant_run_sweep enable row level security;

create table assistant_thread (
  seq             bigint not null generated always as identity,
  id              text not null default ('thread_'::text || replace((gen_random_uuid())::text, '-'::text, ''::text)),
  owner           text not null,
  metadata        jsonb not null default '{}'::jsonb,
  slack_thread_ts text,
  created_at      timestamp with time zone not null default now(),
  updated_at      timestamp with time zone not null default now(),
  constraint assistant_thread_pkey PRIMARY KEY (id)
);
CREATE INDEX assistant_thread_owner_seq_idx ON public.assistant_thread USING btree (owner, seq DESC);
CREATE INDEX assistant_thread_slack_ts_idx ON public.assistant_thread USING btree (slack_thread_ts) WHERE (slack_thread_ts IS NOT NULL);
CREATE INDEX assistant_thread_updated_idx ON public.assistant_thread USING btree (updated_at);
alter table assistant_thread enable row level security;

create table chat_conversation (
  id               bigint not null generated always as identity,
  door             text not null,
  conversation_key text not null,
  thread_id        text not null,
  asker            text not null,
  door_data        jsonb not null default '{}'::jsonb,
  created_at       timestamp with time zone not null default now(),
  constraint chat_conversation_door_conversation_key_key UNIQUE (door, conversation_key),
  constraint chat_conversation_pkey PRIMARY KEY (id),
  constraint chat_conversation_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX chat_conversation_thread_idx ON public.chat_conversation USING btree (thread_id);
alter table chat_conversation enable row level security;

create table chat_inbox (
  id               bigint not null generated always as identity,
  door             text not null,
  delivery_id      text not null,
  kind             text not null,
  conversation_key text not null,
  queue_key        text,
  asker            text not null,
  text             text not null,
  metadata         jsonb not null default '{}'::jsonb,
  door_data        jsonb not null default '{}'::jsonb,
  secret           text not null default ''::text,
  status           text not null default 'pending'::text,
  outcome          text,
  thread_id        text,
  run_id           text,
  reply_id         text,
  posted_text      text,
  posted_parts     integer not null default 0,
  attempts         integer not null default 0,
  next_attempt_at  timestamp with time zone not null default now(),
  lease_owner      text,
  lease_expires_at timestamp with time zone,
  last_error       text,
  created_at       timestamp with time zone not null default now(),
  updated_at       timestamp with time zone not null default now(),
  constraint chat_inbox_door_delivery_id_key UNIQUE (door, delivery_id),
  constraint chat_inbox_pkey PRIMARY KEY (id),
  constraint chat_inbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'done'::text, 'failed'::text]))),
  constraint chat_inbox_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX chat_inbox_due_idx ON public.chat_inbox USING btree (door, next_attempt_at) WHERE (status = 'pending'::text);
CREATE INDEX chat_inbox_queue_idx ON public.chat_inbox USING btree (door, queue_key, id) WHERE ((status = 'pending'::text) AND (queue_key IS NOT NULL));
CREATE INDEX chat_inbox_reply_idx ON public.chat_inbox USING btree (door, reply_id) WHERE (reply_id IS NOT NULL);
CREATE INDEX chat_inbox_run_idx ON public.chat_inbox USING btree (run_id) WHERE (run_id IS NOT NULL);
alter table chat_inbox enable row level security;

create table docs_crawl_page (
  url           text not null,
  source        text not null,
  etag          text,
  last_modified text,
  lastmod       text,
  content_hash  text,
  last_error    text,
  failures      integer not null default 0,
  fetched_at    timestamp with time zone,
  indexed_at    timestamp with time zone,
  html_title    text,
  constraint docs_crawl_page_pkey PRIMARY KEY (url)
);
alter table docs_crawl_page enable row level security;

create table docs_feedback (
  id         bigint not null generated always as identity,
  query      text not null,
  path       text not null,
  source     text not null,
  created_at timestamp with time zone not null default now(),
  reader     text,
  constraint docs_feedback_pkey PRIMARY KEY (id),
  constraint docs_feedback_source_check CHECK ((source = 'open'::text))
);
CREATE INDEX docs_feedback_created_idx ON public.docs_feedback USING btree (created_at);
alter table docs_feedback enable row level security;

create table docs_gap_draft (
  id           bigint not null generated always as identity,
  topic_id     text not null,
  topic        text not null,
  target       text not null,
  kind         text not null,
  status       text not null default 'pending'::text,
  title        text not null,
  body         text not null,
  diff         text,
  page_path    text,
  questions    jsonb not null default '[]'::jsonb,
  url          text,
  error        text,
  attempts     integer not null default 0,
  created_at   timestamp with time zone not null default now(),
  updated_at   timestamp with time zone not null default now(),
  opened_at    timestamp with time zone,
  closed_at    timestamp with time zone,
  answered     integer,
  issue_number integer,
  constraint docs_gap_draft_kind_check CHECK ((kind = ANY (ARRAY['pull'::text, 'issue'::text]))),
  constraint docs_gap_draft_pkey PRIMARY KEY (id),
  constraint docs_gap_draft_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'opened'::text, 'failed'::text]))),
  constraint docs_gap_draft_target_check CHECK ((target = ANY (ARRAY['github'::text, 'patch'::text])))
);
CREATE INDEX docs_gap_draft_created_idx ON public.docs_gap_draft USING btree (created_at DESC);
CREATE INDEX docs_gap_draft_topic_idx ON public.docs_gap_draft USING btree (topic_id, created_at DESC);
alter table docs_gap_draft enable row level security;

create table docs_page (
  id          bigint not null generated always as identity,
  path        text not null,
  slug        text not null,
  title       text not null,
  description text not null default ''::text,
  checksum    text not null,
  warnings    jsonb not null default '[]'::jsonb,
  last_error  text,
  indexed_at  timestamp with time zone not null default now(),
  source_kind text not null default 'folder'::text,
  meta        jsonb not null default '{}'::jsonb,
  constraint docs_page_path_key UNIQUE (path),
  constraint docs_page_pkey PRIMARY KEY (id)
);
CREATE INDEX docs_page_slug_idx ON public.docs_page USING btree (slug);
CREATE INDEX docs_page_source_kind_idx ON public.docs_page USING btree (source_kind);
alter table docs_page enable row level security;

create table docs_page_read (
  day   date not null,
  path  text not null,
  reads bigint not null default 0,
  constraint docs_page_read_path_check CHECK (((length(path) >= 1) AND (length(path) <= 1000))),
  constraint docs_page_read_pkey PRIMARY KEY (day, path),
  constraint docs_page_read_reads_check CHECK ((reads >= 0))
);
alter table docs_page_read enable row level security;

create table docs_query (
  id           bigint not null generated always as identity,
  query        text not null,
  result_count integer not null,
  source       text not null,
  created_at   timestamp with time zone not null default now(),
  constraint docs_query_pkey PRIMARY KEY (id),
  constraint docs_query_source_check CHECK ((source = ANY (ARRAY['site'::text, 'assistant'::text])))
);
CREATE INDEX docs_query_created_idx ON public.docs_query USING btree (created_at);
alter table docs_query enable row level security;

create table docs_search_version (
  singleton       boolean not null default true,
  version         bigint not null default 0,
  section_count   bigint not null default 0,
  section_id_sum  numeric not null default 0,
  section_id_hash numeric not null default 0,
  constraint docs_search_version_pkey PRIMARY KEY (singleton),
  constraint docs_search_version_singleton_check CHECK (singleton)
);
alter table docs_search_version enable row level security;

create table docs_section (
  id              bigint not null generated always as identity,
  page_id         bigint not null,
  ordinal         integer not null,
  page_title      text not null,
  description     text not null default ''::text,
  heading         text not null default ''::text,
  heading_path    jsonb not null default '[]'::jsonb,
  anchor          text not null default ''::text,
  content         text not null,
  content_hash    text not null,
  embedding       real[],
  embedding_model text,
  constraint docs_section_page_id_fkey FOREIGN KEY (page_id) REFERENCES docs_page(id) ON DELETE CASCADE,
  constraint docs_section_pkey PRIMARY KEY (id)
);
CREATE INDEX docs_section_embedding_model_idx ON public.docs_section USING btree (embedding_model);
CREATE INDEX docs_section_page_idx ON public.docs_section USING btree (page_id, ordinal);
alter table docs_section enable row level security;

create table docs_source_cache (
  kind      text not null,
  key       text not null,
  etag      text not null,
  body      jsonb not null,
  link      text,
  stored_at timestamp with time zone not null default now(),
  constraint docs_source_cache_pkey PRIMARY KEY (kind, key)
);
CREATE INDEX docs_source_cache_stored_idx ON public.docs_source_cache USING btree (kind, stored_at);
alter table docs_source_cache enable row level security;

create table docs_source_state (
  kind        text not null,
  sources     jsonb,
  lease_owner text,
  lease_until timestamp with time zone,
  last_run_at timestamp with time zone,
  next_run_at timestamp with time zone,
  last_report jsonb not null default '{}'::jsonb,
  sync_state  jsonb not null default '{}'::jsonb,
  constraint docs_source_state_pkey PRIMARY KEY (kind)
);
alter table docs_source_state enable row level security;

create table docs_vocabulary (
  word       text not null,
  path       text not null,
  status     text not null,
  decided_at timestamp with time zone not null default now(),
  constraint docs_vocabulary_pkey PRIMARY KEY (word, path),
  constraint docs_vocabulary_status_check CHECK ((status = ANY (ARRAY['approved'::text, 'rejected'::text])))
);
alter table docs_vocabulary enable row level security;

create table eval_case (
  id             bigint not null generated always as identity,
  message_id     text,
  thread_id      text,
  question       text not null,
  expected_path  text not null,
  expected_title text not null default ''::text,
  created_at     timestamp with time zone not null default now(),
  constraint eval_case_expected_path_check CHECK (((char_length(expected_path) >= 1) AND (char_length(expected_path) <= 1000))),
  constraint eval_case_message_id_key UNIQUE (message_id),
  constraint eval_case_pkey PRIMARY KEY (id),
  constraint eval_case_question_check CHECK (((char_length(question) >= 1) AND (char_length(question) <= 2000)))
);
alter table eval_case enable row level security;

create table handoff (
  id                    bigint not null generated always as identity,
  thread_id             text not null,
  channel               text not null,
  status                text not null default 'pending'::text,
  external_id           text,
  external_url          text,
  note                  text,
  email                 text,
  last_error            text,
  email_pending         boolean not null default false,
  emailed_at            timestamp with time zone,
  synced_at             timestamp with time zone,
  created_at            timestamp with time zone not null default now(),
  replied_at            timestamp with time zone,
  email_confirmed_at    timestamp with time zone,
  email_confirm_sent_at timestamp with time zone,
  constraint handoff_channel_check CHECK ((channel = ANY (ARRAY['github'::text, 'slack'::text, 'email'::text]))),
  constraint handoff_check CHECK (((email IS NULL) OR ((channel = 'email'::text) AND (length(email) <= 320)))),
  constraint handoff_note_check CHECK (((note IS NULL) OR (length(note) <= 2000))),
  constraint handoff_pkey PRIMARY KEY (id),
  constraint handoff_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'opened'::text, 'failed'::text]))),
  constraint handoff_thread_channel_key UNIQUE (thread_id, channel),
  constraint handoff_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX handoff_created_idx ON public.handoff USING btree (created_at DESC);
CREATE INDEX handoff_email_pending_idx ON public.handoff USING btree (id) WHERE email_pending;
CREATE INDEX handoff_email_unconfirmed_idx ON public.handoff USING btree (id) WHERE ((email IS NOT NULL) AND (email_confirmed_at IS NULL) AND (email_confirm_sent_at IS NULL));
CREATE INDEX handoff_external_idx ON public.handoff USING btree (channel, external_id) WHERE (external_id IS NOT NULL);
alter table handoff enable row level security;

create table handoff_event (
  key         text not null,
  received_at timestamp with time zone not null default now(),
  constraint handoff_event_pkey PRIMARY KEY (key)
);
CREATE INDEX handoff_event_received_idx ON public.handoff_event USING btree (received_at);
alter table handoff_event enable row level security;

create table handoff_refusal (
  hour       timestamp with time zone not null,
  limit_name text not null,
  refused    integer not null default 0,
  constraint handoff_refusal_pkey PRIMARY KEY (hour, limit_name),
  constraint handoff_refusal_refused_check CHECK ((refused >= 0))
);
alter table handoff_refusal enable row level security;

create table maintainer_answer (
  id                bigint not null generated always as identity,
  status            text not null default 'proposed'::text,
  question          text not null,
  answer            text not null,
  source_message_id text,
  answered_at       timestamp with time zone not null default now(),
  created_at        timestamp with time zone not null default now(),
  updated_at        timestamp with time zone not null default now(),
  decided_at        timestamp with time zone,
  constraint maintainer_answer_answer_check CHECK ((btrim(answer) <> ''::text)),
  constraint maintainer_answer_pkey PRIMARY KEY (id),
  constraint maintainer_answer_question_check CHECK ((btrim(question) <> ''::text)),
  constraint maintainer_answer_source_message_id_fkey FOREIGN KEY (source_message_id) REFERENCES assistant_message(id) ON DELETE SET NULL,
  constraint maintainer_answer_source_message_id_key UNIQUE (source_message_id),
  constraint maintainer_answer_status_check CHECK ((status = ANY (ARRAY['proposed'::text, 'approved'::text, 'rejected'::text])))
);
CREATE INDEX maintainer_answer_status_idx ON public.maintainer_answer USING btree (status, created_at DESC);
alter table maintainer_answer enable row level security;

create table maintainer_digest (
  kind         text not null,
  last_sent_at timestamp with time zone,
  lease_owner  text,
  lease_until  timestamp with time zone,
  constraint maintainer_digest_pkey PRIMARY KEY (kind)
);
alter table maintainer_digest enable row level security;

create table message_vote (
  message_id text not null,
  thread_id  text not null,
  owner      text not null,
  vote       text not null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  reason     text,
  constraint message_vote_message_id_fkey FOREIGN KEY (message_id) REFERENCES assistant_message(id) ON DELETE CASCADE,
  constraint message_vote_pkey PRIMARY KEY (message_id, owner),
  constraint message_vote_reason_check CHECK (((reason IS NULL) OR (char_length(reason) <= 1000))),
  constraint message_vote_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE,
  constraint message_vote_vote_check CHECK ((vote = ANY (ARRAY['up'::text, 'down'::text])))
);
CREATE INDEX message_vote_thread_idx ON public.message_vote USING btree (thread_id);
CREATE INDEX message_vote_updated_idx ON public.message_vote USING btree (updated_at);
alter table message_vote enable row level security;

create table pa_challenge_pass (
  key        text not null,
  credits    integer not null,
  expires_at timestamp with time zone not null,
  constraint pa_challenge_pass_pkey PRIMARY KEY (key)
);
alter table pa_challenge_pass enable row level security;

create table pa_challenge_spent (
  id         text not null,
  expires_at timestamp with time zone not null,
  constraint pa_challenge_spent_pkey PRIMARY KEY (id)
);
CREATE INDEX pa_challenge_spent_expires_idx ON public.pa_challenge_spent USING btree (expires_at);
alter table pa_challenge_spent enable row level security;

create table pa_model_usage_daily (
  day          date not null,
  total_tokens bigint not null default 0,
  updated_at   timestamp with time zone not null default now(),
  constraint pa_model_usage_daily_pkey PRIMARY KEY (day)
);
alter table pa_model_usage_daily enable row level security;

create table pa_rate_bucket (
  key        text not null,
  tokens     double precision not null,
  updated_at timestamp with time zone not null default now(),
  capacity   double precision,
  constraint pa_rate_bucket_pkey PRIMARY KEY (key)
);
CREATE INDEX pa_rate_bucket_updated_idx ON public.pa_rate_bucket USING btree (updated_at);
alter table pa_rate_bucket enable row level security;

create table pa_schema_file (
  name       text not null,
  checksum   text not null,
  applied_at timestamp with time zone not null default now(),
  constraint pa_schema_file_pkey PRIMARY KEY (name)
);
alter table pa_schema_file enable row level security;

create table pa_schema_migration (
  name       text not null,
  checksum   text not null,
  applied_at timestamp with time zone not null default now(),
  constraint pa_schema_migration_pkey PRIMARY KEY (name)
);
alter table pa_schema_migration enable row level security;

create table pa_setting (
  key        text not null,
  value      jsonb not null,
  updated_at timestamp with time zone not null default now(),
  constraint pa_setting_pkey PRIMARY KEY (key)
);
alter table pa_setting enable row level security;

create table quality_mark (
  day    date not null,
  kind   text not null,
  detail text not null default ''::text,
  constraint quality_mark_kind_check CHECK ((kind = ANY (ARRAY['reindex'::text, 'model'::text]))),
  constraint quality_mark_pkey PRIMARY KEY (day, kind)
);
alter table quality_mark enable row level security;

create table reader_session (
  session_id text not null,
  subject    text not null,
  audiences  text[] not null default '{}'::text[],
  via        text not null,
  expires_at timestamp with time zone not null,
  created_at timestamp with time zone not null default now(),
  token_key  text,
  constraint reader_session_pkey PRIMARY KEY (session_id),
  constraint reader_session_subject_check CHECK (((length(subject) >= 1) AND (length(subject) <= 300)))
);
CREATE INDEX reader_session_expires_idx ON public.reader_session USING btree (expires_at);
CREATE INDEX reader_session_token_key_idx ON public.reader_session USING btree (token_key) WHERE (token_key IS NOT NULL);
alter table reader_session enable row level security;

create table reader_token_denied (
  token_key  text not null,
  expires_at timestamp with time zone not null,
  constraint reader_token_denied_pkey PRIMARY KEY (token_key)
);
CREATE INDEX reader_token_denied_expires_idx ON public.reader_token_denied USING btree (expires_at);
alter table reader_token_denied enable row level security;

create table slack_event (
  event_id    text not null,
  received_at timestamp with time zone not null default now(),
  constraint slack_event_pkey PRIMARY KEY (event_id)
);
CREATE INDEX slack_event_received_idx ON public.slack_event USING btree (received_at);
alter table slack_event enable row level security;

create table slack_outbox (
  id               bigint not null generated always as identity,
  thread_id        text not null,
  kind             text not null,
  payload          jsonb not null default '{}'::jsonb,
  status           text not null default 'pending'::text,
  attempts         integer not null default 0,
  next_attempt_at  timestamp with time zone not null default now(),
  lease_owner      text,
  lease_expires_at timestamp with time zone,
  last_error       text,
  slack_ts         text,
  created_at       timestamp with time zone not null default now(),
  settled_at       timestamp with time zone,
  constraint slack_outbox_kind_check CHECK ((kind = ANY (ARRAY['thread'::text, 'thread_title'::text, 'message'::text, 'answer'::text, 'vote'::text, 'run_ended'::text, 'handoff'::text]))),
  constraint slack_outbox_pkey PRIMARY KEY (id),
  constraint slack_outbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'failed'::text, 'skipped'::text])))
);
CREATE INDEX slack_outbox_pending_idx ON public.slack_outbox USING btree (thread_id, id) WHERE (status = 'pending'::text);
CREATE INDEX slack_outbox_settled_idx ON public.slack_outbox USING btree (settled_at) WHERE (status = ANY (ARRAY['delivered'::text, 'skipped'::text]));
CREATE INDEX slack_outbox_thread_idx ON public.slack_outbox USING btree (thread_id, id);
alter table slack_outbox enable row level security;

create table thread_share (
  id         text not null,
  thread_id  text not null,
  snapshot   jsonb,
  created_at timestamp with time zone not null default now(),
  revoked_at timestamp with time zone,
  updated_at timestamp with time zone not null default now(),
  constraint thread_share_id_check CHECK ((length(id) >= 22)),
  constraint thread_share_pkey PRIMARY KEY (id),
  constraint thread_share_snapshot_check CHECK (((revoked_at IS NULL) = (snapshot IS NOT NULL))),
  constraint thread_share_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES assistant_thread(id) ON DELETE CASCADE
);
CREATE INDEX thread_share_created_idx ON public.thread_share USING btree (created_at);
CREATE UNIQUE INDEX thread_share_live_thread_idx ON public.thread_share USING btree (thread_id) WHERE (revoked_at IS NULL);
CREATE INDEX thread_share_thread_idx ON public.thread_share USING btree (thread_id);
alter table thread_share enable row level security;

create table thread_source (
  prefix text not null,
  source text not null,
  constraint thread_source_pkey PRIMARY KEY (prefix)
);
alter table thread_source enable row level security;
