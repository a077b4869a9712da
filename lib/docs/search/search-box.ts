import type { TReaderAccess } from '../../audiences';
import type { TPublicSourceKind } from '../../shared/docs';
import { searchDocs, type TDocsSearchDeps, type TDocsSearchResult } from './search';
import { correctShortTypos } from './typos';

// The site's search box (POST /api/docs-search, and the benches and evals that measure it): the reader's query,
// with a short word the docs do not have corrected first (./typos.ts), searched through the one search (./search.ts).

/**
 * The site's search box. A query with a short word the docs do not have is searched with that word corrected
 * (when some docs word is one edit away and the corrected query finds something): weak matches of a typo,
 * found by trigrams or stems of other words, would otherwise hide what the reader meant.
 */
export async function searchDocsForReader({
  deps,
  prompt,
  limit,
  sources,
  access,
  version,
}: {
  deps: TDocsSearchDeps;
  prompt: string;
  limit?: number;
  /** Only results of these kinds of source; absent: every kind. */
  sources?: readonly TPublicSourceKind[];
  /** What the caller may read (lib/audiences): only those pages are searched. */
  access: TReaderAccess;
  /** The version of versioned docs (./versions.ts); absent: the current one. */
  version?: string;
}): Promise<{ data: TDocsSearchResult[]; corrected?: string }> {
  const corrected = await correctShortTypos({ db: deps.db, query: prompt, access });
  if (corrected !== null) {
    const data = await searchDocs({ deps, prompt: corrected, limit, source: 'site', sources, access, version });
    if (data.length > 0) return { data, corrected };
  }
  return { data: await searchDocs({ deps, prompt, limit, source: 'site', sources, access, version }) };
}
