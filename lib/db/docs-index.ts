import type { TOperationAction, TPageMeta } from '../shared/docs';
import { afterDocsChange } from './docs-changes';
import type { TDb } from './types';

export type { TOperationAction, TPageMeta };

export type TSectionInput = { heading: string; heading_path: string[]; anchor: string; content: string };
export type TSectionHit = {
  path: string;
  slug: string;
  title: string;
  heading: string;
  anchor: string;
  content: string;
  similarity: number;
  /** The section's lexical score over the largest idf of the index: comparable across docs folders. */
  evidence: number;
  /** The share of the question's salient weight the section matches (0–1). */
  query_coverage: number;
  /** Its page's kind of source, a label (docs_page.source_kind). */
  kind: string;
  /** Its page's kind-specific fields (docs_page.meta); {} for docs pages. */
  meta: TPageMeta;
};
export type TStoredSection = { heading: string; heading_path: string[]; anchor: string; content: string; has_embedding: boolean };
export type TDocsIndexStats = { pages: number; sections: number; embedded: number; failed: number };

export function listDocsPageChecksums({ db }: { db: TDb }) {
  return db.rpc<Record<string, string>>('list_docs_page_checksums');
}

export type TPageInput = {
  path: string;
  /** The kind of source the page comes from (lib/docs/sources), a label; 'folder' when absent. */
  kind?: string;
  slug: string;
  title: string;
  description: string;
  checksum: string;
  warnings: string[];
  sections: TSectionInput[];
  /** Fields of the page's own kind (a thread's number, state, updated date); stored as given, {} when absent. */
  meta?: TPageMeta;
};

/** Replaces each page and its sections (a batch, in one transaction); unchanged sections keep their embeddings. */
export function upsertDocsPagesByPath({ db, pages }: { db: TDb; pages: TPageInput[] }) {
  return afterDocsChange(db, db.rpc<{ pages: number; sections: number }>('upsert_docs_pages_by_path', { p_pages: pages }));
}

/** Records a parse failure on a page that is already indexed; it keeps its sections. Null when it never was. */
export function markDocsPageFailedByPath({ db, path, error }: { db: TDb; path: string; error: string }) {
  return db.rpc<{ path: string; sections: number } | null>('mark_docs_page_failed_by_path', { p_path: path, p_error: error });
}

export function deleteDocsPagesByPaths({ db, paths }: { db: TDb; paths: string[] }) {
  return afterDocsChange(db, db.rpc<number>('delete_docs_pages_by_paths', { p_paths: paths }));
}

export function getDocsIndexStats({ db }: { db: TDb }) {
  return db.rpc<TDocsIndexStats>('get_docs_index_stats');
}

export function listDocsSectionsByPath({ db, path }: { db: TDb; path: string }) {
  return db.rpc<TStoredSection[]>('list_docs_sections_by_path', { p_path: path });
}

export function listDocsSectionsMissingEmbedding({ db, model, limit }: { db: TDb; model: string; limit: number }) {
  return db.rpc<{ id: number; text: string }[]>('list_docs_sections_missing_embedding', { p_model: model, p_limit: limit });
}

export function setDocsSectionEmbeddings({ db, model, embeddings }: { db: TDb; model: string; embeddings: { id: number; embedding: number[] }[] }) {
  return db.rpc<number>('set_docs_section_embeddings', { p_model: model, p_embeddings: embeddings });
}

export function recordDocsQuery({ db, query, resultCount, source }: { db: TDb; query: string; resultCount: number; source: 'site' | 'assistant' }) {
  return db.rpc<null>('record_docs_query', { p_query: query, p_result_count: resultCount, p_source: source });
}

/** The anchors of each indexed page among `slugs` ("" is the top of a page); pages not indexed are absent. */
export function listDocsAnchorsBySlugs({ db, slugs }: { db: TDb; slugs: string[] }) {
  return db.rpc<Record<string, string[]>>('list_docs_anchors_by_slugs', { p_slugs: slugs });
}

/** Every heading that compares pages ("Popover vs. Modal"), with the index path of the page it is on (read by the gate). */
export function listDocsComparisonHeadings({ db }: { db: TDb }) {
  return db.rpc<{ path: string; heading: string }[]>('list_docs_comparison_headings');
}

export type TRankSectionRow = {
  id: number;
  path: string;
  slug: string;
  title: string;
  /** The page's one-line description (front matter); '' when it has none. */
  description: string;
  heading: string;
  heading_path: string[];
  anchor: string;
  content: string;
  /** Its page's kind of source, a label (docs_page.source_kind). */
  kind: string;
  /** Its page's kind-specific fields (docs_page.meta). */
  meta: TPageMeta;
  /**
   * The id of its page's last section when it was read: the ranking index's build knows a page's sections all read
   * (build.ts#rankIndexBuilder). Absent from sections not read from the database.
   */
  page_last_id?: number;
};

/**
 * How many sections one read of listDocsSectionsForRanking takes: small enough that no database value or response
 * grows with the docs (the embedded database keeps the memory a large value made it take), large enough that the
 * round trips stay few (25 for 24,690 sections).
 */
const RANK_SECTIONS_PAGE = 1000;

/**
 * Every section in id order, or those above `afterId` (the sections added since an index held in memory was built),
 * for the in-memory ranker (lib/docs/search/ranking), read RANK_SECTIONS_PAGE at a time and given a page of rows at a
 * time, so that a caller counting them as they come (the ranker's build) never holds every section's text at once.
 * The pages are separate reads: a re-index between two of them gives a mix of before and after, which the ranker's
 * version check (read before this) catches on its next search.
 */
export async function* docsSectionPagesForRanking({
  db,
  afterId: fromId = 0,
  pageSize = RANK_SECTIONS_PAGE,
}: {
  db: TDb;
  afterId?: number;
  pageSize?: number;
}): AsyncGenerator<TRankSectionRow[]> {
  for (let afterId = fromId; ; ) {
    const page = await db.rpc<TRankSectionRow[]>('list_docs_sections_for_ranking_page', { p_after_id: afterId, p_limit: pageSize });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    afterId = page[page.length - 1]!.id;
  }
}

/** Every section in id order, or those above `afterId`, at once (docsSectionPagesForRanking's pages together). */
export async function listDocsSectionsForRanking(options: { db: TDb; afterId?: number; pageSize?: number }): Promise<TRankSectionRow[]> {
  const sections: TRankSectionRow[] = [];
  for await (const page of docsSectionPagesForRanking(options)) for (const section of page) sections.push(section);
  return sections;
}

/**
 * The text of the sections with these ids, by id (the in-memory ranking index keeps none:
 * lib/docs/search/ranking/build.ts); a section no longer stored (re-indexed since the index was built) is absent.
 * One read: callers pass a bounded few (a search's hits, at most 50; the sections absent.ts checks a phrase in, at
 * most 200).
 */
export async function listDocsSectionContents({ db, ids }: { db: TDb; ids: readonly number[] }): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.rpc<{ id: number; content: string }[]>('list_docs_section_contents', { p_ids: ids });
  return new Map(rows.map((row) => [Number(row.id), row.content]));
}

/**
 * Changes whenever the indexed sections or the approved vocabulary do (a counter in one row, moved in the transaction
 * that changes them: supabase/schemas/41_docs_search.sql), so reading it costs the same whatever the size of the
 * docs. The in-memory ranker brings its index up to date on a new value; compare values for equality only.
 */
export function getDocsSearchVersion({ db }: { db: TDb }) {
  return db.rpc<string>('get_docs_search_version');
}

/** The sections nearest an embedding (cosine similarity), best first; `kinds`: of pages of these kinds only (labels). */
export function searchDocsSectionsByEmbedding({
  db,
  embedding,
  model,
  limit,
  kinds,
  versions,
}: {
  db: TDb;
  embedding: number[];
  model: string;
  limit: number;
  kinds?: string[];
  /** Only sections of pages of these versions, or of none (docs_page.meta.version); absent: every version. */
  versions?: string[];
}) {
  return db.rpc<{ id: number; similarity: number }[]>('search_docs_sections_by_embedding', {
    p_embedding: embedding,
    p_model: model,
    p_limit: limit,
    p_kinds: kinds ?? null,
    p_versions: versions ?? null,
  });
}
