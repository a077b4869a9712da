// What docs a production build was made from. `next build` writes DOCS_BUILD_FILE into the build folder
// (next.config.mjs, after compiling, before the pages are generated from DOCS_DIR); `npm start` rebuilds when
// it no longer describes DOCS_DIR (scripts/ensure-build.mjs) and the server refuses to start on it
// (lib/boot.ts), because docs pages are generated at build time while the assistant indexes DOCS_DIR at start:
// a mismatch sends readers from search results to pages that do not exist.
// The audience rules (DOCS_AUDIENCES, who reads which page) are recorded beside the pages (`audienceRules`), and
// `npm start` rebuilds when they changed, as it does for DOCS_DIR: nothing the build makes should list a page by
// the rules of another build. The server does not refuse a build made with other rules: nothing it makes lists a
// docs page today (the home and docs pages render per request, the 404 page asks for its reader's navigation:
// tests/production/build-output.test.ts), so the rules stay out of the pages' fingerprint.
// Plain JavaScript (typed by build-manifest.d.mts) for the same reason as files.mjs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { listDocFiles, listPartialFiles } from '../folder/files.mjs';

export const DOCS_BUILD_FILE = 'paste-docs-build.json';
const VERSION = 1;

export const ZDocsBuildManifest = z.object({
  version: z.literal(VERSION),
  docsDir: z.string(),
  fingerprint: z.string(),
  /** Relative path → sha256 of the file's bytes. */
  files: z.record(z.string(), z.string()),
  builtAt: z.string(),
  /** DOCS_AUDIENCES as the build read it (trimmed; '' when unset); absent in a build made before it was recorded. */
  audienceRules: z.string().optional(),
});

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Besides the pages, what the built pages are made from: site.config.json names the site in each one (lib/docs/site/site-config.ts). */
const SITE_FILES = ['site.config.json'];
/** A folder's `_meta.json` names and orders its section in every page's navigation (lib/docs/gate/folder-nav.ts). */
const FOLDER_META_FILE = '_meta.json';

/** The docs in `docsDir` now: each page's checksum and one fingerprint of paths and contents. A folder that does not exist has no pages. */
export function fingerprintDocs(docsDir) {
  const files = {};
  if (existsSync(docsDir)) {
    const pages = listDocFiles(docsDir);
    for (const relativePath of pages) files[relativePath] = sha256(readFileSync(path.join(docsDir, relativePath)));
    // A partial is part of every page that imports it (lib/docs/folder/partials.ts).
    for (const relativePath of listPartialFiles(docsDir)) files[relativePath] = sha256(readFileSync(path.join(docsDir, relativePath)));
    // Every folder that holds a page, and each of its parents up to the docs folder, may name its section.
    const folders = new Set(['.']);
    for (const relativePath of pages) {
      for (let folder = path.dirname(relativePath); folder !== '.'; folder = path.dirname(folder)) folders.add(folder);
    }
    for (const folder of folders) {
      const name = folder === '.' ? FOLDER_META_FILE : path.join(folder, FOLDER_META_FILE);
      const file = path.join(/* turbopackIgnore: true */ docsDir, name);
      if (existsSync(/* turbopackIgnore: true */ file)) files[name] = sha256(readFileSync(/* turbopackIgnore: true */ file));
    }
    // turbopackIgnore: the server imports this (lib/boot.ts), and Next's file tracer would otherwise copy the
    // whole project into the server output for a path it cannot know at build time.
    for (const name of SITE_FILES) {
      const file = path.join(/* turbopackIgnore: true */ docsDir, name);
      if (existsSync(/* turbopackIgnore: true */ file)) files[name] = sha256(readFileSync(/* turbopackIgnore: true */ file));
    }
  }
  return { docsDir, files, fingerprint: fingerprintOf(files) };
}

/** Order-independent: the sorted paths with their checksums. */
export function fingerprintOf(files) {
  const lines = Object.keys(files)
    .sort()
    .map((relativePath) => `${relativePath}\0${files[relativePath]}\n`);
  return sha256(lines.join(''));
}

/** The audience rules a build is made with: DOCS_AUDIENCES of `env`, trimmed ('' when unset). */
export function audienceRulesOf(env) {
  return (env.DOCS_AUDIENCES ?? '').trim();
}

export function writeDocsBuildManifest({ distDir, docs, audienceRules = '', builtAt = new Date() }) {
  const manifest = { version: VERSION, docsDir: docs.docsDir, fingerprint: docs.fingerprint, files: docs.files, builtAt: builtAt.toISOString(), audienceRules };
  writeFileSync(path.join(distDir, DOCS_BUILD_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** The manifest of the build in `distDir`, or null when there is none (or it is unreadable: treated as none). */
export function readDocsBuildManifest(distDir) {
  const file = path.join(distDir, DOCS_BUILD_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = ZDocsBuildManifest.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * How the docs now compare with those a build was made from:
 * - `unrecorded`: the build says nothing (made before builds recorded their docs);
 * - `same`: the same pages, byte for byte (`isMoved` when found in another folder, e.g. the project was moved);
 * - `other-folder`: DOCS_DIR points somewhere else, with other pages;
 * - `changed`: the same folder, but pages were added, changed or removed.
 */
export function compareDocsBuild(manifest, current) {
  if (!manifest) return { kind: 'unrecorded' };
  const isSameFolder = manifest.docsDir === current.docsDir;
  if (manifest.fingerprint === current.fingerprint) return { kind: 'same', isMoved: !isSameFolder };
  if (!isSameFolder) return { kind: 'other-folder', builtFrom: manifest.docsDir, given: current.docsDir };
  const before = manifest.files;
  const now = current.files;
  return {
    kind: 'changed',
    docsDir: current.docsDir,
    added: Object.keys(now).filter((file) => !(file in before)).sort(),
    changed: Object.keys(now).filter((file) => file in before && before[file] !== now[file]).sort(),
    removed: Object.keys(before).filter((file) => !(file in now)).sort(),
  };
}

function listSome(files, limit = 3) {
  const shown = files.slice(0, limit).join(', ');
  return files.length > limit ? `${shown} and ${files.length - limit} more` : shown;
}

/** One phrase for what changed: "2 changed (a.mdx, b.mdx), 1 added (c.mdx)". */
export function describeDocsChanges({ added, changed, removed }) {
  return [
    [changed, 'changed'],
    [added, 'added'],
    [removed, 'removed'],
  ]
    .filter(([files]) => files.length > 0)
    .map(([files, what]) => `${files.length} ${what} (${listSome(files)})`)
    .join(', ');
}

const FIX = 'Run `npm run build` with this DOCS_DIR, then `next start`; or `npm start`, which rebuilds when the docs differ.';

/**
 * The one line a server prints when it refuses to serve `comparison`, or null when it may serve. Only the
 * same pages may be served: any other difference means search results linking to pages the build lacks.
 */
export function describeDocsMismatch(comparison, { folderExists = true } = {}) {
  switch (comparison.kind) {
    case 'same':
      return null;
    case 'unrecorded':
      return `Docs build mismatch: this build does not record which docs it was made from (it predates that check). ${FIX}`;
    case 'other-folder':
      return `Docs build mismatch: DOCS_DIR is ${comparison.given}${folderExists ? '' : ' (which does not exist)'} but this build was made from ${comparison.builtFrom}. ${FIX}`;
    case 'changed':
      return `Docs build mismatch: the pages in DOCS_DIR ${comparison.docsDir} changed since this build: ${describeDocsChanges(comparison)}. ${FIX}`;
  }
}

/**
 * Why `npm start` must build first, or null when the build can be served as it is. `audienceRules`: the rules the
 * build recorded (undefined: it recorded none) and the ones DOCS_AUDIENCES says now.
 */
export function reasonToRebuild({ hasBuild, changedSources, comparison, audienceRules }) {
  if (!hasBuild) return 'No production build yet';
  if (changedSources.length > 0) return `Sources changed since the last build (${listSome(changedSources)})`;
  switch (comparison.kind) {
    case 'unrecorded':
      return 'The last build does not record which docs it was made from';
    case 'other-folder':
      return `DOCS_DIR is ${comparison.given} but the last build was made from ${comparison.builtFrom}`;
    case 'changed':
      return `The docs changed since the last build: ${describeDocsChanges(comparison)}`;
    case 'same':
      // The same pages in another folder: rebuild all the same, so that the build names the folder in use.
      if (comparison.isMoved) return 'DOCS_DIR points to another folder than the last build (with the same pages)';
      if (audienceRules && audienceRules.builtWith === undefined) return 'The last build does not record the audience rules it was made with';
      if (audienceRules && audienceRules.builtWith !== audienceRules.given) return 'DOCS_AUDIENCES changed since the last build';
      return null;
  }
}
