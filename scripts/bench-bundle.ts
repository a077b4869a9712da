import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { assertBuilt } from './lib/next-server';

// First-load JS of a page, as `next build` reports it: the scripts a browser downloads to show the page
// (the shared runtime, _app, the page's own chunks), read from the build output. Sizes are gzip, as served.
// Budgets guard against regressions: a little above what the pages weigh today (/assistant 243.8 KB, a docs page
// 123.5 KB). /assistant carries the whole chat; a docs page carries none of it (the side panel's code loads when
// it first opens, AssistantHost).
// A page over its budget makes the section fail.

export const BUNDLE_BUDGETS_KB: Record<string, number> = {
  '/assistant': 250,
  '/docs/[[...slug]]': 130,
};

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

export async function benchBundles(root = process.cwd()): Promise<Record<string, string>> {
  assertBuilt(root);
  const manifestPath = path.join(root, '.next', 'build-manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TBuildManifest;
  const rows: Record<string, string> = {};
  const over: string[] = [];
  for (const [page, budgetKb] of Object.entries(BUNDLE_BUDGETS_KB)) {
    if (!manifest.pages[page]) throw new Error(`${page} is not in .next/build-manifest.json`);
    const files = firstLoadFiles(manifest, page);
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const full = path.join(root, '.next', file);
      if (!existsSync(full)) throw new Error(`${file} (listed for ${page}) is missing from .next`);
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
