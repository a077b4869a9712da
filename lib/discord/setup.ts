import { createInboxWorker, NO_INBOX_WORKER, type TInboxWorker } from '../chat-doors/worker';
import type { TDoorDeps, TInboxOptions } from '../chat-doors/door';
import type { TConfig } from '../config';
import { createDiscordApi } from './client';
import { createDiscordDoor } from './door';

/** The Discord door's inbox worker when Discord is configured (DISCORD_APPLICATION_ID, _PUBLIC_KEY, _BOT_TOKEN), else a no-op. */
export function createDiscordAnswersFor({
  config,
  workerId,
  options,
  deps,
}: {
  config: TConfig;
  workerId: string;
  options: Partial<TInboxOptions>;
  deps: TDoorDeps;
}): TInboxWorker {
  const discord = config.discord;
  if (discord.mode !== 'enabled') return NO_INBOX_WORKER;
  const discordApi = createDiscordApi({ apiUrl: discord.apiUrl, applicationId: discord.applicationId, botToken: discord.botToken, log: deps.log });
  return createInboxWorker({ door: createDiscordDoor({ discordApi }), deps, workerId, options });
}
