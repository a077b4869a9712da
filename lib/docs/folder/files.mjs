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
  // Hugo's `_index.md` is a section's own page, not a partial.
  return name.startsWith('_') && isDocFile(name) && !/^_index\.mdx?$/i.test(name);
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

/** Every docs page: each .md / .mdx file under `docsDir` that is no partial. */
export function listDocFiles(docsDir) {
  return walkDocsFolder(docsDir, (name) => isDocFile(name) && !isPartialFile(name));
}

/** Every partial under `docsDir` (isPartialFile): what the built pages are made from besides the pages. */
export function listPartialFiles(docsDir) {
  return walkDocsFolder(docsDir, isPartialFile);
}
