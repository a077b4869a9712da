import { signSlackRequest } from '@/lib/slack/events';
import type { TFakeSlackCall } from '../production/helpers/fake-slack';

// Slack's Events API as the production tier's tests send it: signed callbacks (v0) to POST /api/slack/events of a
// server, envelopes for mentions, messages and reactions, and readings of what a fake Slack received.

export const TEAM_ID = 'T0PRODTIER';
export const BOT_USER = 'U0PRODBOT';

let counter = 0;
/** A fresh Slack ts, unique within the run. */
export const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String((counter = (counter + 1) % 1_000_000)).padStart(6, '0')}`;
const nextEventId = () => `EvPT${Date.now().toString(36)}${(counter = (counter + 1) % 1_000_000)}`;

export function envelope(event: Record<string, unknown>, eventId = nextEventId()) {
  return {
    token: 'deprecated',
    team_id: TEAM_ID,
    api_app_id: 'A0PRODTIER',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER, is_bot: true }],
    event,
  };
}

export const mentionEvent = ({ channel, user, text, threadTs }: { channel: string; user: string; text: string; threadTs?: string }) =>
  envelope({ type: 'app_mention', channel, user, text: `<@${BOT_USER}> ${text}`, ts: nextTs(), ...(threadTs ? { thread_ts: threadTs } : {}) });

export const threadMessageEvent = ({ channel, user, text, threadTs, botId }: { channel: string; user: string; text: string; threadTs: string; botId?: string }) =>
  envelope({ type: 'message', channel, channel_type: 'channel', user, text, ts: nextTs(), thread_ts: threadTs, ...(botId ? { bot_id: botId } : {}) });

export const reactionEvent = ({ channel, user, reaction, ts }: { channel: string; user: string; reaction: string; ts: string }) =>
  envelope({ type: 'reaction_added', user, reaction, item: { type: 'message', channel, ts }, item_user: BOT_USER, event_ts: nextTs() });

/** POSTs `payload` signed as Slack signs it; returns the status and how long the server took to answer. */
export async function postSlackEvent(
  baseUrl: string,
  payload: unknown,
  { secret, ageSeconds = 0, headers = {} }: { secret: string; ageSeconds?: number; headers?: Record<string, string> },
): Promise<{ status: number; ms: number; body: unknown }> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
  const startedAt = performance.now();
  const response = await fetch(`${baseUrl}/api/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signSlackRequest({ secret, timestamp, body }), ...headers },
    body,
  });
  const answer = (await response.json()) as unknown;
  return { status: response.status, ms: performance.now() - startedAt, body: answer };
}

/**
 * The form post Slack sends for a click on a button (`actionId`, `value`) of the app's message `replyTs` in a thread,
 * with the message as Slack sends it back (`message`: its text and blocks) and where the app answers the member.
 */
export function slackClickForm({
  user,
  channel,
  threadTs,
  replyTs,
  actionId,
  value,
  label = 'x',
  responseUrl,
  message = { text: 'An answer' },
}: {
  user: string;
  channel: string;
  threadTs: string;
  replyTs: string;
  actionId: string;
  value: string;
  label?: string;
  responseUrl: string;
  message?: { text: string; blocks?: unknown[] };
}): string {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: 'member', name: 'member', team_id: TEAM_ID },
    api_app_id: 'A0PRODTIER',
    container: { type: 'message', message_ts: replyTs, channel_id: channel, is_ephemeral: false, thread_ts: threadTs },
    team: { id: TEAM_ID, domain: 'prodtier' },
    channel: { id: channel, name: 'questions' },
    message: { type: 'message', user: BOT_USER, ts: replyTs, thread_ts: threadTs, ...message },
    response_url: responseUrl,
    actions: [{ action_id: actionId, block_id: 'b1', text: { type: 'plain_text', text: label }, value, type: 'button', action_ts: '1790000000.000100' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POST /api/slack/interactivity with the form `body`, signed with `secret` now; the status. */
export async function postSlackClick(baseUrl: string, body: string, { secret }: { secret: string }): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${baseUrl}/api/slack/interactivity`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signSlackRequest({ secret, timestamp, body }) },
    body,
  });
  return response.status;
}

/** The app's replies in one Slack thread (chat.postMessage with that thread_ts). */
export const repliesIn = (calls: TFakeSlackCall[], channel: string, threadTs: string) =>
  calls.filter((call) => call.method === 'chat.postMessage' && call.channel === channel && call.threadTs === threadTs);

/** The text a reply shows now: its last chat.update, or what was posted. */
export function shownText(calls: TFakeSlackCall[], channel: string, replyTs: string): string | null {
  const updates = calls.filter((call) => call.method === 'chat.update' && call.channel === channel && call.ts === replyTs);
  return updates[updates.length - 1]?.text ?? null;
}

export async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
