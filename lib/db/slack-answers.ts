import type { TMessageRow } from './rows';
import type { TMaintainerAnswerProposal } from './maintainer-answers';
import type { TDb } from './types';

// Answers in Slack (supabase/schemas/52_slack_answers.sql), what is Slack's own: reactions as votes; maintainers'
// replies in an answered thread. The inbox and the Slack threads as assistant threads are every chat door's
// (lib/db/chat-inbox.ts).

export type TSlackInboxKind = 'question' | 'thread_message';
export type TSlackChannelType = 'channel' | 'im';

export type TSlackVoteResult =
  | { status: 'set'; thread_id: string; message_id: string; vote: 'up' | 'down' | null }
  | { status: 'unknown' }
  | { status: 'not_answered' };

export function setMessageVoteBySlackReply({
  db,
  teamId,
  channelId,
  replyTs,
  voter,
  vote,
  previous = null,
}: {
  db: TDb;
  teamId: string;
  channelId: string;
  replyTs: string;
  voter: string;
  vote: 'up' | 'down' | null;
  previous?: 'up' | 'down' | null;
}) {
  return db.rpc<TSlackVoteResult>('set_message_vote_by_slack_reply', {
    p_team_id: teamId,
    p_channel_id: channelId,
    p_reply_ts: replyTs,
    p_voter: voter,
    p_vote: vote,
    p_previous: previous,
  });
}

export type TConversationReplyResult = { status: 'added'; message: TMessageRow; owner: string } | { status: 'duplicate' } | { status: 'unknown_thread' };

export function addMaintainerReplyBySlackConversation({
  db,
  teamId,
  channelId,
  threadTs,
  slackTs,
  text,
  author,
  proposal = null,
}: {
  db: TDb;
  teamId: string;
  channelId: string;
  threadTs: string;
  slackTs: string;
  text: string;
  author: { name: string | null; slackUser: string };
  /** The reply as a proposed maintainers' answer, masked and without names (lib/maintainers/answers.ts); null: none. */
  proposal?: TMaintainerAnswerProposal | null;
}) {
  return db.rpc<TConversationReplyResult>('add_maintainer_reply_by_slack_conversation', {
    p_team_id: teamId,
    p_channel_id: channelId,
    p_thread_ts: threadTs,
    p_slack_ts: slackTs,
    p_text: text,
    p_author: { name: author.name, slack_user: author.slackUser },
    p_proposal: proposal,
  });
}
