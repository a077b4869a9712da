import type { TDb } from './types';

/**
 * A digest of what the ranking index is built from (supabase/schemas/47_docs_rank_index.sql): an index kept on disk
 * is loaded only when it was written for the same one.
 */
export function getDocsRankFingerprint({ db }: { db: TDb }) {
  return db.rpc<string>('get_docs_rank_fingerprint');
}

/**
 * The ids of every section stored now: with the sections stored after the largest id of an index held in memory
 * (listDocsSectionsForRanking from that id), what an index needs to catch up without reading every section again.
 */
export function listDocsSectionIds({ db }: { db: TDb }) {
  return db.rpc<number[]>('list_docs_section_ids');
}
