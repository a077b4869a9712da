import os from 'node:os';
import { z } from 'zod';
import { assistantRunsSettings } from './assistant/engine/settings';
import { CHAT_DOORS_ENV, chatDoorsSettings, type TChatDoorsConfig } from './chat-doors/doors';
import { storeSettings } from './db/settings';
import { docsFolderSettings } from './docs/folder/settings';
import { searchRerankSettings } from './docs/search/settings';
import { assistantPanelSettings } from './docs/site/settings';
import { readSourcesSettings, SOURCES_SETTINGS, type TDocsSourcesConfig } from './docs/sources';
import { audiencesSettingVariable, readersSettings, type TReadersConfig } from './audiences/settings';
import { embedSettings, type TEmbedConfig } from './embed/settings';
import { handoffSettings, type THandoffConfig } from './handoff/settings';
import { identitySettings, type TIdentityConfig } from './identity/settings';
import { limitsSettings, type TLimitsSettings } from './limits/settings';
import { resolveListenAddress } from './listen.mjs';
import { LOG_LEVELS } from './log';
import { docsRepoSettings, type TDocsRepoConfig } from './maintainers/gaps/settings';
import { gradesSettings } from './maintainers/grades/settings';
import { maintainersSettings } from './maintainers/settings';
import { modelSettings, type TModelSettings } from './model/settings';
import { readReviewChannelSettings, type TReviewChannelSettings } from './review-channel/settings';
import type { TSessionSettings } from './session/settings';
import { privacySettings, retentionSettings, type TPrivacyConfig } from './privacy/settings';
import { ConfigError, intInRange, optionalString, optionalUrl, requirePartner, type TEnvSource, type TSettings, type TSettingsContext } from './settings';
import { telemetrySettings, type TTelemetryConfig } from './telemetry/settings';
import { apiSettings, type TApiConfig } from './v1/settings';
import type { TAssistantPanelConfig } from './docs/site/settings';
import type { TRunsConfig } from './assistant/engine/settings';
import type { TStoreConfig } from './db/settings';

// The only place that reads the environment. Each part owns its variables in a settings module beside its code
// (lib/settings.ts says how): the source kinds in their folders (composed by the sources' registry,
// lib/docs/sources/index.ts), the chat doors in theirs (lib/chat-doors/doors/index.ts), the model, the limits,
// privacy, the embed, /v1… This file composes them into one TConfig, validated once at start-up: a problem is one
// line naming the variable. A part takes its own settings' type, never TConfig: this file imports every part, so a
// part that imported it would import all the others (tests/unit/import-rules.test.ts fails on such a circle). Only
// what composes the parts (lib/app.ts, lib/boot.ts, lib/health.ts, routes, pages and scripts) reads TConfig.

export { ConfigError, isConfigError } from './settings';
export type { TStoreConfig } from './db/settings';
export type { TCodeConfig, TDocsSourcesConfig, TGithubConfig, TOpenapiConfig } from './docs/sources';
export type { TDocsRepoConfig } from './maintainers/gaps/settings';
export type { TChallengeConfig, TRateLimitConfig } from './limits/settings';
export type { TModelConfig, TEmbeddingsConfig, TModerationConfig } from './model/settings';
export { DEFAULT_EMBEDDING_MODEL, DEFAULT_MODEL, DEFAULT_MODERATION_BASE_URL, DEFAULT_MODERATION_MODEL } from './model/settings';
export type { TPrivacyConfig } from './privacy/settings';
export type { TApiConfig } from './v1/settings';
export type { THandoffConfig } from './handoff/settings';
export type { TTelemetryConfig } from './telemetry/settings';

/** What no one part owns: the server's mode, address, log and sessions; the review channel in Slack; the chat doors' variables (each door's own). */
const ZCoreEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Where readers reach the site, for the links the server builds. Unset: a request's own address (lib/http/site-url.ts),
  // and outside a request the address the server listens on (PORT and HOST, as scripts/start.mjs reads them).
  SITE_URL: optionalUrl('SITE_URL'),
  PORT: optionalString,
  HOST: optionalString,
  HOSTNAME: optionalString,
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // json (default): one JSON object a line, with trace_id and span_id inside a traced request; text: readable lines.
  LOG_FORMAT: z.enum(['json', 'text']).default('json').or(z.literal('').transform(() => 'json' as const)),
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
  // What the review channel's members may read of private pages (issue 68): audience names separated by `|` or `,`,
  // or `*` for every page (a channel of maintainers only). Unset: public pages only, so that an answer drawn from a
  // private page is posted without its text and sources.
  SLACK_REVIEW_AUDIENCES: audiencesSettingVariable('SLACK_REVIEW_AUDIENCES'),
  // `weekly`: one instance posts a digest of the week's gaps to SLACK_CHANNEL_ID once a week.
  SLACK_DIGEST: z.enum(['off', 'weekly']).default('off').or(z.literal('').transform(() => 'off' as const)),
  // How often each instance asks whether the digest is due (the database lease decides who sends it).
  SLACK_DIGEST_CHECK_SECONDS: intInRange(600, 1, 86_400),

  // Each chat door's own variables (lib/chat-doors/doors/<door>/settings.ts).
  ...CHAT_DOORS_ENV,
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
  gradesSettings,
  docsRepoSettings,
  apiSettings,
  embedSettings,
  handoffSettings,
  telemetrySettings,
  readersSettings,
  identitySettings,
] as const;

/** Every variable the app reads (.env.example documents each: tests/unit/env-example.test.ts). */
export const ZEnv = ZCoreEnv.extend(
  Object.assign({}, ...[...PARTS, ...SOURCES_SETTINGS, searchRerankSettings as TSettings<unknown, never>].map((part) => part.env.shape)) as z.ZodRawShape,
);
export type TEnv = z.infer<typeof ZCoreEnv>;

export type TConfig = TModelSettings &
  TLimitsSettings & {
    env: TEnv['NODE_ENV'];
    dataDir: string;
    /** The docs folder the site renders (DOCS_DIR; lib/docs/folder). */
    docsDir: string;
    docsSources: TDocsSourcesConfig;
    /**
     * The site's address for links: SITE_URL, else `listenUrl`. Inside a request with SITE_URL unset, the routes'
     * and pages' config carries the request's own address instead (lib/http/site-url.ts).
     */
    siteUrl: string;
    /** True when SITE_URL is set: links never follow a request's address. */
    isSiteUrlSet: boolean;
    /** Where this server listens, as a link: http://localhost:PORT, or HOST when it names one address. */
    listenUrl: string;
    /** The assistant panel's name, intro and suggested questions from the environment; undefined: not set there. */
    assistant: TAssistantPanelConfig;
    logLevel: TEnv['LOG_LEVEL'];
    logFormat: TEnv['LOG_FORMAT'];
    store: TStoreConfig;
    /** The maintainers' review channel in Slack (lib/review-channel). */
    reviewChannel: TReviewChannelSettings;
    /** Each chat door's settings (lib/chat-doors/doors), keyed by door. */
    chatDoors: TChatDoorsConfig;
    session: TSessionSettings;
    runs: TRunsConfig;
    maintainers: { linkTtlSeconds: number; token?: string };
    /** How answers are graded and the share a configured model judges (lib/maintainers/grades/settings.ts). */
    grades: { evalSample: number; idleSeconds: number; rephraseSeconds: number };
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
    /** Where readers' hand-offs to the maintainers go (HANDOFF_TO; lib/handoff); absent or no channels: nowhere. */
    handoff?: THandoffConfig;
    /** OpenTelemetry (the OTEL_* variables, lib/telemetry): what is exported where; off without an endpoint. */
    telemetry: TTelemetryConfig;
    /** Readers with identity (lib/audiences): how a host-signed reader token is verified; null: tokens are off. */
    readers: TReadersConfig;
    /** How readers sign in on the site itself (OpenID Connect: lib/identity); `oidc` null: no sign-in. */
    identity: TIdentityConfig;
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
  const chatDoors = chatDoorsSettings(env);
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
    ...read(gradesSettings),
    ...read(docsRepoSettings),
    ...read(apiSettings),
    ...read(embedSettings),
    ...read(handoffSettings),
    ...read(telemetrySettings),
    ...read(readersSettings),
    ...read(identitySettings),
    ...searchRerankSettings.parse(source, { ...context, hasModel: model.model.mode !== 'offline' }),
    docsSources: readSourcesSettings(context),
    env: env.NODE_ENV,
    siteUrl: (env.SITE_URL ?? listenUrl).replace(/\/+$/, ''),
    isSiteUrlSet: env.SITE_URL !== undefined,
    listenUrl,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    reviewChannel: readReviewChannelSettings(env),
    chatDoors,
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
