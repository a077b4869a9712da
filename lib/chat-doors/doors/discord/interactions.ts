import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { enqueueQuestion, isTimestampFresh, readSignedJson, type TSignatureParts, type TSignedDelivery } from '../../intake';
import { setMessageVoteByDiscordButton } from '../../../db/discord';
import type { TDb } from '../../../db/types';
import { AppError, isAppError } from '../../../errors';
import { requestHandoffForChatAnswer, type THandoffDeps } from '../../../handoff/service';
import { isChatFeedbackRead, type TFeedbackReaders } from '../../door';
import { ZChatRunMode } from '../../modes';
import { renderChatHandoff } from '../../render';
import type { TLogger } from '../../../log';
import type { TPrivacy } from '../../../privacy/mask';
import { DISCORD_DOOR, ownerOfGuild, type TDiscordConfig } from './settings';

export { DISCORD_DOOR };
import { ASK_COMMAND, ASK_MESSAGE_COMMAND, HANDOFF_PREFIX, VOTE_PREFIX } from './commands';
import { DISCORD_SYNTAX } from './style';
import { askChoice, CHOICE_PREFIX, type TChoicePress } from './choices';
import { pressStop, stopRunIdOf } from './stop';
import { stopRefusal, type TStopDeps } from '../../stop';
import { NO_MENTIONS } from './client';

// POST /api/discord/interactions, within Discord's three seconds: verify, decide cheaply, write down, answer.
// Every interaction is signed: Ed25519 with the application's key over `{X-Signature-Timestamp}{raw body}`, sent
// as X-Signature-Ed25519 (hex). A wrong or missing signature, or a timestamp more than five minutes away (a
// replay), is 401 and changes nothing.
//
//   PING (type 1)                                   → PONG (type 1)
//   /ask question: (type 2), "Ask the docs" on a message → one inbox row (the interaction's id: a delivery
//                                                      repeated is the same row), then a deferred response
//                                                      (type 5); the door's worker answers it (./door.ts)
//   a 👍 / 👎 button under an answer (type 3)        → the clicker's vote on that answer, said back to them alone
//   a clarifying choice under an answer (type 3)     → its question asked again there, as /ask (./choices.ts)
//   Stop under a research run's progress (type 3)   → the run stopped, the message left to the door's worker
//                                                      (DEFERRED_UPDATE_MESSAGE, type 6; ./stop.ts)

export const DISCORD_SIGNATURE_WINDOW_SECONDS = 5 * 60;
const EPHEMERAL = 64;
/** Discord's channel types that are threads (announcement, public, private). */
const THREAD_CHANNEL_TYPES = new Set([10, 11, 12]);

/** The Ed25519 public key of the application (hex) as node:crypto takes it: its raw 32 bytes in an SPKI wrapper. */
function publicKeyOf(hex: string) {
  return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** True only for a valid signature of exactly these bytes by the application's key, made within the window around now. */
export function isDiscordSignatureValid({
  publicKey,
  timestamp,
  signature,
  body,
  nowMs = Date.now(),
}: TSignatureParts & { publicKey: string }): boolean {
  if (!isTimestampFresh(timestamp, nowMs, DISCORD_SIGNATURE_WINDOW_SECONDS)) return false;
  if (typeof signature !== 'string' || !/^[0-9a-fA-F]{128}$/.test(signature)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp), body]), publicKeyOf(publicKey), Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}

const ZUser = z.looseObject({ id: z.string().min(1).max(40) });

// An application command's options as Discord types them (its "Application Command Interaction Data Option"): the
// `type` says what `value` is, and Discord never sends another. A value of the wrong kind (an object, an array, a
// number for a string option) is not an interaction Discord sends: a 400, like any other malformed one.
const ZSnowflake = z.string().regex(/^\d{1,20}$/);
const optionBase = { name: z.string().min(1).max(32), focused: z.boolean().optional() };
const ZValueOption = z.discriminatedUnion('type', [
  z.looseObject({ ...optionBase, type: z.literal(3), value: z.string() }),
  z.looseObject({ ...optionBase, type: z.literal(4), value: z.number().int() }),
  z.looseObject({ ...optionBase, type: z.literal(5), value: z.boolean() }),
  // User, channel, role, mentionable, attachment: the id of the thing chosen.
  z.looseObject({ ...optionBase, type: z.union([z.literal(6), z.literal(7), z.literal(8), z.literal(9), z.literal(11)]), value: ZSnowflake }),
  z.looseObject({ ...optionBase, type: z.literal(10), value: z.number() }),
]);
const ZSubcommandOption = z.looseObject({ ...optionBase, type: z.literal(1), options: z.array(ZValueOption).max(25).optional() });
const ZOption = z.union([
  ZValueOption,
  ZSubcommandOption,
  z.looseObject({ ...optionBase, type: z.literal(2), options: z.array(ZSubcommandOption).max(25).optional() }),
]);
type TOption = z.infer<typeof ZOption>;
const ZInteraction = z.looseObject({
  id: z.string().min(1).max(40),
  application_id: z.string().min(1).max(40),
  type: z.number().int(),
  token: z.string().max(1000).optional(),
  guild_id: z.string().max(40).optional(),
  channel_id: z.string().max(40).optional(),
  // A thread's channel names its parent (the channel it was started in): DISCORD_AUDIENCES' mapping of that applies.
  channel: z.looseObject({ id: z.string().max(40), type: z.number().int().optional(), parent_id: z.string().max(40).nullish() }).optional(),
  member: z.looseObject({ user: ZUser }).optional(),
  user: ZUser.optional(),
  data: z
    .looseObject({
      name: z.string().max(100).optional(),
      type: z.number().int().optional(),
      options: z.array(ZOption).max(25).optional(),
      target_id: z.string().max(40).optional(),
      resolved: z.looseObject({ messages: z.record(z.string(), z.looseObject({ content: z.string().max(40_000).optional() })).optional() }).optional(),
      custom_id: z.string().max(100).optional(),
    })
    .optional(),
  // The message a pressed button is on (a component's interaction): Stop counts only on its run's own response.
  message: z.looseObject({ id: z.string().min(1).max(40) }).optional(),
});

export type TDiscordInteractionDeps = {
  db: TDb;
  log: TLogger;
  config: { chatDoors: { discord: TDiscordConfig }; limits: { maxMessageChars: number } } & Partial<THandoffDeps['config']> & TFeedbackReaders;
  privacy?: TPrivacy;
  /** Something was written to a door's inbox: work it soon, here or on another instance. */
  chatDoors: { wake(door: string): void };
  /** What a hand-off needs (lib/handoff); absent, the "Ask the maintainers" button says hand-offs are off. */
  handoffGithub?: THandoffDeps['handoffGithub'];
  reviewChannel?: THandoffDeps['reviewChannel'];
  sessionSecret?: string;
  /** Stop under a research run's progress cancels the run through the engine (lib/chat-doors/stop.ts). */
  engine: TStopDeps['engine'];
};

/** The JSON to answer Discord with. */
export type TInteractionResponse = { type: 1 } | { type: 5 } | { type: 6 } | { type: 4; data: { content: string; flags: number; allowed_mentions: { parse: string[] } } };

const say = (content: string): TInteractionResponse => ({ type: 4, data: { content, flags: EPHEMERAL, allowed_mentions: NO_MENTIONS } });

/** Verifies and handles one interaction. 404 when Discord is not configured, 401 for a bad signature. */
export async function handleDiscordInteraction({ deps, ...delivery }: { deps: TDiscordInteractionDeps } & TSignedDelivery): Promise<TInteractionResponse> {
  const discord = deps.config.chatDoors.discord;
  if (discord.mode !== 'enabled') throw new AppError('not_found', 'Discord interactions are not configured here.');
  const json = readSignedJson({
    delivery,
    label: 'Discord',
    headerNames: { timestamp: 'x-signature-timestamp', signature: 'x-signature-ed25519' },
    isSigned: (parts) => isDiscordSignatureValid({ publicKey: discord.publicKey, ...parts }),
  });
  // What Postgres cannot store (a NUL, an unpaired surrogate) is already dropped from it (lib/shared/text.ts parseSignedJson).
  const parsed = ZInteraction.safeParse(json);
  if (!parsed.success) throw new AppError('bad_request', 'Not an interaction Discord sends.');
  const interaction = parsed.data;
  if (interaction.type === 1) return { type: 1 };
  if (interaction.application_id !== discord.applicationId) throw new AppError('bad_request', 'The interaction is for another application.');
  const user = interaction.member?.user.id ?? interaction.user?.id;
  const channelId = interaction.channel_id ?? interaction.channel?.id;
  if (!user || !channelId) throw new AppError('bad_request', 'The interaction names no user or channel.');
  const isInThread = THREAD_CHANNEL_TYPES.has(interaction.channel?.type ?? -1);
  if (interaction.type === 3) {
    const press: TChoicePress | null = interaction.token
      ? {
          interactionId: interaction.id,
          applicationId: interaction.application_id,
          token: interaction.token,
          user,
          channelId,
          isInThread,
          ...(interaction.guild_id ? { guildId: interaction.guild_id } : {}),
          ...(interaction.channel?.parent_id ? { parentChannelId: interaction.channel.parent_id } : {}),
        }
      : null;
    const customId = interaction.data?.custom_id ?? '';
    const stopRunId = stopRunIdOf(customId);
    if (stopRunId !== null) {
      if (!interaction.message) return say(stopRefusal('gone', 'person'));
      const outcome = await pressStop({ deps, runId: stopRunId, messageId: interaction.message.id, owner: ownerOfGuild(interaction.guild_id), user });
      // Stopped: acknowledged without touching the message, which the door's worker rewrites (./stop.ts).
      return 'say' in outcome ? say(outcome.say) : { type: 6 };
    }
    return handleButton({ deps, customId, user, press });
  }
  if (interaction.type !== 2 || !interaction.token) return say('I only know `/ask` and "Ask the docs".');

  const data = interaction.data ?? {};
  const kind = data.name === ASK_COMMAND.name ? 'ask' : data.name === ASK_MESSAGE_COMMAND.name ? 'ask_message' : null;
  if (!kind) return say('I only know `/ask` and "Ask the docs".');
  const option: TOption | undefined = kind === 'ask' ? data.options?.find((item) => item.name === 'question') : undefined;
  // `question` is a string option (./commands.ts); a command registered otherwise sends another kind.
  if (option && option.type !== 3) return say('I only take text: ask with `/ask question: …`.');
  // `mode` is a string option with two choices (./commands.ts); anything else is refused, never read as quick.
  const modeOption = kind === 'ask' ? data.options?.find((item) => item.name === 'mode') : undefined;
  const mode = modeOption === undefined ? { success: true as const, data: 'quick' as const } : ZChatRunMode.safeParse(modeOption.type === 3 ? modeOption.value : undefined);
  if (!mode.success) return say('`mode` is `research` or `quick`.');
  const raw = kind === 'ask' ? (option?.value ?? '') : (data.resolved?.messages?.[data.target_id ?? '']?.content ?? '');
  const question = raw.replace(/<@[!&]?\d+>/g, ' ').replace(/[ \t]+/g, ' ').trim();
  if (question === '') return say(kind === 'ask' ? 'Ask me a question about the docs: `/ask question: …`' : 'That message has no text to ask about.');
  if (question.length > deps.config.limits.maxMessageChars) return say(`Questions are at most ${deps.config.limits.maxMessageChars} characters.`);
  const status = await enqueueQuestion({
    deps,
    wake: () => deps.chatDoors.wake(DISCORD_DOOR),
    delivery: {
      door: DISCORD_DOOR,
      deliveryId: interaction.id,
      kind,
      conversationKey: channelId,
      // A question asked in a Discord thread (one conversation) waits for the thread's earlier ones; one in a
      // channel or a DM starts a conversation of its own and waits for nobody.
      queueKey: isInThread ? channelId : null,
      asker: user,
      text: question,
      metadata: { discord_in_thread: isInThread },
      doorData: {
        application_id: interaction.application_id,
        channel_id: channelId,
        ...(mode.data === 'research' ? { mode: 'research' } : {}),
        ...(interaction.guild_id ? { guild_id: interaction.guild_id } : {}),
        // A thread reads what its parent channel is mapped to (a channel's own parent is its category: not taken).
        ...(isInThread && interaction.channel?.parent_id ? { parent_channel_id: interaction.channel.parent_id } : {}),
      },
      secret: interaction.token,
    },
  });
  if (status === 'duplicate') deps.log.info({ interactionId: interaction.id }, 'discord: an interaction delivered again; answered once');
  return { type: 5 };
}

async function handleButton({ deps, customId, user, press }: { deps: TDiscordInteractionDeps; customId: string; user: string; press: TChoicePress | null }): Promise<TInteractionResponse> {
  const choice = new RegExp(`^${CHOICE_PREFIX}:(\\d):(msg_[A-Za-z0-9_-]{1,80})$`).exec(customId);
  if (choice) {
    if (!press) return say('That button is not mine any more.');
    const outcome = await askChoice({ deps, index: Number(choice[1]), messageId: choice[2] as string, press });
    // Asked: Discord shows "thinking…" until the door's worker writes the answer as this interaction's response.
    return 'say' in outcome ? say(outcome.say) : { type: 5 };
  }
  const handoff = new RegExp(`^${HANDOFF_PREFIX}:(msg_[A-Za-z0-9_-]{1,80})$`).exec(customId);
  if (handoff) return handleHandoffButton({ deps, messageId: handoff[1] as string, user });
  const match = new RegExp(`^${VOTE_PREFIX}:(up|down):(msg_[A-Za-z0-9_-]{1,80})$`).exec(customId);
  if (!match) return say('That button is not mine any more.');
  const vote = match[1] as 'up' | 'down';
  const result = await setMessageVoteByDiscordButton({ db: deps.db, messageId: match[2] as string, voter: discordVoter(user), vote });
  if (result.status !== 'set') return say('That answer is gone, so it cannot take a vote.');
  deps.log.info({ threadId: result.thread_id, messageId: result.message_id, vote }, 'vote from a Discord button');
  // Said as configured: "for the maintainers" only where someone reads votes (isChatFeedbackRead: the review channel, the dashboard's token, the digest).
  const whose = isChatFeedbackRead(deps.config, { isInReviewChannel: true }) ? ' for the maintainers' : '';
  return say(vote === 'up' ? `Thanks! Your 👍 is counted${whose}.` : `Thanks — your 👎 is counted${whose}.`);
}

/** Who a Discord user is as a voter: one vote per answer per user, as one per session on the site. */
export function discordVoter(userId: string): string {
  return `discord:${userId}`;
}

/** "Ask the maintainers" under an answer: the answer's conversation handed to the maintainers, said back to the clicker alone. */
async function handleHandoffButton({ deps, messageId, user }: { deps: TDiscordInteractionDeps; messageId: string; user: string }): Promise<TInteractionResponse> {
  const { siteUrl, rateLimits } = deps.config;
  if (siteUrl === undefined || rateLimits === undefined || deps.reviewChannel === undefined) return say('This server does not hand conversations to its maintainers.');
  try {
    const view = await requestHandoffForChatAnswer({
      deps: { ...deps, config: { ...deps.config, siteUrl, rateLimits }, handoffGithub: deps.handoffGithub ?? null, reviewChannel: deps.reviewChannel },
      messageId,
      ownerPrefix: 'discord:',
      clicker: discordVoter(user),
    });
    if (view) deps.log.info({ messageId, channel: view.channel }, 'handoff from a Discord button');
    return say(renderChatHandoff(DISCORD_SYNTAX, view, siteUrl));
  } catch (error) {
    if (isAppError(error) && error.status < 500) return say(error.code === 'handoff_not_configured' ? 'This server does not hand conversations to its maintainers.' : error.message);
    deps.log.warn({ messageId, err: error instanceof Error ? error.message : String(error) }, 'discord: the hand-off failed');
    return say('Could not reach the maintainers just now. Try again in a moment.');
  }
}
