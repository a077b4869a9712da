import type { TDb } from './types';

// The API reference pages' reads (supabase/schemas/46_docs_reference.sql): a spec's pages with their sections, and
// the pages of a kind.

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

/** The page at `path` and the pages below it (`path/…`), by path; none when nothing is indexed there. */
export function listDocsPagesUnderPath({ db, path }: { db: TDb; path: string }) {
  return db.rpc<TStoredPage[]>('list_docs_pages_under_path', { p_path: path });
}

export function listDocsPagesByKind({ db, kind }: { db: TDb; kind: string }) {
  return db.rpc<{ path: string; slug: string; title: string }[]>('list_docs_pages_by_kind', { p_kind: kind });
}
