import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TDb } from '../../db/types';
import {
  deleteDocsPagesByPaths,
  listDocsSectionsMissingEmbedding,
  markDocsPageFailedByPath,
  setDocsSectionEmbeddings,
  upsertDocsPagesByPath,
  type TPageInput,
} from '../../db/docs-index';
import { listDocsPageChecksumsByKind } from '../../db/docs-sources';
import { EMBEDDING_BATCH_SIZE, type TEmbedder } from './embeddings';
import { rememberChecksum, rememberedChecksum, stampOf } from './file-checksums';
import { listDocFiles, readDocFile } from '../folder/load';
import { parseDoc } from '../parse/parse';
import { publishedUrl, type TPublishedSite } from '../folder/published';
import { audienceNamesOf, audiencesOfPath, type TAudienceRule } from '../../audiences';
import { detectFolderVersions, folderVersionOf, NO_VERSIONS, publishedPlaceInVersion } from '../folder/versions';

// Bump when parsing or chunking changes, so that every page is re-indexed once.
export const INDEX_VERSION = 'v2';

// Pages per database call: batching makes a cold index of a few hundred pages several times faster.
const PAGES_PER_BATCH = 25;
const CHARS_PER_BATCH = 400_000;

export type TIndexReport = {
  pages: number;
  indexed: string[];
  unchanged: number;
  /** Files read and hashed: those this process had not read with the same stat (file-checksums.ts). */
  read: number;
  removed: string[];
  /** Pages that failed to parse: reported, and they keep the sections of their last good version. */
  failed: { path: string; reason: string; keptSections: number }[];
  /** Pages indexed after the parser repaired a construct it could not read (see lib/docs/parse/mdx.ts). */
  warnings: { path: string; warnings: string[] }[];
  sections: number;
  embedded: number;
  embeddingError: string | null;
  ms: number;
  /** Where the time went: parsing, writing pages, embeddings. */
  timings: { parseMs: number; writeMs: number; embedMs: number };
  /** The folder's versions (lib/docs/folder/versions.ts), newest first, the current one, and their problems. */
  versions: { names: string[]; current: string | null; problems: string[] };
};

/** `publishedAt`: where the page is published (DOCS_BASE_URL), so that moving the site re-indexes its links. */
export function pageChecksum(source: string, publishedAt = ''): string {
  const hash = createHash('sha256').update(INDEX_VERSION).update('\0').update(source);
  if (publishedAt !== '') hash.update('\0').update(publishedAt);
  return hash.digest('hex');
}

/**
 * Brings the index in line with `docsDir`: pages whose checksum changed are re-parsed and replaced, deleted
 * files are removed, and a page that fails to parse is reported and keeps its previous sections. With an
 * embedder, sections without an embedding of its model get one (an API failure is reported, not thrown).
 * `published`: where the folder's pages are published (DOCS_BASE_URL); their sources then link there, and each
 * page's slug in the index is its absolute URL. The pages are recorded as `kind`'s (the folder's, by default), and
 * only that kind's pages are compared and removed: other sources' are left alone. `docsDir: null`: no folder is
 * indexed (only a crawled site is); its pages leave.
 */
export async function indexDocs({
  db,
  docsDir,
  embedder = null,
  published = null,
  kind = 'folder',
  currentVersion = null,
  audienceRules = [],
}: {
  db: TDb;
  docsDir: string | null;
  embedder?: TEmbedder | null;
  published?: TPublishedSite | null;
  /** The source kind the pages are recorded as (a label, lib/docs/sources). */
  kind?: string;
  /** DOCS_CURRENT_VERSION: the folder's current version when it names one (lib/docs/folder/versions.ts). */
  currentVersion?: string | null;
  /** DOCS_AUDIENCES (lib/audiences/paths.ts): audiences by the page's path, beside its front matter's `audience:`. */
  audienceRules?: readonly TAudienceRule[];
}): Promise<TIndexReport> {
  const started = performance.now();
  const report: TIndexReport = {
    pages: 0,
    indexed: [],
    unchanged: 0,
    read: 0,
    removed: [],
    failed: [],
    warnings: [],
    sections: 0,
    embedded: 0,
    embeddingError: null,
    ms: 0,
    timings: { parseMs: 0, writeMs: 0, embedMs: 0 },
    versions: { names: [], current: null, problems: [] },
  };
  const timed = async <T,>(key: keyof TIndexReport['timings'], work: () => Promise<T> | T): Promise<T> => {
    const at = performance.now();
    try {
      return await work();
    } finally {
      report.timings[key] += Math.round(performance.now() - at);
    }
  };
  const files = docsDir !== null && existsSync(docsDir) ? listDocFiles(docsDir) : [];
  const known = await listDocsPageChecksumsByKind({ db, kind });
  report.pages = files.length;
  const versions = docsDir !== null && existsSync(docsDir) ? detectFolderVersions({ docsDir, files, configuredCurrent: currentVersion }) : NO_VERSIONS;
  report.versions = { names: versions.versions.map((version) => version.name), current: versions.current, problems: versions.problems };

  let batch: TPageInput[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const pages = batch;
    await timed('writeMs', () => upsertDocsPagesByPath({ db, pages }));
    batch = [];
    batchChars = 0;
  };
  const publishedUrlInVersion = (site: TPublishedSite, relativePath: string, meta: Parameters<typeof publishedUrl>[2]) => {
    const place = publishedPlaceInVersion(versions, relativePath);
    return publishedUrl(site, place.path, meta, place.versionPrefix);
  };
  for (const relativePath of files) {
    const version = folderVersionOf(versions, relativePath);
    // A page's version, and where it is published, are part of what it was indexed as: a change re-indexes it.
    // So are the audiences DOCS_AUDIENCES gives it (its front matter's are in its source).
    const pathAudiences = audiencesOfPath(audienceRules, relativePath);
    const publishedAt =
      (published ? `${published.baseUrl}\0${published.suffix}` : '') +
      (version ? `\0version:${version.name}:${version.publishedPrefix}` : '') +
      (pathAudiences.length > 0 ? `\0audiences:${pathAudiences.join(',')}` : '');
    // A file unchanged since this process read it is not read again (file-checksums.ts); its stat is taken first, so
    // that a write during the read leaves a stat that differs next time.
    const fullPath = path.join(docsDir ?? '', relativePath);
    const stamp = stampOf(fullPath);
    if (known[relativePath] !== undefined && rememberedChecksum(fullPath, stamp, publishedAt) === known[relativePath]) {
      report.unchanged += 1;
      continue;
    }
    const file = readDocFile(docsDir ?? '', relativePath);
    const checksum = pageChecksum(file.source, publishedAt);
    rememberChecksum(fullPath, stamp, publishedAt, checksum);
    report.read += 1;
    if (known[relativePath] === checksum) {
      report.unchanged += 1;
      continue;
    }
    let parsed;
    try {
      parsed = await timed('parseMs', () => parseDoc({ source: file.source, path: relativePath }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const kept = await markDocsPageFailedByPath({ db, path: relativePath, error: reason });
      report.failed.push({ path: relativePath, reason, keptSections: kept?.sections ?? 0 });
      continue;
    }
    batch.push({
      path: relativePath,
      kind,
      slug: published ? publishedUrlInVersion(published, relativePath, parsed.meta) : file.slug,
      ...pageMeta(version?.name ?? null, [...audienceNamesOf(parsed.meta.audience), ...pathAudiences]),
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
    batchChars += file.source.length;
    if (parsed.warnings.length > 0) report.warnings.push({ path: relativePath, warnings: parsed.warnings });
    report.indexed.push(relativePath);
    report.sections += parsed.sections.length;
    if (batch.length >= PAGES_PER_BATCH || batchChars >= CHARS_PER_BATCH) await flush();
  }
  await flush();

  const present = new Set(files);
  const gone = Object.keys(known).filter((knownPath) => !present.has(knownPath));
  if (gone.length > 0) await deleteDocsPagesByPaths({ db, paths: gone });
  report.removed = gone;

  if (embedder) {
    try {
      report.embedded = await timed('embedMs', () => embedMissingSections({ db, embedder }));
    } catch (error) {
      report.embeddingError = error instanceof Error ? error.message : String(error);
    }
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** A folder page's meta: its version, and who may read it (lib/audiences; none: public); no meta when it has neither. */
function pageMeta(version: string | null, audiences: string[]): Pick<TPageInput, 'meta'> {
  const names = [...new Set(audiences)];
  if (version === null && names.length === 0) return {};
  return { meta: { ...(version !== null ? { version } : {}), ...(names.length > 0 ? { audiences: names } : {}) } };
}

/** Embeds every section that has no embedding of the embedder's model yet; returns how many it embedded. */
export async function embedMissingSections({ db, embedder }: { db: TDb; embedder: TEmbedder }): Promise<number> {
  let embedded = 0;
  for (;;) {
    const batch = await listDocsSectionsMissingEmbedding({ db, model: embedder.model, limit: EMBEDDING_BATCH_SIZE });
    if (batch.length === 0) return embedded;
    const vectors = await embedder.embed(batch.map((section) => section.text), { retries: 1 });
    embedded += await setDocsSectionEmbeddings({
      db,
      model: embedder.model,
      embeddings: batch.map((section, index) => ({ id: section.id, embedding: vectors[index] ?? [] })),
    });
  }
}
