// Which files are docs pages (and which are partials that pages import), and where DOCS_DIR points. Plain JavaScript (typed by files.d.mts) because the
// build tooling shares it with the app: next.config.mjs and scripts/ensure-build.mjs run in plain Node.
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_DOCS_DIR = 'content/docs';

const DOC_EXTENSIONS = /\.(md|mdx)$/i;

/** DOCS_DIR as lib/config.ts reads it: blank means unset, relative paths are relative to `cwd`. */
export function resolveDocsDir(value, cwd) {
  const trimmed = value?.trim();
  return path.resolve(cwd, trimmed ? trimmed : DEFAULT_DOCS_DIR);
}

export function isDocFile(name) {
  return DOC_EXTENSIONS.test(name);
}

/**
 * A partial: a Markdown or MDX file whose name starts with `_`, which pages import and show where they write its tag
 * (Docusaurus, Astro and Jekyll route no such file). It is no page of its own: its text is read into each page that
 * imports it (partials.ts), and a link to it would lead nowhere on the published site.
 */
export function isPartialFile(name) {
  return name.startsWith('_') && isDocFile(name) && !isHugoIndexFile(name);
}

/**
 * Hugo's `_index.md` (or `.mdx`): a section's own page, no partial, served at its folder's URL as `index.md` is
 * (load.ts slugFromPath). Named exactly so, as `index` is: `_Index.md` is a partial.
 */
export function isHugoIndexFile(name) {
  return isDocFile(name) && name.replace(DOC_EXTENSIONS, '') === '_index';
}

/** `index.md` / `index.mdx`: the page at its folder's URL. */
function isIndexFile(name) {
  return isDocFile(name) && name.replace(DOC_EXTENSIONS, '') === 'index';
}

/** Every file under `docsDir`, any depth, that `keep` accepts by name, with its path relative to docsDir ('/'-separated, sorted). */
function walkDocsFolder(docsDir, keep) {
  const files = [];
  // Each file's relative path is its folder's, built on the way down: path.join and path.relative per file were
  // most of a walk of 36,800 files (a re-index walks the whole folder to find what changed).
  const walk = (dir, prefix) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      if (name.startsWith('.') || name === 'node_modules') continue;
      if (entry.isDirectory()) walk(`${dir}${path.sep}${name}`, `${prefix}${name}/`);
      else if (entry.isFile() && keep(name)) files.push(`${prefix}${name}`);
    }
  };
  walk(docsDir, '');
  return files.sort();
}

/**
 * Every docs page: each .md / .mdx file under `docsDir` that is no partial. A folder's `_index.md` is left out when the
 * folder has an `index.md` or `index.mdx` too: both would be served at the folder's URL, and the one a reader gets
 * must not hang on how the files sort (`_` sorts first), so the `index` file, the name every framework knows, wins.
 */
export function listDocFiles(docsDir) {
  const files = walkDocsFolder(docsDir, (name) => isDocFile(name) && !isPartialFile(name));
  // Relative paths are '/'-separated: a file's folder and name are a slice apart ('' for the docs folder itself).
  const folderOf = (file) => file.slice(0, Math.max(0, file.lastIndexOf('/')));
  const nameOf = (file) => file.slice(file.lastIndexOf('/') + 1);
  if (!files.some((file) => isHugoIndexFile(nameOf(file)))) return files;
  const foldersWithIndex = new Set(files.filter((file) => isIndexFile(nameOf(file))).map(folderOf));
  return files.filter((file) => !isHugoIndexFile(nameOf(file)) || !foldersWithIndex.has(folderOf(file)));
}

/** Every partial under `docsDir` (isPartialFile): what the built pages are made from besides the pages. */
export function listPartialFiles(docsDir) {
  return walkDocsFolder(docsDir, isPartialFile);
}
