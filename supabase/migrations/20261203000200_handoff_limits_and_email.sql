-- Hand-offs, issue 67 (lib/handoff):
-- - handoff_refusal: the hand-offs their own hourly limits refused (per reader, per address, for the site), counted
--   per hour and limit, so that /api/health can say when the limit turned readers (or a script) away.
-- - handoff.email_confirmed_at: when the reader confirmed the address they left, by the link of the first mail it
--   got; replies are e-mailed only to a confirmed address, so nobody can have someone else's reply sent to them.
--   handoff.email_confirm_sent_at: when that first mail went (one a hand-off). Addresses left before this are
--   unconfirmed too: their next reply sends the confirmation first.

create table if not exists handoff_refusal (
  hour       timestamp with time zone not null,
  limit_name text not null,
  refused    integer not null default 0,
  constraint handoff_refusal_pkey PRIMARY KEY (hour, limit_name),
  constraint handoff_refusal_refused_check CHECK ((refused >= 0))
);
alter table handoff_refusal enable row level security;

alter table handoff add column if not exists email_confirmed_at timestamp with time zone;
alter table handoff add column if not exists email_confirm_sent_at timestamp with time zone;
create index if not exists handoff_email_unconfirmed_idx on handoff (id)
  where email is not null and email_confirmed_at is null and email_confirm_sent_at is null;

select pa_lock_down();
