import { brandError, hasBrand } from '../brand';
import { sendMessageForCaller, type TAssistantDeps } from '../assistant/service';
import type { TConfig } from '../config';
import { linkDiscordConversation, openDiscordConversation, updateDiscordInteractionById, type TDiscordInteractionChanges, type TDiscordInteractionRow } from '../db/discord';
import { listMessagesByThread } from '../db/messages';
import type { TMessageRow, TRunRow } from '../db/rows';
import { isAppError } from '../errors';
import { isTerminalRunStatus } from '../shared/runs';
import { titleFromQuestion } from '../shared/titles';
import { isDiscordApiError, type TDiscordApi, type TDiscordMessageBody } from './client';
import { VOTE_PREFIX } from './commands';
import { discordVoter } from './interactions';
import { renderAnswer, renderProgress, renderRefusal, renderRunEnded, SEARCHING_TEXT, splitMessage } from './render';

// One interaction's life, step by step, by the worker that holds its row's lease (./worker.ts). Each step is
// written to the row before the next starts, so that whichever instance takes the row next goes on from there:
// the deferred response says "Searching the docs…"; asked in a server channel, a thread is started from it
// (an `/ask` in that thread later continues the conversation: interactions are all the app hears, no Gateway);
// the question's run (the site's run engine, limits, moderation and masking: lib/assistant/service.ts); the
// response edited as the answer grows, at most once every updateIntervalMs; then the answer with its sources, in
// as many messages as 2,000 characters each need (the rest as follow-ups: in the thread when there is one), the
// last with 👍 / 👎 buttons.

export type TDiscordAnswersDeps = TAssistantDeps & {
  config: TAssistantDeps['config'] & Pick<TConfig, 'siteUrl'>;
  discordApi: TDiscordApi;
};

export type TDiscordStepContext = {
  deps: TDiscordAnswersDeps;
  worker: string;
  /** Aborted when this worker lost the row's lease: another worker carries on. */
  lease: AbortSignal;
  /** Discord's rate limit as this worker last heard it: progress edits wait it out (the final ones are retried). */
  rateLimit: { isPaused(): boolean; pauseFor(ms: number): void };
  updateIntervalMs: number;
};

/** Stops a row's steps: the lease is lost (`delayMs` null), or the row should be tried again after `delayMs`. */
export class DiscordStepError extends Error {
  override name = 'DiscordStepError';
  constructor(
    message: string,
    readonly delayMs: number | null,
  ) {
    super(message);
    brandError(this, 'DiscordStepError');
  }
}

export function isDiscordStepError(error: unknown): error is DiscordStepError {
  return hasBrand(error, 'DiscordStepError');
}

export const UPDATE_INTERVAL_MS = 1200;
const BUSY_THREAD_DELAY_MS = 1500;
/** Discord's limit on a thread's name. */
const MAX_THREAD_NAME = 100;

export const ownerOfGuild = (guildId: string | null) => `discord:${guildId ?? '@me'}`;

export async function driveInteraction(context: TDiscordStepContext, given: TDiscordInteractionRow): Promise<void> {
  let row = given;
  const threadId = row.thread_id ?? row.conversation?.thread_id ?? (await openConversation(context, row));
  if (!row.thread_id) row = await step(context, row, { thread_id: threadId });
  if (!row.message_id) {
    const message = await editOriginal(context, row, { content: SEARCHING_TEXT });
    row = await step(context, row, { message_id: message.id, posted_text: SEARCHING_TEXT });
  }
  if (row.discord_thread_id === null) row = await step(context, row, { discord_thread_id: await startThread(context, row, threadId) });
  if (!row.run_id) {
    const started = await startRun(context, row, threadId);
    if (started.type === 'refused') {
      await editOriginal(context, row, { content: started.text });
      await step(context, row, { status: 'done', outcome: 'refused', posted_text: started.text });
      return;
    }
    row = await step(context, row, { run_id: started.runId });
  }
  await followRun(context, row, threadId, row.run_id as string);
}

async function openConversation(context: TDiscordStepContext, row: TDiscordInteractionRow): Promise<string> {
  const opened = await openDiscordConversation({
    db: context.deps.db,
    channelId: row.channel_id,
    guildId: row.guild_id,
    metadata: { threadTitle: titleFromQuestion(row.text), source: 'discord', discord_channel: row.channel_id, ...(row.guild_id ? { discord_guild: row.guild_id } : {}) },
  });
  return opened.thread_id;
}

/**
 * The Discord thread the conversation goes on in: the one it was asked in, a new one started from the response
 * (a question in a server channel), or none ('': a direct message, or the bot may not create threads there).
 */
async function startThread(context: TDiscordStepContext, row: TDiscordInteractionRow, threadId: string): Promise<string> {
  const { deps } = context;
  if (row.metadata.discord_in_thread === true || row.conversation) {
    await linkDiscordConversation({ db: deps.db, channelId: row.channel_id, guildId: row.guild_id, threadId, asker: row.discord_user });
    return row.channel_id;
  }
  if (!row.guild_id || !row.message_id) return '';
  try {
    const name = titleFromQuestion(row.text).slice(0, MAX_THREAD_NAME) || 'Question';
    const thread = await discordCall(context, () => deps.discordApi.startThread({ channelId: row.channel_id, messageId: row.message_id as string, name }));
    await linkDiscordConversation({ db: deps.db, channelId: thread.id, guildId: row.guild_id, threadId, asker: row.discord_user });
    return thread.id;
  } catch (error) {
    // Without "Create Public Threads" the answer still comes, in the channel; anything passing is retried.
    if (!isDiscordApiError(error) || error.failure !== 'permanent') throw error;
    deps.log.warn({ interactionId: row.id, reason: error.message }, 'discord: could not start a thread; answering in the channel');
    return '';
  }
}

type TStart = { type: 'started'; runId: string } | { type: 'refused'; text: string };

async function startRun(context: TDiscordStepContext, row: TDiscordInteractionRow, threadId: string): Promise<TStart> {
  // No proof-of-work challenge in Discord (no sessionSecret): a user near a limit is refused as an API client is.
  const deps = { ...context.deps, sessionSecret: undefined };
  const client = { sessionId: discordVoter(row.discord_user), ip: ownerOfGuild(row.guild_id) };
  try {
    const { run } = await sendMessageForCaller({
      deps,
      owner: ownerOfGuild(row.guild_id),
      client,
      threadId,
      text: row.text,
      isWaiting: false,
      messageMetadata: { ...row.metadata, discord_interaction_id: row.id, discord_user: row.discord_user },
    });
    return { type: 'started', runId: run.id };
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error.code === 'conflict') throw new DiscordStepError('a run is active in the thread', BUSY_THREAD_DELAY_MS);
    return { type: 'refused', text: renderRefusal(error.message) };
  }
}

async function followRun(context: TDiscordStepContext, row: TDiscordInteractionRow, threadId: string, runId: string): Promise<void> {
  const { deps } = context;
  const owner = ownerOfGuild(row.guild_id);
  const changes = deps.engine.subscribe(runId);
  let shown = row.posted_text;
  let shownAt = 0;
  try {
    for (;;) {
      if (context.lease.aborted) throw new DiscordStepError('lease lost', null);
      const run = await deps.engine.readRunAndAdvance({ owner, threadId, runId });
      if (isTerminalRunStatus(run.status)) return await finishRun(context, row, threadId, run);
      const text = renderProgress({ draft: deps.engine.getLiveDraft(runId)?.text, siteUrl: deps.config.siteUrl });
      if (text !== shown && Date.now() - shownAt >= context.updateIntervalMs && !context.rateLimit.isPaused()) {
        shownAt = Date.now();
        // Progress is best effort: a failed edit is overtaken by the next one, and the last one is retried.
        await editOriginal(context, row, { content: text }).then(
          () => (shown = text),
          (error: unknown) => deps.log.debug({ err: error, interactionId: row.id }, 'discord: a progress edit failed'),
        );
      }
      await changes.wait(Math.max(200, context.updateIntervalMs - (Date.now() - shownAt)), context.lease);
    }
  } finally {
    changes.close();
  }
}

async function finishRun(context: TDiscordStepContext, row: TDiscordInteractionRow, threadId: string, run: TRunRow): Promise<void> {
  const { deps } = context;
  const messages = await listMessagesByThread({ db: deps.db, owner: ownerOfGuild(row.guild_id), threadId, limit: 20, order: 'desc' });
  const answer = messages.data.find((message) => message.role === 'assistant' && message.run_id === run.id);
  const isAnswered = run.status === 'completed' && answer !== undefined;
  const text = isAnswered
    ? renderAnswer({ answer, question: row.text, siteUrl: deps.config.siteUrl })
    : renderRunEnded({ run, partial: answer ? answer.content.map((part) => part.text.value).join('\n\n') : null, siteUrl: deps.config.siteUrl });
  const parts = splitMessage(text);
  const buttons = isAnswered && answer.metadata?.refusal !== true ? voteButtons(answer) : undefined;
  const bodyOf = (index: number): TDiscordMessageBody => ({ content: parts[index] as string, ...(index === parts.length - 1 && buttons ? { components: buttons } : { components: [] }) });
  if (row.posted_parts === 0) {
    await editOriginal(context, row, bodyOf(0));
    row = await step(context, row, { posted_parts: 1, posted_text: parts[0] });
  }
  for (let index = row.posted_parts; index < parts.length; index++) {
    const body = bodyOf(index);
    const threadChannel = row.discord_thread_id;
    const token = row.token;
    const postFollowUp = () => discordCall(context, () => deps.discordApi.postFollowUp({ token, body }));
    if (threadChannel && threadChannel !== row.channel_id) {
      // Without "Send Messages in Threads" the rest still comes, as the interaction's follow-ups.
      await discordCall(context, () => deps.discordApi.postMessage({ channelId: threadChannel, body })).catch((error: unknown) => {
        if (!isDiscordApiError(error) || error.failure !== 'permanent') throw error;
        deps.log.warn({ interactionId: row.id, reason: error.message }, 'discord: could not post in the thread; following up in the channel');
        return postFollowUp();
      });
    } else await postFollowUp();
    row = await step(context, row, { posted_parts: index + 1 });
  }
  await step(context, row, { status: 'done', outcome: isAnswered ? 'answered' : 'apologized' });
}

/** 👍 / 👎 under an answer; the custom_id names the answer (the votes' key), never the reader. */
function voteButtons(answer: TMessageRow): unknown[] {
  const button = (vote: 'up' | 'down', emoji: string, label: string) => ({ type: 2, style: 2, emoji: { name: emoji }, label, custom_id: `${VOTE_PREFIX}:${vote}:${answer.id}` });
  return [{ type: 1, components: [button('up', '👍', 'Helpful'), button('down', '👎', 'Not helpful')] }];
}

function editOriginal(context: TDiscordStepContext, row: TDiscordInteractionRow, body: TDiscordMessageBody) {
  return discordCall(context, () => context.deps.discordApi.editOriginal({ token: row.token, body }));
}

/** A Discord call; a rate limit pauses this worker's progress edits for as long as Discord says. */
async function discordCall<T>(context: TDiscordStepContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isDiscordApiError(error) && error.failure === 'rate_limited' && error.retryAfterMs) context.rateLimit.pauseFor(error.retryAfterMs);
    throw error;
  }
}

/** Writes a step to the row; the row as it is now. Stops when the lease was lost. */
async function step(context: TDiscordStepContext, row: TDiscordInteractionRow, changes: TDiscordInteractionChanges): Promise<TDiscordInteractionRow> {
  const updated = await updateDiscordInteractionById({ db: context.deps.db, id: row.id, worker: context.worker, changes });
  if (!updated) throw new DiscordStepError('lease lost', null);
  return updated;
}
