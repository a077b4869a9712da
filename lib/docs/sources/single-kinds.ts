import type { TAudienceRule } from '../../audiences';
import type { TOpenapiConfig } from './openapi/settings';
import type { TDb } from '../../db/types';
import type { TLeasedJob } from '../../jobs';
import { createLogger, type TLogger } from '../../log';
import type { TEmbedder } from '../index/embeddings';
import { createAnswerDocuments } from './answers';
import { createCodeDocuments, type TCodeReport } from './code';
import type { TCodeConfig } from './code/settings';
import { createCrawlDocuments } from './crawl';
import type { TCrawlOptions, TCrawlReport } from './crawl/crawler';
import { createFolderDocuments, type TIndexReport } from './folder';
import type { TFolderSettings } from './folder/settings';
import { createGithubDocuments, type TGithubSyncReport } from './github';
import type { TGithubConfig } from './github/settings';
import { createOpenapiDocuments, type TOpenapiReport } from './openapi';
import { toDocsSource } from './source';
import { createSourceSyncJob } from './sync';
import type { TDocsSource, TSourceDeps } from './types';

// One source kind on its own, as command-line tools and tests use it: the crawl's bench and CLI (`npm run
// docs:crawl`), `npm run docs:index`, the benches, the search evaluations that index the docs, the GitHub threads
// or the API specs. Each is the kind's documents written through the one pipeline (./source.ts), as the registry
// makes them (./index.ts), with the audience rules a caller passes (none by default). They reach a kind through here,
// as the app reaches kinds through the registry: nothing outside lib/docs/sources imports a kind's folder
// (tests/unit/import-rules.test.ts).

export { CODE_KIND, type TCodeReport } from './code';
export { DEFAULT_CODE_EXCLUDE, DEFAULT_CODE_INCLUDE, type TCodeConfig } from './code/settings';
export { CRAWL_KIND, type TCrawlOptions, type TCrawlReport } from './crawl/crawler';
export { FOLDER_KIND, type TIndexReport } from './folder';
export { GITHUB_KIND, githubCacheStore, type TGithubSyncReport } from './github';
export { isBot, isMaintainer, threadPath, type TGithubComment, type TGithubIssue, type TRepoRef } from './github/thread';
export { OPENAPI_KIND, type TOpenapiReport } from './openapi';

type TRules = { audienceRules?: readonly TAudienceRule[] };

/**
 * Brings the index in line with `docsDir` (the folder kind): pages whose checksum changed are re-parsed and replaced,
 * deleted files are removed, and a page that fails to parse is reported and keeps its previous sections. With an
 * embedder, sections without an embedding of its model get one (an API failure is reported, not thrown).
 * `published`: where the folder's pages are published (DOCS_BASE_URL); their sources then link there, and each
 * page's slug in the index is its absolute URL. Only the folder kind's pages are compared and removed: other
 * sources' are left alone. `docsDir: null`: no folder is indexed (only a crawled site is); its pages leave.
 */
export function indexDocs({
  db,
  docsDir,
  embedder = null,
  published = null,
  currentVersion = null,
  audienceRules,
  log = createLogger({ level: 'silent' }),
}: {
  db: TDb;
  docsDir: string | null;
  embedder?: TEmbedder | null;
  published?: TFolderSettings['published'];
  /** DOCS_CURRENT_VERSION: the folder's current version when it names one (lib/docs/folder/versions.ts). */
  currentVersion?: string | null;
  /** DOCS_AUDIENCES (lib/audiences/paths.ts): audiences by the page's path, beside its front matter's `audience:`. */
  audienceRules?: readonly TAudienceRule[];
  log?: TLogger;
}): Promise<TIndexReport> {
  return createFolderSource({ docsDir, published, currentVersion, audienceRules }).load({ db, log, embedder });
}

export function createFolderSource({
  docsDir,
  published,
  currentVersion = null,
  audienceRules,
}: { docsDir: string | null; published: TFolderSettings['published']; currentVersion?: string | null } & TRules): TDocsSource<TIndexReport> {
  return toDocsSource(createFolderDocuments({ docsDir, published, currentVersion }), { audienceRules });
}

/** `client`: tests pass one with shorter waits; otherwise built from the configuration. */
export function createGithubSource(
  config: TGithubConfig,
  { audienceRules, ...overrides }: Parameters<typeof createGithubDocuments>[1] & TRules = {},
): TDocsSource<TGithubSyncReport> & { sync: NonNullable<TDocsSource['sync']> } {
  const documents = createGithubDocuments(config, overrides);
  return { ...toDocsSource(documents, { audienceRules }), sync: documents.sync };
}

export function createOpenapiSource(config: TOpenapiConfig, { audienceRules }: TRules = {}): TDocsSource<TOpenapiReport> & { sync: NonNullable<TDocsSource['sync']> } {
  const documents = createOpenapiDocuments(config);
  return { ...toDocsSource(documents, { audienceRules }), sync: documents.sync! };
}

/** A repository's source (the code kind): a checkout's files, one section per symbol. */
export function createCodeSource(config: TCodeConfig, { audienceRules }: TRules = {}): TDocsSource<TCodeReport> {
  return toDocsSource(createCodeDocuments(config), { audienceRules });
}

export function createAnswersSource({ audienceRules }: TRules = {}) {
  return toDocsSource(createAnswerDocuments(), { audienceRules });
}

/** `versionPattern`: DOCS_VERSION_PATTERN, which reads each page's version from its URL (null: no versions). */
export function createCrawlSource(options: TCrawlOptions, versionPattern: string | null = null, { audienceRules }: TRules = {}) {
  const documents = createCrawlDocuments(options, versionPattern);
  return { ...toDocsSource(documents, { audienceRules }), sync: documents.sync! };
}

/** One crawl of the configured sites into the index, as the crawl kind's sync does it (without its lease). */
export function crawlDocs({
  deps,
  options,
  versionPattern = null,
  audienceRules,
}: {
  deps: { db: TDb; log: TLogger; embedder?: TEmbedder | null };
  options: TCrawlOptions;
  versionPattern?: string | null;
} & TRules): Promise<TCrawlReport> {
  return createCrawlSource(options, versionPattern, { audienceRules }).load({ ...deps, embedder: deps.embedder ?? null });
}

export type TDocsCrawlLoop = TLeasedJob<TCrawlReport>;

/** The crawl kind's sync job (./sync.ts) on its own: what `npm run docs:crawl` and the crawl's tests run; the app builds the same job from the registry. */
export function createDocsCrawlLoop({ deps, options, workerId }: { deps: TSourceDeps; options: TCrawlOptions; workerId: string }): TDocsCrawlLoop {
  return createSourceSyncJob({ source: createCrawlSource(options), deps, workerId });
}

export type TGithubSource = ReturnType<typeof createGithubSource>;
