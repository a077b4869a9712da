import { inject } from 'vitest';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN } from './fake-slack';
import { PRODUCTION_SESSION_SECRET, PRODUCTION_SITE_URL } from './global-setup';

/**
 * The environment of a `next start` that answers in a chat door (Slack's answers, Discord): the embedded store,
 * the tier's fake model (Chat Completions) and a fake Slack at `slackApiUrl`; the door's own settings are added
 * by the test. Called inside a test file (it reads the tier's injected model URL).
 */
export function chatDoorServerEnv({ slackApiUrl, slackSigningSecret }: { slackApiUrl: string; slackSigningSecret: string }): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: PRODUCTION_SESSION_SECRET,
    SITE_URL: PRODUCTION_SITE_URL,
    SUPABASE_URL: '',
    SUPABASE_SERVICE_ROLE_KEY: '',
    DATABASE_URL: '',
    MODERATION: 'off',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: inject('modelControlUrl').replace(/\/__control$/, '/v1'),
    OPENAI_API_STYLE: 'chat',
    OPENAI_MODEL: 'fake-model',
    SLACK_BOT_TOKEN: FAKE_SLACK_TOKEN,
    SLACK_CHANNEL_ID: FAKE_SLACK_CHANNEL,
    SLACK_API_URL: slackApiUrl,
    SLACK_SIGNING_SECRET: slackSigningSecret,
  };
}
