// The Slack door's rows of the chat doors' inbox (supabase/schemas/53_chat_inbox.sql) in the columns the Slack
// answers' tests read (channel_id, message_ts, reply_ts), as a subquery to select from: `from ${SLACK_INBOX} q`.
export const SLACK_INBOX = `(select i.*, i.door_data->>'channel_id' as channel_id, i.door_data->>'message_ts' as message_ts, i.reply_id as reply_ts
  from chat_inbox i where i.door = 'slack')`;
