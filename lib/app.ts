import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRunEngine, type TRunEngine } from './assistant/engine';
import { assistantInstructions } from './assistant/instructions';
import { createModelClient } from './model';
import type { TModelClient } from './model/types';
import { createModerator, type TModerator } from './assistant/moderation';
import { createOcr, type TOcr } from './assistant/ocr';
import { createAssistantTools } from './assistant/tools';
import { loadConfig, type TConfig } from './config';
import { setSlackOutboxEnabled } from './db/slack-outbox';
import { setThreadSources } from './db/thread-sources';
import { createPgliteDb } from './db/pglite';
import { createPostgresDb } from './db/postgres';
import { createSupabaseDb } from './db/supabase';
import type { TDb } from './db/types';
import { embedMissingSections, getEmbedder, type TEmbedder } from './docs/index/embeddings';
import { createOidcSignIn, type TOidcSignIn } from './identity/oidc';
import { createDocsSources, createSourceSyncJobs, hasCodeSource, type TConfiguredSource, type TIndexReport } from './docs/sources';
import { createGithubClient, type TGithubClient } from './github/client';
import { createDocsReindexer, type TDocsReindexer } from './docs/sources/reindex';
import { startDocsSources } from './docs/sources/start';
import { englishSpelling } from './docs/search/english';
import { getRankIndex, keepRankIndexOnDisk } from './docs/search/ranking/store';
import type { TSearchActivity } from './docs/search/search';
import { createLogger, type TLogger } from './log';
import type { TLeasedJob } from './jobs';
import { createDigestLoop, type TDigestLoop } from './maintainers/digest';
import { createGrading, type TGrading } from './maintainers/grades/grade';
import { createPrivacy, type TPrivacy } from './privacy/mask';
import { createRetention, type TRetention } from './privacy/retention';
import { loadSessionSecret } from './session';
import { createReviewChannel, type TReviewChannel, type TReviewChannelOptions } from './review-channel';
import { connectOutboxWakes } from './review-channel/outbox-channel';
import type { TInboxOptions } from './chat-doors/door';
import { createChatDoors, DOOR_THREAD_SOURCES, type TChatDoors } from './chat-doors/doors';
import { createHandoffJobs, type THandoffJobs } from './handoff/jobs';
import { isHandoffOn } from './handoff/settings';
import { getWorkDepths } from './db/telemetry';
import { observeDepths } from './telemetry';

// The composition root: everything a request needs, built once per process from the validated config — the
// database, the model, Slack, the run engine, the logger. Nothing in lib/ imports this file: each module
// declares the narrow dependencies it uses, and this object satisfies them all. Only the HTTP wrapper
// (lib/http/index.ts), boot, pages that render server-side, scripts and tests import it.
export type TApp = {
  config: TConfig;
  /**
   * Whose work this process does: the server's is its readers' ('reader'); a script's (`npm run eval`, `npm run
   * report`) is the operator's, and nothing it does is recorded as reader activity (lib/docs/search/search.ts).
   */
  activity: TSearchActivity;
  db: TDb;
  log: TLogger;
  model: TModelClient;
  moderation: TModerator;
  /** Reads the text in readers' screenshots, offline (lib/assistant/ocr.ts): one worker, made at the first screenshot. */
  ocr: TOcr;
  /** The maintainers' review channel in Slack (lib/review-channel): its outbox's delivery, members' names. */
  reviewChannel: TReviewChannel;
  /** The chat doors the registry lists (lib/chat-doors/doors), each that is on with its inbox worker. */
  chatDoors: TChatDoors;
  embedder: TEmbedder | null;
  engine: TRunEngine;
  /** The weekly Slack digest's loop (SLACK_DIGEST=weekly), else null. */
  digest: TDigestLoop | null;
  /** Answers' grades (lib/maintainers/grades/grade.ts): settled conversations graded, the sampled share judged. */
  grading: TGrading;
  /**
   * The configured docs sources (lib/docs/sources, one per kind) and the sync job of each kind that syncs in the
   * background, by kind, each under its own lease.
   */
  docsSources: { sources: TConfiguredSource[]; jobs: Map<string, TLeasedJob<unknown>> };
  /** Re-reads every configured source at once (`POST /api/docs/reindex`, lib/docs/sources/reindex-hook.ts). */
  docsReindex: TDocsReindexer;
  /** Deletes threads inactive past RETENTION_DAYS, its own job (started by startApp; nothing without the setting). */
  retention: TRetention;
  sessionSecret: string;
  docsIndex: { lastReport: TIndexReport | null };
  /** Masks personal data and secrets in readers' text (PII_MASKING, PII_EXTRA_PATTERNS). */
  privacy: TPrivacy;
  /** The GitHub client drafted docs fixes are opened with (DOCS_REPO; lib/github); null without DOCS_REPO. */
  docsRepoGithub: TGithubClient | null;
  /** The GitHub client hand-offs open issues with (HANDOFF_TO names github; lib/handoff); null otherwise. */
  handoffGithub: TGithubClient | null;
  /** The hand-offs' GitHub sync and reply e-mails (lib/handoff/jobs.ts). */
  handoffJobs: THandoffJobs;
  /** Sign-in on the site with OpenID Connect (OIDC_ISSUER; lib/identity/oidc.ts); null when not set up. */
  oidc: TOidcSignIn | null;
};

export type TAppOverrides = Partial<Pick<TApp, 'db' | 'log' | 'model' | 'reviewChannel' | 'activity' | 'ocr'>> & {
  reviewChannelOptions?: TReviewChannelOptions;
  /** Every chat door's inbox worker options (tests). */
  chatDoorsOptions?: Partial<TInboxOptions>;
};

export async function createApp(config: TConfig, overrides: TAppOverrides = {}): Promise<TApp> {
  const log = overrides.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const opened = overrides.db ?? (await openStore(config, log));
  const sessionSecret = loadSessionSecret(config);
  const workerId = `worker_${randomUUID()}`;
  // Closing the database first stops the run engine and the Slack delivery loop that use it.
  const db: TDb = {
    ...opened,
    async close() {
      outboxWakes.stop();
      await Promise.all([digest?.stop(), grading.stop(), retention.stop(), handoffJobs.stop(), ...[...docsSourceJobs.values()].map((job) => job.stop())]);
      await chatDoors.stop();
      engine.stop();
      await reviewChannel.stop();
      await ocr.stop();
      await opened.close();
    },
  };
  // The docs' ranking index is kept in DATA_DIR/search: a restart loads it instead of building it again (store.ts).
  keepRankIndexOnDisk({ db, dir: path.join(config.dataDir, 'search') });
  const reviewChannelOptions = { ...(config.reviewChannel.mode === 'enabled' ? { leaseSeconds: config.reviewChannel.outboxLeaseSeconds } : {}), ...overrides.reviewChannelOptions };
  const reviewChannel = overrides.reviewChannel ?? createReviewChannel({ config, db, log, sessionSecret, workerId, options: reviewChannelOptions });
  const outboxWakes = connectOutboxWakes({ db, reviewChannel, workerId });
  const model = overrides.model ?? createModelClient(config);
  const embedder = getEmbedder(config);
  const privacy = createPrivacy(config.privacy);
  const activity = overrides.activity ?? 'reader';
  const engine = createRunEngine({
    db,
    model,
    log,
    runs: config.runs,
    modelTimeoutMs: config.modelTimeoutMs,
    tools: createSiteTools({ config, db, log, model, embedder, privacy, activity }),
    privacy,
    instructions: assistantInstructions({ isHandoffOn: false }),
    // Only runs whose door shows "Ask the maintainers" take these (the engine's startRun `isHandoffOffered`).
    ...(isHandoffOn(config) ? { handoffInstructions: assistantInstructions({ isHandoffOn: true }) } : {}),
    wakeOutbox: outboxWakes.wake,
  });
  const retention = createRetention({ db, log, days: config.retentionDays, firstDelayMs: config.runs.sweepSeconds * 1000 });
  const moderation = createModerator({ config, log });
  const ocr = overrides.ocr ?? createOcr({ log });
  const chatDoors = await createChatDoors({
    deps: { db, engine, log, model, moderation, reviewChannel, config, privacy },
    workerId,
    options: { leaseSeconds: config.runs.leaseSeconds, pollMs: config.runs.sweepSeconds * 1000, ...overrides.chatDoorsOptions },
  });
  const grading = createGrading({ deps: { db, log, model, config }, firstDelayMs: config.runs.sweepSeconds * 1000 });
  const digest =
    config.reviewChannel.mode === 'enabled' && config.reviewChannel.digest.mode === 'weekly'
      ? createDigestLoop({ deps: { db, log, reviewChannel, sessionSecret, config, model }, workerId, checkSeconds: config.reviewChannel.digest.checkSeconds })
      : null;
  const handoffGithub = config.handoff?.github ? createGithubClient({ apiUrl: config.handoff.github.apiUrl, token: config.handoff.github.token, log }) : null;
  const handoffJobs = createHandoffJobs({ deps: { db, log, privacy, config, handoffGithub, sessionSecret }, firstDelayMs: config.runs.sweepSeconds * 1000 });
  // The queues' depths as gauges (lib/telemetry), read from this database when metrics are exported.
  observeDepths(async () => {
    const depths = await getWorkDepths({ db });
    return { runsQueued: Number(depths.runs_queued), runsActive: Number(depths.runs_active), inboxPending: Number(depths.inbox_pending), outboxPending: Number(depths.outbox_pending) };
  });
  const sources = createDocsSources(config);
  const docsSourceJobs = createSourceSyncJobs({ sources, deps: { db, log, embedder }, workerId });
  return {
    config,
    activity,
    db,
    log,
    model,
    moderation,
    ocr,
    reviewChannel,
    chatDoors,
    embedder,
    engine,
    digest,
    grading,
    docsSources: { sources, jobs: docsSourceJobs },
    docsReindex: createDocsReindexer({ sources, deps: { db, log, embedder } }),
    retention,
    sessionSecret,
    docsIndex: { lastReport: null },
    privacy,
    docsRepoGithub: config.docsRepo ? createGithubClient({ apiUrl: config.docsRepo.apiUrl, token: config.docsRepo.token, log }) : null,
    handoffGithub,
    handoffJobs,
    oidc: createOidcSignIn(config.identity.oidc),
  };
}

/**
 * The site assistant's tools as the run engine gets them: the docs search (reordered by the model when
 * DOCS_SEARCH_RERANK is on), a page read, a source file read when a code source is configured, and the answer's link
 * check. `npm run eval` answers with the same ones.
 */
export function createSiteTools({ config, db, log, model, embedder, privacy, activity }: Pick<TApp, 'config' | 'db' | 'log' | 'model' | 'embedder' | 'privacy' | 'activity'>) {
  return createAssistantTools({
    db,
    log,
    embedder,
    privacy,
    activity,
    siteUrl: config.siteUrl,
    hasCodeSource: hasCodeSource(config.docsSources),
    rerank: config.docsSearchRerank.isOn ? { model, timeoutMs: config.docsSearchRerank.timeoutMs, log } : undefined,
  });
}

async function openStore(config: TConfig, log: TLogger): Promise<TDb> {
  const { store } = config;
  if (store.mode === 'postgres') return createPostgresDb({ connectionString: store.url, poolSize: store.poolSize, log });
  if (store.mode === 'supabase') return createSupabaseDb({ url: store.url, serviceRoleKey: store.serviceRoleKey });
  return createPgliteDb({ dataDir: store.dataDir });
}

/** Indexes the docs (only what changed), starts Slack delivery and picks up runs left behind by a previous process. */
export async function startApp(app: TApp): Promise<void> {
  // Tells the database whether to queue Slack posts, then delivers whatever is queued (also from before a restart).
  await setSlackOutboxEnabled({ db: app.db, isEnabled: app.config.reviewChannel.mode === 'enabled' });
  // Which owner prefixes are which chat door's, for the maintainers' view of where conversations come from.
  await setThreadSources({ db: app.db, sources: DOOR_THREAD_SOURCES.map(({ prefix, source }) => ({ prefix, source })) });
  app.reviewChannel.start();
  // Questions to the chat doors left by a previous process are answered once the docs are indexed (below).
  // The sources' start (lib/docs/sources/start.ts): sources no longer configured leave the index, and the ones the
  // site serves from load before the server answers; the others sync in their jobs (below).
  app.docsIndex.lastReport = await startDocsSources({ sources: app.docsSources.sources, deps: app, config: app.config });
  // The in-memory ranking index is built by the first search that needs it (a second or so for a few hundred
  // pages); built now, in the background, the first reader to search does not wait for it.
  void getRankIndex(app.db).catch((error: unknown) =>
    app.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs ranking index not built at start; the first search builds it'),
  );
  // Likewise the search box's English spelling check (lib/docs/search/english.ts).
  void englishSpelling().catch((error: unknown) =>
    app.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'English spelling check not built at start; the first search that needs it builds it'),
  );
  // Embeddings (only with OPENAI_API_KEY) are computed in the background: start-up does not wait on the API,
  // and search uses full text for sections not embedded yet.
  const { embedder } = app;
  if (embedder) {
    void embedMissingSections({ db: app.db, embedder }).then(
      (embedded) => app.log.info({ embedded, model: embedder.model }, 'docs sections embedded'),
      (error: unknown) => app.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs embeddings failed; full-text search only'),
    );
  }
  // The embedded store is one process per DATA_DIR: runs still leased are the previous process's, resumed now.
  const resumed = await app.engine.resumeOrphanedRuns({ isSoleProcess: app.config.store.mode === 'embedded' });
  if (resumed > 0) app.log.info({ runs: resumed }, 'resumed runs left by a previous process');
  app.engine.startSweeper();
  app.retention.start();
  app.handoffJobs.start();
  await app.chatDoors.start({ isSoleProcess: app.config.store.mode === 'embedded' });
  app.digest?.start();
  app.grading.start();
  for (const job of app.docsSources.jobs.values()) job.start();
}

// One app per process, kept on globalThis so that Next's dev reloads reuse the same PGlite instance.
type THolder = { __pasteApp?: Promise<TApp> };

export function getApp(): Promise<TApp> {
  const holder = globalThis as THolder;
  if (!holder.__pasteApp) {
    const starting = (async () => {
      const app = await createApp(loadConfig());
      await startApp(app);
      return app;
    })();
    holder.__pasteApp = starting;
    // A failed start is retried by the next request rather than cached forever.
    starting.catch(() => {
      if (holder.__pasteApp === starting) delete holder.__pasteApp;
    });
  }
  return holder.__pasteApp;
}

/** Replaces the process's app (tests). */
export function setApp(app: TApp | undefined): void {
  const holder = globalThis as THolder;
  if (app) holder.__pasteApp = Promise.resolve(app);
  else delete holder.__pasteApp;
}
