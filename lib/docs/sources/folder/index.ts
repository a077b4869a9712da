import { existsSync } from 'node:fs';
import { recordDocsSourceSync } from '../../../db/docs-sources';
import { indexDocs, type TIndexReport } from '../../index/indexer';
import type { TAudienceRule } from '../../../audiences';
import type { TDocsSource, TSourceKind } from '../types';
import { listDocFiles } from '../../folder/load';
import type { TPublishedSite } from '../../folder/published';
import { folderSettings, type TFolderSettings } from './settings';

// The folder kind: DOCS_DIR's Markdown and MDX (with DOCS_BASE_URL, another framework's folder published
// elsewhere). Loaded at start, before the server answers, by every instance (each serves from it); no
// background sync. A file's checksum makes every load incremental: loading everything and polling are one walk.

export const FOLDER_KIND = 'folder' as const;

export type TFolderSource = TDocsSource<TIndexReport> & { kind: typeof FOLDER_KIND; docsDir: string };

export const folderKind: TSourceKind<TIndexReport, TFolderSettings> = {
  kind: FOLDER_KIND,
  settings: folderSettings,
  prunedLogField: 'local',
  fromConfig: ({ docsDir, docsSources }) =>
    docsSources.isDirIndexed ? createFolderSource({ docsDir, published: docsSources.published, currentVersion: docsSources.versions?.current ?? null, audienceRules: docsSources.audiences }) : null,
};

export function createFolderSource({
  docsDir,
  published,
  currentVersion = null,
  audienceRules,
}: {
  docsDir: string;
  published: TPublishedSite | null;
  /** DOCS_CURRENT_VERSION, for a folder of versioned docs (lib/docs/folder/versions.ts). */
  currentVersion?: string | null;
  /** DOCS_AUDIENCES: audiences by index path (lib/audiences/paths.ts), beside front matter's `audience:`. */
  audienceRules?: readonly TAudienceRule[];
}): TFolderSource {
  // Embeddings are left to the caller: start-up computes them in the background, not before serving.
  const load = ({ db }: { db: Parameters<typeof indexDocs>[0]['db'] }) => indexDocs({ db, docsDir, published, kind: FOLDER_KIND, currentVersion, audienceRules });
  const source: TFolderSource = {
    kind: FOLDER_KIND,
    docsDir,
    load,
    poll: (deps) => load(deps),
    listIds: async () => (existsSync(docsDir) ? listDocFiles(docsDir) : []),
    summarise: (outcome) =>
      'result' in outcome
        ? {
            pages: outcome.result.pages,
            indexed: outcome.result.indexed.length,
            unchanged: outcome.result.unchanged,
            removed: outcome.result.removed.length,
            failed: outcome.result.failed.map(({ path, reason }) => ({ path, reason })),
            ...(outcome.result.versions.names.length > 0 || outcome.result.versions.problems.length > 0 ? { versions: outcome.result.versions } : {}),
            ms: outcome.result.ms,
          }
        : { error: 'the folder was not indexed' },
    sync: null,
    // The folder is loaded before the server answers, by every instance (each serves from it; no lease).
    async loadAtStart(deps) {
      const report = await load(deps);
      await recordDocsSourceSync({ db: deps.db, kind: FOLDER_KIND, report: source.summarise({ result: report }) });
      deps.log.info({ pages: report.pages, indexed: report.indexed.length, unchanged: report.unchanged, removed: report.removed.length, ms: report.ms }, 'docs indexed');
      for (const failure of report.failed) deps.log.warn({ path: failure.path, reason: failure.reason }, 'docs page failed to parse');
      if (report.versions.names.length > 0) deps.log.info({ versions: report.versions.names, current: report.versions.current }, 'docs versions');
      // A version folder without pages, an unreadable versions.json: said once here and in /api/health; the rest is indexed.
      for (const problem of report.versions.problems) deps.log.warn({ problem }, `docs versions: ${problem}`);
      return report;
    },
  };
  return source;
}
