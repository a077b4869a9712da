import type { TConfig } from '../../config';
import { brandError, hasBrand } from '../../brand';
import { rerunMessageForCaller, sendMessageForCaller, type TAssistantDeps } from '../../assistant/service';
import { listMessagesByThread } from '../../db/messages';
import type { TRunRow } from '../../db/rows';
import { getLatestRunByThread } from '../../db/runs';
import { addMaintainerReplyBySlackConversation, openSlackConversation, updateSlackInboxById, type TSlackInboxChanges, type TSlackInboxRow } from '../../db/slack-answers';
import { isAppError } from '../../errors';
import { isTerminalRunStatus } from '../../shared/runs';
import { titleFromQuestion } from '../../shared/titles';
import { classifySlackError, type TSlackTransport } from '../client';
import { DEFAULT_PRIVACY } from '../../privacy/mask';
import { FALLBACK_MAINTAINER_NAME, maintainerAnswerProposal } from '../text';
import { slackVoter } from './intake';
import type { TMaintainerDirectory } from './maintainers';
import { HINT_TEXT, isRetryRequest, renderAnswer, renderProgress, renderRefusal, renderRunEnded, SEARCHING_TEXT } from './render';

// One inbox row's life, step by step, by the worker that holds its lease (./worker.ts). Each step is written to
// the row before the next one starts, so that whichever instance takes the row next (after a crash, a restart,
// a Slack failure) goes on from there: a thread message is sorted (a maintainer's reply, the asker's follow-up, or
// nothing); a question gets its "Searching the docs…" reply, then its run (the site's run engine, limits,
// moderation and masking: lib/assistant/service.ts), then the reply is updated as the answer is written, at
// most once every UPDATE_INTERVAL_MS, and a last time with the answer and its sources, or an apology.

export type TSlackAnswersDeps = TAssistantDeps & {
  config: TAssistantDeps['config'] & Pick<TConfig, 'siteUrl'>;
  transport: Pick<TSlackTransport, 'postMessage' | 'updateMessage'>;
  getUserName(userId: string): Promise<string | null>;
  maintainers: TMaintainerDirectory;
  followUps: 'asker' | 'mention';
};

export type TStepContext = {
  deps: TSlackAnswersDeps;
  worker: string;
  /** Aborted when this worker lost the row's lease: another worker carries on. */
  lease: AbortSignal;
  /** Slack's rate limit for the workspace: progress updates wait it out (the last update is retried). */
  rateLimit: { isPaused(): boolean; pauseFor(ms: number): void };
  updateIntervalMs: number;
};

/** Stops a row's steps: the lease is lost (`delayMs` null), or the row should be tried again after `delayMs`. */
export class InboxStepError extends Error {
  override name = 'InboxStepError';
  constructor(
    message: string,
    readonly delayMs: number | null,
  ) {
    super(message);
    brandError(this, 'InboxStepError');
  }
}

export function isInboxStepError(error: unknown): error is InboxStepError {
  return hasBrand(error, 'InboxStepError');
}

export const UPDATE_INTERVAL_MS = 1000;
/** A thread's earlier question is still being answered (by the site door, say): its turn comes soon. */
const BUSY_THREAD_DELAY_MS = 1500;
const ENDED_STATUSES = new Set(['failed', 'incomplete', 'expired', 'cancelled']);

export const ownerOfTeam = (teamId: string) => `slack:${teamId}`;

export async function driveInboxRow(context: TStepContext, given: TSlackInboxRow): Promise<void> {
  let row: TSlackInboxRow | null = given;
  if (row.kind === 'thread_message') row = await sortThreadMessage(context, row);
  if (!row) return;
  if (row.text.trim() === '') {
    if (row.reply_ts) await updateReply(context, row, HINT_TEXT);
    const replyTs = row.reply_ts ?? (await postReply(context, row, HINT_TEXT));
    await step(context, row, { status: 'done', outcome: 'hint', posted_text: HINT_TEXT, reply_ts: replyTs });
    return;
  }
  if (!row.reply_ts) row = await step(context, row, { reply_ts: await postReply(context, row, SEARCHING_TEXT), posted_text: SEARCHING_TEXT });
  const threadId = row.thread_id ?? row.conversation?.thread_id ?? (await openConversation(context, row));
  if (!row.run_id) {
    const started = await startRun(context, row, threadId);
    if (started.type === 'refused') {
      await updateReply(context, row, started.text);
      await step(context, row, { status: 'done', outcome: 'refused', posted_text: started.text, thread_id: threadId });
      return;
    }
    row = await step(context, row, { run_id: started.runId, thread_id: threadId });
  }
  await followRun(context, row, threadId, row.run_id as string);
}

/** A message in an answered thread without a mention: a maintainer's reply, the asker's follow-up, or not the app's. */
async function sortThreadMessage(context: TStepContext, row: TSlackInboxRow): Promise<TSlackInboxRow | null> {
  const { deps } = context;
  if (await deps.maintainers.isMaintainer(row.slack_user)) {
    const name = await deps.getUserName(row.slack_user);
    const result = await addMaintainerReplyBySlackConversation({
      db: deps.db,
      teamId: row.team_id,
      channelId: row.channel_id,
      threadTs: row.thread_ts,
      slackTs: row.message_ts,
      text: row.text,
      author: { name: name ?? FALLBACK_MAINTAINER_NAME, slackUser: row.slack_user },
      // The row's text is masked already (./intake.ts); the proposal also leaves out the people it names.
      proposal: maintainerAnswerProposal(row.text, deps.privacy ?? DEFAULT_PRIVACY),
    });
    if (result.status === 'added') deps.log.info({ threadId: result.message.thread_id, messageId: result.message.id }, 'maintainer reply in an answered Slack thread');
    await step(context, row, { status: 'done', outcome: result.status === 'added' ? 'maintainer_reply' : 'ignored' });
    return null;
  }
  if (deps.followUps === 'asker' && row.conversation?.asker === row.slack_user) return step(context, row, { kind: 'question' });
  await step(context, row, { status: 'done', outcome: 'ignored' });
  return null;
}

async function openConversation(context: TStepContext, row: TSlackInboxRow): Promise<string> {
  const opened = await openSlackConversation({
    db: context.deps.db,
    teamId: row.team_id,
    channelId: row.channel_id,
    threadTs: row.thread_ts,
    channelType: row.channel_type,
    asker: row.slack_user,
    metadata: { threadTitle: titleFromQuestion(row.text), source: 'slack', slack_channel: row.channel_id, slack_channel_type: row.channel_type },
  });
  return opened.thread_id;
}

type TStart = { type: 'started'; runId: string } | { type: 'refused'; text: string };

/** The question's run, through the same service as the site's messages; a limit's refusal is the reply. */
async function startRun(context: TStepContext, row: TSlackInboxRow, threadId: string): Promise<TStart> {
  // No proof-of-work challenge in Slack (no sessionSecret): a Slack member near a limit is refused as an API client is.
  const deps = { ...context.deps, sessionSecret: undefined };
  const owner = ownerOfTeam(row.team_id);
  // Per Slack member, as per session on the site; the workspace as a whole is the "address".
  const client = { sessionId: slackVoter(row.team_id, row.slack_user), ip: `slack:${row.team_id}` };
  try {
    if (isRetryRequest(row.text)) {
      const retried = await retryLastQuestion({ deps, owner, client, threadId });
      if (retried) return retried;
    }
    const { run } = await sendMessageForCaller({
      deps,
      owner,
      client,
      threadId,
      text: row.text,
      isWaiting: false,
      messageMetadata: { ...row.metadata, slack_inbox_id: String(row.id), slack_user: row.slack_user, slack_ts: row.message_ts },
    });
    return { type: 'started', runId: run.id };
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error.code === 'conflict') throw new InboxStepError('a run is active in the thread', BUSY_THREAD_DELAY_MS);
    return { type: 'refused', text: renderRefusal(error.message) };
  }
}

/** `retry`: a new run for the thread's last question when its answer did not complete. */
async function retryLastQuestion({
  deps,
  owner,
  client,
  threadId,
}: {
  deps: TAssistantDeps;
  owner: string;
  client: { sessionId: string; ip: string };
  threadId: string;
}): Promise<TStart | null> {
  const latest = await getLatestRunByThread({ db: deps.db, owner, threadId });
  if (!latest || !ENDED_STATUSES.has(latest.status)) return null;
  const messages = await listMessagesByThread({ db: deps.db, owner, threadId, limit: 20, order: 'desc' });
  const question = messages.data.find((message) => message.role === 'user' && message.run_id === latest.id);
  if (!question) return null;
  const { run } = await rerunMessageForCaller({ deps, owner, client, threadId, messageId: question.id, isWaiting: false });
  return { type: 'started', runId: run.id };
}

/** Follows the run to its end, showing the answer as it is written, then the final reply. */
async function followRun(context: TStepContext, row: TSlackInboxRow, threadId: string, runId: string): Promise<void> {
  const { deps } = context;
  const owner = ownerOfTeam(row.team_id);
  const changes = deps.engine.subscribe(runId);
  let shown = row.posted_text;
  let shownAt = 0;
  try {
    for (;;) {
      if (context.lease.aborted) throw new InboxStepError('lease lost', null);
      const run = await deps.engine.readRunAndAdvance({ owner, threadId, runId });
      if (isTerminalRunStatus(run.status)) return await finishRun(context, row, threadId, run);
      const text = renderProgress({ draft: deps.engine.getLiveDraft(runId)?.text, siteUrl: deps.config.siteUrl });
      const sinceShown = Date.now() - shownAt;
      if (text !== shown && sinceShown >= context.updateIntervalMs && !context.rateLimit.isPaused()) {
        shownAt = Date.now();
        // Progress is best effort: a failed update is overtaken by the next one, and the last one is retried.
        await updateReply(context, row, text).then(
          () => (shown = text),
          (error: unknown) => deps.log.debug({ err: error, inboxId: row.id }, 'slack: a progress update failed'),
        );
      }
      await changes.wait(Math.max(200, context.updateIntervalMs - (Date.now() - shownAt)), context.lease);
    }
  } finally {
    changes.close();
  }
}

async function finishRun(context: TStepContext, row: TSlackInboxRow, threadId: string, run: TRunRow): Promise<void> {
  const { deps } = context;
  const messages = await listMessagesByThread({ db: deps.db, owner: ownerOfTeam(row.team_id), threadId, limit: 20, order: 'desc' });
  const answer = messages.data.find((message) => message.role === 'assistant' && message.run_id === run.id);
  const isAnswered = run.status === 'completed' && answer !== undefined;
  const text = isAnswered
    ? renderAnswer({ answer, question: row.text, siteUrl: deps.config.siteUrl, toolRounds: run.tool_rounds })
    : renderRunEnded({ run, partial: answer ? answer.content.map((part) => part.text.value).join('\n\n') : null, siteUrl: deps.config.siteUrl });
  await updateReply(context, row, text);
  await step(context, row, { status: 'done', outcome: isAnswered ? 'answered' : 'apologized', posted_text: text });
}

async function postReply(context: TStepContext, row: TSlackInboxRow, text: string): Promise<string> {
  const { ts } = await slackCall(context, () => context.deps.transport.postMessage({ channel: row.channel_id, threadTs: row.thread_ts, text }));
  return ts;
}

async function updateReply(context: TStepContext, row: TSlackInboxRow, text: string): Promise<void> {
  if (!row.reply_ts) throw new Error('no reply to update');
  const ts = row.reply_ts;
  await slackCall(context, () => context.deps.transport.updateMessage({ channel: row.channel_id, ts, text }));
}

/** A Slack call; a rate limit pauses the worker's Slack calls for as long as Slack says. */
async function slackCall<T>(context: TStepContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.type === 'rate_limited') context.rateLimit.pauseFor(failure.retryAfterMs);
    throw error;
  }
}

/** Writes a step to the row; the row as it is now. Stops when the lease was lost. */
async function step(context: TStepContext, row: TSlackInboxRow, changes: TSlackInboxChanges): Promise<TSlackInboxRow> {
  const updated = await updateSlackInboxById({ db: context.deps.db, id: row.id, worker: context.worker, changes });
  if (!updated) throw new InboxStepError('lease lost', null);
  Object.assign(row, updated);
  return updated;
}
