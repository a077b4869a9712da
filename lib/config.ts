import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { brandError, hasBrand } from './brand';
import { resolveDocsDir } from './docs/sources/folder/files.mjs';
import { parseEmbedOrigins, type TEmbedOrigins } from './embed/origins';
import { compileExtraPattern } from './privacy/mask';
import { resolveListenAddress } from './listen.mjs';
import { envApiKeyId, hashApiKey } from './v1/key-hash';
import { captureGroupCount, MAX_VERSION_CHARS } from './docs/sources/versions';

// The only place that reads the environment. Everything else receives a TConfig.

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = (name: string) =>
  optionalString.refine((value) => value === undefined || isHttpUrl(value), {
    message: `${name} must be an http(s) URL`,
  });

/** A comma-separated list of Slack ids starting with one of `prefixes` (C0123ABCD, U0123ABCD…). */
const slackIdList = (name: string, ...prefixes: string[]) =>
  optionalString
    .transform((value) => (value === undefined ? [] : value.split(',').map((id) => id.trim()).filter((id) => id !== '')))
    .refine((ids) => ids.every((id) => new RegExp(`^[${prefixes.join('')}][A-Z0-9]{2,30}$`).test(id)), {
      message: `${name} must be Slack ids (${prefixes.map((prefix) => `${prefix}0123ABCD`).join(' or ')}), separated by commas`,
    });

const intInRange = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATA_DIR: optionalString,
  DOCS_DIR: optionalString,
  // Where DOCS_DIR's pages are published when it is another site's folder (Docusaurus, MkDocs, VitePress,
  // Nextra, Markdown): sources link there. DOCS_URL_SUFFIX: '/' (MkDocs) or '.html' (VitePress without cleanUrls).
  DOCS_BASE_URL: optionalUrl('DOCS_BASE_URL'),
  DOCS_URL_SUFFIX: z.enum(['', '/', '.html']).default(''),
  // Versioned docs (lib/docs/sources/versions.ts): the version a search with no version asks for, and the pattern
  // (one capture group) that reads a version from a crawled page's URL or the page an embedded assistant is on.
  DOCS_CURRENT_VERSION: optionalString.refine((value) => value === undefined || value.length <= MAX_VERSION_CHARS, {
    message: `DOCS_CURRENT_VERSION must be at most ${MAX_VERSION_CHARS} characters`,
  }),
  DOCS_VERSION_PATTERN: optionalString.superRefine((value, ctx) => {
    const problem = value === undefined ? null : versionPatternProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  // A published docs site to crawl and index: its root or its sitemap, several separated by commas.
  DOCS_CRAWL_URL: optionalString.refine(
    (value) => value === undefined || value.split(',').every((url) => url.trim() === '' || isHttpUrl(url.trim())),
    { message: 'DOCS_CRAWL_URL must be http(s) URLs separated by commas' },
  ),
  DOCS_CRAWL_INTERVAL_MINUTES: intInRange(60, 1, 10_080),
  // A CSS selector of the main content, when readability's guess is not the page's content.
  DOCS_CRAWL_CONTENT_SELECTOR: optionalString,
  DOCS_CRAWL_MAX_PAGES: intInRange(5000, 1, 100_000),
  DOCS_CRAWL_CONCURRENCY: intInRange(4, 1, 16),
  DOCS_CRAWL_TIMEOUT_SECONDS: intInRange(15, 1, 300),
  DOCS_CRAWL_MAX_PAGE_BYTES: intInRange(5_000_000, 10_000, 100_000_000),
  // GitHub repositories whose issues, pull requests and discussions are indexed (lib/docs/sources/github):
  // owner/name, several separated by commas. GITHUB_API_URL: GitHub Enterprise's REST root (https://host/api/v3).
  GITHUB_REPOS: optionalString
    .transform((value) => (value === undefined ? [] : value.split(',').map((repo) => repo.trim()).filter((repo) => repo !== '')))
    .refine((repos) => repos.every((repo) => /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(repo)), {
      message: 'GITHUB_REPOS must be owner/name pairs separated by commas',
    }),
  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: optionalUrl('GITHUB_API_URL'),
  GITHUB_SYNC_INTERVAL_MINUTES: intInRange(30, 1, 10_080),
  GITHUB_INCLUDE_PRIVATE: z.enum(['on', 'off']).default('off').or(z.literal('').transform(() => 'off' as const)),
  // Where drafted docs fixes are opened (lib/maintainers/gaps): DOCS_REPO (owner/name), the folder of DOCS_DIR in
  // it (DOCS_REPO_PATH, e.g. content/docs) and the base branch (DOCS_REPO_BRANCH), with GITHUB_TOKEN and GITHUB_API_URL.
  DOCS_REPO: optionalString.refine((value) => value === undefined || /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(value), {
    message: 'DOCS_REPO must be owner/name',
  }),
  DOCS_REPO_PATH: optionalString.refine((value) => value === undefined || !/(^|\/)\.\.(\/|$)/.test(value), { message: 'DOCS_REPO_PATH must stay inside the repository' }),
  DOCS_REPO_BRANCH: optionalString,
  // API references (lib/docs/sources/openapi): OpenAPI 3.0/3.1 or Swagger 2.0 specs, JSON or YAML, as paths or
  // http(s) URLs separated by commas. DOCS_OPENAPI_BASE_URL: where the team publishes its own reference (links go
  // there instead of /docs/reference/<spec>; `{spec}` in it stands for the spec's name).
  DOCS_OPENAPI: optionalString,
  DOCS_OPENAPI_BASE_URL: optionalString.refine((value) => value === undefined || isHttpUrl(value.replace('{spec}', 'spec')), {
    message: 'DOCS_OPENAPI_BASE_URL must be an http(s) URL',
  }),
  DOCS_OPENAPI_INTERVAL_MINUTES: intInRange(60, 1, 10_080),
  DOCS_OPENAPI_MAX_BYTES: intInRange(20_000_000, 10_000, 200_000_000),
  // `POST /api/docs/reindex` with `Authorization: Bearer <token>` re-reads every source at once (a deploy hook).
  // Unset: the route answers 404.
  DOCS_REINDEX_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
    message: 'DOCS_REINDEX_TOKEN must be at least 16 characters',
  }),
  // Where readers reach the site, for the links the server builds. Unset: a request's own address (lib/site-url.ts),
  // and outside a request the address the server listens on (PORT and HOST, as scripts/start.mjs reads them).
  SITE_URL: optionalUrl('SITE_URL'),
  PORT: optionalString,
  HOST: optionalString,
  HOSTNAME: optionalString,
  // The assistant's panel for the site it serves (lib/docs/site/intro.ts): its name, its introduction, and suggested
  // questions separated by `|`. Each wins over site.config.json; unset, they come from the docs (or the indexed site).
  ASSISTANT_NAME: optionalString.refine((value) => value === undefined || value.length <= 60, { message: 'ASSISTANT_NAME must be at most 60 characters' }),
  ASSISTANT_INTRO: optionalString.refine((value) => value === undefined || value.length <= 600, { message: 'ASSISTANT_INTRO must be at most 600 characters' }),
  ASSISTANT_SUGGESTIONS: optionalString.refine(
    (value) => value === undefined || value.split('|').every((question) => question.trim().length <= 200),
    { message: 'ASSISTANT_SUGGESTIONS must be questions of at most 200 characters, separated by |' },
  ),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),

  // Any Postgres ≥ 15 (postgres:// or postgresql://); with it, instances share runs and notifications.
  DATABASE_URL: optionalString.refine((value) => value === undefined || isPostgresUrl(value), {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
  }),
  DATABASE_POOL_SIZE: intInRange(10, 1, 200),
  SUPABASE_URL: optionalUrl('SUPABASE_URL'),
  SUPABASE_SERVICE_ROLE_KEY: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl('OPENAI_BASE_URL'),
  OPENAI_API_STYLE: z
    .enum(['responses', 'chat'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OPENAI_MODEL: optionalString,
  OPENAI_EMBEDDING_MODEL: optionalString,
  // Embeddings from their own OpenAI-compatible server (Ollama, vLLM, llama.cpp, OpenAI), whatever answers the
  // questions — the offline assistant included. EMBEDDINGS_MODEL wins over OPENAI_EMBEDDING_MODEL.
  EMBEDDINGS_BASE_URL: optionalUrl('EMBEDDINGS_BASE_URL'),
  EMBEDDINGS_MODEL: optionalString,
  // With a model configured: the assistant's docs search asks it to reorder the top 20 results (and to rewrite a
  // weak query) in one short call (lib/docs/search/model-rerank.ts). Off by default: it adds a model call per search.
  DOCS_SEARCH_RERANK: z.enum(['off', 'model']).default('off').or(z.literal('').transform(() => 'off' as const)),
  DOCS_SEARCH_RERANK_TIMEOUT_MS: intInRange(4000, 100, 60_000),
  EMBEDDINGS_API_KEY: optionalString,
  // Per attempt; the SDK retries timeouts too, so a call can take (OPENAI_MAX_RETRIES + 1) times this.
  OPENAI_TIMEOUT_MS: intInRange(60_000, 10, 600_000),
  OPENAI_MAX_RETRIES: intInRange(2, 0, 10),
  // First retry delay; each retry doubles it (with jitter), up to 16 times this.
  OPENAI_RETRY_BASE_MS: intInRange(500, 0, 60_000),
  // Estimated tokens of conversation sent per model call; the oldest turns are dropped first.
  OPENAI_CONTEXT_TOKENS: intInRange(12_000, 1_000, 1_000_000),

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
  // How long the signed transcript and report links for maintainers stay valid.
  MAINTAINER_LINK_TTL_DAYS: intInRange(30, 1, 365),
  // Opens the maintainers' dashboard (Authorization: Bearer, or its sign-in form) besides the signed links.
  MAINTAINER_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
    message: 'MAINTAINER_TOKEN must be at least 16 characters',
  }),

  SESSION_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
    message: 'SESSION_SECRET must be at least 32 characters',
  }),

  RUN_EXPIRY_SECONDS: intInRange(600, 10, 86_400),
  RUN_LEASE_SECONDS: intInRange(30, 2, 600),
  RUN_MAX_TOOL_ROUNDS: intInRange(4, 1, 20),
  RUN_MAX_ATTEMPTS: intInRange(3, 1, 10),
  // The pipelined tool round (lib/assistant/engine/pipeline.ts): a step's next model request leaves before its tool
  // round is recorded. Off: the plain path, the round recorded first (slower by a database round trip or two).
  RUN_PIPELINING: z.enum(['on', 'off']).default('on').or(z.literal('').transform(() => 'on' as const)),
  // How often each instance's sweeper looks for runs nobody moves, and how long a queued or requires_action
  // run waits for a reader (who would move it at once) before the sweeper moves it.
  RUN_SWEEP_SECONDS: intInRange(2, 1, 600),
  // Open event streams at once, per session and per client address; one more is refused with 429.
  EVENT_STREAMS_PER_SESSION: intInRange(10, 1, 100_000),
  EVENT_STREAMS_PER_IP: intInRange(300, 1, 1_000_000),
  MESSAGE_WAIT_SECONDS: intInRange(25, 1, 120),
  MAX_MESSAGE_CHARS: intInRange(8000, 1, 100_000),
  // The longest answer stored; a model that writes more is stopped there and the run ends `incomplete`.
  MAX_ANSWER_CHARS: intInRange(32_000, 100, 1_000_000),
  MAX_BODY_BYTES: intInRange(32 * 1024, 1024, 10 * 1024 * 1024),

  // Testing and demos only: the offline model waits this long before each response, so that a run stays
  // pending long enough to watch it (reload mid-run, Stop). 0 (the default) answers at once.
  OFFLINE_MODEL_DELAY_MS: intInRange(0, 0, 120_000),
  // Testing and demos only: the offline model waits this long between the words of its answer, so that the
  // answer is seen being written. 0 (the default) streams it at once.
  OFFLINE_MODEL_PIECE_MS: intInRange(0, 0, 10_000),
  // The whole model call of one run step, whatever the adapter (its own timeouts and retries included).
  MODEL_TIMEOUT_SECONDS: intInRange(180, 1, 1800),

  // Abuse limits (lib/limits). Counted in Postgres, so they hold across instances sharing a database.
  TRUSTED_PROXY_HEADER: optionalString.refine((value) => value === undefined || /^[A-Za-z0-9-]{1,64}$/.test(value), {
    message: 'TRUSTED_PROXY_HEADER must be a header name such as x-forwarded-for',
  }),
  TRUSTED_PROXY_HOPS: intInRange(1, 1, 10),
  RATE_LIMIT_BURST: intInRange(40, 1, 1_000_000),
  RATE_LIMIT_IP_BURST: intInRange(200, 1, 1_000_000),
  RATE_LIMIT_BURST_SECONDS: intInRange(10, 1, 3600),
  RATE_LIMIT_MESSAGES_PER_HOUR: intInRange(60, 1, 1_000_000),
  RATE_LIMIT_IP_MESSAGES_PER_HOUR: intInRange(300, 1, 1_000_000),
  RATE_LIMIT_THREAD_MESSAGES: intInRange(100, 1, 1_000_000),
  RATE_LIMIT_DAILY_TOKENS: intInRange(2_000_000, 0, 1_000_000_000_000),

  // Personal data and secrets are masked in readers' messages before anything stores or sends them (lib/privacy).
  PII_MASKING: z.enum(['on', 'off']).default('on').or(z.literal('').transform(() => 'on' as const)),
  // More patterns to mask, as a JSON list of regular expressions: '["ACME-\\d{6}", "/employee #\\d+/i"]'.
  PII_EXTRA_PATTERNS: optionalString,

  // A proof-of-work challenge (ALTCHA) for browsers near their hourly message limits (lib/limits/challenge.ts).
  CHALLENGE: z.enum(['on', 'off']).default('on').or(z.literal('').transform(() => 'on' as const)),
  // Percent of the session's or address's hourly message quota used before a browser is challenged.
  CHALLENGE_THRESHOLD_PERCENT: intInRange(80, 1, 100),
  // Messages a solved challenge allows, even past the hourly quota; and solved challenges counted per hour.
  CHALLENGE_ALLOWANCE: intInRange(10, 1, 1000),
  CHALLENGE_MAX_PER_HOUR: intInRange(3, 1, 1000),
  // The work: the solver tries up to this many numbers (on average half); and how long a challenge is valid.
  CHALLENGE_MAX_NUMBER: intInRange(50_000, 1000, 10_000_000),
  CHALLENGE_TTL_SECONDS: intInRange(300, 10, 3600),

  // Threads whose last activity is older than this many days are deleted by the sweeper. Unset or 0: kept.
  RETENTION_DAYS: intInRange(0, 0, 36_500),
  // The OpenAI-compatible /v1 API (assistants, threads, runs). Keys, comma separated, for bootstrapping and tests;
  // `npm run api-key -- create <name>` makes keys kept (hashed) in the database. Each key: 20+ characters, no spaces or commas.
  API_KEYS: optionalString.refine(
    (value) => value === undefined || value.split(',').every((key) => /^[\x21-\x2b\x2d-\x7e]{20,200}$/.test(key.trim())),
    { message: 'API_KEYS must be keys of 20 to 200 visible characters, separated by commas' },
  ),
  // Per API key: requests per minute, and runs started per hour.
  RATE_LIMIT_API_KEY_REQUESTS_PER_MINUTE: intInRange(600, 1, 1_000_000),
  RATE_LIMIT_API_KEY_RUNS_PER_HOUR: intInRange(1000, 1, 1_000_000),

  // The sites whose pages may embed the assistant with widget.js (lib/embed): origins, comma separated, or `*`
  // alone for any site. Unset: embedding is off. An embedded reader's session token lasts EMBED_SESSION_DAYS.
  EMBED_ALLOWED_ORIGINS: optionalString,
  EMBED_SESSION_DAYS: intInRange(30, 1, 365),

  MODERATION: z.enum(['auto', 'off']).default('auto').or(z.literal('').transform(() => 'auto' as const)),
  OPENAI_MODERATION_MODEL: optionalString,
  OPENAI_MODERATION_BASE_URL: optionalUrl('OPENAI_MODERATION_BASE_URL'),
});
export type TEnv = z.infer<typeof ZEnv>;

// A current small model (March 2026) that is good at tool use; OPENAI_MODEL overrides it.
export const DEFAULT_MODEL = 'gpt-5.4-mini';
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
export const DEFAULT_MODERATION_MODEL = 'omni-moderation-latest';
// Moderation is OpenAI's endpoint even when OPENAI_BASE_URL points the model at another server (Ollama, vLLM…).
export const DEFAULT_MODERATION_BASE_URL = 'https://api.openai.com/v1';

export type TStoreConfig =
  | { mode: 'embedded'; dataDir: string }
  | { mode: 'postgres'; url: string; poolSize: number }
  | { mode: 'supabase'; url: string; serviceRoleKey: string };

export type TModelConfig =
  | { mode: 'offline' }
  | {
      mode: 'openai';
      style: 'responses' | 'chat';
      apiKey?: string;
      baseURL?: string;
      model: string;
      timeoutMs: number;
      maxRetries: number;
      retryBaseMs: number;
      contextTokens: number;
    };

/** Where section and query embeddings come from; null: the docs search is full-text only. */
export type TEmbeddingsConfig = null | { baseURL?: string; apiKey: string; model: string };

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

export type TModerationConfig =
  | { mode: 'off' }
  | { mode: 'openai'; apiKey: string; baseURL: string; model: string; timeoutMs: number };

export type TRateLimitConfig = {
  /** Header carrying the client address, set by a proxy in front of every instance; unset: the socket address. */
  trustedProxyHeader?: string;
  /** For a list header (X-Forwarded-For): which entry from the right is the client (1 = the last one). */
  trustedProxyHops: number;
  burst: number;
  ipBurst: number;
  burstSeconds: number;
  messagesPerHour: number;
  ipMessagesPerHour: number;
  threadMessages: number;
  /** Model tokens per UTC day for the whole site; 0 = no cap. */
  dailyTokens: number;
};

export type TPrivacyConfig = { isMasking: boolean; extraPatterns: string[] };

export type TChallengeConfig = {
  isEnabled: boolean;
  /** Fraction (0–1] of an hourly message quota used before a browser must solve a challenge. */
  threshold: number;
  allowance: number;
  maxPerHour: number;
  maxNumber: number;
  ttlSeconds: number;
};

/** /v1: the keys from API_KEYS (as hashes, with the id their objects are owned by) and the per-key limits. */
export type TApiConfig = {
  envKeys: { id: string; hash: string }[];
  requestsPerMinute: number;
  runsPerHour: number;
};

/** Where the docs come from besides DOCS_DIR: where that folder is published, and a site to crawl. */
export type TDocsSourcesConfig = {
  /** False when DOCS_DIR is not set and a site is crawled: the index is that site alone. */
  isDirIndexed: boolean;
  published: { baseUrl: string; suffix: '' | '/' | '.html' } | null;
  /**
   * Versioned docs: `current`, DOCS_CURRENT_VERSION (null: the newest, lib/docs/sources/versions.ts); `pattern`,
   * DOCS_VERSION_PATTERN's source (checked: it compiles and has one capture group), or null. Absent when neither
   * is set.
   */
  versions?: { current: string | null; pattern: string | null };
  crawl: {
    urls: string[];
    intervalMinutes: number;
    contentSelector: string | null;
    maxPages: number;
    concurrency: number;
    timeoutMs: number;
    maxPageBytes: number;
  } | null;
  /** GitHub's issues, pull requests and discussions (GITHUB_REPOS); null when no repository is set. */
  github: TGithubConfig | null;
  /** API references from OpenAPI specs (DOCS_OPENAPI); null (or absent) when none is set. */
  openapi?: TOpenapiConfig | null;
  /** DOCS_REINDEX_TOKEN: the bearer token of `POST /api/docs/reindex`; null (or absent): the route is off (404). */
  reindexToken?: string | null;
};

export type TOpenapiConfig = {
  /** Each spec: an absolute file path or an http(s) URL. */
  specs: string[];
  /** Where the team publishes its reference (`{spec}`: the spec's name); null: this site's /docs/reference/<spec>. */
  baseUrl: string | null;
  intervalMinutes: number;
  /** A spec larger than this is refused (its previous operations are kept). */
  maxBytes: number;
  timeoutMs: number;
};

export type TGithubConfig = {
  repos: { owner: string; name: string }[];
  /** Never logged nor sent to a client: only lib/docs/sources/github/client.ts reads it. */
  token: string | null;
  apiUrl: string;
  intervalMinutes: number;
  /** Private repositories are indexed only when on; otherwise one that is (or becomes) private leaves the index. */
  isPrivateIncluded: boolean;
  /** The masking readers' messages get (PII_MASKING, PII_EXTRA_PATTERNS), applied to every thread's text. */
  privacy: { isMasking: boolean; extraPatterns: readonly string[] };
};

export type TConfig = {
  env: TEnv['NODE_ENV'];
  dataDir: string;
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
  assistant: { name?: string; intro?: string; suggestions?: string[] };
  logLevel: TEnv['LOG_LEVEL'];
  store: TStoreConfig;
  model: TModelConfig;
  embeddings: TEmbeddingsConfig;
  slack: TSlackConfig;
  discord: TDiscordConfig;
  session: TSessionConfig;
  runs: {
    expirySeconds: number;
    leaseSeconds: number;
    maxToolRounds: number;
    maxAttempts: number;
    sweepSeconds: number;
    waitSeconds: number;
    pollMs: number;
    maxAnswerChars: number;
    /** RUN_PIPELINING: a tool round's next model request leaves before the round is recorded. */
    isPipelined: boolean;
  };
  limits: { maxBodyBytes: number; maxMessageChars: number; streamsPerSession: number; streamsPerIp: number };
  maintainers: { linkTtlSeconds: number; token?: string };
  /** Where drafted docs fixes are opened (DOCS_REPO, DOCS_REPO_PATH, DOCS_REPO_BRANCH); null (or absent): nowhere, patches only. */
  docsRepo?: TDocsRepoConfig | null;
  /** Knobs for tests and demos; all off by default. */
  testing: { offlineModelDelayMs: number; offlineModelPieceMs: number };
  rateLimits: TRateLimitConfig;
  moderation: TModerationConfig;
  modelTimeoutMs: number;
  /** The model's rerank of the assistant's docs searches: on only with a model and DOCS_SEARCH_RERANK=model. */
  docsSearchRerank: { isOn: boolean; timeoutMs: number };
  privacy: TPrivacyConfig;
  challenge: TChallengeConfig;
  /** Days of inactivity after which the sweeper deletes a thread; null keeps threads forever. */
  retentionDays: number | null;
  api: TApiConfig;
  /** The embed (widget.js): who may embed it, and how long an embedded reader's session token lasts. */
  embed: { origins: TEmbedOrigins; sessionSeconds: number };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message);
    brandError(this, 'ConfigError');
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return hasBrand(error, 'ConfigError');
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function requirePartner(env: TEnv, present: keyof TEnv, partner: keyof TEnv): void {
  if (env[present] !== undefined && env[partner] === undefined) {
    throw new ConfigError(`${present} is set but ${partner} is missing`);
  }
}

/** Parses the environment into a config, or throws a ConfigError whose message is one line. */
export function parseConfig(source: Record<string, string | undefined>, cwd = process.cwd()): TConfig {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`${variable}: ${issue?.message ?? 'invalid value'}`);
  }
  const env = parsed.data;
  const listen = resolveListenAddress({ PORT: env.PORT, HOST: env.HOST, HOSTNAME: env.HOSTNAME }, os.hostname());
  if ('error' in listen) throw new ConfigError(listen.error);
  const listenUrl = listenLinkUrl(listen);

  requirePartner(env, 'SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY');
  requirePartner(env, 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_URL');
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
  if (env.OPENAI_API_STYLE !== undefined && env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined) {
    throw new ConfigError('OPENAI_API_STYLE is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is');
  }
  if (env.OPENAI_MODEL !== undefined && env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined) {
    throw new ConfigError('OPENAI_MODEL is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is');
  }

  if (env.DATABASE_URL !== undefined && env.SUPABASE_URL !== undefined) {
    // Both are a way to the same kind of store; with Supabase, DATABASE_URL (its direct connection) is the better one.
    throw new ConfigError('DATABASE_URL and SUPABASE_URL are both set: set one (DATABASE_URL for notifications across instances)');
  }
  const store: TStoreConfig = env.DATABASE_URL
    ? { mode: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
    : env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY
      ? { mode: 'supabase', url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY }
      : { mode: 'embedded', dataDir: path.resolve(cwd, env.DATA_DIR ?? '.data') };

  if (store.mode !== 'embedded' && env.SESSION_SECRET === undefined) {
    // Several instances share one database; a secret generated per machine would split sessions between them.
    throw new ConfigError(`SESSION_SECRET is required when ${store.mode === 'postgres' ? 'DATABASE_URL' : 'SUPABASE_URL'} is set`);
  }

  const model: TModelConfig =
    env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined
      ? { mode: 'offline' }
      : {
          mode: 'openai',
          // A custom base URL is most often a Chat Completions server (Ollama, vLLM, llama.cpp, LM Studio).
          style: env.OPENAI_API_STYLE ?? (env.OPENAI_BASE_URL ? 'chat' : 'responses'),
          apiKey: env.OPENAI_API_KEY,
          baseURL: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL ?? DEFAULT_MODEL,
          timeoutMs: env.OPENAI_TIMEOUT_MS,
          maxRetries: env.OPENAI_MAX_RETRIES,
          retryBaseMs: env.OPENAI_RETRY_BASE_MS,
          contextTokens: env.OPENAI_CONTEXT_TOKENS,
        };

  const embeddingModel = env.EMBEDDINGS_MODEL ?? env.OPENAI_EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL;
  const embeddings: TEmbeddingsConfig =
    env.EMBEDDINGS_BASE_URL !== undefined
      ? // A local embeddings server usually wants no key; the SDK needs one to send, so a placeholder goes.
        { baseURL: env.EMBEDDINGS_BASE_URL, apiKey: env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY ?? 'no-key', model: embeddingModel }
      : env.OPENAI_API_KEY !== undefined
        ? { baseURL: env.OPENAI_BASE_URL, apiKey: env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY, model: embeddingModel }
        : null;

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
    privacy: { isMasking: env.PII_MASKING === 'on', extraPatterns: parseExtraPatterns(env.PII_EXTRA_PATTERNS) },
    challenge: {
      isEnabled: env.CHALLENGE === 'on',
      threshold: env.CHALLENGE_THRESHOLD_PERCENT / 100,
      allowance: env.CHALLENGE_ALLOWANCE,
      maxPerHour: env.CHALLENGE_MAX_PER_HOUR,
      maxNumber: env.CHALLENGE_MAX_NUMBER,
      ttlSeconds: env.CHALLENGE_TTL_SECONDS,
    },
    retentionDays: env.RETENTION_DAYS > 0 ? env.RETENTION_DAYS : null,
    env: env.NODE_ENV,
    dataDir: path.resolve(cwd, env.DATA_DIR ?? '.data'),
    docsDir: resolveDocsDir(env.DOCS_DIR, cwd),
    docsSources: docsSourcesConfig(env, cwd),
    siteUrl: (env.SITE_URL ?? listenUrl).replace(/\/+$/, ''),
    isSiteUrlSet: env.SITE_URL !== undefined,
    listenUrl,
    assistant: {
      name: env.ASSISTANT_NAME,
      intro: env.ASSISTANT_INTRO,
      suggestions: env.ASSISTANT_SUGGESTIONS?.split('|').map((question) => question.trim()).filter((question) => question !== ''),
    },
    logLevel: env.LOG_LEVEL,
    store,
    model,
    embeddings,
    slack,
    discord,
    session: env.SESSION_SECRET ? { mode: 'configured', secret: env.SESSION_SECRET } : { mode: 'generated' },
    runs: {
      expirySeconds: env.RUN_EXPIRY_SECONDS,
      leaseSeconds: env.RUN_LEASE_SECONDS,
      maxToolRounds: env.RUN_MAX_TOOL_ROUNDS,
      maxAttempts: env.RUN_MAX_ATTEMPTS,
      sweepSeconds: env.RUN_SWEEP_SECONDS,
      waitSeconds: env.MESSAGE_WAIT_SECONDS,
      pollMs: 500,
      maxAnswerChars: env.MAX_ANSWER_CHARS,
      isPipelined: env.RUN_PIPELINING === 'on',
    },
    limits: {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxMessageChars: env.MAX_MESSAGE_CHARS,
      streamsPerSession: env.EVENT_STREAMS_PER_SESSION,
      streamsPerIp: env.EVENT_STREAMS_PER_IP,
    },
    maintainers: { linkTtlSeconds: env.MAINTAINER_LINK_TTL_DAYS * 86_400, token: env.MAINTAINER_TOKEN },
    docsRepo: docsRepoConfig(env),
    testing: { offlineModelDelayMs: env.OFFLINE_MODEL_DELAY_MS, offlineModelPieceMs: env.OFFLINE_MODEL_PIECE_MS },
    rateLimits: {
      trustedProxyHeader: env.TRUSTED_PROXY_HEADER?.toLowerCase(),
      trustedProxyHops: env.TRUSTED_PROXY_HOPS,
      burst: env.RATE_LIMIT_BURST,
      ipBurst: env.RATE_LIMIT_IP_BURST,
      burstSeconds: env.RATE_LIMIT_BURST_SECONDS,
      messagesPerHour: env.RATE_LIMIT_MESSAGES_PER_HOUR,
      ipMessagesPerHour: env.RATE_LIMIT_IP_MESSAGES_PER_HOUR,
      threadMessages: env.RATE_LIMIT_THREAD_MESSAGES,
      dailyTokens: env.RATE_LIMIT_DAILY_TOKENS,
    },
    moderation:
      env.MODERATION === 'off' || env.OPENAI_API_KEY === undefined
        ? { mode: 'off' }
        : {
            mode: 'openai',
            apiKey: env.OPENAI_API_KEY,
            baseURL: env.OPENAI_MODERATION_BASE_URL ?? DEFAULT_MODERATION_BASE_URL,
            model: env.OPENAI_MODERATION_MODEL ?? DEFAULT_MODERATION_MODEL,
            timeoutMs: 10_000,
          },
    modelTimeoutMs: env.MODEL_TIMEOUT_SECONDS * 1000,
    docsSearchRerank: { isOn: env.DOCS_SEARCH_RERANK === 'model' && model.mode !== 'offline', timeoutMs: env.DOCS_SEARCH_RERANK_TIMEOUT_MS },
    embed: { origins: parseEmbedOriginsOrThrow(env.EMBED_ALLOWED_ORIGINS), sessionSeconds: env.EMBED_SESSION_DAYS * 86_400 },
    api: {
      envKeys: (env.API_KEYS ?? '')
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== '')
        .map((key) => {
          const hash = hashApiKey(key);
          return { id: envApiKeyId(hash), hash };
        }),
      requestsPerMinute: env.RATE_LIMIT_API_KEY_REQUESTS_PER_MINUTE,
      runsPerHour: env.RATE_LIMIT_API_KEY_RUNS_PER_HOUR,
    },
  };
}

/** The address a link to this server takes when it listens on `port` and `host` (null: every interface). */
function listenLinkUrl({ port, host }: { port: number; host: string | null }): string {
  const isEveryInterface = host === null || host === '0.0.0.0' || host === '::' || host === '[::]';
  const name = isEveryInterface ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

function parseEmbedOriginsOrThrow(value: string | undefined): TEmbedOrigins {
  const parsed = parseEmbedOrigins(value);
  if ('error' in parsed) throw new ConfigError(parsed.error);
  return parsed;
}

function parseExtraPatterns(value: string | undefined): string[] {
  if (value === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    throw new ConfigError('PII_EXTRA_PATTERNS must be a JSON list of regular expressions, e.g. ["ACME-\\\\d{6}"]');
  }
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string' && item !== '')) {
    throw new ConfigError('PII_EXTRA_PATTERNS must be a JSON list of non-empty strings');
  }
  for (const spec of list) {
    try {
      compileExtraPattern(spec);
    } catch (error) {
      throw new ConfigError(`PII_EXTRA_PATTERNS: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return list;
}

/** Why a DOCS_VERSION_PATTERN cannot be used (it does not compile, or has not exactly one capture group), or null. */
function versionPatternProblem(source: string): string | null {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    return `not a regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  const groups = captureGroupCount(pattern);
  return groups === 1 ? null : `must have exactly one capture group, the version (it has ${groups}): e.g. /docs/(\\d+\\.x)/`;
}

export type TDocsRepoConfig = {
  owner: string;
  name: string;
  /** The folder of DOCS_DIR in the repository ('' : its root), without slashes at either end. */
  path: string;
  branch: string;
  /** GITHUB_TOKEN: never logged nor sent to a client. */
  token: string | null;
  apiUrl: string;
};

function docsRepoConfig(env: TEnv): TDocsRepoConfig | null {
  if (env.DOCS_REPO === undefined) {
    for (const name of ['DOCS_REPO_PATH', 'DOCS_REPO_BRANCH'] as const) {
      if (env[name] !== undefined) throw new ConfigError(`${name} is set but DOCS_REPO is missing: name the docs repository (owner/name)`);
    }
    return null;
  }
  const [owner = '', name = ''] = env.DOCS_REPO.split('/');
  return {
    owner,
    name,
    path: (env.DOCS_REPO_PATH ?? '').replace(/^\/+|\/+$/g, ''),
    branch: env.DOCS_REPO_BRANCH ?? 'main',
    token: env.GITHUB_TOKEN ?? null,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
  };
}

function githubConfig(env: TEnv): TGithubConfig | null {
  if (env.GITHUB_REPOS.length === 0) {
    for (const name of ['GITHUB_TOKEN', 'GITHUB_API_URL'] as const) {
      // DOCS_REPO uses them too (drafted docs fixes): then they are no sign of a forgotten GITHUB_REPOS.
      if (env[name] !== undefined && env.DOCS_REPO === undefined) throw new ConfigError(`${name} is set but GITHUB_REPOS is missing: name the repositories to index (owner/name, separated by commas)`);
    }
    if (env.GITHUB_INCLUDE_PRIVATE === 'on') throw new ConfigError('GITHUB_INCLUDE_PRIVATE is on but GITHUB_REPOS is missing');
    return null;
  }
  if (env.GITHUB_INCLUDE_PRIVATE === 'on' && env.GITHUB_TOKEN === undefined) {
    throw new ConfigError('GITHUB_INCLUDE_PRIVATE is on but GITHUB_TOKEN is missing: private repositories are read only with a token');
  }
  return {
    repos: [...new Set(env.GITHUB_REPOS)].map((repo) => {
      const [owner = '', name = ''] = repo.split('/');
      return { owner, name };
    }),
    token: env.GITHUB_TOKEN ?? null,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    intervalMinutes: env.GITHUB_SYNC_INTERVAL_MINUTES,
    isPrivateIncluded: env.GITHUB_INCLUDE_PRIVATE === 'on',
    privacy: { isMasking: env.PII_MASKING === 'on', extraPatterns: parseExtraPatterns(env.PII_EXTRA_PATTERNS) },
  };
}

function openapiConfig(env: TEnv, cwd: string): TOpenapiConfig | null {
  const specs = (env.DOCS_OPENAPI ?? '').split(',').map((spec) => spec.trim()).filter((spec) => spec !== '');
  if (specs.length === 0) {
    if (env.DOCS_OPENAPI_BASE_URL !== undefined) throw new ConfigError('DOCS_OPENAPI_BASE_URL is set but DOCS_OPENAPI is missing: name the specs (paths or URLs, separated by commas)');
    return null;
  }
  for (const spec of specs) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !isHttpUrl(spec)) throw new ConfigError(`DOCS_OPENAPI: ${spec} is neither a file path nor an http(s) URL`);
  }
  return {
    specs: [...new Set(specs.map((spec) => (isHttpUrl(spec) ? spec : path.resolve(cwd, spec))))],
    baseUrl: env.DOCS_OPENAPI_BASE_URL?.replace(/\/+$/, '') ?? null,
    intervalMinutes: env.DOCS_OPENAPI_INTERVAL_MINUTES,
    maxBytes: env.DOCS_OPENAPI_MAX_BYTES,
    timeoutMs: env.DOCS_CRAWL_TIMEOUT_SECONDS * 1000,
  };
}

/** Reads process.env once per process. */
export function loadConfig(): TConfig {
  const holder = globalThis as { __pasteConfig?: TConfig };
  holder.__pasteConfig ??= parseConfig(process.env);
  return holder.__pasteConfig;
}

function docsSourcesConfig(env: TEnv, cwd: string): TDocsSourcesConfig {
  const urls = (env.DOCS_CRAWL_URL ?? '').split(',').map((url) => url.trim()).filter((url) => url !== '');
  return {
    github: githubConfig(env),
    openapi: openapiConfig(env, cwd),
    reindexToken: env.DOCS_REINDEX_TOKEN ?? null,
    isDirIndexed: urls.length === 0 || env.DOCS_DIR !== undefined,
    published: env.DOCS_BASE_URL ? { baseUrl: env.DOCS_BASE_URL, suffix: env.DOCS_URL_SUFFIX } : null,
    ...(env.DOCS_CURRENT_VERSION !== undefined || env.DOCS_VERSION_PATTERN !== undefined
      ? { versions: { current: env.DOCS_CURRENT_VERSION ?? null, pattern: env.DOCS_VERSION_PATTERN ?? null } }
      : {}),
    crawl:
      urls.length === 0
        ? null
        : {
            urls,
            intervalMinutes: env.DOCS_CRAWL_INTERVAL_MINUTES,
            contentSelector: env.DOCS_CRAWL_CONTENT_SELECTOR ?? null,
            maxPages: env.DOCS_CRAWL_MAX_PAGES,
            concurrency: env.DOCS_CRAWL_CONCURRENCY,
            timeoutMs: env.DOCS_CRAWL_TIMEOUT_SECONDS * 1000,
            maxPageBytes: env.DOCS_CRAWL_MAX_PAGE_BYTES,
          },
  };
}
