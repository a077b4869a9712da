import type { TRankSectionRow } from './docs-index';
import type { TDb } from './types';

/**
 * A digest of what the ranking index is built from (supabase/schemas/47_docs_rank_index.sql): an index kept on disk
 * is loaded only when it was written for the same one.
 */
export function getDocsRankFingerprint({ db }: { db: TDb }) {
  return db.rpc<string>('get_docs_rank_fingerprint');
}

/**
 * The sections stored after `afterId` (the largest id of an index held in memory) and the ids of every section
 * stored now: what an index needs to catch up without reading every section again.
 */
export function listDocsSectionsForRankingSince({ db, afterId }: { db: TDb; afterId: number }) {
  return db.rpc<{ ids: number[]; sections: TRankSectionRow[] }>('list_docs_sections_for_ranking_since', { p_after_id: afterId });
}
