import { renderChatHandoff } from '../../render';
import { isAppError } from '../../../errors';
import { requestHandoffForCaller, type THandoffDeps } from '../../../handoff/service';
import type { TSlackAction } from '../../../slack/interactivity';
import { SLACK_SYNTAX } from '../../../slack/mrkdwn';
import { findClickedAnswer } from './clicked-answer';
import { slackVoter } from './intake';
import type { TSlackDoorSettings } from './settings';
import { HANDOFF_ACTION_ID } from './style';

// The Slack door's listener of Slack's interactivity (lib/slack/interactivity.ts): "Ask the maintainers" under an
// answer (./style.ts). The conversation is the one of the Slack thread the click came from, and only the member who
// asked in it may hand it over: a reader of another thread, or anyone else in a channel, is told so and nothing is
// created. The hand-off is the site's (lib/handoff/service.ts): asked again, the same one (no second issue or post);
// limited as a question is, per member and per workspace, with no challenge (a chat door has no browser to solve it).

export type TSlackActionDeps = Omit<THandoffDeps, 'handoffGithub' | 'config'> & {
  config: THandoffDeps['config'] & { chatDoors: { slack: TSlackDoorSettings | null } };
  handoffGithub?: THandoffDeps['handoffGithub'];
};

const NOT_HERE = 'This workspace does not hand conversations to its maintainers.';
const GONE = 'That answer is gone, so it cannot be handed to the maintainers.';

/** "Ask the maintainers": what to tell the member who clicked; null for an action that is not this door's. */
export async function handleSlackDoorAction({ deps, action }: { deps: TSlackActionDeps; action: TSlackAction }): Promise<{ reply: string } | null> {
  if (action.actionId !== HANDOFF_ACTION_ID) return null;
  const say = (reply: string) => ({ reply });
  if (!deps.config.chatDoors.slack) return say(NOT_HERE);
  const clicked = await findClickedAnswer({ db: deps.db, action });
  if (clicked.outcome === 'gone') return say(GONE);
  if (clicked.outcome === 'not_asker') return say('Only the member who asked in this thread can hand it to the maintainers.');
  const { conversation, owner } = clicked;
  const { teamId, userId } = action;
  try {
    const { handoff } = await requestHandoffForCaller({
      // No proof-of-work challenge in a chat door (no sessionSecret): a member near a limit is refused, as a question is.
      deps: { ...deps, sessionSecret: undefined, handoffGithub: deps.handoffGithub ?? null },
      owner,
      client: { sessionId: slackVoter(teamId, userId), ip: `slack:${teamId}` },
      threadId: conversation.thread_id,
      // A Slack conversation is not in the review channel: the `slack` channel cannot take it.
      isInReviewChannel: false,
    });
    deps.log.info({ threadId: conversation.thread_id, channel: handoff.channel, status: handoff.status }, 'handoff from a Slack button');
    return say(renderChatHandoff(SLACK_SYNTAX, handoff, deps.config.siteUrl));
  } catch (error) {
    if (isAppError(error) && error.status < 500) return say(error.code === 'handoff_not_configured' ? NOT_HERE : error.message);
    deps.log.warn({ threadId: conversation.thread_id, err: error instanceof Error ? error.message : String(error) }, 'slack: the hand-off failed');
    return say('Could not reach the maintainers just now. Try again in a moment.');
  }
}
