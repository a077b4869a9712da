import type { TGithubConfig } from './settings';
import {
  getDocsSourceCache,
  getDocsSourceSyncState,
  listDocsPageChecksumsByKind,
  putDocsSourceCache,
  setDocsSourceSyncState,
  trimDocsSourceCache,
} from '../../../db/docs-sources';
import type { TDb } from '../../../db/types';
import type { TLogger } from '../../../log';
import { createPrivacy } from '../../../privacy/mask';
import type { TDocumentsContext, TDocumentStream, TKindDocuments, TSourceKind } from '../types';
import { createGithubClient, type TGithubCacheStore, type TGithubClient } from '../../../github/client';
import { GITHUB_KIND, githubDocuments, listGithubThreadPaths, type TGithubFindings, type TGithubSyncReport } from './sync';
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
// GITHUB_INCLUDE_PRIVATE makes the next sync full (so does a change of DOCS_AUDIENCES that gives indexed threads
// other audiences: the sources' runner loads everything then, lib/docs/sources/source.ts).

/** How often each instance asks whether a sync is due. */
const CHECK_SECONDS = 60;
/** How often a sync is full (reads every thread's listing, so that deleted and transferred threads leave). */
const FULL_SYNC_MS = 24 * 3600_000;
/** Answers kept with their ETags in the database, the ones stored last (a large repository's comments, not unbounded). */
const MAX_STORED_ANSWERS = 20_000;

/** The kind's sync state: when its last full sync started, and for which configuration (configKey). */
type TGithubSyncState = { lastFullSyncAt?: string; configKey?: string };

/** The configuration a full sync covered: other repositories, or private ones newly read, need a full sync. */
function configKey(config: TGithubConfig): string {
  const repos = config.repos.map((repo) => `${repo.owner}/${repo.name}`.toLowerCase()).sort();
  return JSON.stringify([repos, config.isPrivateIncluded, config.apiUrl]);
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
  fromConfig: ({ docsSources }) => (docsSources.github ? createGithubDocuments(docsSources.github) : null),
  // Threads of repositories no longer in GITHUB_REPOS leave (all of them when it is unset: lib/docs/sources/prune.ts does that);
  // a configured repository with nothing indexed yet is synced at once.
  async pruneUnconfigured({ db, config }) {
    const repos = new Set((config.docsSources.github?.repos ?? []).map((repo) => `${repo.owner}/${repo.name}`.toLowerCase()));
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: GITHUB_KIND }));
    const present = new Set(paths.map(repoOfPath));
    return { stale: paths.filter((path) => !repos.has(repoOfPath(path) ?? '')), isChanged: [...repos].some((repo) => !present.has(repo)) };
  },
};

export type TGithubDocuments = TKindDocuments<TGithubFindings, TGithubSyncReport> & { sync: NonNullable<TKindDocuments['sync']> };

/** `client`: tests pass one with shorter waits; otherwise built from the configuration. */
export function createGithubDocuments(config: TGithubConfig, overrides: { client?: TGithubClient; now?: () => number } = {}): TGithubDocuments {
  const everySeconds = config.intervalMinutes * 60;
  const privacy = createPrivacy(config.privacy);
  const now = overrides.now ?? Date.now;
  let client: TGithubClient | null = overrides.client ?? null;
  const clientFor = ({ db, log }: { db: TDb; log: TLogger }) => {
    client ??= createGithubClient({ apiUrl: config.apiUrl, token: config.token, log, store: githubCacheStore(db) });
    return client;
  };

  async function* run(context: TDocumentsContext, since: Date | null): TDocumentStream<TGithubFindings> {
    const { db, log } = context;
    const state = (await getDocsSourceSyncState({ db, kind: GITHUB_KIND })) as TGithubSyncState;
    const lastFullSync = state.configKey === configKey(config) && state.lastFullSyncAt ? Date.parse(state.lastFullSyncAt) : NaN;
    const isFull = since === null || Number.isNaN(lastFullSync) || now() - lastFullSync >= FULL_SYNC_MS;
    const startedAt = now();
    const findings = yield* githubDocuments(context, { config, client: clientFor(context), privacy, since: isFull ? null : since });
    if (isFull) {
      const next: TGithubSyncState = { lastFullSyncAt: new Date(startedAt).toISOString(), configKey: configKey(config) };
      await setDocsSourceSyncState({ db, kind: GITHUB_KIND, state: next });
    }
    await trimDocsSourceCache({ db, kind: GITHUB_KIND, keep: MAX_STORED_ANSWERS }).catch((error: unknown) =>
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'github: could not trim the kept ETags'),
    );
    return findings;
  }

  return {
    kind: GITHUB_KIND,
    load: (context) => run(context, null),
    poll: (context, since) => run(context, since),
    // A full sync yields every thread it lists, and asks GitHub after each indexed one it does not: only what GitHub
    // says is gone leaves (a listing that races a change is not proof).
    isLoadComplete: false,
    listIds: (context) => listGithubThreadPaths({ client: clientFor(context), repos: config.repos, isPrivateIncluded: config.isPrivateIncluded }),
    report: ({ result, written }) => ({
      ...result,
      indexed: written.indexed,
      unchanged: written.unchanged,
      removed: written.removed as TGithubSyncReport['removed'],
    }),
    logRun(report, log) {
      log.info(
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
    },
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
