import { isChatFeedbackRead, isChatHandoffOn, type TChatDoorDefinition, type TChatDoorServices, type TFeedbackReaders } from '../../door';
import { DISCORD_DOOR, discordSettings, ZDiscordEnv, type TDiscordConfig } from './settings';

// Discord as a chat door: `/ask` and "Ask the docs" through POST /api/discord/interactions (./interactions.ts,
// which the route calls), answered in the interaction's deferred response and a thread started from it
// (./door.ts), in Discord's Markdown (./style.ts), through Discord's API (./client.ts). Its settings: ./settings.ts.

// Answers carry "Ask the maintainers" where a channel HANDOFF_TO names can take them (isChatHandoffOn, lib/chat-doors/door.ts).
export const discordDoor: TChatDoorDefinition<typeof DISCORD_DOOR, TDiscordConfig, TChatDoorServices & { config?: { handoff?: { channels: readonly string[] } | null } & TFeedbackReaders }> = {
  name: DISCORD_DOOR,
  label: 'Discord',
  healthKey: 'discord',
  env: ZDiscordEnv,
  // `env` is lib/config.ts's parsed environment, this door's variables among them.
  settings: (env) => discordSettings(env as Parameters<typeof discordSettings>[0]),
  isOn: (settings) => settings.mode === 'enabled',
  async create({ settings, services: { log, config } }) {
    if (settings.mode !== 'enabled') throw new Error('Discord is not configured');
    const [{ createDiscordApi }, { createDiscordDoor }] = await Promise.all([import('./client'), import('./door')]);
    return createDiscordDoor({
      discordApi: createDiscordApi({ apiUrl: settings.apiUrl, applicationId: settings.applicationId, botToken: settings.botToken, log }),
      // A Discord conversation is in the review channel when Slack is on, as the site's are.
      isHandoffOn: isChatHandoffOn(config, { isInReviewChannel: true }),
      isFeedbackRead: isChatFeedbackRead(config, { isInReviewChannel: true }),
      audiences: settings.audiences,
    });
  },
};
