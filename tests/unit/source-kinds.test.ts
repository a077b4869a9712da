import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A source kind owns its insides (CODE_STYLE.md, "Adding a source kind"): its folder under lib/docs/sources/ is
// imported only from lib/docs/sources/ (the registry, index.ts, and the kinds' shared plumbing). What the rest of
// the app needs of the docs comes from modules of their own: the docs folder the site renders (lib/docs/folder),
// GitHub's client (lib/github), the registry (SOURCE_KINDS) for the API reference pages. Scripts and tests that
// exercise one kind (its benches, its evaluation sets, its own tests) may import it: they are that kind's.

const ROOT = path.resolve(__dirname, '../..');
const SOURCES = 'lib/docs/sources';
const APP_DIRS = ['lib', 'pages', 'components'];
const APP_FILES = ['next.config.mjs', 'instrumentation.ts', 'middleware.ts'];
const CODE = /\.(ts|tsx|mts|mjs|js)$/;

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return walk(file);
    return CODE.test(entry.name) ? [file] : [];
  });
}

const kinds = readdirSync(path.join(ROOT, SOURCES), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The kind folder an import specifier of `file` points into, or null. */
function kindImported(file: string, specifier: string): string | null {
  const target = specifier.startsWith('@/')
    ? specifier.slice(2)
    : specifier.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
      : null;
  if (target === null) return null;
  const kind = kinds.find((name) => target === `${SOURCES}/${name}` || target.startsWith(`${SOURCES}/${name}/`));
  return kind ?? null;
}

/** `file → specifier` for every import of a kind's folder from outside lib/docs/sources/. */
function kindImportsOutsideSources(files: readonly string[], read: (file: string) => string): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (file.startsWith(`${SOURCES}/`)) continue;
    for (const match of read(file).matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const specifier = match[1] ?? '';
      if (kindImported(file, specifier)) found.push(`${file} → ${specifier}`);
    }
  }
  return found;
}

describe('source kinds stay in their folders', () => {
  it('knows the kinds', () => {
    expect(kinds).toEqual(expect.arrayContaining(['answers', 'crawl', 'folder', 'github', 'openapi']));
  });

  it('no file of the app outside lib/docs/sources/ imports a kind’s folder', () => {
    const files = [...APP_DIRS.flatMap(walk), ...APP_FILES.filter((file) => existsSync(path.join(ROOT, file)))];
    expect(files.length).toBeGreaterThan(300);
    expect(kindImportsOutsideSources(files, (file) => readFileSync(path.join(ROOT, file), 'utf8'))).toEqual([]);
  });

  it('sees such an import, relative or aliased, static or dynamic', () => {
    const texts: Record<string, string> = {
      'lib/docs/site/pages.ts': "import { docUrl } from '../sources/folder/load';",
      'pages/docs/x.tsx': "import { createGithubSource } from '@/lib/docs/sources/github';",
      'lib/mcp/y.ts': "const { crawlDocs } = await import('../docs/sources/crawl/crawler');",
      'lib/docs/sources/openapi/page.ts': "import { docUrl } from '../../folder/load';",
      'lib/docs/search/z.ts': "import { SOURCE_KINDS } from '../sources';",
    };
    expect(kindImportsOutsideSources(Object.keys(texts), (file) => texts[file] ?? '')).toEqual([
      'lib/docs/site/pages.ts → ../sources/folder/load',
      'pages/docs/x.tsx → @/lib/docs/sources/github',
      'lib/mcp/y.ts → ../docs/sources/crawl/crawler',
    ]);
  });
});
