import { z } from 'zod';
import { accessOfSetting, type TReaderAccess } from '../audiences';
import { audiencesSettingVariable } from '../audiences/settings';
import { ConfigError, defineSettings, isSet, optionalString, optionalUrl } from '../settings';

// Where a reader's hand-off to the maintainers goes (issue 56, item 4): HANDOFF_TO, a comma list of `github` (an
// issue, or a discussion in HANDOFF_GITHUB_CATEGORY, in HANDOFF_GITHUB_REPO, with GITHUB_TOKEN and GITHUB_API_URL as
// the drafted docs fixes use them), `slack` (the review channel's post of the conversation, marked, optionally
// mentioning HANDOFF_SLACK_MENTION) and `email` (the maintainers' reply e-mailed to a reader who left an address,
// through SMTP_URL from HANDOFF_EMAIL_FROM). GITHUB_WEBHOOK_SECRET verifies GitHub's webhook deliveries (a
// maintainer's comment back to the reader); without it, the sync alone brings them. Unset HANDOFF_TO: no hand-offs,
// and no answer offers one. Each channel's partners are required: one ConfigError names what is missing.

export const HANDOFF_CHANNELS = ['github', 'slack', 'email'] as const;
export type THandoffChannelName = (typeof HANDOFF_CHANNELS)[number];

export type THandoffConfig = {
  /** The channels in the order HANDOFF_TO names them; empty: hand-offs are off. */
  channels: THandoffChannelName[];
  github: {
    owner: string;
    name: string;
    category: string | null;
    token: string;
    apiUrl: string;
    /**
     * What the repository's readers may read (HANDOFF_GITHUB_AUDIENCES): a hand-off names only the cited pages they may
     * read. Unset: public pages only, whatever the reader could read.
     */
    access: TReaderAccess;
  } | null;
  slack: { mention: string | null } | null;
  email: { smtpUrl: string; from: string } | null;
  /** GITHUB_WEBHOOK_SECRET: never logged nor sent to a client. */
  webhookSecret: string | null;
};

const REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
/** A Slack user group (S…), a member (U…, W…), or `here` / `channel`. */
const MENTION = /^(?:[SUW][A-Z0-9]{2,20}|here|channel)$/;
/** An address, or `Name <address>`. */
const FROM = /^(?:[^<>@\s][^<>]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/;

export const handoffSettings = defineSettings(
  {
    HANDOFF_TO: optionalString,
    HANDOFF_GITHUB_REPO: optionalString.refine((value) => value === undefined || REPO.test(value), { message: 'HANDOFF_GITHUB_REPO must be owner/name' }),
    HANDOFF_GITHUB_CATEGORY: optionalString,
    HANDOFF_GITHUB_AUDIENCES: audiencesSettingVariable('HANDOFF_GITHUB_AUDIENCES'),
    HANDOFF_SLACK_MENTION: optionalString.refine((value) => value === undefined || MENTION.test(value), {
      message: 'HANDOFF_SLACK_MENTION must be a Slack user group id (S…), a member id (U…), here or channel',
    }),
    SMTP_URL: optionalString.refine((value) => value === undefined || /^smtps?:\/\/[^\s]+$/.test(value), { message: 'SMTP_URL must be an smtp:// or smtps:// URL' }),
    HANDOFF_EMAIL_FROM: optionalString.refine((value) => value === undefined || FROM.test(value), { message: 'HANDOFF_EMAIL_FROM must be an e-mail address (or Name <address>)' }),
    GITHUB_WEBHOOK_SECRET: optionalString.refine((value) => value === undefined || value.length >= 16, { message: 'GITHUB_WEBHOOK_SECRET must be at least 16 characters' }),
    GITHUB_TOKEN: optionalString,
    GITHUB_API_URL: optionalUrl('GITHUB_API_URL'),
  },
  (env, { source }): { handoff: THandoffConfig } => {
    const channels: THandoffChannelName[] = [];
    for (const part of (env.HANDOFF_TO ?? '').split(',').map((value) => value.trim().toLowerCase()).filter((value) => value !== '')) {
      if (!(HANDOFF_CHANNELS as readonly string[]).includes(part)) throw new ConfigError(`HANDOFF_TO: ${part} is not a channel (github, slack or email)`);
      if (!channels.includes(part as THandoffChannelName)) channels.push(part as THandoffChannelName);
    }
    const isOn = (channel: THandoffChannelName) => channels.includes(channel);
    const unused = (name: string, channel: THandoffChannelName) => {
      if (!isOn(channel)) throw new ConfigError(`${name} is set but HANDOFF_TO does not name ${channel}`);
    };
    if (env.HANDOFF_GITHUB_REPO !== undefined) unused('HANDOFF_GITHUB_REPO', 'github');
    if (env.HANDOFF_GITHUB_CATEGORY !== undefined) unused('HANDOFF_GITHUB_CATEGORY', 'github');
    if (env.HANDOFF_GITHUB_AUDIENCES !== undefined) unused('HANDOFF_GITHUB_AUDIENCES', 'github');
    if (env.HANDOFF_SLACK_MENTION !== undefined) unused('HANDOFF_SLACK_MENTION', 'slack');
    if (env.HANDOFF_EMAIL_FROM !== undefined) unused('HANDOFF_EMAIL_FROM', 'email');

    let github: THandoffConfig['github'] = null;
    if (isOn('github')) {
      if (env.HANDOFF_GITHUB_REPO === undefined) throw new ConfigError('HANDOFF_TO names github but HANDOFF_GITHUB_REPO is missing: the repository (owner/name) hand-offs open issues in');
      if (env.GITHUB_TOKEN === undefined) throw new ConfigError('HANDOFF_TO names github but GITHUB_TOKEN is missing: a token that may open issues in HANDOFF_GITHUB_REPO');
      const [owner = '', name = ''] = env.HANDOFF_GITHUB_REPO.split('/');
      github = {
        owner,
        name,
        category: env.HANDOFF_GITHUB_CATEGORY ?? null,
        token: env.GITHUB_TOKEN,
        apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
        access: accessOfSetting(env.HANDOFF_GITHUB_AUDIENCES),
      };
    }
    if (isOn('slack') && !(isSet(source.SLACK_BOT_TOKEN) && isSet(source.SLACK_CHANNEL_ID))) {
      throw new ConfigError('HANDOFF_TO names slack but the review channel is off: set SLACK_BOT_TOKEN and SLACK_CHANNEL_ID');
    }
    let email: THandoffConfig['email'] = null;
    if (isOn('email')) {
      if (env.SMTP_URL === undefined) throw new ConfigError('HANDOFF_TO names email but SMTP_URL is missing: the SMTP server replies are sent through');
      if (env.HANDOFF_EMAIL_FROM === undefined) throw new ConfigError('HANDOFF_TO names email but HANDOFF_EMAIL_FROM is missing: the address replies are sent from');
      email = { smtpUrl: env.SMTP_URL, from: env.HANDOFF_EMAIL_FROM };
    } else if (env.SMTP_URL !== undefined) {
      throw new ConfigError('SMTP_URL is set but HANDOFF_TO does not name email');
    }
    if (isOn('email') && !isOn('github') && !isOn('slack')) {
      throw new ConfigError('HANDOFF_TO names email only: name github or slack too, where the maintainers read hand-offs and reply (email brings their reply to the reader)');
    }
    return {
      handoff: {
        channels,
        github,
        slack: isOn('slack') ? { mention: env.HANDOFF_SLACK_MENTION ?? null } : null,
        email,
        webhookSecret: env.GITHUB_WEBHOOK_SECRET ?? null,
      },
    };
  },
);

/** Whether a hand-off can be asked for at all (HANDOFF_TO names a channel). */
export function isHandoffOn(config: { handoff?: THandoffConfig | null }): boolean {
  return (config.handoff?.channels.length ?? 0) > 0;
}

export const ZHandoffChannel = z.enum(HANDOFF_CHANNELS);
