import { PUBLIC_ACCESS, type TReaderAccess } from '../audiences';
import { rerunMessageForCaller, sendMessageForCaller } from '../assistant/service';
import { openChatConversation, type TInboxRow } from '../db/chat-inbox';
import { listMessagesByThread } from '../db/messages';
import type { TRunRow } from '../db/rows';
import { getLatestRunByThread } from '../db/runs';
import { isAppError } from '../errors';
import { messageText } from '../shared/messages';
import { isResearchRun, isTerminalRunStatus, type TRunMode } from '../shared/runs';
import { researchStepsOf } from '../assistant/research-steps';
import { InboxStepError, type TChatDoor, type TChatQuestion, type TDoorStep } from './door';
import { renderChatAnswer, renderChatProgress, renderChatResearchProgress, RESEARCHING_TEXT, renderChatRefusal, renderChatRunEnded } from './render';
import { TRACEPARENT_KEY } from './intake';
import { withSpan } from '../telemetry';

// One inbox row's life, step by step, by the worker that holds its lease (./worker.ts), whatever the door. Each
// step is written to the row before the next one starts, so that whichever instance takes the row next (after a
// crash, a restart, a failure of the chat service) goes on from there: the door maps the row to a question (or
// settles a delivery that is none); a question gets its "Searching the docs…" reply, its
// conversation (an assistant thread), then its run (the site's run engine, limits, moderation and masking:
// lib/assistant/service.ts); the reply is edited as the answer is written, at most once every updateIntervalMs,
// and the door delivers the answer with its sources, or an apology, all written in the door's style (./render.ts).

/** A thread's earlier question is still being answered (by the site door, say): its turn comes soon. */
const BUSY_THREAD_DELAY_MS = 1500;

export async function driveInboxRow(door: TChatDoor, context: TDoorStep, given: TInboxRow): Promise<void> {
  const question = await door.question(context, given);
  if (!question) return;
  let row = given;
  const first = question.mode === 'research' ? RESEARCHING_TEXT : door.style.texts.searching;
  if (!row.reply_id) row = await context.step(row, { reply_id: await door.post(context, row, first), posted_text: first });
  const threadId = row.thread_id ?? row.conversation?.thread_id ?? (await openConversation(door, context, row, question));
  if (!row.thread_id) row = await context.step(row, { thread_id: threadId });
  if (door.afterReply) {
    const changes = await door.afterReply(context, row, threadId);
    if (Object.keys(changes).length > 0) row = await context.step(row, changes);
  }
  if (!row.run_id) {
    const started = await startRun(door, context, row, question, threadId);
    if (started.type === 'refused') {
      await door.edit(context, row, started.text);
      await context.step(row, { status: 'done', outcome: 'refused', posted_text: started.text });
      return;
    }
    row = await context.step(row, { run_id: started.runId });
  }
  await followRun(door, context, row, question, threadId, row.run_id as string);
}

async function openConversation(door: TChatDoor, context: TDoorStep, row: TInboxRow, question: TChatQuestion): Promise<string> {
  const { metadata, doorData, isKept } = question.conversation;
  const opened = await openChatConversation({
    db: context.deps.db,
    door: door.name,
    conversationKey: row.conversation_key,
    owner: question.owner,
    asker: row.asker,
    doorData,
    metadata,
    isKept,
  });
  return opened.thread_id;
}

type TStart = { type: 'started'; runId: string } | { type: 'refused'; text: string };

/** The question's run, through the same service as the site's messages; a limit's refusal is the reply. */
async function startRun(door: TChatDoor, context: TDoorStep, row: TInboxRow, question: TChatQuestion, threadId: string): Promise<TStart> {
  // No proof-of-work challenge in a chat door (no sessionSecret): a member near a limit is refused as an API client is.
  const deps = { ...context.deps, sessionSecret: undefined };
  const { owner, caller: client } = question;
  // What the asker reads: where the question was asked (the door's mapping); nothing they write grants more.
  const access = accessOfDoorQuestion(question);
  try {
    if (question.isRetry) {
      const retried = await retryLastQuestion({ deps, owner, client, threadId, access, isHandoffOffered: door.isHandoffOffered, mode: question.mode });
      if (retried) return retried;
    }
    const { run } = await sendMessageForCaller({
      deps,
      owner,
      client,
      threadId,
      text: question.text ?? row.text,
      isWaiting: false,
      mode: question.mode ?? 'quick',
      messageMetadata: { ...withoutTrace(row.metadata), chat_inbox_id: String(row.id), ...question.messageMetadata },
      access,
      isHandoffOffered: door.isHandoffOffered,
    });
    return { type: 'started', runId: run.id };
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error.code === 'conflict') throw new InboxStepError('a run is active in the thread', BUSY_THREAD_DELAY_MS);
    return { type: 'refused', text: renderChatRefusal(door.style, error.message) };
  }
}

/** The row's metadata without the delivery's trace (./intake.ts), which is the worker's, not the message's. */
function withoutTrace(metadata: Record<string, unknown>): Record<string, unknown> {
  const { [TRACEPARENT_KEY]: _trace, ...rest } = metadata;
  return rest;
}

/** A new run for the thread's last question when its answer did not complete; null when there is none to retry. */
async function retryLastQuestion({
  deps,
  owner,
  client,
  threadId,
  access,
  isHandoffOffered,
  mode,
}: {
  /** The retry's own mode when it named one; else the run it retries keeps its mode (a stopped research run researches again, as on the site). */
  mode: TRunMode | undefined;
  deps: TDoorStep['deps'];
  owner: string;
  client: { sessionId: string; ip: string };
  threadId: string;
  access: TReaderAccess;
  isHandoffOffered: boolean;
}): Promise<TStart | null> {
  const latest = await getLatestRunByThread({ db: deps.db, owner, threadId });
  if (!latest || !isTerminalRunStatus(latest.status) || latest.status === 'completed') return null;
  const messages = await listMessagesByThread({ db: deps.db, owner, threadId, limit: 20, order: 'desc' });
  const question = messages.data.find((message) => message.role === 'user' && message.run_id === latest.id);
  if (!question) return null;
  const rerunMode = mode ?? (isResearchRun(latest) ? 'research' : 'quick');
  const { run } = await rerunMessageForCaller({ deps, owner, client, threadId, messageId: question.id, isWaiting: false, access, isHandoffOffered, mode: rerunMode });
  return { type: 'started', runId: run.id };
}

/** Follows the run to its end, showing the answer as it is written, then the final reply. */
async function followRun(door: TChatDoor, context: TDoorStep, row: TInboxRow, question: TChatQuestion, threadId: string, runId: string): Promise<void> {
  const { deps } = context;
  const { owner } = question;
  const changes = deps.engine.subscribe(runId);
  let shown = row.posted_text;
  let shownAt = 0;
  let isStopShown = false;
  try {
    for (;;) {
      if (context.lease.aborted) throw new InboxStepError('lease lost', null);
      const run = await deps.engine.readRunAndAdvance({ owner, threadId, runId });
      if (isTerminalRunStatus(run.status)) return await finishRun(door, context, row, question, threadId, run);
      const draft = deps.engine.getLiveDraft(runId)?.text;
      const siteUrl = deps.config.siteUrl;
      // A research run's steps (what it searched, what it read) edit the same message until its answer is written.
      const steps = researchStepsOf(run);
      const text = steps ? renderChatResearchProgress(door.style, { steps, draft, siteUrl }) : renderChatProgress(door.style, { draft, siteUrl });
      // A research run can be stopped from its progress message (./stop.ts), as on the site, until it ends: the
      // first "Researching…" was posted before the run existed, so the button comes with the first edit.
      const stopRunId = steps ? runId : undefined;
      const isChanged = text !== shown || (stopRunId !== undefined && !isStopShown);
      if (isChanged && Date.now() - shownAt >= context.updateIntervalMs && !context.rateLimit.isPaused()) {
        shownAt = Date.now();
        // Progress is best effort: a failed edit is overtaken by the next one, and the last one is retried.
        await door.edit(context, row, text, { stopRunId }).then(
          () => {
            shown = text;
            isStopShown = stopRunId !== undefined;
          },
          (error: unknown) => deps.log.debug({ err: error, inboxId: row.id }, `${door.name}: a progress update failed`),
        );
      }
      await changes.wait(Math.max(200, context.updateIntervalMs - (Date.now() - shownAt)), context.lease);
    }
  } finally {
    changes.close();
  }
}

async function finishRun(door: TChatDoor, context: TDoorStep, row: TInboxRow, question: TChatQuestion, threadId: string, run: TRunRow): Promise<void> {
  const { deps } = context;
  const messages = await listMessagesByThread({ db: deps.db, owner: question.owner, threadId, limit: 20, order: 'desc' });
  const answer = messages.data.find((message) => message.role === 'assistant' && message.run_id === run.id);
  const isAnswered = run.status === 'completed' && answer !== undefined;
  const siteUrl = deps.config.siteUrl;
  const text = isAnswered
    ? renderChatAnswer(door.style, { answer, question: row.text, siteUrl, toolRounds: run.tool_rounds })
    : renderChatRunEnded(door.style, { run, partial: answer ? messageText(answer) : null, siteUrl });
  const changes = await withSpan(`${door.name} post reply`, { 'pa.door': door.name, 'pa.chat.is_answered': isAnswered, 'pa.run.status': run.status }, () =>
    door.deliver(context, row, { text, answer, isAnswered }),
  );
  await context.step(row, { ...changes, status: 'done', outcome: isAnswered ? 'answered' : 'apologized' });
}

/** A door's question's access: its audiences (lib/chat-doors/audiences.ts), or the public pages only. */
function accessOfDoorQuestion(question: TChatQuestion): TReaderAccess {
  return question.audiences.length > 0 ? { audiences: question.audiences, isMaintainer: false } : PUBLIC_ACCESS;
}
