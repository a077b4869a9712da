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

/**
 * A digest of the ids of every stored section (count, sum, sum of a hash of each: supabase/schemas/47_docs_rank_index.sql):
 * what a change laid over the ranking index (lib/docs/search/ranking/overlay.ts) is checked against, in one row.
 */
export function getDocsSectionIdDigest({ db }: { db: TDb }) {
  return db.rpc<{ count: number | string; sum: number | string; hash: number | string } | null>('get_docs_section_id_digest');
}
