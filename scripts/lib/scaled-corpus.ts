import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir';

// The Paste corpus N times over, for `npm run bench:scale -- --copies N`: copy 0 is the corpus as it is, copy k
// has every page under `<first folder>/copy-k/…` (a root page under `copy-k/`), so that each copy is a distinct
// set of pages with distinct paths while a page keeps its first folder (blog/ stays a blog: lib/relevance/page-kind.ts)
// and its sibling tabs (api.mdx beside index.mdx). Made in a temp folder, removed when the process ends; never
// in the repository.

/** A temp folder holding `copies` copies of `docsDir`; returns its path. */
export function makeScaledCorpus(docsDir: string, copies: number): string {
  const root = makeTempDir(`scaled-corpus-x${copies}-`);
  for (let copy = 0; copy < copies; copy += 1) {
    for (const entry of readdirSync(docsDir)) {
      const from = path.join(docsDir, entry);
      if (copy === 0) {
        cpSync(from, path.join(root, entry), { recursive: true });
        continue;
      }
      const tag = `copy-${copy}`;
      const to = statSync(from).isDirectory() ? path.join(root, entry, tag) : path.join(root, tag, entry);
      cpSync(from, to, { recursive: true });
    }
  }
  return root;
}
