import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type TDocFile = { path: string; slug: string; source: string };

const DOC_EXTENSIONS = /\.(md|mdx)$/i;

/** Every .md / .mdx file under `docsDir`, any depth, with its path relative to docsDir. */
export function listDocFiles(docsDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && DOC_EXTENSIONS.test(entry.name)) files.push(path.relative(docsDir, full).split(path.sep).join('/'));
    }
  };
  walk(docsDir);
  return files.sort();
}

/** `guides/setup.mdx` → `guides/setup`; `guides/index.mdx` → `guides`; the root index → ``. */
export function slugFromPath(relativePath: string): string {
  const withoutExtension = relativePath.replace(DOC_EXTENSIONS, '');
  return withoutExtension === 'index' ? '' : withoutExtension.replace(/\/index$/, '');
}

export function docUrl(slug: string, anchor?: string): string {
  const base = slug === '' ? '/docs' : `/docs/${slug}`;
  return anchor ? `${base}#${anchor}` : base;
}

export function readDocFile(docsDir: string, relativePath: string): TDocFile {
  return { path: relativePath, slug: slugFromPath(relativePath), source: readFileSync(path.join(docsDir, relativePath), 'utf8') };
}
