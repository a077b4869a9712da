import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import { writeSettledDocsFile } from '../helpers/rank-docs-folder';
import type { TDb } from '@/lib/db/types';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// A page's partials (lib/docs/folder/partials.ts) indexed as the page shows them, on a real database (PGlite): the
// partial's section is the importing page's, no partial is a page, and an edit to a partial re-indexes the pages that
// import it though their own files did not change (lib/docs/index/file-checksums.ts remembers the partials' stats).

let db: TDb;
let dir: string;
const write = (relativePath: string, source: string) => writeSettledDocsFile(dir, relativePath, source);

beforeAll(async () => {
  db = await createTestDb();
  dir = makeTempDir('docs-partials-index-');
  write('settings/_scriptShell.mdx', '### scriptShell\n\nThe shell to use for scripts run with the run command.\n');
  write('settings/other.md', "---\ntitle: Other settings\n---\n\n### ci\n\nWhether this runs in CI.\n\nimport ScriptShell from './_scriptShell.mdx'\n\n<ScriptShell />\n");
  write('cli/run.md', "---\ntitle: run\n---\n\n## Options\n\nimport ScriptShell from '../settings/_scriptShell.mdx'\n\n<ScriptShell />\n");
  write('index.md', '# Home\n\nWelcome.\n');
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a docs folder whose pages import partials', () => {
  it('indexes the partial on each page that imports it, and no partial as a page', async () => {
    const report = await indexDocs({ db, docsDir: dir });
    expect(report).toMatchObject({ pages: 3, read: 3 });
    expect(report.indexed.sort()).toEqual(['cli/run.md', 'index.md', 'settings/other.md']);
    const other = await listDocsSectionsByPath({ db, path: 'settings/other.md' });
    expect(other.map((section) => section.heading)).toEqual(expect.arrayContaining(['ci', 'scriptShell']));
    expect(other.find((section) => section.heading === 'scriptShell')?.content).toContain('The shell to use for scripts');
    expect((await listDocsSectionsByPath({ db, path: 'cli/run.md' })).some((section) => section.content.includes('The shell to use'))).toBe(true);
    expect(await listDocsSectionsByPath({ db, path: 'settings/_scriptShell.mdx' })).toEqual([]);
  });

  it('re-indexes the pages that import a partial when only the partial changed', async () => {
    expect(await indexDocs({ db, docsDir: dir })).toMatchObject({ read: 0, indexed: [] });
    write('settings/_scriptShell.mdx', '### scriptShell\n\nThe shell to use for scripts, for instance Git Bash on Windows.\n');
    const changed = await indexDocs({ db, docsDir: dir });
    expect(changed.indexed.sort()).toEqual(['cli/run.md', 'settings/other.md']);
    const other = await listDocsSectionsByPath({ db, path: 'settings/other.md' });
    expect(other.find((section) => section.heading === 'scriptShell')?.content).toContain('Git Bash on Windows');
    expect(await indexDocs({ db, docsDir: dir })).toMatchObject({ read: 0, indexed: [] });
  });
});
