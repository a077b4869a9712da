import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readDocsClientManifest } from '../lib/docs/site/docs-client';
import { assertBuilt } from './lib/next-server';

// First-load JS of a page, read from the build output: for a page with Next's runtime, the scripts `next build`
// lists for it (the shared runtime, _app, the page's own chunks); for a docs page, which runs its own client
// instead (components/docs/client/entry.ts, built by scripts/build-docs-client.mjs), that client's entry and
// what it imports. Sizes are gzip, as served. Budgets guard against regressions: a little above what the pages
// weigh today (/assistant 243.8 KB, a docs page 80.1 KB). /assistant carries the whole chat; a docs page carries
// none of it (the side panel's code loads when it first opens, AssistantHost).
// A page over its budget makes the section fail.

export const BUNDLE_BUDGETS_KB: Record<string, number> = {
  '/assistant': 250,
  '/docs/[[...slug]]': 85,
};

/** The pages that run the docs pages' own client in a production build, not Next's runtime. */
const OWN_CLIENT_PAGES = new Set(['/docs/[[...slug]]']);

// Issue 39's goals, printed beside the budgets (a page past its goal is reported, not failed).
const GOALS_KB: Record<string, number> = { '/assistant': 250, '/docs/[[...slug]]': 100 };

type TBuildManifest = { pages: Record<string, string[]> };

export function firstLoadFiles(manifest: TBuildManifest, page: string): string[] {
  const files = new Set<string>();
  for (const file of [...(manifest.pages['/_app'] ?? []), ...(manifest.pages[page] ?? [])]) {
    if (file.endsWith('.js')) files.add(file);
  }
  return [...files];
}

/** The docs pages' own client as a page loads it: its entry and what the entry imports (paths from the project). */
function docsClientFiles(root: string): string[] {
  const manifest = readDocsClientManifest(root);
  return [manifest.entry, ...manifest.preload].map((url) => path.join('public', url));
}

export async function benchBundles(root = process.cwd()): Promise<Record<string, string>> {
  assertBuilt(root);
  const manifestPath = path.join(root, '.next', 'build-manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TBuildManifest;
  const rows: Record<string, string> = {};
  const over: string[] = [];
  for (const [page, budgetKb] of Object.entries(BUNDLE_BUDGETS_KB)) {
    if (!manifest.pages[page]) throw new Error(`${page} is not in .next/build-manifest.json`);
    const files = OWN_CLIENT_PAGES.has(page) ? docsClientFiles(root) : firstLoadFiles(manifest, page).map((file) => path.join('.next', file));
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const full = path.join(root, file);
      if (!existsSync(full)) throw new Error(`${file} (listed for ${page}) is missing`);
      const bytes = readFileSync(full);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    const gzipKb = gzip / 1024;
    if (gzipKb > budgetKb) over.push(page);
    rows[`${page} first-load JS`] =
      `${gzipKb.toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB raw, ${files.length} files) | budget ${budgetKb} KB gzip | ${gzipKb > budgetKb ? 'OVER' : 'within'} | goal ≤ ${GOALS_KB[page]} KB (issue 39): ${gzipKb <= (GOALS_KB[page] ?? Infinity) ? 'met' : 'not met'}`;
  }
  if (over.length > 0) throw new Error(`over budget: ${over.join(', ')}\n${Object.values(rows).join('\n')}`);
  return rows;
}
