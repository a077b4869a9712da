import { readFileSync } from 'node:fs';
import path from 'node:path';

export type TDocFile = { path: string; slug: string; source: string };

// The walk is shared with the build tooling, which fingerprints the same files (files.mjs).
export { listDocFiles } from './files.mjs';

const DOC_EXTENSIONS = /\.(md|mdx)$/i;

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
