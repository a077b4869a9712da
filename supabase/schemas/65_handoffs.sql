-- Hand-offs to the maintainers (issue 56, item 4; the tables are 20261202000100_handoffs.sql's). A reader hands their
-- conversation to the channels HANDOFF_TO names (lib/handoff): one row per conversation and channel, so asking again
-- is the same hand-off. Ownership is checked here (PA404 for a thread that is not the caller's, as every thread read).
-- The reader's e-mail address is kept on the `email` row only and never returned but as `has_email` (and whether it
-- is confirmed); claim_handoff_emails and claim_handoff_confirmations are the reads that return it, to send mail.

create or replace function pa_handoff_json(h handoff) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', h.id, 'thread_id', h.thread_id, 'channel', h.channel, 'status', h.status,
    'external_id', h.external_id, 'external_url', h.external_url, 'note', h.note, 'has_email', h.email is not null,
    'is_email_confirmed', h.email is not null and h.email_confirmed_at is not null,
    'created_at', h.created_at, 'replied_at', h.replied_at, 'synced_at', h.synced_at)
$$;

-- p_channels: [{channel, email?}] in the order HANDOFF_TO names them. p_slack_payload: the review channel's post of
-- the hand-off (queued with a new `slack` row, in this transaction; nothing when Slack is off). Returns
-- {handoffs: [row…] in p_channels' order, created: [channels new this time]}.
create or replace function create_handoff_by_thread(p_owner text, p_thread_id text, p_channels jsonb, p_note text, p_slack_payload jsonb default null)
returns jsonb
language plpgsql as $$
declare
  c jsonb;
  h handoff;
  v_created text[] := '{}';
  v_rows jsonb := '[]'::jsonb;
  v_post bigint;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id, true);
  for c in select * from jsonb_array_elements(coalesce(p_channels, '[]'::jsonb)) loop
    insert into handoff (thread_id, channel, note, email)
    values (p_thread_id, c->>'channel', nullif(btrim(coalesce(p_note, '')), ''),
            case when c->>'channel' = 'email' then nullif(btrim(coalesce(c->>'email', '')), '') end)
    on conflict (thread_id, channel) do nothing
    returning * into h;
    if found then
      v_created := v_created || (c->>'channel');
      if h.channel = 'slack' then
        v_post := pa_enqueue_slack(p_thread_id, 'handoff', coalesce(p_slack_payload, '{}'::jsonb) || jsonb_build_object('note', h.note));
        update handoff set status = case when v_post is null then 'failed' else 'opened' end,
                           external_id = v_post::text,
                           last_error = case when v_post is null then 'Slack review channel is off' end
        where id = h.id returning * into h;
      elsif h.channel = 'email' then
        update handoff set status = 'opened' where id = h.id returning * into h;
      end if;
    else
      select * into h from handoff where thread_id = p_thread_id and channel = c->>'channel';
    end if;
    v_rows := v_rows || pa_handoff_json(h);
  end loop;
  update assistant_thread set updated_at = now() where id = p_thread_id;
  return jsonb_build_object('handoffs', v_rows, 'created', to_jsonb(v_created));
end;
$$;

-- A reader's hand-off within its own hourly limits (issue 67): create_handoff_by_thread, after one token from each of
-- p_buckets (the reader's, the address's and the site's: lib/limits handoffBuckets) when it creates a row; asking again,
-- or retrying a channel that failed, creates none and costs nothing. The conversation is locked first, so two requests
-- for it at once take the limits once. A refusal is counted (handoff_refusal, by hour and limit) and returned as
-- {refused: {allowed: false, limit, retry_after_seconds}}, with nothing created.
create or replace function create_handoff_within_limits(
  p_owner text, p_thread_id text, p_channels jsonb, p_note text, p_slack_payload jsonb, p_buckets jsonb)
returns jsonb
language plpgsql as $$
declare
  v_allowance jsonb;
begin
  perform pa_get_owned_thread(p_owner, p_thread_id, true);
  if exists (select 1 from jsonb_array_elements(coalesce(p_channels, '[]'::jsonb)) c
             where not exists (select 1 from handoff h where h.thread_id = p_thread_id and h.channel = c->>'channel')) then
    v_allowance := pa_take_buckets(coalesce(p_buckets, '[]'::jsonb));
    if not (v_allowance->>'allowed')::boolean then
      insert into handoff_refusal as r (hour, limit_name, refused) values (date_trunc('hour', now()), v_allowance->>'limit', 1)
      on conflict (hour, limit_name) do update set refused = r.refused + 1;
      if random() < 0.01 then
        delete from handoff_refusal where hour < now() - interval '30 days';
      end if;
      return jsonb_build_object('refused', v_allowance);
    end if;
  end if;
  return create_handoff_by_thread(p_owner, p_thread_id, p_channels, p_note, p_slack_payload);
end;
$$;

-- The hand-offs refused by their limits since p_since, by limit ({limit: count}), and the last hour one was.
create or replace function get_handoff_refusals(p_since timestamptz) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'by_limit', coalesce((select jsonb_object_agg(x.limit_name, x.refused) from
                            (select limit_name, sum(refused)::int as refused from handoff_refusal
                             where hour >= date_trunc('hour', p_since) group by limit_name) x), '{}'::jsonb),
    'last_hour', (select max(hour) from handoff_refusal))
$$;

-- The caller's conversation's hand-offs, oldest first.
create or replace function list_handoffs_by_thread(p_owner text, p_thread_id text) returns jsonb
language plpgsql as $$
begin
  perform pa_get_owned_thread(p_owner, p_thread_id);
  return coalesce((select jsonb_agg(pa_handoff_json(h) order by h.id) from handoff h where h.thread_id = p_thread_id), '[]'::jsonb);
end;
$$;

-- Where a hand-off went (an issue's `owner/name#number` and its URL), or why it did not.
create or replace function set_handoff_result_by_id(p_id bigint, p_status text, p_external_id text, p_external_url text, p_error text)
returns jsonb
language plpgsql as $$
declare
  h handoff;
begin
  update handoff set status = p_status, external_id = coalesce(p_external_id, external_id),
                     external_url = coalesce(p_external_url, external_url), last_error = p_error,
                     synced_at = case when p_status = 'opened' then now() else synced_at end
  where id = p_id returning * into h;
  if not found then
    return null;
  end if;
  return pa_handoff_json(h);
end;
$$;

-- A maintainer's comment on a hand-off's GitHub issue or discussion (p_external_id: `owner/name#number`), added to
-- the reader's conversation as the maintainers' reply. p_keys: what makes it one event (the delivery's id, the
-- comment's id), a JSON list: any seen before and nothing is added. Returns {status: 'added', message, owner} | {status:
-- 'duplicate'} | {status: 'unknown_handoff'}.
create or replace function add_handoff_reply_by_external_id(
  p_keys jsonb, p_external_id text, p_comment_id text, p_text text, p_author jsonb, p_proposal jsonb default null)
returns jsonb
language plpgsql as $$
declare
  h handoff;
  m assistant_message;
  k text;
begin
  if coalesce(btrim(p_text), '') = '' then
    raise exception 'A reply needs text' using errcode = 'PA400';
  end if;
  delete from handoff_event where received_at < now() - interval '30 days';
  select * into h from handoff where channel = 'github' and external_id = p_external_id;
  if not found then
    return jsonb_build_object('status', 'unknown_handoff');
  end if;
  for k in select jsonb_array_elements_text(coalesce(p_keys, '[]'::jsonb)) loop
    insert into handoff_event (key) values (k) on conflict (key) do nothing;
    if not found then
      return jsonb_build_object('status', 'duplicate');
    end if;
  end loop;
  if exists (select 1 from assistant_message where thread_id = h.thread_id and metadata->>'github_comment_id' = p_comment_id) then
    return jsonb_build_object('status', 'duplicate');
  end if;
  insert into assistant_message (thread_id, run_id, role, content, metadata, status, completed_at)
  values (h.thread_id, null, 'assistant', pa_text_content(p_text),
          jsonb_build_object('author', 'maintainer',
                             'author_name', coalesce(nullif(p_author->>'name', ''), 'A maintainer'),
                             'github_login', p_author->>'login',
                             'github_comment_id', p_comment_id,
                             'handoff', 'github'),
          'completed', now())
  returning * into m;
  update assistant_thread set updated_at = now() where id = h.thread_id;
  perform pa_propose_maintainer_answer(m, p_proposal);
  return jsonb_build_object('status', 'added', 'message', pa_message_json(m),
                            'owner', (select owner from assistant_thread where id = h.thread_id));
end;
$$;

-- A maintainer's reply, from any channel (Slack's review thread, GitHub), marks the conversation's hand-offs replied
-- and queues the reply for the reader's e-mail when they left an address.
create or replace function pa_handoff_replied() returns trigger
language plpgsql as $$
begin
  update handoff set replied_at = coalesce(replied_at, now()),
                     email_pending = email_pending or (channel = 'email' and email is not null)
  where thread_id = new.thread_id;
  return null;
end;
$$;

drop trigger if exists pa_handoff_replied_trg on assistant_message;
create trigger pa_handoff_replied_trg after insert on assistant_message
  for each row when (new.role = 'assistant' and new.metadata->>'author' = 'maintainer')
  execute function pa_handoff_replied();

-- GitHub hand-offs to read the comments of (the sync, for deliveries the webhook missed): opened, created within
-- p_days, least recently synced first.
create or replace function list_github_handoffs_to_sync(p_days integer, p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(pa_handoff_json(x) order by x.synced_at nulls first, x.id), '[]'::jsonb) from (
    select * from handoff h
    where h.channel = 'github' and h.status = 'opened' and h.external_id is not null
      and h.created_at >= now() - make_interval(days => greatest(coalesce(p_days, 30), 1))
    order by h.synced_at nulls first, h.id
    limit greatest(coalesce(p_limit, 50), 1)) x
$$;

create or replace function set_handoff_synced_by_id(p_id bigint, p_at timestamptz) returns boolean
language plpgsql as $$
begin
  update handoff set synced_at = p_at where id = p_id;
  return found;
end;
$$;

-- Takes up to p_limit replies waiting for an e-mail to a confirmed address: each is the reader's address and the
-- maintainers' replies since the last e-mail. Taken rows are no longer pending (release_handoff_email_by_id puts back
-- one that failed). Replies to an address not yet confirmed wait, pending, for its confirmation.
create or replace function claim_handoff_emails(p_limit integer) returns jsonb
language plpgsql as $$
declare
  v_rows jsonb;
begin
  with taken as (
    select h.id, h.emailed_at from handoff h where h.email_pending and h.email is not null and h.email_confirmed_at is not null
    order by h.id limit greatest(coalesce(p_limit, 10), 1) for update skip locked
  ), updated as (
    update handoff h set email_pending = false, emailed_at = now()
    from taken where h.id = taken.id
    returning h.*, taken.emailed_at as previous_emailed_at
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', u.id, 'thread_id', u.thread_id, 'email', u.email, 'previous_emailed_at', u.previous_emailed_at,
      'question', (select pa_message_text(q.content) from assistant_message q
                   where q.thread_id = u.thread_id and q.role = 'user' order by q.seq desc limit 1),
      -- The passage that question asked about ("Ask about this"), stored masked and bounded: the e-mail quotes it too.
      'quote', (select left(q.metadata->'quote'->>'text', 2000) from assistant_message q
                where q.thread_id = u.thread_id and q.role = 'user' order by q.seq desc limit 1),
      'replies', coalesce((select jsonb_agg(pa_message_text(m.content) order by m.seq) from assistant_message m
                           where m.thread_id = u.thread_id and m.role = 'assistant' and m.metadata->>'author' = 'maintainer'
                             and (u.previous_emailed_at is null or m.created_at > u.previous_emailed_at)), '[]'::jsonb))
    order by u.id), '[]'::jsonb)
  into v_rows from updated u;
  return v_rows;
end;
$$;

create or replace function release_handoff_email_by_id(p_id bigint, p_previous_emailed_at timestamptz, p_error text) returns boolean
language plpgsql as $$
begin
  update handoff set email_pending = true, emailed_at = p_previous_emailed_at, last_error = p_error where id = p_id;
  return found;
end;
$$;

-- Takes up to p_limit addresses waiting for their one confirmation mail (left with a hand-off, never confirmed, never
-- sent one): {id, thread_id, email}. Taken rows are marked sent; release_handoff_confirmation_by_id puts back one the
-- SMTP server refused. An address whose confirmation was sent more than p_forget_days ago and never confirmed is
-- forgotten (the row keeps only that replies are not e-mailed).
create or replace function claim_handoff_confirmations(p_limit integer, p_forget_days integer) returns jsonb
language plpgsql as $$
declare
  v_rows jsonb;
begin
  update handoff set email = null, email_pending = false
  where email is not null and email_confirmed_at is null
    and email_confirm_sent_at < now() - make_interval(days => greatest(coalesce(p_forget_days, 7), 1));
  with taken as (
    select h.id from handoff h where h.email is not null and h.email_confirmed_at is null and h.email_confirm_sent_at is null
    order by h.id limit greatest(coalesce(p_limit, 10), 1) for update skip locked
  ), updated as (
    update handoff h set email_confirm_sent_at = now() from taken where h.id = taken.id returning h.*
  )
  select coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'thread_id', u.thread_id, 'email', u.email, 'sent_at', u.email_confirm_sent_at) order by u.id), '[]'::jsonb)
  into v_rows from updated u;
  return v_rows;
end;
$$;

create or replace function release_handoff_confirmation_by_id(p_id bigint, p_error text) returns boolean
language plpgsql as $$
begin
  update handoff set email_confirm_sent_at = null, last_error = p_error where id = p_id and email_confirmed_at is null;
  return found;
end;
$$;

-- The reader followed the confirmation link of hand-off p_id: its address is confirmed, once. Returns {status:
-- 'confirmed', is_pending} (is_pending: replies are waiting to be e-mailed), {status: 'already'} for a link used before,
-- or {status: 'unknown'} when the hand-off, or its address, is gone (the conversation deleted, or never confirmed in
-- time).
create or replace function confirm_handoff_email_by_id(p_id bigint) returns jsonb
language plpgsql as $$
declare
  h handoff;
begin
  select * into h from handoff where id = p_id and channel = 'email' and email is not null for update;
  if not found then
    return jsonb_build_object('status', 'unknown');
  end if;
  if h.email_confirmed_at is not null then
    return jsonb_build_object('status', 'already');
  end if;
  update handoff set email_confirmed_at = now() where id = p_id;
  return jsonb_build_object('status', 'confirmed', 'is_pending', h.email_pending);
end;
$$;

-- A reply mail's link to the reader's conversation (lib/handoff/links.ts), opened by the session p_opener:
--   'owner'     — the conversation is already the opener's: it opens, as often as they like;
--   'sign_in'   — it was asked by a signed-in reader (its owner has a reader identity, or a run was asked under
--                 audiences): only a session signed in as that same reader may take it;
--   'spent'     — the link (p_key) was used before: it moves nothing again;
--   'elsewhere' — it could move here, and p_is_moving is false (the reader has not asked to): nothing changes;
--   'moved'     — the conversation is now the opener's (it leaves the browser it was asked in);
--   'unknown'   — no such conversation (deleted).
create or replace function open_handoff_conversation_link(p_key text, p_thread_id text, p_opener text, p_is_moving boolean) returns jsonb
language plpgsql as $$
declare
  t assistant_thread;
  v_owner_subject text;
  v_opener_subject text;
begin
  select * into t from assistant_thread where id = p_thread_id for update;
  if not found then
    return jsonb_build_object('status', 'unknown');
  end if;
  if t.owner = p_opener then
    return jsonb_build_object('status', 'owner', 'thread_id', t.id);
  end if;
  select subject into v_owner_subject from reader_session where session_id = t.owner;
  if v_owner_subject is not null or exists (select 1 from assistant_run r where r.thread_id = t.id and cardinality(coalesce(r.reader_audiences, '{}')) > 0) then
    select subject into v_opener_subject from reader_session where session_id = p_opener and expires_at > now();
    if v_owner_subject is null or v_opener_subject is distinct from v_owner_subject then
      return jsonb_build_object('status', 'sign_in');
    end if;
  end if;
  if not coalesce(p_is_moving, false) then
    return jsonb_build_object('status', case when exists (select 1 from handoff_event where key = 'link:' || p_key) then 'spent' else 'elsewhere' end);
  end if;
  insert into handoff_event (key) values ('link:' || p_key) on conflict (key) do nothing;
  if not found then
    return jsonb_build_object('status', 'spent');
  end if;
  update assistant_thread set owner = p_opener, updated_at = now() where id = t.id;
  return jsonb_build_object('status', 'moved', 'thread_id', t.id);
end;
$$;

-- The maintainers' list of hand-offs in [p_from, p_to), newest first: where each went, when a maintainer replied,
-- and the question; never the reader's address (only whether there is one).
create or replace function list_handoffs_for_maintainers(p_from timestamptz, p_to timestamptz, p_limit integer) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x.item order by x.created_at desc, x.id desc), '[]'::jsonb) from (
    select pa_handoff_json(h) || jsonb_build_object('question',
             (select left(pa_message_text(q.content), 500) from assistant_message q
              where q.thread_id = h.thread_id and q.role = 'user' and q.created_at <= h.created_at order by q.seq desc limit 1),
             'source', pa_thread_source(t.owner, t.metadata)) as item,
           h.created_at, h.id
    from handoff h join assistant_thread t on t.id = h.thread_id
    where h.created_at >= p_from and h.created_at < p_to
    order by h.created_at desc, h.id desc
    limit greatest(1, least(coalesce(p_limit, 50), 1000))) x
$$;

-- The conversation of an answer a chat door posted (its "Ask the maintainers" button names the answer): its thread and
-- owner, when the thread is that door's (p_owner_prefix: 'discord:'); else null.
create or replace function get_chat_thread_by_answer(p_message_id text, p_owner_prefix text) returns jsonb
language sql stable as $$
  select jsonb_build_object('thread_id', t.id, 'owner', t.owner)
  from assistant_message m join assistant_thread t on t.id = m.thread_id
  where m.id = p_message_id and m.role = 'assistant' and t.owner like p_owner_prefix || '%'
$$;

select pa_lock_down();
