-- Hand-offs (issue 56, item 4): a reader hands a conversation to the maintainers, through each channel HANDOFF_TO
-- names (lib/handoff). One row per conversation and channel, so that asking again is the same hand-off (no second
-- issue or post). `email` is the reader's address, kept only on the `email` channel's row for e-mailing the
-- maintainers' reply; it goes with the conversation (on delete cascade: a reader's deletion, retention).
-- handoff_event: GitHub deliveries and comments already taken, so a replayed webhook or a comment both the webhook
-- and the sync saw adds one reply. The review channel's hand-off post is a Slack post kind of its own.

create table if not exists handoff (
  id            bigint generated always as identity primary key,
  thread_id     text not null references assistant_thread(id) on delete cascade,
  channel       text not null check (channel in ('github', 'slack', 'email')),
  status        text not null default 'pending' check (status in ('pending', 'opened', 'failed')),
  external_id   text,
  external_url  text,
  note          text check (note is null or length(note) <= 2000),
  email         text check (email is null or (channel = 'email' and length(email) <= 320)),
  last_error    text,
  email_pending boolean not null default false,
  emailed_at    timestamptz,
  synced_at     timestamptz,
  created_at    timestamptz not null default now(),
  replied_at    timestamptz,
  constraint handoff_thread_channel_key unique (thread_id, channel)
);
create index if not exists handoff_created_idx on handoff (created_at desc);
create index if not exists handoff_external_idx on handoff (channel, external_id) where external_id is not null;
create index if not exists handoff_email_pending_idx on handoff (id) where email_pending;
alter table handoff enable row level security;

create table if not exists handoff_event (
  key         text primary key,
  received_at timestamptz not null default now()
);
create index if not exists handoff_event_received_idx on handoff_event (received_at);
alter table handoff_event enable row level security;

alter table slack_outbox drop constraint if exists slack_outbox_kind_check;
alter table slack_outbox add constraint slack_outbox_kind_check
  check (kind in ('thread', 'thread_title', 'message', 'answer', 'vote', 'run_ended', 'handoff'));

select pa_lock_down();
