import { z } from 'zod';
import { assertSigned, type TSignedDelivery } from '../chat-doors/intake';
import { AppError } from '../errors';
import { parseSignedJson } from '../shared/text';
import { slackSignatureCheck, type TSlackEventsDeps } from './events';

// Slack's interactivity, as POST /api/slack/interactivity receives it (the Slack app's Interactivity Request URL): a
// click on a button of a message the app posted. Signed as every Slack callback is (v0, ./events.ts: 401 for a wrong or
// missing signature, or one more than five minutes old), sent as `application/x-www-form-urlencoded` with one field,
// `payload`, whose value is the JSON of the interaction. A `block_actions` payload is read here and handed to the
// listeners in turn (the route names them: the Slack door's "Ask the maintainers"); what the listener has to say to
// the member who clicked goes back as an ephemeral message through the payload's `response_url`, which only
// Slack's hooks (or the configured SLACK_API_URL's origin, a proxy or a test's fake) may be. Slack ignores the HTTP
// answer's body for block_actions and wants it within three seconds.

/** Where Slack's response_url points. */
const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';
const RESPONSE_TIMEOUT_MS = 5000;

const ZId = z.string().min(1).max(40);
const ZBlockActions = z.looseObject({
  type: z.literal('block_actions'),
  team: z.looseObject({ id: ZId }).nullable().optional(),
  user: z.looseObject({ id: ZId, team_id: ZId.optional() }),
  container: z.looseObject({ type: z.string().max(40), channel_id: ZId.optional(), message_ts: ZId.optional(), thread_ts: ZId.optional() }).optional(),
  channel: z.looseObject({ id: ZId }).nullable().optional(),
  // The message the button is on, as Slack sends it back: its text and blocks (what a listener may rewrite).
  message: z
    .looseObject({ ts: ZId, thread_ts: ZId.optional(), text: z.string().max(40_000).optional(), blocks: z.array(z.looseObject({ type: z.string().max(40) })).max(50).optional() })
    .optional(),
  response_url: z.url().max(2000).optional(),
  actions: z.array(z.looseObject({ action_id: z.string().min(1).max(255), value: z.string().max(2000).optional() })).min(1).max(25),
});
const ZKind = z.looseObject({ type: z.string().max(100) });

/** A click on a button of a message the app posted, as every listener reads it. */
export type TSlackAction = {
  teamId: string;
  /** The member who clicked. */
  userId: string;
  channelId: string;
  /** The message the button is on, and the Slack thread it is in (its own ts when it is not in a thread). */
  messageTs: string;
  threadTs: string;
  actionId: string;
  value: string | null;
  /** The message's text and Block Kit blocks as Slack sent them with the click; null when the payload has none. */
  message: { text: string; blocks: Record<string, unknown>[] } | null;
};

/**
 * What a listener has to say: `reply`, to the member who clicked alone; `replaceMessage`, the message the button is on
 * rewritten for everyone (its text and blocks: Slack's response_url with replace_original, the way Slack updates the
 * message an interaction came from).
 */
export type TSlackActionOutcome = { reply: string; replaceMessage?: { text: string; blocks: Record<string, unknown>[] } };

/** One listener: what to tell the member who clicked, for an action that is its own; null to hand it to the next one. */
export type TSlackActionListener<TDeps> = (args: { deps: TDeps; action: TSlackAction }) => Promise<TSlackActionOutcome | null>;

export type TSlackInteractivityDeps = TSlackEventsDeps & {
  config: TSlackEventsDeps['config'] & { reviewChannel: { mode: 'disabled' } | { mode: 'enabled'; apiUrl?: string } };
  fetchImpl?: typeof fetch;
};

export type TSlackInteractionOutcome = { type: 'answered'; actionId: string } | { type: 'ignored'; reason: string };

/** Verifies and reads one interaction, and hands its action to `listeners` in turn. 404 when Slack's callbacks are not configured, 401 for a bad signature, 400 for a body without its `payload` JSON. */
export async function handleSlackInteraction<TDeps extends TSlackInteractivityDeps>({
  deps,
  listeners,
  ...delivery
}: { deps: TDeps; listeners: readonly TSlackActionListener<TDeps>[] } & TSignedDelivery): Promise<TSlackInteractionOutcome> {
  assertSigned({ delivery, ...slackSignatureCheck(deps.config, 'Slack interactions') });
  // What Postgres cannot store is dropped from it (lib/shared/text.ts parseSignedJson). A payload of another shape
  // than Slack's is acknowledged and dropped, nothing read from it.
  const payload = readPayloadField(delivery.body);
  const kind = ZKind.safeParse(payload);
  if (!kind.success) return { type: 'ignored', reason: 'not an interaction' };
  if (kind.data.type !== 'block_actions') return { type: 'ignored', reason: `interaction ${kind.data.type}` };
  const parsed = ZBlockActions.safeParse(payload);
  if (!parsed.success) {
    deps.log.warn({ issue: parsed.error.issues[0]?.path.join('.') }, 'Slack interaction dropped: not a block_actions payload Slack sends');
    return { type: 'ignored', reason: 'malformed block_actions' };
  }
  const interaction = parsed.data;
  const teamId = interaction.team?.id ?? interaction.user.team_id;
  const channelId = interaction.container?.channel_id ?? interaction.channel?.id;
  const messageTs = interaction.container?.message_ts ?? interaction.message?.ts;
  const first = interaction.actions[0];
  if (!teamId || !channelId || !messageTs || !first) return { type: 'ignored', reason: 'not an action on a message' };
  const action: TSlackAction = {
    teamId,
    userId: interaction.user.id,
    channelId,
    messageTs,
    threadTs: interaction.container?.thread_ts ?? interaction.message?.thread_ts ?? messageTs,
    actionId: first.action_id,
    value: first.value ?? null,
    message: interaction.message?.text !== undefined && interaction.message.blocks ? { text: interaction.message.text, blocks: interaction.message.blocks } : null,
  };
  for (const listener of listeners) {
    const outcome = await listener({ deps, action });
    if (!outcome) continue;
    if (interaction.response_url && outcome.replaceMessage) {
      await respond({ deps, responseUrl: interaction.response_url, body: { replace_original: true, ...outcome.replaceMessage } });
    }
    if (interaction.response_url) await respond({ deps, responseUrl: interaction.response_url, body: { response_type: 'ephemeral', replace_original: false, text: outcome.reply } });
    return { type: 'answered', actionId: action.actionId };
  }
  return { type: 'ignored', reason: `action ${action.actionId}` };
}

/** The form's one field, `payload`, as JSON (parseSignedJson): 400 for a body without it or with other JSON. */
function readPayloadField(body: Buffer): unknown {
  const field = new URLSearchParams(body.toString('utf8')).get('payload');
  if (field === null) throw new AppError('bad_request', 'payload: required (Slack sends the interaction as a form field named payload).', { param: 'payload' });
  try {
    return parseSignedJson(field);
  } catch {
    throw new AppError('bad_request', 'payload: not valid JSON.', { param: 'payload' });
  }
}

/**
 * A message through the interaction's response_url (Slack's hooks, or SLACK_API_URL's origin): what the clicking
 * member alone sees (ephemeral), or the clicked message rewritten (replace_original).
 */
async function respond({ deps, responseUrl, body }: { deps: TSlackInteractivityDeps; responseUrl: string; body: Record<string, unknown> }): Promise<void> {
  const slack = deps.config.reviewChannel;
  const allowed = new Set([SLACK_HOOKS_ORIGIN, ...(slack.mode === 'enabled' && slack.apiUrl && URL.canParse(slack.apiUrl) ? [new URL(slack.apiUrl).origin] : [])]);
  const origin = URL.canParse(responseUrl) ? new URL(responseUrl).origin : '';
  if (!allowed.has(origin)) {
    deps.log.warn({ origin }, 'slack: an interaction named a response_url that is not Slack’s; nothing was said back');
    return;
  }
  try {
    const response = await (deps.fetchImpl ?? fetch)(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
    });
    if (!response.ok) deps.log.warn({ status: response.status, isReplace: body.replace_original === true }, 'slack: the response_url refused the reply');
  } catch (error) {
    deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'slack: could not reach the response_url');
  }
}
