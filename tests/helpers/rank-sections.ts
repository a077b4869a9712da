import type { TReadSectionContents } from '@/lib/docs/search/ranking/absent';
import type { TRankSection } from '@/lib/docs/search/ranking/build';

// Sections for the ranker's tests, as lib/docs/search/ranking/store.ts loads them from the index: each with its own id,
// the page's slug from its path, and its heading as the heading path and anchor.

let id = 0;

export const rankSection = (path: string, title: string, heading: string, content: string): TRankSection => ({
  id: (id += 1),
  path,
  slug: path.replace(/(\/index)?\.mdx$/, ''),
  title,
  description: '',
  heading,
  heading_path: heading ? [heading] : [],
  anchor: heading.toLowerCase().replace(/\s+/g, '-'),
  content,
});

/**
 * The text of `sections` by id, as the database gives it to absent.ts (the index holds none); each read's ids are
 * recorded in `reads`.
 */
export function contentsOf(sections: readonly TRankSection[]): TReadSectionContents & { reads: number[][] } {
  const reads: number[][] = [];
  const byId = new Map(sections.map((entry) => [entry.id, entry.content]));
  const read = async (ids: number[]) => {
    reads.push(ids);
    return new Map(ids.flatMap((at) => (byId.has(at) ? [[at, byId.get(at)!] as const] : [])));
  };
  return Object.assign(read, { reads });
}
