import type { TDb } from './types';

// Page reads (supabase/schemas/45_docs_page_reads.sql): a counter per page and UTC day, nothing about the reader.

/** Counts one read of an indexed docs page ("/docs/…"); false when no indexed page is there (nothing counted). */
export function recordDocsPageRead({ db, path }: { db: TDb; path: string }) {
  return db.rpc<boolean>('record_docs_page_read', { p_path: path });
}
