import { STOP_LABEL, stopChatRun, stopRefusal, ZStopRunId, type TStopDeps } from '../../stop';
import { STOP_PREFIX } from './commands';
import { DISCORD_DOOR } from './settings';

// Stop under a research run's progress in Discord (issue 71; lib/chat-doors/stop.ts): the interaction's response is
// the progress message, with a Stop button whose custom_id names the run. A press is an interaction (signed, verified
// in ./interactions.ts); it stops the run when the press is on that run's own response, in the server it was asked
// in, by the person who asked. Discord hears DEFERRED_UPDATE_MESSAGE (type 6): the message is left to the door's
// worker, which rewrites it once the run has stopped ("It was stopped.", no button); a response of ours that
// rewrote it too could land after that edit. Anything the press did not do is said to the presser alone.

/** The row of Stop under a research run's progress (the door's edit with `stopRunId`). */
export function stopRows(runId: string): unknown[] {
  return [{ type: 1, components: [{ type: 2, style: 2, label: STOP_LABEL, custom_id: `${STOP_PREFIX}:${runId}` }] }];
}

/** The run a Stop button's custom_id names; null when it is no Stop's. */
export function stopRunIdOf(customId: string): string | null {
  if (!customId.startsWith(`${STOP_PREFIX}:`)) return null;
  const runId = ZStopRunId.safeParse(customId.slice(STOP_PREFIX.length + 1));
  return runId.success ? runId.data : null;
}

/** A press of Stop on the message `messageId`: stopped (the message is the worker's to rewrite), or what to say to the presser alone. */
export async function pressStop({
  deps,
  runId,
  messageId,
  owner,
  user,
}: {
  deps: TStopDeps;
  runId: string;
  messageId: string;
  owner: string;
  user: string;
}): Promise<{ isStopped: true } | { say: string }> {
  const outcome = await stopChatRun({ deps, door: DISCORD_DOOR, owner, replyId: messageId, doorData: {}, runId, clicker: user });
  return outcome === 'stopped' ? { isStopped: true } : { say: stopRefusal(outcome, 'person') };
}
