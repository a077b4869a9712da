import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isTimestampFresh, readSignedJson, type TSignatureParts, type TSignedDelivery } from '../chat-doors/intake';
import { AppError } from '../errors';
import type { TLogger } from '../log';
import { slackTextToMarkdown } from './text';

export { slackTextToMarkdown };

// Slack's Events API, as POST /api/slack/events receives it: one URL for everything the Slack app hears, read here
// and handed to its listeners in turn (the route names them: the Slack door's questions, lib/chat-doors/doors/slack,
// then the review channel's replies, lib/review-channel/replies.ts), each taking what is its own. Every callback is
// signed (v0): HMAC-SHA256 with the app's signing secret over `v0:{X-Slack-Request-Timestamp}:{raw body}`, sent as
// `X-Slack-Signature: v0=<hex>`. A callback with a wrong or missing signature, or a timestamp more than five minutes
// away (a replay), is 401 and changes nothing. Listeners write down and return at once, so that Slack hears back
// within its three seconds whatever the model's speed.

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

/**
 * How a request Slack signs is checked (its two headers, SLACK_SIGNING_SECRET): 404 when Slack is not configured
 * here (`what`: the request, as the refusal names it). Events and interactivity share it.
 */
export function slackSignatureCheck(config: TSlackEventsDeps['config'], what: string) {
  const slack = config.reviewChannel;
  const secret = slack.mode === 'enabled' ? slack.signingSecret : undefined;
  if (slack.mode !== 'enabled' || !secret) throw new AppError('not_found', `${what} are not configured here.`);
  return {
    label: 'Slack',
    headerNames: { timestamp: 'x-slack-request-timestamp', signature: 'x-slack-signature' },
    isSigned: (parts: TSignatureParts) => isSlackSignatureValid({ secret, ...parts }),
  };
}

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

/** An event callback, as every listener reads it. */
export type TSlackEnvelope = {
  eventId: string;
  /** The workspace; absent from a callback that does not say (then 'T0'). */
  teamId: string;
  event: { type: string } & Record<string, unknown>;
  /** The app's own user ids (the envelope's authorizations marked is_bot). */
  botUsers: Set<string>;
};

/** One listener: its outcome for an event that is its own, null to hand it to the next one. */
export type TSlackEventListener<TDeps, TOutcome> = (args: { deps: TDeps; envelope: TSlackEnvelope }) => Promise<TOutcome | null>;

export type TSlackEventsDeps = {
  log: TLogger;
  /** The Slack app's signing secret (config.reviewChannel, with SLACK_SIGNING_SECRET); unset: the URL answers 404. */
  config: { reviewChannel: { mode: 'disabled' } | { mode: 'enabled'; signingSecret?: string } };
};

export type TSlackEventOutcome<TOutcome> = TOutcome | { type: 'challenge'; challenge: string } | { type: 'ignored'; reason: string };

/** Verifies and reads one callback, and hands an event to `listeners` in turn. 404 when Slack's events are not configured, 401 for a bad signature. */
export async function handleSlackEvent<TDeps extends TSlackEventsDeps, TListeners extends readonly TSlackEventListener<TDeps, { type: string }>[]>({
  deps,
  listeners,
  ...delivery
}: { deps: TDeps; listeners: TListeners } & TSignedDelivery): Promise<TSlackEventOutcome<NonNullable<Awaited<ReturnType<TListeners[number]>>>>> {
  // What Postgres cannot store (a NUL, an unpaired surrogate) is dropped from it (lib/shared/text.ts parseSignedJson).
  const json = readSignedJson({ delivery, ...slackSignatureCheck(deps.config, 'Slack events') });
  const parsed = ZEnvelope.safeParse(json);
  if (!parsed.success) return { type: 'ignored', reason: 'unhandled callback type' };
  const envelope = parsed.data;
  if (envelope.type === 'url_verification') return { type: 'challenge', challenge: envelope.challenge };
  if (envelope.type !== 'event_callback') return { type: 'ignored', reason: envelope.type };

  const botUsers = new Set(
    (envelope.authorizations ?? []).filter((entry) => entry.is_bot && entry.user_id).map((entry) => entry.user_id as string),
  );
  const read: TSlackEnvelope = { eventId: envelope.event_id, teamId: envelope.team_id ?? 'T0', event: envelope.event, botUsers };
  for (const listener of listeners) {
    const outcome = await listener({ deps, envelope: read });
    if (outcome) return outcome as NonNullable<Awaited<ReturnType<TListeners[number]>>>;
  }
  return { type: 'ignored', reason: `event ${envelope.event.type}` };
}
