-- A message's text, defined once in SQL as it is in TypeScript (messageText in lib/shared/messages.ts): its
-- text parts joined as separate paragraphs, with a blank line between them. pa_message_text (Slack posts, the
-- maintainers' pages) joined parts with one newline, and pa_content_text (the streaming draft) read the first
-- part only; both now give the text the browser shows and the model reads. tests/integration/migrations.test.ts
-- checks that the two languages agree.
--
-- replaces: pa_message_text (20261121000006_slack_outbox.sql; parts joined by a blank line, not one newline)
-- replaces: pa_content_text (20261121000008_streaming.sql; now pa_message_text: the same text for a one-part draft)

create or replace function pa_message_text(p_content jsonb) returns text
language sql immutable as $$
  select coalesce(string_agg(part->'text'->>'value', E'\n\n' order by i), '')
  from jsonb_array_elements(case when jsonb_typeof(p_content) = 'array' then p_content else '[]'::jsonb end)
       with ordinality x(part, i)
$$;

create or replace function pa_content_text(p_content jsonb) returns text
language sql immutable as $$
  select pa_message_text(p_content)
$$;

select pa_lock_down();
