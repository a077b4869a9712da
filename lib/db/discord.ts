import type { TDb } from './types';

// Answers in Discord (supabase/schemas/55_discord.sql), what is Discord's own: the answers' 👍 / 👎 buttons as
// votes. The inbox and the Discord threads as assistant threads are every chat door's (lib/db/chat-inbox.ts).

export type TDiscordVoteResult = { status: 'set'; thread_id: string; message_id: string; vote: 'up' | 'down' } | { status: 'unknown' };

export function setMessageVoteByDiscordButton({ db, messageId, voter, vote }: { db: TDb; messageId: string; voter: string; vote: 'up' | 'down' }) {
  return db.rpc<TDiscordVoteResult>('set_message_vote_by_discord_button', { p_message_id: messageId, p_voter: voter, p_vote: vote });
}
