import { randomUUID } from 'node:crypto';
import { createModelClient } from './assistant/model';
import { createModerator, type TModerator } from './assistant/moderation';
import type { TModelClient } from './assistant/model/types';
import type { TLiveDraft } from './assistant/draft';
import { createRunEvents, type TRunEvents } from './assistant/events';
import { loadConfig, type TConfig } from './config';
import { createPgliteDb } from './db/pglite';
import { createSupabaseDb } from './db/supabase';
import type { TDb } from './db/types';
import { getEmbedder } from './docs/embeddings';
import { embedMissingSections, indexDocs, type TIndexReport } from './docs/indexer';
import { createLogger, type TLogger } from './log';
import { loadSessionSecret } from './session';
import { setSlackOutboxEnabled } from './db/outbox';
import { createSlackNotifier, type TSlackNotifier, type TSlackOptions } from './slack';

// Everything a request needs, built once per process from the validated config: the database, the model,
// Slack, the logger. Routes receive it from the handler wrapper; tests build their own with createApp.
export type TApp = {
  config: TConfig;
  db: TDb;
  log: TLogger;
  model: TModelClient;
  moderation: TModerator;
  slack: TSlackNotifier;
  sessionSecret: string;
  runEvents: TRunEvents;
  runState: {
    workerId: string;
    executing: Set<string>;
    dispatching: Set<string>;
    /** Answers being written by this process's executors, ahead of what is persisted (lib/assistant/draft.ts). */
    live: Map<string, TLiveDraft>;
    /** Stops this process's model call for a run (the reader cancelled it). */
    aborts: Map<string, AbortController>;
  };
  docsIndex: { lastReport: TIndexReport | null };
};

export type TAppOverrides = Partial<Pick<TApp, 'db' | 'log' | 'model' | 'slack'>> & { slackOptions?: TSlackOptions };

export async function createApp(config: TConfig, overrides: TAppOverrides = {}): Promise<TApp> {
  const log = overrides.log ?? createLogger({ level: config.logLevel });
  const opened =
    overrides.db ??
    (config.store.mode === 'supabase'
      ? createSupabaseDb({ url: config.store.url, serviceRoleKey: config.store.serviceRoleKey })
      : await createPgliteDb({ dataDir: config.store.dataDir }));
  const sessionSecret = loadSessionSecret(config);
  const workerId = `worker_${randomUUID()}`;
  // Closing the database first stops the Slack delivery loop that uses it.
  const db: TDb = {
    ...opened,
    async close() {
      await slack.stop();
      await opened.close();
    },
  };
  const slack = overrides.slack ?? createSlackNotifier({ config, db, log, sessionSecret, workerId, options: overrides.slackOptions });
  return {
    config,
    db,
    log,
    model: overrides.model ?? createModelClient(config),
    moderation: createModerator({ config, log }),
    slack,
    sessionSecret,
    runEvents: createRunEvents(),
    runState: { workerId, executing: new Set(), dispatching: new Set(), live: new Map(), aborts: new Map() },
    docsIndex: { lastReport: null },
  };
}

/** Indexes the docs (only what changed), starts Slack delivery and picks up runs left behind by a previous process. */
export async function startApp(app: TApp): Promise<void> {
  // Tells the database whether to queue Slack posts, then delivers whatever is queued (also from before a restart).
  await setSlackOutboxEnabled({ db: app.db, isEnabled: app.config.slack.mode === 'enabled' });
  app.slack.start();
  const report = await indexDocs({ db: app.db, docsDir: app.config.docsDir });
  app.docsIndex.lastReport = report;
  app.log.info(
    { pages: report.pages, indexed: report.indexed.length, unchanged: report.unchanged, removed: report.removed.length, ms: report.ms },
    'docs indexed',
  );
  for (const failure of report.failed) app.log.warn({ path: failure.path, reason: failure.reason }, 'docs page failed to parse');
  // Embeddings (only with OPENAI_API_KEY) are computed in the background: start-up does not wait on the API,
  // and search uses full text for sections not embedded yet.
  const embedder = getEmbedder(app.config);
  if (embedder) {
    void embedMissingSections({ db: app.db, embedder }).then(
      (embedded) => app.log.info({ embedded, model: embedder.model }, 'docs sections embedded'),
      (error: unknown) => app.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs embeddings failed; full-text search only'),
    );
  }
  const { resumeOrphanedRuns } = await import('./assistant/runtime');
  const resumed = await resumeOrphanedRuns(app);
  if (resumed > 0) app.log.info({ runs: resumed }, 'resumed runs left by a previous process');
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
