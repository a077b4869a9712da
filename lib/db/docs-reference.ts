import type { TDb } from './types';

// The API reference pages' reads (supabase/schemas/46_docs_reference.sql): a spec's pages with their sections (or
// their outline), the page that holds an operation, and the pages of a kind.

export type TStoredPage = {
  path: string;
  slug: string;
  title: string;
  description: string;
  kind: string;
  /** Why its source's last read failed; it keeps the sections it had. */
  lastError: string | null;
  indexedAt: string;
  sections: { heading: string; heading_path: string[]; anchor: string; content: string }[];
};

/**
 * The page at `path` and the pages below it (`path/…`), by path, as an outline: API operations' sections without
 * their content (each operation is a page of its own); none when nothing is indexed there.
 */
export function listDocsPagesUnderPath({ db, path }: { db: TDb; path: string }) {
  return db.rpc<TStoredPage[]>('list_docs_pages_under_path', { p_path: path });
}

/**
 * The page holding the section anchored `anchor`, among those at `slug` or at and below `path` (one of them given),
 * with every section's heading and anchor and that section's content only; null when none holds it.
 */
export function getDocsPageBySectionAnchor({ db, anchor, ...where }: { db: TDb; anchor: string } & ({ slug: string; path?: never } | { path: string; slug?: never })) {
  return db.rpc<TStoredPage | null>('get_docs_page_by_section_anchor', { p_slug: where.slug ?? null, p_path: where.path ?? null, p_anchor: anchor });
}

export function listDocsPagesByKind({ db, kind }: { db: TDb; kind: string }) {
  return db.rpc<{ path: string; slug: string; title: string; lastError: string | null }[]>('list_docs_pages_by_kind', { p_kind: kind });
}
