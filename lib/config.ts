import os from 'node:os';
import { z } from 'zod';
import { assistantRunsSettings } from './assistant/engine/settings';
import { storeSettings } from './db/settings';
import { docsFolderSettings } from './docs/folder/settings';
import { searchRerankSettings } from './docs/search/settings';
import { assistantPanelSettings } from './docs/site/settings';
import { readSourcesSettings, SOURCES_SETTINGS, type TDocsSourcesConfig } from './docs/sources';
import { embedSettings, type TEmbedConfig } from './embed/settings';
import { limitsSettings, type TLimitsSettings } from './limits/settings';
import { resolveListenAddress } from './listen.mjs';
import { docsRepoSettings, type TDocsRepoConfig } from './maintainers/gaps/settings';
import { maintainersSettings } from './maintainers/settings';
import { modelSettings, type TModelSettings } from './model/settings';
import { privacySettings, retentionSettings, type TPrivacyConfig } from './privacy/settings';
import { ConfigError, intInRange, optionalString, optionalUrl, requirePartner, type TEnvSource, type TSettings, type TSettingsContext } from './settings';
import { apiSettings, type TApiConfig } from './v1/settings';
import type { TAssistantPanelConfig } from './docs/site/settings';
import type { TRunsConfig } from './assistant/engine/settings';
import type { TStoreConfig } from './db/settings';

// The only place that reads the environment. Everything else receives a TConfig. Each part owns its variables in
// a settings module beside its code (lib/settings.ts says how): the source kinds in their folders (composed by the
// sources' registry, lib/docs/sources/index.ts), the model, the limits, privacy, the embed, /v1… This file
// composes them into one TConfig, validated once at start-up: a problem is one line naming the variable.

export { ConfigError, isConfigError } from './settings';
export type { TStoreConfig } from './db/settings';
export type { TDocsSourcesConfig, TGithubConfig, TOpenapiConfig } from './docs/sources';
export type { TDocsRepoConfig } from './maintainers/gaps/settings';
export type { TChallengeConfig, TRateLimitConfig } from './limits/settings';
export type { TModelConfig, TEmbeddingsConfig, TModerationConfig } from './model/settings';
export { DEFAULT_EMBEDDING_MODEL, DEFAULT_MODEL, DEFAULT_MODERATION_BASE_URL, DEFAULT_MODERATION_MODEL } from './model/settings';
export type { TPrivacyConfig } from './privacy/settings';
export type { TApiConfig } from './v1/settings';

/** A comma-separated list of Slack ids starting with one of `prefixes` (C0123ABCD, U0123ABCD…). */
const slackIdList = (name: string, ...prefixes: string[]) =>
  optionalString
    .transform((value) => (value === undefined ? [] : value.split(',').map((id) => id.trim()).filter((id) => id !== '')))
    .refine((ids) => ids.every((id) => new RegExp(`^[${prefixes.join('')}][A-Z0-9]{2,30}$`).test(id)), {
      message: `${name} must be Slack ids (${prefixes.map((prefix) => `${prefix}0123ABCD`).join(' or ')}), separated by commas`,
    });

/** What no one part owns: the server's mode, address, log and sessions; and the chat doors (Slack, Discord). */
const ZCoreEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Where readers reach the site, for the links the server builds. Unset: a request's own address (lib/site-url.ts),
  // and outside a request the address the server listens on (PORT and HOST, as scripts/start.mjs reads them).
  SITE_URL: optionalUrl('SITE_URL'),
  PORT: optionalString,
  HOST: optionalString,
  HOSTNAME: optionalString,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  SESSION_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
    message: 'SESSION_SECRET must be at least 32 characters',
  }),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_CHANNEL_ID: optionalString,
  SLACK_API_URL: optionalUrl('SLACK_API_URL'),
  // How long an instance holds the Slack posts it claimed: if it dies, another instance posts them after this.
  // A delivery round must fit in it (at most 5 posts of two 10 s calls against a Slack that times out).
  SLACK_OUTBOX_LEASE_SECONDS: intInRange(120, 5, 3600),
  // Slack's Events API (replies from maintainers): the app's signing secret verifies each callback.
  SLACK_SIGNING_SECRET: optionalString,
  // Answers in Slack (needs SLACK_SIGNING_SECRET): a mention of the app in a channel, or a direct message, is
  // answered in its thread. `off` keeps Slack for the maintainers only.
  SLACK_ANSWERS: z.enum(['on', 'off']).default('on').or(z.literal('').transform(() => 'on' as const)),
  // Channel ids (comma separated) where mentions are answered; unset: every channel the app is in. Never the
  // review channel (SLACK_CHANNEL_ID).
  SLACK_ANSWER_CHANNELS: slackIdList('SLACK_ANSWER_CHANNELS', 'C', 'G'),
  // A later message in an answered thread is answered when it mentions the app (`mention`), or also when the
  // member who asked first writes it (`asker`, the default).
  SLACK_ANSWER_FOLLOW_UPS: z.enum(['asker', 'mention']).default('asker').or(z.literal('').transform(() => 'asker' as const)),
  // Whose messages in an answered thread are maintainers' replies: member ids, and/or the members of a user group.
  SLACK_MAINTAINER_IDS: slackIdList('SLACK_MAINTAINER_IDS', 'U', 'W'),
  SLACK_MAINTAINER_GROUP: optionalString.refine((value) => value === undefined || /^S[A-Z0-9]{2,30}$/.test(value), {
    message: 'SLACK_MAINTAINER_GROUP must be a user group id such as S0123ABCD',
  }),
  // `weekly`: one instance posts a digest of the week's gaps to SLACK_CHANNEL_ID once a week.
  SLACK_DIGEST: z.enum(['off', 'weekly']).default('off').or(z.literal('').transform(() => 'off' as const)),
  // How often each instance asks whether the digest is due (the database lease decides who sends it).
  SLACK_DIGEST_CHECK_SECONDS: intInRange(600, 1, 86_400),

  // Answers in Discord (lib/discord): the application's id and public key (the interactions endpoint verifies
  // Discord's Ed25519 signature with it) and the bot's token (threads, `npm run discord:register`). All three or none.
  DISCORD_APPLICATION_ID: optionalString.refine((value) => value === undefined || /^\d{5,25}$/.test(value), {
    message: 'DISCORD_APPLICATION_ID must be the application id (digits) from the Developer Portal',
  }),
  DISCORD_PUBLIC_KEY: optionalString.refine((value) => value === undefined || /^[0-9a-fA-F]{64}$/.test(value), {
    message: 'DISCORD_PUBLIC_KEY must be the application public key: 64 hex characters',
  }),
  DISCORD_BOT_TOKEN: optionalString,
  // Discord's API base (tests point it at a fake).
  DISCORD_API_URL: optionalUrl('DISCORD_API_URL'),
});

/** The parts' settings, in the order they are validated (the sources' after the docs repository, whose DOCS_REPO they read). */
const PARTS = [
  storeSettings,
  docsFolderSettings,
  assistantPanelSettings,
  modelSettings,
  assistantRunsSettings,
  limitsSettings,
  privacySettings,
  retentionSettings,
  maintainersSettings,
  docsRepoSettings,
  apiSettings,
  embedSettings,
] as const;

/** Every variable the app reads (.env.example documents each: tests/unit/env-example.test.ts). */
export const ZEnv = ZCoreEnv.extend(
  Object.assign({}, ...[...PARTS, ...SOURCES_SETTINGS, searchRerankSettings as TSettings<unknown, never>].map((part) => part.env.shape)) as z.ZodRawShape,
);
export type TEnv = z.infer<typeof ZCoreEnv>;

export type TSlackConfig =
  | { mode: 'disabled' }
  | {
      mode: 'enabled';
      token: string;
      channelId: string;
      apiUrl?: string;
      outboxLeaseSeconds: number;
      /** Set: POST /api/slack/events accepts Slack's callbacks (maintainers' replies, questions). */
      signingSecret?: string;
      /** Answers in Slack (lib/slack/answers): null when off or without a signing secret. */
      answers: TSlackAnswersConfig | null;
      digest: { mode: 'off' | 'weekly'; checkSeconds: number };
    };

export type TSlackAnswersConfig = {
  /** Channels where mentions are answered; null: every channel the app is in (never the review channel). */
  channels: string[] | null;
  followUps: 'asker' | 'mention';
  maintainerIds: string[];
  maintainerGroup?: string;
};

/** Answers in Discord (lib/discord): on when the application id, public key and bot token are all set. */
export type TDiscordConfig =
  | { mode: 'disabled' }
  | { mode: 'enabled'; applicationId: string; publicKey: string; botToken: string; apiUrl: string };

export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api/v10';

export type TSessionConfig = { mode: 'generated' } | { mode: 'configured'; secret: string };

export type TConfig = TModelSettings &
  TLimitsSettings & {
    env: TEnv['NODE_ENV'];
    dataDir: string;
    /** The docs folder the site renders (DOCS_DIR; lib/docs/folder). */
    docsDir: string;
    docsSources: TDocsSourcesConfig;
    /**
     * The site's address for links: SITE_URL, else `listenUrl`. Inside a request with SITE_URL unset, the routes'
     * and pages' config carries the request's own address instead (lib/site-url.ts).
     */
    siteUrl: string;
    /** True when SITE_URL is set: links never follow a request's address. */
    isSiteUrlSet: boolean;
    /** Where this server listens, as a link: http://localhost:PORT, or HOST when it names one address. */
    listenUrl: string;
    /** The assistant panel's name, intro and suggested questions from the environment; undefined: not set there. */
    assistant: TAssistantPanelConfig;
    logLevel: TEnv['LOG_LEVEL'];
    store: TStoreConfig;
    slack: TSlackConfig;
    discord: TDiscordConfig;
    session: TSessionConfig;
    runs: TRunsConfig;
    maintainers: { linkTtlSeconds: number; token?: string };
    /** Where drafted docs fixes are opened (DOCS_REPO, DOCS_REPO_PATH, DOCS_REPO_BRANCH); null (or absent): nowhere, patches only. */
    docsRepo?: TDocsRepoConfig | null;
    /** The model's rerank of the assistant's docs searches: on only with a model and DOCS_SEARCH_RERANK=model. */
    docsSearchRerank: { isOn: boolean; timeoutMs: number };
    privacy: TPrivacyConfig;
    /** Days of inactivity after which the sweeper deletes a thread; null keeps threads forever. */
    retentionDays: number | null;
    api: TApiConfig;
    /** The embed (widget.js): who may embed it, and how long an embedded reader's session token lasts. */
    embed: TEmbedConfig;
  };

/** Parses the environment into a config, or throws a ConfigError whose message is one line. */
export function parseConfig(source: TEnvSource, cwd = process.cwd()): TConfig {
  const parsed = ZCoreEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`${variable}: ${issue?.message ?? 'invalid value'}`);
  }
  const env = parsed.data;
  const listen = resolveListenAddress({ PORT: env.PORT, HOST: env.HOST, HOSTNAME: env.HOSTNAME }, os.hostname());
  if ('error' in listen) throw new ConfigError(listen.error);
  const listenUrl = listenLinkUrl(listen);

  requirePartner(env, 'SLACK_BOT_TOKEN', 'SLACK_CHANNEL_ID');
  requirePartner(env, 'SLACK_CHANNEL_ID', 'SLACK_BOT_TOKEN');
  requirePartner(env, 'SLACK_API_URL', 'SLACK_BOT_TOKEN');
  requirePartner(env, 'SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN');
  requirePartner(env, 'DISCORD_APPLICATION_ID', 'DISCORD_PUBLIC_KEY');
  requirePartner(env, 'DISCORD_PUBLIC_KEY', 'DISCORD_BOT_TOKEN');
  requirePartner(env, 'DISCORD_BOT_TOKEN', 'DISCORD_APPLICATION_ID');
  requirePartner(env, 'DISCORD_API_URL', 'DISCORD_APPLICATION_ID');
  for (const name of ['SLACK_ANSWER_CHANNELS', 'SLACK_MAINTAINER_IDS'] as const) {
    if (env[name].length > 0 && env.SLACK_SIGNING_SECRET === undefined) throw new ConfigError(`${name} is set but SLACK_SIGNING_SECRET is missing`);
  }
  requirePartner(env, 'SLACK_MAINTAINER_GROUP', 'SLACK_SIGNING_SECRET');
  if (env.SLACK_DIGEST === 'weekly' && env.SLACK_BOT_TOKEN === undefined) {
    throw new ConfigError('SLACK_DIGEST is weekly but SLACK_BOT_TOKEN is missing');
  }

  const context: TSettingsContext = { cwd, source };
  const read = <TOut>(part: TSettings<TOut>) => part.parse(source, context);
  const store = read(storeSettings);
  const model = read(modelSettings);
  if (store.store.mode !== 'embedded' && env.SESSION_SECRET === undefined) {
    // Several instances share one database; a secret generated per machine would split sessions between them.
    throw new ConfigError(`SESSION_SECRET is required when ${store.store.mode === 'postgres' ? 'DATABASE_URL' : 'SUPABASE_URL'} is set`);
  }

  const slack: TSlackConfig =
    env.SLACK_BOT_TOKEN && env.SLACK_CHANNEL_ID
      ? {
          mode: 'enabled',
          token: env.SLACK_BOT_TOKEN,
          channelId: env.SLACK_CHANNEL_ID,
          apiUrl: env.SLACK_API_URL,
          outboxLeaseSeconds: env.SLACK_OUTBOX_LEASE_SECONDS,
          signingSecret: env.SLACK_SIGNING_SECRET,
          answers:
            env.SLACK_SIGNING_SECRET && env.SLACK_ANSWERS === 'on'
              ? {
                  channels: env.SLACK_ANSWER_CHANNELS.length > 0 ? env.SLACK_ANSWER_CHANNELS : null,
                  followUps: env.SLACK_ANSWER_FOLLOW_UPS,
                  maintainerIds: env.SLACK_MAINTAINER_IDS,
                  maintainerGroup: env.SLACK_MAINTAINER_GROUP,
                }
              : null,
          digest: { mode: env.SLACK_DIGEST, checkSeconds: env.SLACK_DIGEST_CHECK_SECONDS },
        }
      : { mode: 'disabled' };
  const discord: TDiscordConfig =
    env.DISCORD_APPLICATION_ID && env.DISCORD_PUBLIC_KEY && env.DISCORD_BOT_TOKEN
      ? {
          mode: 'enabled',
          applicationId: env.DISCORD_APPLICATION_ID,
          publicKey: env.DISCORD_PUBLIC_KEY.toLowerCase(),
          botToken: env.DISCORD_BOT_TOKEN,
          apiUrl: (env.DISCORD_API_URL ?? DEFAULT_DISCORD_API_URL).replace(/\/+$/, ''),
        }
      : { mode: 'disabled' };

  return {
    ...store,
    ...read(docsFolderSettings),
    ...read(assistantPanelSettings),
    ...model,
    ...read(assistantRunsSettings),
    ...read(limitsSettings),
    privacy: read(privacySettings),
    ...read(retentionSettings),
    ...read(maintainersSettings),
    ...read(docsRepoSettings),
    ...read(apiSettings),
    ...read(embedSettings),
    ...searchRerankSettings.parse(source, { ...context, hasModel: model.model.mode !== 'offline' }),
    docsSources: readSourcesSettings(context),
    env: env.NODE_ENV,
    siteUrl: (env.SITE_URL ?? listenUrl).replace(/\/+$/, ''),
    isSiteUrlSet: env.SITE_URL !== undefined,
    listenUrl,
    logLevel: env.LOG_LEVEL,
    slack,
    discord,
    session: env.SESSION_SECRET ? { mode: 'configured', secret: env.SESSION_SECRET } : { mode: 'generated' },
  };
}

/** The address a link to this server takes when it listens on `port` and `host` (null: every interface). */
function listenLinkUrl({ port, host }: { port: number; host: string | null }): string {
  const isEveryInterface = host === null || host === '0.0.0.0' || host === '::' || host === '[::]';
  const name = isEveryInterface ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}


/** Reads process.env once per process. */
export function loadConfig(): TConfig {
  const holder = globalThis as { __pasteConfig?: TConfig };
  holder.__pasteConfig ??= parseConfig(process.env);
  return holder.__pasteConfig;
}
