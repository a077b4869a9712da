import type { TDb } from './types';

// The maintainers' deflection figures (supabase/schemas/64_deflection.sql): counts for a period's questions, the
// sources their answers cited, pages never cited, page reads, shared conversations. Lists capped at `limit`.

export type TDeflectionCitedPage = {
  url: string;
  title: string;
  /** The indexed page's path and its source label ('folder', 'github', …); null when the cited URL is not indexed (any more). */
  path: string | null;
  label: string | null;
  /** The kind the citation showed readers ('docs', 'thread', …). */
  kind: string;
  citations: number;
  reads: number;
};
export type TDeflectionUncitedPage = { url: string; title: string; path: string; label: string; reads: number };
export type TDeflectionReadPage = { url: string; title: string; reads: number; questions: number };

export type TDeflectionData = {
  from: string;
  to: string;
  questions: number;
  answered: number;
  not_covered: number;
  without_answer: number;
  down_voted: number;
  by_maintainer: number;
  /** Questions the reader handed to the maintainers (a hand-off, lib/handoff); absent from a database before them. */
  handed_off?: number;
  deflected: number;
  citing_answers: number;
  citations: number;
  kinds: { kind: string; citations: number; pages: number }[];
  pages: TDeflectionCitedPage[];
  cited_pages: number;
  indexed_pages: number;
  never_cited: { count: number; labels: Record<string, number>; items: TDeflectionUncitedPage[] };
  reads: { total: number; questions_from_pages: number; pages: TDeflectionReadPage[] };
  shares: { links: number; conversations: number; revoked: number };
};

export function getMaintainerDeflection({ db, from, to, limit }: { db: TDb; from: Date; to: Date; limit: number }) {
  return db.rpc<TDeflectionData>('get_maintainer_deflection', { p_from: from.toISOString(), p_to: to.toISOString(), p_limit: limit });
}
