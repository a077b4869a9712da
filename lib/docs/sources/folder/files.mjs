// Which files are docs pages, and where DOCS_DIR points. Plain JavaScript (typed by files.d.mts) because the
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

/** Every .md / .mdx file under `docsDir`, any depth, with its path relative to docsDir ('/'-separated, sorted). */
export function listDocFiles(docsDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && isDocFile(entry.name)) files.push(path.relative(docsDir, full).split(path.sep).join('/'));
    }
  };
  walk(docsDir);
  return files.sort();
}
