import type { TReaderAccess } from '../../audiences';
import type { TDb } from '../../db/types';
import { isLiveSection, type TRankIndex } from '../search/ranking/build';
import { keptSections } from '../search/ranking/rank';
import { getRankIndex } from '../search/ranking/store';

// What the docs index in memory (the ranker's, lib/docs/search/ranking) holds, as one reader may read it. Every
// read takes the reader's access, required: a read of everything says MAINTAINER_ACCESS where it means it, and a
// surface that shows the same to everyone says PUBLIC_ACCESS. A page the reader may not see is, for them, a page
// that does not exist: left out of rankings, lists and words, and answered by the same steps as a missing one.

/** The index as a reader sees it: the sections they may read (`isVisible`, by position) and the live pages among them. */
export type TVisibleIndex = {
  index: TRankIndex;
  /** Per section, 1 when the reader may read its page (rank.ts keptSections); null when they may read every page. */
  kept: Uint8Array | null;
  /** Whether the section at this position is live (not re-indexed away) and of a page the reader may see. */
  isVisible(position: number): boolean;
  /** Per live page the reader may see: its path, kind, title (its first section's) and how many sections it has. */
  pages(): { path: string; kind: string; title: string; sections: number }[];
};

/** The current index, limited to what `access` may read (keptSections: worked out once per index and access). */
export async function readVisibleIndex({ db, access }: { db: TDb; access: TReaderAccess }): Promise<TVisibleIndex> {
  const { index } = await getRankIndex(db);
  const kept = keptSections(index, { access });
  const isVisible = (position: number) => position >= 0 && position < index.sections.length && (kept === null || kept[position] === 1) && isLiveSection(index, position);
  return {
    index,
    kept,
    isVisible,
    pages: () =>
      index.pages
        .filter((page) => isVisible(page.sections[0] ?? -1))
        .map((page) => ({ path: page.path, kind: page.kind, title: (index.sections[page.sections[0]!]?.title ?? '').trim(), sections: page.sections.length })),
  };
}

// Ranked sections for a question (the ranker, fused with embeddings when given), the lead sections of pages, whether a
// page (by index path, or read on this site at /docs/…) is visible, whether a cited URL is of a hidden page, and the
// names a question uses that the visible docs never mention: the ranking store's reads, each with `access` required.
export {
  isCitedPageHidden,
  isPageVisible,
  isSitePageVisible,
  leadSectionsOf as leadSections,
  namesMissingFromDocs,
  rankDocsSections as rankSections,
} from '../search/ranking/store';

/** Of these index paths, those indexed that the reader may read. */
export async function visiblePaths({ db, access, paths }: { db: TDb; access: TReaderAccess; paths: readonly string[] }): Promise<Set<string>> {
  const visible = await readVisibleIndex({ db, access });
  const wanted = new Set(paths);
  const found = new Set<string>();
  for (const page of visible.index.pages) {
    if (wanted.has(page.path) && visible.isVisible(page.sections[0] ?? -1)) found.add(page.path);
  }
  return found;
}

/** Whether the page at this index path is indexed (live) and, if so, whether the reader may read it. */
export async function pageVisibility({ db, access, path }: { db: TDb; access: TReaderAccess; path: string }): Promise<'visible' | 'hidden' | 'absent'> {
  const visible = await readVisibleIndex({ db, access });
  let isIndexed = false;
  for (const page of visible.index.pages) {
    const lead = page.sections[0] ?? -1;
    if (page.path !== path || !isLiveSection(visible.index, lead)) continue;
    if (visible.isVisible(lead)) return 'visible';
    isIndexed = true;
  }
  return isIndexed ? 'hidden' : 'absent';
}
