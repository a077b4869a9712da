import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import { getDocsIndexStats, listDocsSectionsByPath, listDocsSectionsForRanking } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Incremental re-indexing on a real Postgres (PGlite): changed pages only, deletions, and parse failures that
// keep the previous sections.

let db: TDb;
let dir: string;
const write = (relativePath: string, source: string) => {
  mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
  writeFileSync(path.join(dir, relativePath), source);
};
const topPaths = async (query: string) => (await rankDocsSections({ access: MAINTAINER_ACCESS, db, query, limit: 5 })).map((hit) => `${hit.path}#${hit.anchor}`);

beforeAll(async () => {
  db = await createTestDb();
  dir = makeTempDir('docs-index-');
  write('index.md', '# Home\n\nWelcome to the widget docs.\n');
  write('guides/webhooks.mdx', "export const meta = {title: 'Webhooks'};\n\n## Signing secret\n\nVerify the signature header of every webhook.\n");
  write('guides/deep/nested/limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create fifty widgets.\n');
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('indexDocs', () => {
  it('indexes MD and MDX at any depth, then touches nothing when nothing changed', async () => {
    const first = await indexDocs({ db, docsDir: dir });
    expect(first.indexed.sort()).toEqual(['guides/deep/nested/limits.md', 'guides/webhooks.mdx', 'index.md']);
    expect(first.failed).toEqual([]);
    expect(await getDocsIndexStats({ db })).toMatchObject({ pages: 3, failed: 0 });

    const again = await indexDocs({ db, docsDir: dir });
    expect(again).toMatchObject({ pages: 3, indexed: [], unchanged: 3, removed: [], failed: [] });
  });

  it('re-indexes only a changed page, and its new text replaces the old', async () => {
    write('guides/deep/nested/limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create ninety gadgets.\n');
    const report = await indexDocs({ db, docsDir: dir });
    expect(report.indexed).toEqual(['guides/deep/nested/limits.md']);
    expect(report.unchanged).toBe(2);
    expect(await topPaths('ninety gadgets')).toEqual(['guides/deep/nested/limits.md#quotas']);
    expect(await topPaths('fifty widgets')).not.toContain('guides/deep/nested/limits.md#quotas');
  });

  it('keeps the previous sections of a page that fails to parse, and reports it with its reason', async () => {
    write('guides/webhooks.mdx', "export const meta = {title: 'Webhooks'};\n\n## Signing secret\n\n<Note\n\nThe tag never ends.\n");
    const report = await indexDocs({ db, docsDir: dir });
    expect(report.indexed).toEqual([]);
    expect(report.failed).toEqual([{ path: 'guides/webhooks.mdx', reason: expect.stringMatching(/line \d+:\d+/), keptSections: 1 }]);
    expect(await listDocsSectionsByPath({ db, path: 'guides/webhooks.mdx' })).toEqual([
      expect.objectContaining({ heading: 'Signing secret', content: 'Verify the signature header of every webhook.' }),
    ]);
    expect(await topPaths('signature header')).toContain('guides/webhooks.mdx#signing-secret');
    expect(await getDocsIndexStats({ db })).toMatchObject({ pages: 3, failed: 1 });

    // Still failing on the next run: reported again, never silently dropped.
    expect((await indexDocs({ db, docsDir: dir })).failed.map((failure) => failure.path)).toEqual(['guides/webhooks.mdx']);

    write('guides/webhooks.mdx', "export const meta = {title: 'Webhooks'};\n\n## Signing secret\n\nCheck the HMAC of every webhook.\n");
    const fixed = await indexDocs({ db, docsDir: dir });
    expect(fixed.indexed).toEqual(['guides/webhooks.mdx']);
    expect(await getDocsIndexStats({ db })).toMatchObject({ failed: 0 });
    expect(await topPaths('hmac')).toEqual(['guides/webhooks.mdx#signing-secret']);
  });

  it('reports a page indexed after a repair, with the repair', async () => {
    write('arrows.mdx', '## Back\n\nUse “<-- Back” links sparingly.\n');
    const report = await indexDocs({ db, docsDir: dir });
    expect(report.indexed).toEqual(['arrows.mdx']);
    expect(report.warnings).toEqual([{ path: 'arrows.mdx', warnings: [expect.stringMatching(/kept as text/)] }]);
  });

  it('reads the sections for the ranker page by page, every one once and in id order', async () => {
    const whole = await listDocsSectionsForRanking({ db, pageSize: 5000 });
    expect(whole.length).toBeGreaterThan(3);
    for (const pageSize of [1, 2, whole.length]) {
      let reads = 0;
      const counting: TDb = { ...db, rpc: async (name, args) => ((reads += name === 'list_docs_sections_for_ranking_page' ? 1 : 0), db.rpc(name, args)) };
      const paged = await listDocsSectionsForRanking({ db: counting, pageSize });
      expect(paged).toEqual(whole);
      // Page by page: a full page asks for the next, and the short (or empty) last one ends the read.
      expect(reads).toBe(Math.floor(whole.length / pageSize) + 1);
    }
    const afterFirst = await listDocsSectionsForRanking({ db, afterId: whole[0]!.id, pageSize: 2 });
    expect(afterFirst).toEqual(whole.slice(1));
    expect(whole.map((section) => section.id)).toEqual([...whole.map((section) => section.id)].sort((a, b) => a - b));
  });

  it('removes deleted pages', async () => {
    rmSync(path.join(dir, 'index.md'));
    const report = await indexDocs({ db, docsDir: dir });
    expect(report.removed).toEqual(['index.md']);
    expect(await topPaths('welcome widget docs')).not.toContain('index.md#');
    expect(await getDocsIndexStats({ db })).toMatchObject({ pages: 3 });
  });

  it('treats a missing folder as empty and removes everything', async () => {
    const report = await indexDocs({ db, docsDir: path.join(dir, 'does-not-exist') });
    expect(report.pages).toBe(0);
    expect(report.removed.sort()).toEqual(['arrows.mdx', 'guides/deep/nested/limits.md', 'guides/webhooks.mdx']);
    expect(await getDocsIndexStats({ db })).toMatchObject({ pages: 0, sections: 0 });
  });
});
