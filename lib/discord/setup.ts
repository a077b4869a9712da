import type { TConfig } from '../config';
import type { TDiscordAnswersDeps } from './answer';
import { createDiscordApi } from './client';
import { createDiscordAnswers, NO_DISCORD_ANSWERS, type TDiscordAnswers, type TDiscordAnswersOptions } from './worker';

export type { TDiscordAnswers, TDiscordAnswersOptions };

/** The interactions' inbox worker when Discord is configured (DISCORD_APPLICATION_ID, _PUBLIC_KEY, _BOT_TOKEN), else a no-op. */
export function createDiscordAnswersFor({
  config,
  workerId,
  options,
  deps,
}: {
  config: TConfig;
  workerId: string;
  options: Partial<TDiscordAnswersOptions>;
  deps: Omit<TDiscordAnswersDeps, 'discordApi'>;
}): TDiscordAnswers {
  const discord = config.discord;
  if (discord.mode !== 'enabled') return NO_DISCORD_ANSWERS;
  const discordApi = createDiscordApi({ apiUrl: discord.apiUrl, applicationId: discord.applicationId, botToken: discord.botToken, log: deps.log });
  return createDiscordAnswers({ deps: { ...deps, discordApi }, workerId, options });
}
