import { z } from 'zod';
import { ConfigError, optionalString, optionalUrl, requirePartner } from '../../../settings';
import { audienceMapVariable, type TAudienceMap } from '../../audiences';

// The Discord door's settings: on when the application id, public key and bot token are all set.

/** The door's name in the inbox (./door.ts). */
export const DISCORD_DOOR = 'discord' as const;

/** The owner of the door's assistant threads asked in a server (its id), or in direct messages ('@me'). */
export const ownerOfGuild = (guildId: string | null | undefined) => `discord:${guildId ?? '@me'}`;

export const ZDiscordEnv = z.object({
  // Answers in Discord (lib/chat-doors/doors/discord): the application's id and public key (the interactions endpoint
  // verifies Discord's Ed25519 signature with it) and the bot's token (threads, `npm run discord:register`). All three or none.
  DISCORD_APPLICATION_ID: optionalString.refine((value) => value === undefined || /^\d{5,25}$/.test(value), {
    message: 'DISCORD_APPLICATION_ID must be the application id (digits) from the Developer Portal',
  }),
  DISCORD_PUBLIC_KEY: optionalString.refine((value) => value === undefined || /^[0-9a-fA-F]{64}$/.test(value), {
    message: 'DISCORD_PUBLIC_KEY must be the application public key: 64 hex characters',
  }),
  DISCORD_BOT_TOKEN: optionalString,
  // Discord's API base (tests point it at a fake).
  DISCORD_API_URL: optionalUrl('DISCORD_API_URL'),
  // What askers may read (issue 57): a server's or a channel's id → audiences, `123…=staff,456…=staff|beta`; a
  // question gets those of its server and of its channel; unmapped: the public pages only.
  DISCORD_AUDIENCES: audienceMapVariable('DISCORD_AUDIENCES', /^\d{5,25}$/, '1234567890123456789'),
});

export type TDiscordConfig =
  | { mode: 'disabled' }
  | { mode: 'enabled'; applicationId: string; publicKey: string; botToken: string; apiUrl: string; /** Server or channel id → audiences (DISCORD_AUDIENCES). */ audiences: TAudienceMap };

export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api/v10';

export function discordSettings(env: z.infer<typeof ZDiscordEnv>): TDiscordConfig {
  requirePartner(env, 'DISCORD_APPLICATION_ID', 'DISCORD_PUBLIC_KEY');
  requirePartner(env, 'DISCORD_PUBLIC_KEY', 'DISCORD_BOT_TOKEN');
  requirePartner(env, 'DISCORD_BOT_TOKEN', 'DISCORD_APPLICATION_ID');
  requirePartner(env, 'DISCORD_API_URL', 'DISCORD_APPLICATION_ID');
  if (Object.keys(env.DISCORD_AUDIENCES).length > 0 && env.DISCORD_APPLICATION_ID === undefined) {
    throw new ConfigError('DISCORD_AUDIENCES is set but DISCORD_APPLICATION_ID is missing');
  }
  if (!env.DISCORD_APPLICATION_ID || !env.DISCORD_PUBLIC_KEY || !env.DISCORD_BOT_TOKEN) return { mode: 'disabled' };
  return {
    mode: 'enabled',
    applicationId: env.DISCORD_APPLICATION_ID,
    publicKey: env.DISCORD_PUBLIC_KEY.toLowerCase(),
    botToken: env.DISCORD_BOT_TOKEN,
    apiUrl: (env.DISCORD_API_URL ?? DEFAULT_DISCORD_API_URL).replace(/\/+$/, ''),
    audiences: env.DISCORD_AUDIENCES,
  };
}
