import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { docToMarkdown } from '@/lib/docs/agents/markdown';
import { getDocPageSlugs, readDocFile } from '@/lib/docs/folder/load';
import { makeTempDir } from './temp-dir';

// A docs folder's pages as Markdown for VitePress (each page's Markdown twin, lib/docs/agents/markdown.ts), in the
// same folders, for the benches that crawl a built site (bench:crawl, bench:scale --crawl). `{{` is broken up so
// that Vue does not read it.

/** Writes the twins of `pages` (paths in `docsDir`) into a temp folder; `pageOf`: each page's URL path → its file. */
export function writeMarkdownTwins(docsDir: string, pages: string[]): { dir: string; pageOf: Map<string, string> } {
  const dir = makeTempDir('paste-crawl-md-');
  const pageSlugs = getDocPageSlugs(docsDir);
  const pageOf = new Map<string, string>();
  for (const relativePath of pages) {
    const file = readDocFile(docsDir, relativePath);
    let markdown: string;
    try {
      markdown = docToMarkdown({ source: file.source, path: relativePath, pageUrl: `http://site.invalid/${file.slug}`, pageSlugs });
    } catch {
      continue;
    }
    const target = relativePath.replace(/\.mdx?$/i, '.md');
    mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
    writeFileSync(path.join(dir, target), markdown.replace(/\{\{/g, '{\u200b{').replace(/\}\}/g, '}\u200b}'));
    // The URL VitePress publishes the page at (without cleanUrls): `index.md` is its folder.
    const urlPath = target.endsWith('index.md') ? `/${target.slice(0, -'index.md'.length)}` : `/${target.replace(/\.md$/, '.html')}`;
    pageOf.set(urlPath, relativePath);
  }
  return { dir, pageOf };
}
