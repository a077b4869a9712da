import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { createTestDb } from '../helpers/pglite-template';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Other frameworks' docs folders, as their authors wrote them (tests/fixtures/frameworks), indexed with
// DOCS_BASE_URL: their own syntax read, and sources linking to where each page is published.

const FIXTURES = path.resolve('tests/fixtures/frameworks');
let db: TDb;

beforeEach(async () => {
  db = await createTestDb();
});
afterEach(async () => {
  await db.close();
});

const search = async (prompt: string) =>
  (await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log: createLogger({ level: 'silent' }), embedder: null }, prompt, source: 'site' })).results;

describe('framework folders with DOCS_BASE_URL', () => {
  it('Docusaurus: id, slug, number prefixes, :::admonitions, tabs and {#ids} → links to the published pages', async () => {
    const report = await indexDocs({ db, docsDir: path.join(FIXTURES, 'docusaurus/docs'), published: { baseUrl: 'https://gizmo.example/docs/', suffix: '' } });
    expect(report.failed).toEqual([]);
    expect(report.warnings).toEqual([]);
    const intro = await listDocsSectionsByPath({ db, path: '01-intro.md' });
    expect(intro.map((section) => section.anchor)).toEqual(['', 'install']);
    expect(intro[1]?.content).toContain('Tip: Before you begin');
    expect(intro[1]?.content).toContain('Node 20 or newer');
    expect(intro[1]?.content).toContain('npm install gizmo-cli');
    expect(intro[1]?.heading).toBe('Install the CLI');

    expect((await search('gizmo token node'))[0]?.url).toBe('https://gizmo.example/docs/getting-started#install');
    const [rotation] = await search('quartzite key revoked');
    expect(rotation?.url).toBe('https://gizmo.example/docs/key-rotation#schedule');
    expect(rotation?.content).toContain('Warning:');
    expect(rotation?.content).toContain('Yarn');
  });

  it('MkDocs: !!! and ??? admonitions with indented bodies, === tabs, directory URLs', async () => {
    await indexDocs({ db, docsDir: path.join(FIXTURES, 'mkdocs/docs'), published: { baseUrl: 'https://lantern.example', suffix: '/' } });
    const sections = await listDocsSectionsByPath({ db, path: 'setup/configure.md' });
    expect(sections).toHaveLength(1);
    const [section] = sections;
    expect(section?.anchor).toBe('brightness');
    expect(section?.content).toContain('Note: Lumen ceiling');
    expect(section?.content).toContain('```yaml\nbrightness: 900\n```');
    expect(section?.content).toContain('Linux');
    expect(section?.content).toContain('Install the tangerine package with brew.');
    expect(section?.content).toContain('marmalade oil');
    expect((await search('nine hundred lumens'))[0]?.url).toBe('https://lantern.example/setup/configure/#brightness');
    expect((await search('dashboards lantern'))[0]?.url).toBe('https://lantern.example/');
  });

  it('VitePress: ::: containers with titles, code groups, .html pages', async () => {
    await indexDocs({ db, docsDir: path.join(FIXTURES, 'vitepress'), published: { baseUrl: 'https://ferry.example', suffix: '.html' } });
    const [hit] = await search('saffron pier');
    expect(hit?.url).toBe('https://ferry.example/guide/what-is-ferry.html#routing');
    expect(hit?.content).toContain('Info: Harbour rules');
    expect(hit?.content).toContain('npm add ferry');
    expect(hit?.content).not.toContain(':::');
  });

  it('Nextra (MDX components, tabs) and plain Markdown (README as the folder page)', async () => {
    await indexDocs({ db, docsDir: path.join(FIXTURES, 'nextra/pages'), published: { baseUrl: 'https://nextra.example', suffix: '' } });
    const [theme] = await search('nightfall palette sunset');
    expect(theme?.url).toBe('https://nextra.example/features/themes#dark-mode');
    expect(theme?.content).toContain('pnpm add nextra-theme-docs');

    await indexDocs({ db, docsDir: path.join(FIXTURES, 'plain'), published: { baseUrl: 'https://notes.example/wiki', suffix: '' } });
    expect((await search('owls counted dusk'))[0]?.url).toBe('https://notes.example/wiki/notes#observing-owls');
  });

  it('without DOCS_BASE_URL the same folder links to this site, and moving the site re-indexes every page', async () => {
    const docsDir = path.join(FIXTURES, 'docusaurus/docs');
    await indexDocs({ db, docsDir });
    expect((await search('gizmo token node'))[0]?.url).toBe('/docs/01-intro#install');
    const moved = await indexDocs({ db, docsDir, published: { baseUrl: 'https://gizmo.example', suffix: '' } });
    expect(moved.indexed).toHaveLength(2);
    expect((await search('gizmo token node'))[0]?.url).toBe('https://gizmo.example/getting-started#install');
  });
});
