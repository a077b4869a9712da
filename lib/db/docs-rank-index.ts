import type { TDb } from './types';

/**
 * A digest of what the ranking index is built from (supabase/schemas/47_docs_rank_index.sql): an index kept on disk
 * is loaded only when it was written for the same one.
 */
export function getDocsRankFingerprint({ db }: { db: TDb }) {
  return db.rpc<string>('get_docs_rank_fingerprint');
}
