import { stopChatRun, stopRefusal, ZStopRunId, type TStopDeps, type TStopOutcome } from '../../stop';
import type { TSlackAction, TSlackActionOutcome } from '../../../slack/interactivity';
import { ownerOfTeam } from './door';
import { SLACK_DOOR, type TSlackDoorSettings } from './settings';
import { STOP_ACTION_ID } from './style';

// Stop under a research run's progress in Slack (issue 71; lib/chat-doors/stop.ts): POST /api/slack/interactivity,
// its signature verified (lib/slack/interactivity.ts), brings the click here. The button is on the app's reply; its
// value names the run, which must be the one that reply follows, in a thread of the clicking workspace, asked by the
// member who clicked. The reply is rewritten by the door's worker once the run has stopped ("It was stopped.", no
// button); the member alone is told what the click did. Slack hears 200 as soon as the run is cancelled.

export type TSlackStopDeps = TStopDeps & { config: { chatDoors: { slack: TSlackDoorSettings | null } } };

const saidOf = (outcome: TStopOutcome) => (outcome === 'stopped' ? 'Stopped. The reply says so in a moment.' : stopRefusal(outcome, 'member'));

/** A click on Stop: the run cancelled when the click may; what to tell the member; null for an action that is not Stop. */
export async function handleSlackStopAction({ deps, action }: { deps: TSlackStopDeps; action: TSlackAction }): Promise<TSlackActionOutcome | null> {
  if (action.actionId !== STOP_ACTION_ID) return null;
  if (!deps.config.chatDoors.slack) return { reply: 'This workspace does not answer questions here.' };
  const runId = ZStopRunId.safeParse(action.value);
  if (!runId.success) return { reply: saidOf('gone') };
  const outcome = await stopChatRun({
    deps,
    door: SLACK_DOOR,
    owner: ownerOfTeam(action.teamId),
    replyId: action.messageTs,
    // A reply's ts is unique in its channel only.
    doorData: { team_id: action.teamId, channel_id: action.channelId },
    runId: runId.data,
    clicker: action.userId,
  });
  return { reply: saidOf(outcome) };
}
