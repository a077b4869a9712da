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
