import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { TDb } from '../db/types';
import {
  deleteDocsPagesByPaths,
  listDocsPageChecksums,
  listDocsSectionsMissingEmbedding,
  markDocsPageFailedByPath,
  refreshDocsTerms,
  setDocsSectionEmbeddings,
  upsertDocsPageByPath,
} from '../db/docs';
import { EMBEDDING_BATCH_SIZE, type TEmbedder } from './embeddings';
import { listDocFiles, readDocFile } from './load';
import { parseDoc } from './parse';

// Bump when parsing or chunking changes, so that every page is re-indexed once.
export const INDEX_VERSION = 'v2';

export type TIndexReport = {
  pages: number;
  indexed: string[];
  unchanged: number;
  removed: string[];
  /** Pages that failed to parse: reported, and they keep the sections of their last good version. */
  failed: { path: string; reason: string; keptSections: number }[];
  /** Pages indexed after the parser repaired a construct it could not read (see lib/docs/mdx.ts). */
  warnings: { path: string; warnings: string[] }[];
  sections: number;
  embedded: number;
  embeddingError: string | null;
  ms: number;
};

export function pageChecksum(source: string): string {
  return createHash('sha256').update(INDEX_VERSION).update('\0').update(source).digest('hex');
}

/**
 * Brings the index in line with `docsDir`: pages whose checksum changed are re-parsed and replaced, deleted
 * files are removed, and a page that fails to parse is reported and keeps its previous sections. With an
 * embedder, sections without an embedding of its model get one (an API failure is reported, not thrown).
 */
export async function indexDocs({
  db,
  docsDir,
  embedder = null,
}: {
  db: TDb;
  docsDir: string;
  embedder?: TEmbedder | null;
}): Promise<TIndexReport> {
  const started = performance.now();
  const report: TIndexReport = {
    pages: 0,
    indexed: [],
    unchanged: 0,
    removed: [],
    failed: [],
    warnings: [],
    sections: 0,
    embedded: 0,
    embeddingError: null,
    ms: 0,
  };
  const files = existsSync(docsDir) ? listDocFiles(docsDir) : [];
  const known = await listDocsPageChecksums({ db });
  report.pages = files.length;

  for (const relativePath of files) {
    const file = readDocFile(docsDir, relativePath);
    const checksum = pageChecksum(file.source);
    if (known[relativePath] === checksum) {
      report.unchanged += 1;
      continue;
    }
    let parsed;
    try {
      parsed = parseDoc({ source: file.source, path: relativePath });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const kept = await markDocsPageFailedByPath({ db, path: relativePath, error: reason });
      report.failed.push({ path: relativePath, reason, keptSections: kept?.sections ?? 0 });
      continue;
    }
    await upsertDocsPageByPath({
      db,
      path: relativePath,
      slug: file.slug,
      title: parsed.title,
      description: parsed.description,
      checksum,
      warnings: parsed.warnings,
      sections: parsed.sections.map((section) => ({
        heading: section.heading,
        heading_path: section.headingPath,
        anchor: section.anchor,
        content: section.content,
      })),
    });
    if (parsed.warnings.length > 0) report.warnings.push({ path: relativePath, warnings: parsed.warnings });
    report.indexed.push(relativePath);
    report.sections += parsed.sections.length;
  }

  const present = new Set(files);
  const gone = Object.keys(known).filter((knownPath) => !present.has(knownPath));
  if (gone.length > 0) await deleteDocsPagesByPaths({ db, paths: gone });
  report.removed = gone;
  if (report.indexed.length > 0 || gone.length > 0) await refreshDocsTerms({ db });

  if (embedder) {
    try {
      report.embedded = await embedMissingSections({ db, embedder });
    } catch (error) {
      report.embeddingError = error instanceof Error ? error.message : String(error);
    }
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

async function embedMissingSections({ db, embedder }: { db: TDb; embedder: TEmbedder }): Promise<number> {
  let embedded = 0;
  for (;;) {
    const batch = await listDocsSectionsMissingEmbedding({ db, model: embedder.model, limit: EMBEDDING_BATCH_SIZE });
    if (batch.length === 0) return embedded;
    const vectors = await embedder.embed(batch.map((section) => section.text));
    embedded += await setDocsSectionEmbeddings({
      db,
      model: embedder.model,
      embeddings: batch.map((section, index) => ({ id: section.id, embedding: vectors[index] ?? [] })),
    });
  }
}
