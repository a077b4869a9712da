import { z } from 'zod';
import { recordDocsQuery, searchDocsSections } from '../db/docs';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { embedQuery, type TEmbedder } from './embeddings';
import { docUrl } from './load';

export const MAX_QUERY_CHARS = 500;
export const DEFAULT_RESULT_LIMIT = 8;
export const ZDocsSearchRequest = z.object({
  prompt: z
    .string()
    .trim()
    .min(1, 'prompt must not be empty')
    .max(MAX_QUERY_CHARS, `prompt must be at most ${MAX_QUERY_CHARS} characters`),
  limit: z.number().int().min(1).max(20).optional(),
});
export type TDocsSearchRequest = z.infer<typeof ZDocsSearchRequest>;

export type TDocsSearchResult = {
  /** Relative to DOCS_DIR, e.g. `guides/slack.mdx`. */
  path: string;
  slug: string;
  /** `/docs/<slug>#<anchor>`: the heading the section starts at. */
  url: string;
  title: string;
  heading: string;
  content: string;
  /** Higher is better: cosine similarity when embeddings are on, the full-text score otherwise. */
  similarity: number;
};

export type TDocsSearchMode = 'fulltext' | 'hybrid';

/** What a search needs: the store, a logger, and the embedder when embeddings are on (null: full text only). */
export type TDocsSearchDeps = { db: TDb; log: TLogger; embedder: TEmbedder | null };

export function docsSearchMode(embedder: TEmbedder | null): TDocsSearchMode {
  return embedder ? 'hybrid' : 'fulltext';
}

/** Ranked sections for a question; each query is recorded (text, result count, source) for analytics. */
export async function searchDocs({
  deps,
  prompt,
  limit = DEFAULT_RESULT_LIMIT,
  source,
}: {
  deps: TDocsSearchDeps;
  prompt: string;
  limit?: number;
  source: 'site' | 'assistant';
}): Promise<TDocsSearchResult[]> {
  const { db, log, embedder } = deps;
  let embedding: number[] | undefined;
  if (embedder) {
    try {
      embedding = await embedQuery(embedder, prompt);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'query embedding failed; full-text search only');
    }
  }
  const hits = await searchDocsSections({ db, query: prompt, limit, embedding, model: embedder?.model });
  const results = hits.map((hit) => ({
    path: hit.path,
    slug: hit.slug,
    url: docUrl(hit.slug, hit.anchor || undefined),
    title: hit.title,
    heading: hit.heading,
    content: hit.content,
    similarity: hit.similarity,
  }));
  await recordDocsQuery({ db, query: prompt, resultCount: results.length, source }).catch((error: unknown) =>
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not record docs query'),
  );
  return results;
}
