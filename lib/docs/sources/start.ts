import { recordDocsSourceSync } from '../../db/docs-sources';
import { pruneUnconfiguredSources } from './prune';
import { SOURCE_KINDS, type TConfiguredSource, type TSourcesConfig } from '.';
import type { TIndexReport } from './folder';
import type { TSourceDeps } from './types';

// What the sources do when the app starts, before the server answers: the pages of sources no longer configured
// leave the index (./prune.ts), and the sources the site serves from (isLoadedAtStart: the docs folder) load, without
// embeddings (the app embeds in the background once it answers), their run recorded for /api/health. The composition
// root (lib/app.ts) calls this and knows no kind.

/** Returns the report of the source loaded at start (the index's, for /api/health), or null when none is. */
export async function startDocsSources({ sources, deps, config }: { sources: readonly TConfiguredSource[]; deps: TSourceDeps; config: TSourcesConfig }): Promise<TIndexReport | null> {
  // Pages of sources no longer configured (a previous DOCS_CRAWL_URL, or the folder when only a site is crawled
  // now, and vice versa) leave first; a kind whose configuration changed syncs at once (its job's start).
  const pruned = await pruneUnconfiguredSources({ db: deps.db, config });
  const removed = Object.values(pruned.removed).reduce((sum, pages) => sum + pages, 0);
  if (removed > 0) {
    const fields: Record<string, number> = {};
    for (const kind of SOURCE_KINDS) if ('prunedLogField' in kind && kind.prunedLogField) fields[kind.prunedLogField] = pruned.removed[kind.kind] ?? 0;
    deps.log.info({ removed, ...fields, byKind: pruned.removed }, `docs of sources no longer configured left the index: ${removed} pages`);
  }
  for (const kind of pruned.changed) deps.log.info({ kind }, `docs source ${kind} changed: syncing it now`);
  let report: TIndexReport | null = null;
  for (const source of sources) {
    if (!source.isLoadedAtStart) continue;
    const result = await source.load({ ...deps, embedder: null });
    await recordDocsSourceSync({ db: deps.db, kind: source.kind, report: source.summarise({ result }) });
    // The one kind loaded at start is the docs folder (lib/docs/sources/folder): its report is the index's.
    report = result as TIndexReport;
  }
  return report;
}
