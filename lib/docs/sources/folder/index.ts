import { existsSync } from 'node:fs';
import { indexDocs, type TIndexReport } from '../../index/indexer';
import type { TDocsSource, TSourceKind } from '../types';
import { listDocFiles } from './load';
import type { TPublishedSite } from './published';

// The folder kind: DOCS_DIR's Markdown and MDX (with DOCS_BASE_URL, another framework's folder published
// elsewhere). Loaded at start, before the server answers, by every instance (each serves from it); no
// background sync. A file's checksum makes every load incremental: loading everything and polling are one walk.

export const FOLDER_KIND = 'folder' as const;

export type TFolderSource = TDocsSource<TIndexReport> & { kind: typeof FOLDER_KIND; docsDir: string };

export const folderKind: TSourceKind<TIndexReport> = {
  kind: FOLDER_KIND,
  fromConfig: ({ docsDir, docsSources }) =>
    docsSources.isDirIndexed ? createFolderSource({ docsDir, published: docsSources.published, currentVersion: docsSources.versions?.current ?? null }) : null,
};

export function createFolderSource({
  docsDir,
  published,
  currentVersion = null,
}: {
  docsDir: string;
  published: TPublishedSite | null;
  /** DOCS_CURRENT_VERSION, for a folder of versioned docs (./versions.ts). */
  currentVersion?: string | null;
}): TFolderSource {
  // Embeddings are left to the caller: start-up computes them in the background, not before serving.
  const load = ({ db }: { db: Parameters<typeof indexDocs>[0]['db'] }) => indexDocs({ db, docsDir, published, kind: FOLDER_KIND, currentVersion });
  return {
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
  };
}
