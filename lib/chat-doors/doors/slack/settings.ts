import { z } from 'zod';
import { ConfigError, onOff, optionalString } from '../../../settings';
import { audienceMapVariable, type TAudienceMap } from '../../audiences';

// The Slack door's settings (answers to mentions and direct messages). It speaks through the Slack app the review
// channel connects (SLACK_BOT_TOKEN, SLACK_CHANNEL_ID, SLACK_SIGNING_SECRET, read by lib/config.ts), and is on with
// the signing secret unless SLACK_ANSWERS is off.

/** The door's name in the inbox (./door.ts). */
export const SLACK_DOOR = 'slack' as const;

/** A comma-separated list of Slack ids starting with one of `prefixes` (C0123ABCD, U0123ABCD…). */
const slackIdList = (name: string, ...prefixes: string[]) =>
  optionalString
    .transform((value) => (value === undefined ? [] : value.split(',').map((id) => id.trim()).filter((id) => id !== '')))
    .refine((ids) => ids.every((id) => new RegExp(`^[${prefixes.join('')}][A-Z0-9]{2,30}$`).test(id)), {
      message: `${name} must be Slack ids (${prefixes.map((prefix) => `${prefix}0123ABCD`).join(' or ')}), separated by commas`,
    });

export const ZSlackDoorEnv = z.object({
  // Answers in Slack (needs SLACK_SIGNING_SECRET): a mention of the app in a channel, or a direct message, is
  // answered in its thread. `off` keeps Slack for the maintainers only.
  SLACK_ANSWERS: onOff('on'),
  // Channel ids (comma separated) where mentions are answered; unset: every channel the app is in. Never the
  // review channel (SLACK_CHANNEL_ID).
  SLACK_ANSWER_CHANNELS: slackIdList('SLACK_ANSWER_CHANNELS', 'C', 'G'),
  // A later message in an answered thread is answered when it mentions the app (`mention`), or also when the
  // member who asked first writes it (`asker`, the default).
  SLACK_ANSWER_FOLLOW_UPS: z.enum(['asker', 'mention']).default('asker').or(z.literal('').transform(() => 'asker' as const)),
  // Whose messages in an answered thread are maintainers' replies: member ids, and/or the members of a user group.
  SLACK_MAINTAINER_IDS: slackIdList('SLACK_MAINTAINER_IDS', 'U', 'W'),
  // What askers in a channel may read (issue 57): `C123=staff,C456=staff|beta`; a channel not named, and a direct
  // message, read the public pages only.
  SLACK_CHANNEL_AUDIENCES: audienceMapVariable('SLACK_CHANNEL_AUDIENCES', /^[CG][A-Z0-9]{2,30}$/, 'C0123ABCD'),
  SLACK_MAINTAINER_GROUP: optionalString.refine((value) => value === undefined || /^S[A-Z0-9]{2,30}$/.test(value), {
    message: 'SLACK_MAINTAINER_GROUP must be a user group id such as S0123ABCD',
  }),
});

export type TSlackDoorSettings = {
  /** The Slack app's bot token and API base (SLACK_BOT_TOKEN, SLACK_API_URL: the review channel's app). */
  token: string;
  apiUrl?: string;
  /** The review channel (SLACK_CHANNEL_ID): never answered in. */
  reviewChannelId: string;
  /** Channels where mentions are answered; null: every channel the app is in (never the review channel). */
  channels: string[] | null;
  followUps: 'asker' | 'mention';
  maintainerIds: string[];
  maintainerGroup?: string;
  /** Channel id → the audiences its askers read (SLACK_CHANNEL_AUDIENCES); unmapped: public only. */
  channelAudiences: TAudienceMap;
};

/** The door's settings; null when it is off (SLACK_ANSWERS=off, or the Slack app without its signing secret). */
export function slackDoorSettings(
  env: z.infer<typeof ZSlackDoorEnv> & { SLACK_BOT_TOKEN?: string; SLACK_CHANNEL_ID?: string; SLACK_SIGNING_SECRET?: string; SLACK_API_URL?: string },
): TSlackDoorSettings | null {
  for (const name of ['SLACK_ANSWER_CHANNELS', 'SLACK_MAINTAINER_IDS'] as const) {
    if (env[name].length > 0 && env.SLACK_SIGNING_SECRET === undefined) throw new ConfigError(`${name} is set but SLACK_SIGNING_SECRET is missing`);
  }
  if (Object.keys(env.SLACK_CHANNEL_AUDIENCES).length > 0 && env.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError('SLACK_CHANNEL_AUDIENCES is set but SLACK_SIGNING_SECRET is missing');
  }
  if (env.SLACK_MAINTAINER_GROUP !== undefined && env.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError('SLACK_MAINTAINER_GROUP is set but SLACK_SIGNING_SECRET is missing');
  }
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_CHANNEL_ID || !env.SLACK_SIGNING_SECRET || env.SLACK_ANSWERS !== 'on') return null;
  return {
    token: env.SLACK_BOT_TOKEN,
    apiUrl: env.SLACK_API_URL,
    reviewChannelId: env.SLACK_CHANNEL_ID,
    channels: env.SLACK_ANSWER_CHANNELS.length > 0 ? env.SLACK_ANSWER_CHANNELS : null,
    followUps: env.SLACK_ANSWER_FOLLOW_UPS,
    maintainerIds: env.SLACK_MAINTAINER_IDS,
    maintainerGroup: env.SLACK_MAINTAINER_GROUP,
    channelAudiences: env.SLACK_CHANNEL_AUDIENCES,
  };
}
