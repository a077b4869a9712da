import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareVersionsNewestFirst, DOCUSAURUS_CURRENT, MAX_VERSION_CHARS, pickCurrentVersion, VERSION_FOLDER } from '../parse/versions';

// The versions of a docs folder (DOCS_DIR), from its layout. Two shapes are recognised:
// - Docusaurus: `versions.json` (the released versions, newest first) beside `docs/` and
//   `versioned_docs/version-<name>/`. `docs/` is Docusaurus's `current` version; each released version's pages
//   are in its folder. A folder under versioned_docs/ that versions.json does not list is a version all the same
//   (its pages would otherwise be indexed as belonging to every version).
// - Folders named by version at the top of the folder: `1.x/`, `v2/`, `2.0/`.
// The current version (what a search with no version asks) is DOCS_CURRENT_VERSION when it names one, else
// Docusaurus's `current`, else the highest number (../parse/versions.ts). Every other file belongs to no version and
// answers every version. A version without pages (a folder that is empty, or a name versions.json lists with no
// folder) is a problem, reported in /api/health and the log; the rest is indexed.

export type TFolderVersion = {
  name: string;
  /** Where its pages are, relative to the folder, with a trailing slash: `versioned_docs/version-1.x/`. */
  prefix: string;
  /** Where its pages are published below DOCS_BASE_URL ('' for the current version's, at the root). */
  publishedPrefix: string;
  pages: number;
};

export type TFolderVersions = {
  shape: 'docusaurus' | 'folders' | 'none';
  /** Newest first: for Docusaurus, `current` then versions.json's order. */
  versions: TFolderVersion[];
  current: string | null;
  /** One line per problem: a version without pages, an unreadable versions.json. */
  problems: string[];
};

export const NO_VERSIONS: TFolderVersions = { shape: 'none', versions: [], current: null, problems: [] };

const VERSIONED_DOCS = 'versioned_docs';
const VERSION_FOLDER_PREFIX = 'version-';

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** versions.json's names, in its order; a problem when it is not a list of names. */
function readVersionsJson(docsDir: string, problems: string[]): string[] {
  const file = path.join(docsDir, 'versions.json');
  if (!existsSync(file)) return [];
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name.trim() !== '' && name.length <= MAX_VERSION_CHARS)) {
      problems.push('versions.json is not a list of version names; its versions are read from versioned_docs/ alone');
      return [];
    }
    return [...new Set(value.map((name: string) => name.trim()))];
  } catch (error) {
    problems.push(`versions.json could not be read (${error instanceof Error ? error.message : String(error)}); its versions are read from versioned_docs/ alone`);
    return [];
  }
}

/** A folder named by a bare number (`404/`, `2024/`) rather than as a version is (`v2/`, `1.x/`, `2.0/`). */
const BARE_NUMBER = /^\d+$/;

/**
 * The top folders that name versions. Folders named as versions are (`v2/`, `1.x/`, `2.0/`); bare numbers are only
 * when they are the versions' whole naming scheme, two or more of them and nothing else (`1/`, `2/`). Otherwise a
 * bare number is a folder of pages like any other: `404/` (a docs site's not-found page, as in the Paste docs) or
 * `2024/` (a blog's year), which taken for the one version became the current version of the whole site.
 */
function versionFolderNames(folders: readonly string[]): string[] {
  const named = folders.filter((name) => VERSION_FOLDER.test(name));
  const asVersions = named.filter((name) => !BARE_NUMBER.test(name));
  if (asVersions.length > 0) return asVersions;
  return named.length >= 2 ? named : [];
}

/**
 * The folder's versions. `files`: its docs files (relative paths, as listDocFiles gives them). `configuredCurrent`:
 * DOCS_CURRENT_VERSION.
 */
export function detectFolderVersions({ docsDir, files, configuredCurrent = null }: { docsDir: string; files: readonly string[]; configuredCurrent?: string | null }): TFolderVersions {
  const count = (prefix: string) => files.filter((file) => file.startsWith(prefix)).length;
  const problems: string[] = [];
  const isDocusaurus = existsSync(path.join(docsDir, 'versions.json')) || isDirectory(path.join(docsDir, VERSIONED_DOCS));
  let versions: Omit<TFolderVersion, 'publishedPrefix'>[];
  let shape: TFolderVersions['shape'];
  if (isDocusaurus) {
    shape = 'docusaurus';
    const listed = readVersionsJson(docsDir, problems);
    const folders = isDirectory(path.join(docsDir, VERSIONED_DOCS))
      ? readdirSync(path.join(docsDir, VERSIONED_DOCS), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && entry.name.startsWith(VERSION_FOLDER_PREFIX) && entry.name.length > VERSION_FOLDER_PREFIX.length)
          .map((entry) => entry.name.slice(VERSION_FOLDER_PREFIX.length))
          .sort()
      : [];
    const names = [...listed, ...folders.filter((name) => !listed.includes(name))];
    versions = [
      { name: DOCUSAURUS_CURRENT, prefix: 'docs/', pages: count('docs/') },
      ...names.map((name) => ({ name, prefix: `${VERSIONED_DOCS}/${VERSION_FOLDER_PREFIX}${name}/`, pages: count(`${VERSIONED_DOCS}/${VERSION_FOLDER_PREFIX}${name}/`) })),
    ];
    for (const version of versions) {
      if (version.pages > 0) continue;
      const where = version.prefix.slice(0, -1);
      problems.push(
        version.name === DOCUSAURUS_CURRENT
          ? `version ${DOCUSAURUS_CURRENT}: ${where}/ has no pages`
          : `version ${version.name}: ${where}/ has no pages${listed.includes(version.name) && !folders.includes(version.name) ? ' (versions.json lists it; the folder is missing)' : ''}`,
      );
    }
  } else {
    const tops = existsSync(docsDir) ? readdirSync(docsDir, { withFileTypes: true }) : [];
    const named = versionFolderNames(tops.filter((entry) => entry.isDirectory()).map((entry) => entry.name));
    if (named.length === 0) return NO_VERSIONS;
    shape = 'folders';
    versions = named.map((name) => ({ name, prefix: `${name}/`, pages: count(`${name}/`) }));
    for (const version of versions) if (version.pages === 0) problems.push(`version ${version.name}: ${version.name}/ has no pages`);
  }
  // A version without pages is not offered: asking for it would find nothing of its own.
  const withPages = versions.filter((version) => version.pages > 0);
  const current = pickCurrentVersion(
    withPages.map((version) => version.name),
    configuredCurrent,
  );
  if (configuredCurrent !== null && current !== configuredCurrent) {
    problems.push(`DOCS_CURRENT_VERSION names ${configuredCurrent}, which is not a version of the docs folder; the current version is ${current ?? 'none'}`);
  }
  const ordered = shape === 'folders' ? [...withPages].sort((a, b) => compareVersionsNewestFirst(a.name, b.name)) : withPages;
  return {
    shape,
    versions: ordered.map((version) => ({ ...version, publishedPrefix: publishedPrefixOf(shape, version.name, current) })),
    current,
    problems,
  };
}

/**
 * Where a version's pages are published below DOCS_BASE_URL, as Docusaurus serves them: the current version at
 * the root, each other one under its name, and `docs/` (when it is not the current one) under `next/`. Folders
 * named by version keep their folder's name.
 */
function publishedPrefixOf(shape: TFolderVersions['shape'], name: string, current: string | null): string {
  if (shape !== 'docusaurus') return `${name}/`;
  if (name === current) return '';
  return name === DOCUSAURUS_CURRENT ? 'next/' : `${name}/`;
}

/** The version a file of the folder belongs to (the longest prefix that holds it), or null. */
export function folderVersionOf(versions: TFolderVersions, relativePath: string): TFolderVersion | null {
  let found: TFolderVersion | null = null;
  for (const version of versions.versions) {
    if (relativePath.startsWith(version.prefix) && (!found || version.prefix.length > found.prefix.length)) found = version;
  }
  return found;
}

/**
 * Where a file is published, split for publishedPath (./published.ts): its path inside its version's folder, and
 * where that version is published. Docusaurus's `docs/intro.md` and `versioned_docs/version-1.x/intro.md` are
 * `intro.md` at the root and under `1.x/` (the current version's at the root); `1.x/intro.md` of a folder named
 * by version is `intro.md` under `1.x/`. A file outside a version keeps its path, at the root.
 */
export function publishedPlaceInVersion(versions: TFolderVersions, relativePath: string): { path: string; versionPrefix: string } {
  const version = folderVersionOf(versions, relativePath);
  if (!version) return { path: relativePath, versionPrefix: '' };
  return { path: relativePath.slice(version.prefix.length), versionPrefix: version.publishedPrefix };
}
