import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import { writeSettledDocsFile } from '../helpers/rank-docs-folder';
import { querySql } from '../helpers/stores';
import type { TDb } from '@/lib/db/types';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { listSitemapEntries } from '@/lib/docs/agents/sitemap';
import { readDocFile } from '@/lib/docs/folder/load';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { pageChecksum } from '@/lib/docs/sources/folder/documents';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// Hugo's _index.md indexed at its folder's URL, on a real database (PGlite): search's section URLs and the sitemap say
// /docs/guides as the page route does, and an index made when the page was served at /docs/guides/_index is brought to
// the new slug though the file did not change (its checksum then had no mark for it).

const SITE = 'https://docs.example.test';
let db: TDb;
let dir: string;
const write = (relativePath: string, source: string) => writeSettledDocsFile(dir, relativePath, source);
const slugOf = async (pagePath: string) => (await querySql<{ slug: string }>(db, 'select slug from docs_page where path = $1', [pagePath])).rows[0]?.slug;

beforeAll(async () => {
  db = await createTestDb();
  dir = makeTempDir('docs-hugo-index-');
  write('_index.md', '---\ntitle: Home\n---\n\n# Home\n\nWelcome.\n');
  write('guides/_index.md', '---\ntitle: Guides\n---\n\n# Guides\n\n## Where to start\n\nRead the setup first.\n');
  write('guides/setup.md', '---\ntitle: Setup\n---\n\n# Setup\n\nInstall it.\n');
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a Hugo docs folder's _index.md pages", () => {
  it('are indexed, and listed in the sitemap, at their folders', async () => {
    const report = await indexDocs({ db, docsDir: dir });
    expect(report.indexed.sort()).toEqual(['_index.md', 'guides/_index.md', 'guides/setup.md']);
    expect(await slugOf('guides/_index.md')).toBe('guides');
    expect(await slugOf('_index.md')).toBe('');
    const entries = await listSitemapEntries({ deps: { db, config: { docsDir: dir, siteUrl: SITE, docsSources: {} }, log: { warn: () => {} } }, access: PUBLIC_ACCESS });
    const locs = entries.map((entry) => entry.loc);
    expect(locs).toEqual(expect.arrayContaining([`${SITE}/docs`, `${SITE}/docs/guides`, `${SITE}/docs/guides/setup`]));
    expect(locs.filter((loc) => loc.includes('_index'))).toEqual([]);
  });

  it('are indexed again at their folders where an older index has them at folder/_index', async () => {
    const oldChecksum = pageChecksum(readDocFile(dir, 'guides/_index.md').source);
    await querySql(db, "update docs_page set slug = 'guides/_index', checksum = $1 where path = 'guides/_index.md'", [oldChecksum]);
    const report = await indexDocs({ db, docsDir: dir });
    expect(report.indexed).toEqual(['guides/_index.md']);
    expect(await slugOf('guides/_index.md')).toBe('guides');
    expect(await indexDocs({ db, docsDir: dir })).toMatchObject({ indexed: [] });
  });
});
