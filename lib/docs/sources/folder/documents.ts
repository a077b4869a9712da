import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { audienceNamesOf } from '../../../audiences';
import { isHugoIndexFile, listDocFiles, readDocFile } from '../../folder/load';
import { publishedUrl, type TPublishedSite } from '../../folder/published';
import { detectFolderVersions, folderVersionOf, NO_VERSIONS, publishedPlaceInVersion } from '../../folder/versions';
import { INDEX_VERSION, type TDocumentsContext, type TDocumentStream } from '../../index/documents';
import { rememberChecksum, rememberedChecksum, stampOf } from '../../index/file-checksums';
import { parseDoc } from '../../parse/parse';

// The docs folder's files as documents: each Markdown or MDX file of DOCS_DIR, parsed into its sections (lib/docs/parse),
// at its slug (or its URL where DOCS_BASE_URL says the folder is published), in its version (versioned folders,
// lib/docs/folder/versions.ts), with its front matter's `audience:`. A file is read and parsed only when its checksum
// (its text, where it is published, its version) is not the index's: a file unchanged since this process read it is
// not even read (../../index/file-checksums.ts). A file that fails to parse is yielded failed: it keeps its last good
// sections.

/** What a walk of the folder found besides its documents. */
export type TFolderWalk = {
  /** Files in the folder. */
  pages: number;
  /** Files read and hashed: those this process had not read with the same stat. */
  read: number;
  /** Pages the parser repaired a construct of (lib/docs/parse/mdx.ts). */
  warnings: { path: string; warnings: string[] }[];
  /** The folder's versions (lib/docs/folder/versions.ts), newest first, the current one, and their problems. */
  versions: { names: string[]; current: string | null; problems: string[] };
  parseMs: number;
};

/** `publishedAt`: where the page is published (DOCS_BASE_URL) and its version, so that moving the site re-indexes its links. */
export function pageChecksum(source: string, publishedAt = ''): string {
  const hash = createHash('sha256').update(INDEX_VERSION).update('\0').update(source);
  if (publishedAt !== '') hash.update('\0').update(publishedAt);
  return hash.digest('hex');
}

/** Every file of `docsDir` (null or missing: none, so a complete load empties the kind). */
export async function* folderDocuments(
  context: TDocumentsContext,
  { docsDir, published, currentVersion }: { docsDir: string | null; published: TPublishedSite | null; currentVersion: string | null },
): TDocumentStream<TFolderWalk> {
  const walk: TFolderWalk = { pages: 0, read: 0, warnings: [], versions: { names: [], current: null, problems: [] }, parseMs: 0 };
  const isThere = docsDir !== null && existsSync(docsDir);
  const files = isThere ? listDocFiles(docsDir) : [];
  walk.pages = files.length;
  const versions = isThere ? detectFolderVersions({ docsDir, files, configuredCurrent: currentVersion }) : NO_VERSIONS;
  walk.versions = { names: versions.versions.map((version) => version.name), current: versions.current, problems: versions.problems };
  const publishedUrlInVersion = (site: TPublishedSite, relativePath: string, meta: Parameters<typeof publishedUrl>[2]) => {
    const place = publishedPlaceInVersion(versions, relativePath);
    return publishedUrl(site, place.path, meta, place.versionPrefix);
  };
  for (const relativePath of files) {
    const version = folderVersionOf(versions, relativePath);
    // A page's version, and where it is published, are part of what it was indexed as: a change re-indexes it.
    // Hugo's _index.md is served at its folder's URL (slugFromPath), where an index made before said `folder/_index`: its
    // mark changes its checksum, so that it is indexed once more at its slug though its text did not change.
    const publishedAt =
      (published ? `${published.baseUrl}\0${published.suffix}` : '') +
      (version ? `\0version:${version.name}:${version.publishedPrefix}` : '') +
      (isHugoIndexFile(path.posix.basename(relativePath)) ? '\0folder-page' : '');
    // A file unchanged since this process read it is not read again (file-checksums.ts); its stat is taken first, so
    // that a write during the read leaves a stat that differs next time.
    const fullPath = path.join(docsDir ?? '', relativePath);
    const stamp = stampOf(fullPath);
    const remembered = rememberedChecksum(fullPath, stamp, publishedAt);
    if (remembered !== null && context.isIndexed(relativePath, remembered)) {
      yield { path: relativePath, status: 'unchanged' };
      continue;
    }
    const file = readDocFile(docsDir ?? '', relativePath);
    // The partials' text is in the page's, and so in its checksum; their stats are remembered with it.
    const parts = file.includes.map((partial) => path.join(docsDir ?? '', partial)).map((partialPath) => ({ file: partialPath, stamp: stampOf(partialPath) }));
    const checksum = pageChecksum(file.source, publishedAt);
    rememberChecksum(fullPath, stamp, publishedAt, checksum, Date.now(), parts);
    walk.read += 1;
    if (context.isIndexed(relativePath, checksum)) {
      yield { path: relativePath, status: 'unchanged' };
      continue;
    }
    let parsed;
    const parseStarted = performance.now();
    try {
      parsed = await parseDoc({ source: file.source, path: relativePath });
    } catch (error) {
      yield { path: relativePath, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
      continue;
    } finally {
      walk.parseMs += Math.round(performance.now() - parseStarted);
    }
    if (parsed.warnings.length > 0) walk.warnings.push({ path: relativePath, warnings: parsed.warnings });
    yield {
      path: relativePath,
      slug: published ? publishedUrlInVersion(published, relativePath, parsed.meta) : file.slug,
      version: version?.name ?? null,
      // Who may read it by its front matter (lib/audiences); its text, and so its checksum, says so.
      audiences: audienceNamesOf(parsed.meta.audience),
      title: parsed.title,
      description: parsed.description,
      checksum,
      warnings: parsed.warnings,
      sections: parsed.sections.map((section) => ({ heading: section.heading, heading_path: section.headingPath, anchor: section.anchor, content: section.content })),
    };
  }
  return walk;
}
