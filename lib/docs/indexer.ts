import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { TDb } from '../db/types';
import { deleteDocsPagesByPaths, listDocsPageChecksums, upsertDocsPageByPath } from '../db/docs';
import { listDocFiles, readDocFile } from './load';
import { parseDoc } from './parse';

// Bump when parsing or chunking changes, so that every page is re-indexed once.
export const INDEX_VERSION = 'v1';

export type TIndexReport = {
  pages: number;
  indexed: string[];
  unchanged: number;
  removed: string[];
  failed: { path: string; reason: string }[];
  sections: number;
  ms: number;
};

/**
 * Brings the index in line with `docsDir`: pages whose checksum changed are re-parsed and replaced, deleted
 * files are removed, and a page that fails to parse is reported and keeps its previous sections.
 */
export async function indexDocs({ db, docsDir }: { db: TDb; docsDir: string }): Promise<TIndexReport> {
  const started = performance.now();
  const report: TIndexReport = { pages: 0, indexed: [], unchanged: 0, removed: [], failed: [], sections: 0, ms: 0 };
  const files = existsSync(docsDir) ? listDocFiles(docsDir) : [];
  const known = await listDocsPageChecksums({ db });
  report.pages = files.length;

  for (const relativePath of files) {
    const file = readDocFile(docsDir, relativePath);
    const checksum = createHash('sha256').update(INDEX_VERSION).update('\0').update(file.source).digest('hex');
    if (known[relativePath] === checksum) {
      report.unchanged += 1;
      continue;
    }
    let parsed;
    try {
      parsed = parseDoc({ source: file.source, path: relativePath });
    } catch (error) {
      report.failed.push({ path: relativePath, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    await upsertDocsPageByPath({
      db,
      path: relativePath,
      slug: file.slug,
      title: parsed.title,
      description: parsed.description,
      checksum,
      sections: parsed.sections.map((section) => ({
        heading: section.heading,
        heading_path: section.headingPath,
        anchor: section.anchor,
        content: section.content,
      })),
    });
    report.indexed.push(relativePath);
    report.sections += parsed.sections.length;
  }

  const present = new Set(files);
  const gone = Object.keys(known).filter((knownPath) => !present.has(knownPath));
  if (gone.length > 0) await deleteDocsPagesByPaths({ db, paths: gone });
  report.removed = gone;
  report.ms = Math.round(performance.now() - started);
  return report;
}
