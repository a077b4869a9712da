import { z } from 'zod';
import { assertSigned, type TSignedDelivery } from '../chat-doors/intake';
import { AppError } from '../errors';
import { findUnstorable } from '../http/input';
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
  message: z.looseObject({ ts: ZId, thread_ts: ZId.optional() }).optional(),
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
};

/** One listener: what to tell the member who clicked, for an action that is its own; null to hand it to the next one. */
export type TSlackActionListener<TDeps> = (args: { deps: TDeps; action: TSlackAction }) => Promise<{ reply: string } | null>;

export type TSlackInteractivityDeps = TSlackEventsDeps & {
  config: TSlackEventsDeps['config'] & { slack: { mode: 'disabled' } | { mode: 'enabled'; apiUrl?: string } };
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
  const payload = readPayloadField(delivery.body);
  // Slack never sends a NUL or a lone surrogate, nor a payload of another shape: such a click is acknowledged and
  // dropped (as ./events.ts drops such a callback), nothing read from it.
  const unstorable = findUnstorable(payload);
  if (unstorable) {
    deps.log.warn({ problem: unstorable }, 'Slack interaction dropped: its payload cannot be stored');
    return { type: 'ignored', reason: `payload ${unstorable}` };
  }
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
  };
  for (const listener of listeners) {
    const outcome = await listener({ deps, action });
    if (!outcome) continue;
    if (interaction.response_url) await respondEphemeral({ deps, responseUrl: interaction.response_url, text: outcome.reply });
    return { type: 'answered', actionId: action.actionId };
  }
  return { type: 'ignored', reason: `action ${action.actionId}` };
}

/** The form's one field, `payload`, as JSON: 400 for a body without it or with other JSON. */
function readPayloadField(body: Buffer): unknown {
  const field = new URLSearchParams(body.toString('utf8')).get('payload');
  if (field === null) throw new AppError('bad_request', 'payload: required (Slack sends the interaction as a form field named payload).', { param: 'payload' });
  try {
    return JSON.parse(field) as unknown;
  } catch {
    throw new AppError('bad_request', 'payload: not valid JSON.', { param: 'payload' });
  }
}

/** What the clicking member alone sees, through the interaction's response_url (Slack's hooks, or SLACK_API_URL's origin). */
async function respondEphemeral({ deps, responseUrl, text }: { deps: TSlackInteractivityDeps; responseUrl: string; text: string }): Promise<void> {
  const slack = deps.config.slack;
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
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
    });
    if (!response.ok) deps.log.warn({ status: response.status }, 'slack: the response_url refused the ephemeral reply');
  } catch (error) {
    deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'slack: could not reach the response_url');
  }
}
