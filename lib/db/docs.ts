import type { TDb } from './types';

export type TSectionInput = { heading: string; heading_path: string[]; anchor: string; content: string };
export type TSectionHit = {
  path: string;
  slug: string;
  title: string;
  heading: string;
  anchor: string;
  content: string;
  similarity: number;
};

export function listDocsPageChecksums({ db }: { db: TDb }) {
  return db.rpc<Record<string, string>>('list_docs_page_checksums');
}

export function upsertDocsPageByPath({
  db,
  path,
  slug,
  title,
  description,
  checksum,
  sections,
}: {
  db: TDb;
  path: string;
  slug: string;
  title: string;
  description: string;
  checksum: string;
  sections: TSectionInput[];
}) {
  return db.rpc<{ path: string; sections: number }>('upsert_docs_page_by_path', {
    p_path: path,
    p_slug: slug,
    p_title: title,
    p_description: description,
    p_checksum: checksum,
    p_sections: sections,
  });
}

export function deleteDocsPagesByPaths({ db, paths }: { db: TDb; paths: string[] }) {
  return db.rpc<number>('delete_docs_pages_by_paths', { p_paths: paths });
}

export function getDocsIndexStats({ db }: { db: TDb }) {
  return db.rpc<{ pages: number; sections: number }>('get_docs_index_stats');
}

export function searchDocsSections({ db, query, limit }: { db: TDb; query: string; limit: number }) {
  return db.rpc<TSectionHit[]>('search_docs_sections', { p_query: query, p_limit: limit });
}

export function recordDocsQuery({ db, query, resultCount, source }: { db: TDb; query: string; resultCount: number; source: 'site' | 'assistant' }) {
  return db.rpc<null>('record_docs_query', { p_query: query, p_result_count: resultCount, p_source: source });
}
