import type { TAudienceRule } from '../../../audiences';
import type { TGithubConfig } from '../../../config';
import { audienceRulesStamp } from '../audiences';
import { deleteDocsPagesByPaths } from '../../../db/docs-index';
import {
  getDocsSourceCache,
  getDocsSourceSyncState,
  listDocsPageChecksumsByKind,
  putDocsSourceCache,
  setDocsSourceSyncState,
  trimDocsSourceCache,
} from '../../../db/docs-sources';
import type { TDb } from '../../../db/types';
import { createPrivacy } from '../../../privacy/mask';
import { embedMissingSections } from '../../index/indexer';
import type { TDocsSource, TSourceDeps, TSourceKind } from '../types';
import { createGithubClient, type TGithubCacheStore, type TGithubClient } from '../../../github/client';
import { GITHUB_KIND, listGithubThreadPaths, syncGithub, type TGithubSyncReport } from './sync';
import { repoOfPath } from './thread';
import { githubSettings, type TGithubSettings } from './settings';

export { GITHUB_KIND };
export type { TGithubSyncReport };

// The GitHub kind: the issues, pull requests and discussions of GITHUB_REPOS, synced every
// GITHUB_SYNC_INTERVAL_MINUTES by the instance that holds the kind's lease (./sync.ts says what a sync reads).
// The first sync, and one a day after it, is full (it also finds deleted and transferred threads); the others read
// only what changed since the last sync. When the last full sync was, and for which repositories, is kept in the
// kind's state row (docs_source_state.sync_state), and the ETags with their bodies in docs_source_cache: a
// restarted instance, or another one, goes on incrementally and asks conditionally. A change of GITHUB_REPOS or
// GITHUB_INCLUDE_PRIVATE makes the next sync full.

/** How often each instance asks whether a sync is due. */
const CHECK_SECONDS = 60;
/** How often a sync is full (reads every thread's listing, so that deleted and transferred threads leave). */
const FULL_SYNC_MS = 24 * 3600_000;
/** Answers kept with their ETags in the database, the ones stored last (a large repository's comments, not unbounded). */
const MAX_STORED_ANSWERS = 20_000;

/** The kind's sync state: when its last full sync started, and for which configuration (configKey). */
type TGithubSyncState = { lastFullSyncAt?: string; configKey?: string };

/**
 * The configuration a full sync covered: other repositories, or private ones newly read, need a full sync; so do other
 * DOCS_AUDIENCES rules, which every thread's page must then say (an unchanged thread is not polled otherwise).
 */
function configKey(config: TGithubConfig, audienceRules: readonly TAudienceRule[] | undefined): string {
  const repos = config.repos.map((repo) => `${repo.owner}/${repo.name}`.toLowerCase()).sort();
  const audiences = audienceRulesStamp(audienceRules);
  // Written as before when no rule is configured, so that an upgrade does not force a full sync.
  return JSON.stringify(audiences.length === 0 ? [repos, config.isPrivateIncluded, config.apiUrl] : [repos, config.isPrivateIncluded, config.apiUrl, audiences]);
}

/** The client's ETags in the database, under this kind. Bodies are wrapped: a JSON string is a body too. */
export function githubCacheStore(db: TDb): TGithubCacheStore {
  return {
    async read(key) {
      const row = await getDocsSourceCache({ db, kind: GITHUB_KIND, key });
      if (!row) return null;
      return { etag: row.etag, data: (row.body as { data?: unknown } | null)?.data, link: row.link ?? undefined };
    },
    write: (key, entry) => putDocsSourceCache({ db, kind: GITHUB_KIND, key, etag: entry.etag, body: { data: entry.data }, link: entry.link ?? null }),
  };
}

export const githubKind: TSourceKind<TGithubSyncReport, TGithubSettings> = {
  kind: GITHUB_KIND,
  settings: githubSettings,
  fromConfig: ({ docsSources }) => (docsSources.github ? createGithubSource(docsSources.github, { audienceRules: docsSources.audiences }) : null),
  // Threads of repositories no longer in GITHUB_REPOS leave (all of them when it is unset: lib/docs/sources/prune.ts does that);
  // a configured repository with nothing indexed yet is synced at once.
  async pruneUnconfigured({ db, config }) {
    const repos = new Set((config.docsSources.github?.repos ?? []).map((repo) => `${repo.owner}/${repo.name}`.toLowerCase()));
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: GITHUB_KIND }));
    const stale = paths.filter((path) => !repos.has(repoOfPath(path) ?? ''));
    if (stale.length > 0) await deleteDocsPagesByPaths({ db, paths: stale });
    const present = new Set(paths.map(repoOfPath));
    return { removed: stale.length, isChanged: [...repos].some((repo) => !present.has(repo)) };
  },
};

export type TGithubSource = TDocsSource<TGithubSyncReport> & { sync: NonNullable<TDocsSource['sync']> };

/** `client`: tests pass one with shorter waits; otherwise built from the configuration. */
/** `audienceRules`: DOCS_AUDIENCES (a thread's audiences by its index path, ../audiences.ts). */
export function createGithubSource(
  config: TGithubConfig,
  overrides: { client?: TGithubClient; now?: () => number; audienceRules?: readonly TAudienceRule[] } = {},
): TGithubSource {
  const { audienceRules } = overrides;
  const everySeconds = config.intervalMinutes * 60;
  const privacy = createPrivacy(config.privacy);
  const now = overrides.now ?? Date.now;
  let client: TGithubClient | null = overrides.client ?? null;
  const clientFor = (deps: TSourceDeps) => {
    client ??= createGithubClient({ apiUrl: config.apiUrl, token: config.token, log: deps.log, store: githubCacheStore(deps.db) });
    return client;
  };

  const run = async (deps: TSourceDeps, since: Date | null) => {
    const state = (await getDocsSourceSyncState({ db: deps.db, kind: GITHUB_KIND })) as TGithubSyncState;
    const lastFullSync = state.configKey === configKey(config, audienceRules) && state.lastFullSyncAt ? Date.parse(state.lastFullSyncAt) : NaN;
    const isFull = since === null || Number.isNaN(lastFullSync) || now() - lastFullSync >= FULL_SYNC_MS;
    const startedAt = now();
    const report = await syncGithub({ deps, config: { ...config, audienceRules }, client: clientFor(deps), privacy, since: isFull ? null : since });
    if (isFull) {
      const next: TGithubSyncState = { lastFullSyncAt: new Date(startedAt).toISOString(), configKey: configKey(config, audienceRules) };
      await setDocsSourceSyncState({ db: deps.db, kind: GITHUB_KIND, state: next });
    }
    await trimDocsSourceCache({ db: deps.db, kind: GITHUB_KIND, keep: MAX_STORED_ANSWERS }).catch((error: unknown) =>
      deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'github: could not trim the kept ETags'),
    );
    deps.log.info(
      {
        isFull: report.isFull,
        threads: report.threads,
        discussions: report.discussions,
        indexed: report.indexed.length,
        unchanged: report.unchanged,
        removed: report.removed.length,
        requests: report.requests,
        ms: report.ms,
      },
      'github synced',
    );
    // Recorded even when embedding fails (search uses full text for those sections meanwhile).
    if (deps.embedder && report.indexed.length > 0) {
      await embedMissingSections({ db: deps.db, embedder: deps.embedder }).catch((error: unknown) =>
        deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs embeddings of the GitHub threads failed; full-text search for them'),
      );
    }
    return report;
  };

  return {
    kind: GITHUB_KIND,
    load: (deps) => run(deps, null),
    poll: (deps, since) => run(deps, since),
    listIds: (deps) => listGithubThreadPaths({ client: clientFor(deps), repos: config.repos, isPrivateIncluded: config.isPrivateIncluded }),
    summarise(outcome) {
      if (!('result' in outcome)) return { error: 'the GitHub sync did not finish', detail: errorText(outcome.error) };
      const report = outcome.result;
      return {
        isFull: report.isFull,
        repos: report.repos,
        threads: report.threads,
        discussions: report.discussions,
        indexed: report.indexed.length,
        unchanged: report.unchanged,
        removed: report.removed,
        ...report.requests,
        ms: report.ms,
      };
    },
    sync: {
      everySeconds,
      checkSeconds: Math.min(CHECK_SECONDS, everySeconds),
      // A first sync of a large repository (a request per changed thread) between two heartbeats.
      leaseSeconds: Math.max(600, Math.min(everySeconds, 3600)),
    },
  };
}

/** What /api/health may show of a failure: GitHub's status only (its message is GitHub's text, and the log has it). */
function errorText(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? `GitHub answered ${status}` : 'GitHub could not be reached';
}
