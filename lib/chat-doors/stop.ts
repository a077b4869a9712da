import { z } from 'zod';
import type { TRunEngine } from '../assistant/engine';
import { getChatInboxByReply, type TDoorData } from '../db/chat-inbox';
import { getRunById } from '../db/runs';
import type { TDb } from '../db/types';
import { isAppError } from '../errors';
import type { TLogger } from '../log';
import { isResearchRun, isTerminalRunStatus } from '../shared/runs';

// The Stop button of a research run's progress message in a chat door (issue 71), as the site's panel has one: the
// driver (./drive.ts) shows it on every progress edit of a research run, naming the run; the door's final reply
// (its `deliver`) has none. A click is the door's signed interaction (Slack's interactivity, Discord's
// interactions), and stops the run through the run engine's cancel, the site's Stop. The click counts only on the
// message that is the run's own reply (the button's run must be the one that reply follows), only from the member
// who asked, only for a research run of the door's own threads (owned by the workspace or server the click came
// from); anything else stops nothing. A run that has ended already is left as it is. What the reply then says is
// the driver's, as for any run that ended without its answer (render.ts renderChatRunEnded: the text written so
// far, if any, and "It was stopped.", as the site keeps a stopped answer; the steps are not kept, nor on the site).

/** The button's words, in every door. */
export const STOP_LABEL = 'Stop';

/** A run's id as a button carries it (`run_` and the database's hex); anything else names no run. */
export const ZStopRunId = z.string().regex(/^run_[A-Za-z0-9_-]{1,80}$/);

export type TStopDeps = { db: TDb; log: TLogger; engine: Pick<TRunEngine, 'cancelRun'> };

/** What a click did: `stopped`; `ended` (the run had ended already); `not_asker`; `gone` (no research run of this reply). */
export type TStopOutcome = 'stopped' | 'ended' | 'not_asker' | 'gone';

/** What the clicker alone is told when the click stopped nothing; `asker`: the door's word for who asked ("member", "person"). */
export function stopRefusal(outcome: Exclude<TStopOutcome, 'stopped'>, asker: string): string {
  if (outcome === 'ended') return 'That research has ended already.';
  if (outcome === 'not_asker') return `Only the ${asker} who asked can stop this research.`;
  return 'There is no research to stop here.';
}

/**
 * A click on Stop: the run `runId` cancelled when it is the research run that the door's reply `replyId` follows,
 * in a thread of `owner`, and `clicker` asked it. `doorData`: what the reply's row must hold besides its id (Slack's
 * team and channel).
 */
export async function stopChatRun({
  deps,
  door,
  owner,
  replyId,
  doorData,
  runId,
  clicker,
}: {
  deps: TStopDeps;
  door: string;
  owner: string;
  replyId: string;
  doorData: TDoorData;
  runId: string;
  clicker: string;
}): Promise<TStopOutcome> {
  const row = await getChatInboxByReply({ db: deps.db, door, replyId, doorData });
  // A button naming another run than the one its message follows is no Stop of that message.
  if (!row || row.run_id !== runId || !row.thread_id) return 'gone';
  if (row.asker !== clicker) return 'not_asker';
  const threadId = row.thread_id;
  try {
    // The thread must be the clicking workspace's or server's own: 404 otherwise.
    const run = await getRunById({ db: deps.db, owner, threadId, runId });
    if (!isResearchRun(run)) return 'gone';
    if (isTerminalRunStatus(run.status)) return 'ended';
    await deps.engine.cancelRun({ owner, threadId, runId });
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return 'gone';
    // Ended between the read and the cancel.
    if (isAppError(error) && error.code === 'conflict') return 'ended';
    throw error;
  }
  deps.log.info({ door, threadId, runId }, `${door}: a research run stopped from its progress message`);
  return 'stopped';
}
