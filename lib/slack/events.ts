import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { TConfig } from '../config';
import { addMaintainerReplyBySlackThread } from '../db/maintainers';
import type { TDb } from '../db/types';
import { isTimestampFresh, readSignedJson, type TSignatureParts, type TSignedDelivery } from '../chat-doors/intake';
import { AppError } from '../errors';
import { findUnstorable } from '../http/input';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { handleAnswerEvent, type TAnswerEventOutcome } from './answers/intake';
import { FALLBACK_MAINTAINER_NAME, maintainerAnswerProposal, MAX_REPLY_CHARS, slackTextToMarkdown } from './text';

export { slackTextToMarkdown };

// Slack's Events API, as POST /api/slack/events receives it. Every callback is signed (v0): HMAC-SHA256 with the
// app's signing secret over `v0:{X-Slack-Request-Timestamp}:{raw body}`, sent as `X-Slack-Signature: v0=<hex>`.
// A callback with a wrong or missing signature, or a timestamp more than five minutes away (a replay), is 401 and
// changes nothing. What we act on: a member's reply in the review channel's Slack thread of a conversation, which
// becomes a maintainer's message in the reader's thread (the event id is kept with the reply, in one transaction,
// so Slack's retry of a callback adds nothing) and, masked and without names, a proposed maintainers' answer; and, with answers in Slack on, mentions, direct messages,
// messages in answered threads and reactions (lib/slack/answers/intake.ts), written down and answered later, so
// that Slack hears back within its three seconds whatever the model's speed.

export const SLACK_SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** The `X-Slack-Signature` Slack would send for `body` at `timestamp` (seconds). */
export function signSlackRequest({ secret, timestamp, body }: { secret: string; timestamp: string; body: string | Buffer }): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

/** True only for a well-formed signature of exactly these bytes, made within the window around now. */
export function isSlackSignatureValid({
  secret,
  timestamp,
  signature,
  body,
  nowMs = Date.now(),
}: TSignatureParts & { secret: string }): boolean {
  if (!isTimestampFresh(timestamp, nowMs, SLACK_SIGNATURE_WINDOW_SECONDS)) return false;
  if (typeof signature !== 'string' || !/^v0=[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signSlackRequest({ secret, timestamp, body }));
  return timingSafeEqual(expected, Buffer.from(signature));
}

const ZMessageEvent = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});

const ZEnvelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(500) }),
  z.object({
    type: z.literal('event_callback'),
    event_id: z.string().min(1).max(200),
    team_id: z.string().max(40).optional(),
    event: z.looseObject({ type: z.string() }),
    authorizations: z.array(z.looseObject({ user_id: z.string().optional(), is_bot: z.boolean().optional() })).optional(),
  }),
  z.looseObject({ type: z.literal('app_rate_limited') }),
]);

export type TSlackEventsDeps = {
  db: TDb;
  log: TLogger;
  config: Pick<TConfig, 'slack'>;
  slack: { getUserName(userId: string): Promise<string | null> };
  /** Wakes the answers' inbox worker (lib/chat-doors/worker.ts, Slack's door: lib/slack/answers/door.ts). */
  slackAnswers: { wake(): void };
  privacy?: TPrivacy;
};

export type TSlackEventOutcome =
  | TAnswerEventOutcome
  | { type: 'challenge'; challenge: string }
  | { type: 'ignored'; reason: string }
  | { type: 'duplicate' }
  | { type: 'unknown_thread' }
  | { type: 'reply'; threadId: string; messageId: string; owner: string };

/** Verifies and handles one callback. 404 when two-way Slack is not configured, 401 for a bad signature. */
export async function handleSlackEvent({ deps, ...delivery }: { deps: TSlackEventsDeps } & TSignedDelivery): Promise<TSlackEventOutcome> {
  const slack = deps.config.slack;
  const secret = slack.mode === 'enabled' ? slack.signingSecret : undefined;
  if (slack.mode !== 'enabled' || !secret) throw new AppError('not_found', 'Slack events are not configured here.');
  const json = readSignedJson({
    delivery,
    label: 'Slack',
    headerNames: { timestamp: 'x-slack-request-timestamp', signature: 'x-slack-signature' },
    isSigned: (parts) => isSlackSignatureValid({ secret, ...parts }),
  });
  // Slack never sends a NUL or a lone surrogate; a callback that has one is dropped whole, acknowledged so that it
  // is not retried: Postgres cannot store it, and an id or a ts with it cleaned away could name something else.
  const unstorable = findUnstorable(json);
  if (unstorable) {
    deps.log.warn({ problem: unstorable }, 'Slack callback dropped: its body cannot be stored');
    return { type: 'ignored', reason: `body ${unstorable}` };
  }
  const parsed = ZEnvelope.safeParse(json);
  if (!parsed.success) return { type: 'ignored', reason: 'unhandled callback type' };
  const envelope = parsed.data;
  if (envelope.type === 'url_verification') return { type: 'challenge', challenge: envelope.challenge };
  if (envelope.type !== 'event_callback') return { type: 'ignored', reason: envelope.type };

  const botUsers = new Set(
    (envelope.authorizations ?? []).filter((entry) => entry.is_bot && entry.user_id).map((entry) => entry.user_id as string),
  );
  if (slack.answers) {
    const outcome = await handleAnswerEvent({
      deps,
      answers: slack.answers,
      reviewChannelId: slack.channelId,
      envelope: { eventId: envelope.event_id, teamId: envelope.team_id ?? 'T0', event: envelope.event, botUsers },
    });
    if (outcome) return outcome;
  }

  const message = ZMessageEvent.safeParse(envelope.event);
  if (!message.success) return { type: 'ignored', reason: `event ${envelope.event.type}` };
  const event = message.data;
  // Edits, deletions, joins, bot posts (ours included: they carry bot_id) are not replies from a person.
  if (event.subtype !== undefined) return { type: 'ignored', reason: `subtype ${event.subtype}` };
  if (event.bot_id !== undefined || event.user === undefined || botUsers.has(event.user)) return { type: 'ignored', reason: 'not a person' };
  if (event.channel !== slack.channelId) return { type: 'ignored', reason: 'another channel' };
  if (event.thread_ts === undefined || event.thread_ts === event.ts) return { type: 'ignored', reason: 'not a thread reply' };
  const text = slackTextToMarkdown(event.text ?? '').slice(0, MAX_REPLY_CHARS).trim();
  if (text === '') return { type: 'ignored', reason: 'no text' };

  const name = await deps.slack.getUserName(event.user);
  const result = await addMaintainerReplyBySlackThread({
    db: deps.db,
    eventId: envelope.event_id,
    threadTs: event.thread_ts,
    slackTs: event.ts,
    text,
    author: { name: name ?? FALLBACK_MAINTAINER_NAME, slackUser: event.user },
    // Mentions are taken out of Slack's own markup (the Markdown above names people).
    proposal: maintainerAnswerProposal(slackTextToMarkdown((event.text ?? '').replace(/<[@!][^<>]*>/g, ' ')).slice(0, MAX_REPLY_CHARS), deps.privacy ?? DEFAULT_PRIVACY),
  });
  if (result.status === 'duplicate') return { type: 'duplicate' };
  if (result.status === 'unknown_thread') return { type: 'unknown_thread' };
  deps.log.info({ threadId: result.message.thread_id, messageId: result.message.id }, 'maintainer reply from Slack added');
  return { type: 'reply', threadId: result.message.thread_id, messageId: result.message.id, owner: result.owner };
}

