import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TConfig } from '@/lib/config';
import { upsertDocsPagesByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind, listDocsSourcesStatus, recordDocsSourceSync } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { createDocsSources, SOURCE_KINDS } from '@/lib/docs/sources';
import { createFolderSource } from '@/lib/docs/sources/single-kinds';
import { pruneUnconfiguredSources } from '@/lib/docs/sources/prune';
import { createLogger } from '@/lib/log';
import { FIXTURE_DOCS_DIR } from '../helpers/app';
import { createTestDb } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';

// The sources seam: the registry builds one source per configured kind, each page records its kind, and the
// index and prune know a kind only as that label (a page of another kind is never the folder's, whatever its path).

let db: TDb;
const log = createLogger({ level: 'silent' });
const deps = () => ({ db, log, embedder: null });
const CRAWL = { urls: ['https://docs.example.test/'], intervalMinutes: 60, contentSelector: null, maxPages: 10, concurrency: 1, timeoutMs: 1000, maxPageBytes: 100_000 };
const sourcesConfig = (docsSources: Partial<TConfig['docsSources']>): Pick<TConfig, 'docsDir' | 'docsSources'> => ({
  docsDir: FIXTURE_DOCS_DIR,
  docsSources: { isDirIndexed: true, published: null, crawl: null, github: null, ...docsSources },
});
/** A page of a kind the registry does not have (as a GitHub source's would be), whose path is no URL. */
const otherKindPage = { path: 'github/issues/42', kind: 'github', slug: 'https://github.example/issues/42', title: 'Issue 42', description: '', checksum: 'x', warnings: [], sections: [] };

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe('the sources seam', () => {
  it('the registry builds one source per configured kind, from the configuration alone', () => {
    expect(SOURCE_KINDS.map((kind) => kind.kind)).toEqual(['folder', 'crawl', 'github', 'openapi', 'answer', 'code']);
    // The maintainers' answers live in our own database: always configured.
    expect(createDocsSources(sourcesConfig({})).map((source) => source.kind)).toEqual(['folder', 'answer']);
    expect(createDocsSources(sourcesConfig({ crawl: CRAWL })).map((source) => [source.kind, source.sync?.everySeconds ?? null])).toEqual([
      ['folder', null],
      ['crawl', 3600],
      ['answer', 900],
    ]);
    expect(createDocsSources(sourcesConfig({ isDirIndexed: false, crawl: CRAWL })).map((source) => source.kind)).toEqual(['crawl', 'answer']);
  });

  it('the folder records its pages as its kind, lists the ids it still has, and leaves other kinds’ pages alone', async () => {
    await upsertDocsPagesByPath({ db, pages: [otherKindPage] });
    const folder = createFolderSource({ docsDir: FIXTURE_DOCS_DIR, published: null });
    const report = await folder.load(deps());
    const ids = await folder.listIds(deps());
    expect(Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'folder' })).sort()).toEqual([...ids].sort());
    expect(report.removed).toEqual([]);
    expect(Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'github' }))).toEqual(['github/issues/42']);
    const kinds = (await querySql<{ source_kind: string; pages: number }>(db, 'select source_kind, count(*)::int as pages from docs_page group by 1 order by 1')).rows;
    expect(kinds).toEqual([
      { source_kind: 'folder', pages: ids.length },
      { source_kind: 'github', pages: 1 },
    ]);

    // Its run is recorded in its own state row (no lease: every instance loads it at start).
    await recordDocsSourceSync({ db, kind: 'folder', report: folder.summarise({ result: report }) });
    expect(await listDocsSourcesStatus({ db })).toEqual([
      { kind: 'folder', pages: ids.length, sections: expect.any(Number), failed: 0, lastRun: expect.any(String), nextRun: null, lastError: null },
      { kind: 'github', pages: 1, sections: 0, failed: 0, lastRun: null, nextRun: null, lastError: null },
    ]);
  });

  it('at start, pages of kinds not configured leave the index, by kind', async () => {
    const folderPages = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'folder' })).length;
    expect(await pruneUnconfiguredSources({ db, config: sourcesConfig({}) })).toEqual({ removed: { github: 1 }, changed: [] });
    expect(Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'folder' }))).toHaveLength(folderPages);
    expect(await pruneUnconfiguredSources({ db, config: sourcesConfig({ isDirIndexed: false, crawl: CRAWL }) })).toEqual({
      removed: { folder: folderPages },
      changed: ['crawl'],
    });
    expect(await listDocsPageChecksumsByKind({ db, kind: 'folder' })).toEqual({});
  });
});
