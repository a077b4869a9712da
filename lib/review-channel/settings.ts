import { accessOfSetting, type TReaderAccess } from '../audiences';

// The review channel's settings: the maintainers' Slack channel where every thread, answer and vote is posted
// (SLACK_BOT_TOKEN, SLACK_CHANNEL_ID and the other SLACK_* variables of lib/config.ts's core). lib/config.ts reads
// the variables (the Slack door shares the bot token); this module says what they make.

export type TReviewChannelSettings =
  | { mode: 'disabled' }
  | {
      mode: 'enabled';
      token: string;
      channelId: string;
      apiUrl?: string;
      outboxLeaseSeconds: number;
      /** Set: POST /api/slack/events accepts Slack's callbacks (maintainers' replies, questions). */
      signingSecret?: string;
      /** What the review channel may read (SLACK_REVIEW_AUDIENCES): an answer citing another page is posted withheld. */
      access: TReaderAccess;
      digest: { mode: 'off' | 'weekly'; checkSeconds: number };
    };

/** The review channel's variables as lib/config.ts parsed them. */
export type TReviewChannelEnv = {
  SLACK_BOT_TOKEN?: string;
  SLACK_CHANNEL_ID?: string;
  SLACK_API_URL?: string;
  SLACK_OUTBOX_LEASE_SECONDS: number;
  SLACK_SIGNING_SECRET?: string;
  SLACK_REVIEW_AUDIENCES?: string;
  SLACK_DIGEST: 'off' | 'weekly';
  SLACK_DIGEST_CHECK_SECONDS: number;
};

/** The review channel the variables configure: enabled with a bot token and a channel. */
export function readReviewChannelSettings(env: TReviewChannelEnv): TReviewChannelSettings {
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_CHANNEL_ID) return { mode: 'disabled' };
  return {
    mode: 'enabled',
    token: env.SLACK_BOT_TOKEN,
    channelId: env.SLACK_CHANNEL_ID,
    apiUrl: env.SLACK_API_URL,
    outboxLeaseSeconds: env.SLACK_OUTBOX_LEASE_SECONDS,
    signingSecret: env.SLACK_SIGNING_SECRET,
    access: accessOfSetting(env.SLACK_REVIEW_AUDIENCES),
    digest: { mode: env.SLACK_DIGEST, checkSeconds: env.SLACK_DIGEST_CHECK_SECONDS },
  };
}
