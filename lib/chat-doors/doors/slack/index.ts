import { isChatFeedbackRead, isChatHandoffOn, type TChatDoorDefinition, type TChatDoorServices, type TFeedbackReaders } from '../../door';
import { SLACK_DOOR, slackDoorSettings, ZSlackDoorEnv, type TSlackDoorSettings } from './settings';

// Slack as a chat door (answers to mentions and direct messages, in their Slack threads): its events come through
// Slack's one events URL (lib/slack/events.ts; its listener: ./intake.ts), its replies are posted and updated as the
// answer grows (./door.ts) in mrkdwn (./style.ts), through the Slack client (lib/slack/client.ts) of the Slack app
// the review channel (lib/review-channel) also uses. Its settings: ./settings.ts.

/** What the door takes from the app besides the log: the review channel's lookup of a member's name (remembered for an hour). */
type TSlackDoorServices = TChatDoorServices & {
  reviewChannel: { getUserName(userId: string): Promise<string | null> };
  /** Answers carry "Ask the maintainers" where HANDOFF_TO names github (isChatHandoffOn, lib/chat-doors/door.ts). */
  config?: { handoff?: { channels: readonly string[] } | null } & TFeedbackReaders;
};

export const slackDoor: TChatDoorDefinition<typeof SLACK_DOOR, TSlackDoorSettings | null, TSlackDoorServices> = {
  name: SLACK_DOOR,
  label: 'Slack',
  healthKey: 'slackAnswers',
  env: ZSlackDoorEnv,
  // `env` is lib/config.ts's parsed environment: this door's variables, and the Slack app's it reads (SLACK_BOT_TOKEN, …).
  settings: (env) => slackDoorSettings(env as Parameters<typeof slackDoorSettings>[0]),
  isOn: (settings) => settings !== null,
  async create({ settings, services: { log, reviewChannel, config } }) {
    if (!settings) throw new Error('Answers in Slack are off');
    const [{ createSlackTransport }, { createMaintainerDirectory }, { createSlackDoor }] = await Promise.all([
      import('../../../slack/client'),
      import('./maintainers'),
      import('./door'),
    ]);
    const transport = createSlackTransport({ token: settings.token, channelId: settings.reviewChannelId, apiUrl: settings.apiUrl, log });
    const maintainers = createMaintainerDirectory({
      ids: settings.maintainerIds,
      groupId: settings.maintainerGroup,
      listGroupMembers: (groupId) => transport.listUserGroupMembers(groupId),
      log,
    });
    return createSlackDoor({
      transport,
      maintainers,
      getUserName: (userId) => reviewChannel.getUserName(userId),
      followUps: settings.followUps,
      channelAudiences: settings.channelAudiences,
      // A Slack conversation is not in the review channel (it is in Slack already).
      isHandoffOn: isChatHandoffOn(config, { isInReviewChannel: false }),
      isFeedbackRead: isChatFeedbackRead(config, { isInReviewChannel: false }),
    });
  },
};
