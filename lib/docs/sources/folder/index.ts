import { existsSync } from 'node:fs';
import type { TKindDocuments, TSourceKind } from '../types';
import { listDocFiles } from '../../folder/load';
import type { TPublishedSite } from '../../folder/published';
import { folderDocuments, type TFolderWalk } from './documents';
import { folderSettings, type TFolderSettings } from './settings';

// The folder kind: DOCS_DIR's Markdown and MDX (with DOCS_BASE_URL, another framework's folder published
// elsewhere), as documents (./documents.ts). Loaded at start, before the server answers, by every instance (each
// serves from it); no background sync. A file's checksum makes every load incremental: loading everything and
// polling are one walk, and a load is complete (a deleted file's page leaves).

export const FOLDER_KIND = 'folder' as const;

/** What a load of the folder did: its walk's findings with what the write pipeline did (/api/health's docs.index). */
export type TIndexReport = {
  pages: number;
  indexed: string[];
  unchanged: number;
  /** Files read and hashed: those this process had not read with the same stat (lib/docs/index/file-checksums.ts). */
  read: number;
  removed: string[];
  /** Pages that failed to parse: reported, and they keep the sections of their last good version. */
  failed: { path: string; reason: string; keptSections: number }[];
  /** Pages indexed after the parser repaired a construct it could not read (see lib/docs/parse/mdx.ts). */
  warnings: { path: string; warnings: string[] }[];
  sections: number;
  embedded: number;
  embeddingError: string | null;
  ms: number;
  /** Where the time went: parsing, writing pages, embeddings. */
  timings: { parseMs: number; writeMs: number; embedMs: number };
  /** The folder's versions (lib/docs/folder/versions.ts), newest first, the current one, and their problems. */
  versions: TFolderWalk['versions'];
};

export type TFolderDocuments = TKindDocuments<TFolderWalk, TIndexReport>;

export const folderKind: TSourceKind<TIndexReport, TFolderSettings> = {
  kind: FOLDER_KIND,
  settings: folderSettings,
  prunedLogField: 'local',
  fromConfig: ({ docsDir, docsSources }) =>
    docsSources.isDirIndexed ? createFolderDocuments({ docsDir, published: docsSources.published, currentVersion: docsSources.versions?.current ?? null }) : null,
};

/** `docsDir: null`: no folder is indexed (only a crawled site is); a load removes its pages. */
export function createFolderDocuments({
  docsDir,
  published,
  currentVersion = null,
}: {
  docsDir: string | null;
  published: TPublishedSite | null;
  /** DOCS_CURRENT_VERSION, for a folder of versioned docs (lib/docs/folder/versions.ts). */
  currentVersion?: string | null;
}): TFolderDocuments {
  return {
    kind: FOLDER_KIND,
    load: (context) => folderDocuments(context, { docsDir, published, currentVersion }),
    listIds: async () => (docsDir !== null && existsSync(docsDir) ? listDocFiles(docsDir) : []),
    report: ({ result: walk, written }) => ({
      pages: walk.pages,
      indexed: written.indexed,
      unchanged: written.unchanged,
      read: walk.read,
      removed: written.removed.map((entry) => entry.path),
      failed: written.failed,
      warnings: walk.warnings,
      sections: written.sections,
      embedded: written.embedded,
      embeddingError: written.embeddingError,
      ms: written.ms,
      timings: { parseMs: walk.parseMs, ...written.timings },
      versions: walk.versions,
    }),
    logRun(report, log) {
      log.info({ pages: report.pages, indexed: report.indexed.length, unchanged: report.unchanged, removed: report.removed.length, ms: report.ms }, 'docs indexed');
      for (const failure of report.failed) log.warn({ path: failure.path, reason: failure.reason }, 'docs page failed to parse');
      if (report.versions.names.length > 0) log.info({ versions: report.versions.names, current: report.versions.current }, 'docs versions');
      // A version folder without pages, an unreadable versions.json: said once a load here and in /api/health; the rest is indexed.
      for (const problem of report.versions.problems) log.warn({ problem }, `docs versions: ${problem}`);
    },
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
    isLoadedAtStart: true,
  };
}
