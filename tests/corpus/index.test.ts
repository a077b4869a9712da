import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import type { TDb } from '@/lib/db/types';
import { indexDocs, type TIndexReport } from '@/lib/docs/sources/single-kinds';
import { getDocPageSlugs, listDocFiles, readDocFile } from '@/lib/docs/folder/load';
import { renderDoc } from '@/lib/docs/site/render';
import { PASTE_CORPUS_DIR } from '../helpers/corpus.mts';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

describe('the Paste corpus', () => {
  let db: TDb;
  let report: TIndexReport;
  const docsDir = PASTE_CORPUS_DIR;

  beforeAll(async () => {
    db = await createTestDb();
    report = await indexDocs({ db, docsDir });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('indexes every page, dropping none', () => {
    const files = listDocFiles(docsDir);
    expect(files.filter((file) => file.endsWith('.mdx')).length).toBeGreaterThanOrEqual(367);
    expect(report.failed).toEqual([]);
    expect(report.indexed.length).toBe(files.length);
    expect(report.sections).toBeGreaterThan(1500);
  });

  it('finds the primary button guidelines first, linked to their heading, and the anchor exists on the page', async () => {
    const [top] = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'how do I make a primary button', limit: 5 });
    expect(top).toMatchObject({ path: 'components/button/index.mdx', slug: 'components/button', anchor: 'primary-button' });
    const rendered = renderDoc({ source: readDocFile(docsDir, 'components/button/index.mdx').source, path: 'components/button/index.mdx', pageSlugs: getDocPageSlugs(docsDir) });
    expect(rendered.toc.map((entry) => entry.id)).toContain(top?.anchor);
  });

  it('keeps the code of live examples searchable', async () => {
    const hits = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'destructive_secondary', limit: 5 });
    expect(hits.map((hit) => hit.path)).toContain('components/button/index.mdx');
    expect(hits.find((hit) => hit.path === 'components/button/index.mdx')?.content).toContain('variant="destructive_secondary"');
  });

  it('renders every page without throwing', () => {
    for (const file of listDocFiles(docsDir)) {
      expect(() => renderDoc({ source: readDocFile(docsDir, file).source, path: file, pageSlugs: getDocPageSlugs(docsDir) }), file).not.toThrow();
    }
  });
});
