import { deleteDocsPagesOfOtherKinds } from '../../db/docs-sources';
import type { TDb } from '../../db/types';
import { removeDocuments } from '../index/pipeline';
import { SOURCE_KINDS, type TSourcesConfig } from '.';

// The index follows the configuration: at start (and before `npm run docs:crawl` and `npm run sources:sync`), pages
// of sources that are no longer configured leave it. Each page records the kind of source it came from (docs_page.source_kind): the
// pages of a kind not configured now leave (the folder's when only a site is crawled, every crawled page when
// nothing is), and each kind names what its own state says is no longer configured (the crawl: pages of a
// site no longer in DOCS_CRAWL_URL), which leaves through the write pipeline.

export type TSourcesPruneReport = {
  /** Pages that left the index, by kind. */
  removed: Record<string, number>;
  /** Configured kinds whose configuration changed since their last sync: their sync is due at once. */
  changed: string[];
};

export async function pruneUnconfiguredSources({ db, config }: { db: TDb; config: TSourcesConfig }): Promise<TSourcesPruneReport> {
  const removed: Record<string, number> = {};
  const changed: string[] = [];
  const configured: string[] = [];
  for (const kind of SOURCE_KINDS) {
    const isConfigured = kind.fromConfig(config) !== null;
    if (isConfigured) configured.push(kind.kind);
    if (!('pruneUnconfigured' in kind) || !kind.pruneUnconfigured) continue;
    const pruned = await kind.pruneUnconfigured({ db, config });
    const pages = pruned.stale.length > 0 ? await removeDocuments({ db, paths: pruned.stale }) : 0;
    if (pages > 0) removed[kind.kind] = pages;
    if (pruned.isChanged && isConfigured) changed.push(kind.kind);
  }
  const gone = await deleteDocsPagesOfOtherKinds({ db, kinds: configured });
  for (const [kind, pages] of Object.entries(gone)) removed[kind] = (removed[kind] ?? 0) + pages;
  return { removed, changed };
}
