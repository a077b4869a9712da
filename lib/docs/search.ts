import { z } from 'zod';
import type { TApp } from '../app';
import { recordDocsQuery, searchDocsSections } from '../db/docs';
import { docUrl } from './load';

export const MAX_QUERY_CHARS = 500;
export const ZDocsSearchRequest = z.object({
  prompt: z.string().trim().min(1, 'prompt must not be empty').max(MAX_QUERY_CHARS, `prompt must be at most ${MAX_QUERY_CHARS} characters`),
});
export type TDocsSearchRequest = z.infer<typeof ZDocsSearchRequest>;

export type TDocsSearchResult = {
  path: string;
  slug: string;
  url: string;
  title: string;
  heading: string;
  content: string;
  similarity: number;
};

/** Ranked sections for a question; each query is recorded (text, result count, source) for analytics. */
export async function searchDocs({
  app,
  prompt,
  limit = 8,
  source,
}: {
  app: TApp;
  prompt: string;
  limit?: number;
  source: 'site' | 'assistant';
}): Promise<TDocsSearchResult[]> {
  const hits = await searchDocsSections({ db: app.db, query: prompt, limit });
  const results = hits.map((hit) => ({
    path: hit.path,
    slug: hit.slug,
    url: docUrl(hit.slug, hit.anchor || undefined),
    title: hit.title,
    heading: hit.heading,
    content: hit.content,
    similarity: hit.similarity,
  }));
  await recordDocsQuery({ db: app.db, query: prompt, resultCount: results.length, source }).catch((error: unknown) =>
    app.log.warn({ err: error }, 'could not record docs query'),
  );
  return results;
}
