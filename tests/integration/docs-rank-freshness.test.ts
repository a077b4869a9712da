import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb } from '@/lib/db/pglite';
import type { TDb } from '@/lib/db/types';
import { setDocsVocabularyStatus } from '@/lib/db/docs-vocabulary';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { rankDocsSections, VERSION_CHECK_MS } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The in-memory ranking index reads the stored docs version at most every VERSION_CHECK_MS, not on every search.
// Another instance on the same database is modelled by a second handle on the same PGlite: a separate object, so
// it shares the data but none of this process's per-handle state (its index, its version reads, its changes).
// What holds: a change made through a handle is searched at once through it; one made by the other instance is
// searched within VERSION_CHECK_MS; searches in between do not each ask for the version.

let db: TDb & { pg: unknown };
let dir: string;
let versionReads = 0;
/** This instance: counts its reads of the stored version. */
let here: TDb;
/** Another instance on the same database. */
let there: TDb;

const write = (relativePath: string, source: string) => {
  mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
  writeFileSync(path.join(dir, relativePath), source);
};
const paths = async (handle: TDb, query: string) => (await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query, limit: 5 })).map((hit) => hit.path);

beforeAll(async () => {
  db = await createPgliteDb({ dataDir: 'memory://' });
  here = {
    ...db,
    rpc: (name, args) => {
      if (name === 'get_docs_search_version') versionReads += 1;
      return db.rpc(name, args);
    },
  };
  there = { ...db };
  dir = makeTempDir('docs-freshness-');
  write('index.md', '# Home\n\nWelcome to the widget docs.\n');
  write('limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create fifty widgets.\n');
  await indexDocs({ db: there, docsDir: dir });
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the ranking index across instances', () => {
  it('asks for the stored version once for a run of searches, not once per search', async () => {
    expect(await paths(here, 'fifty widgets')).toContain('limits.md');
    const before = versionReads;
    const startedAt = performance.now();
    for (let search = 0; search < 10; search += 1) expect(await paths(here, 'widgets')).toContain('limits.md');
    // At most one read per VERSION_CHECK_MS (however slow the machine), never one per search.
    const allowed = 1 + Math.floor((performance.now() - startedAt) / VERSION_CHECK_MS);
    expect(versionReads - before).toBeLessThanOrEqual(allowed);
  });

  it("searches another instance's re-index within VERSION_CHECK_MS", async () => {
    expect(await paths(here, 'ninety zorblats')).not.toContain('limits.md');
    write('limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create ninety zorblats.\n');
    expect((await indexDocs({ db: there, docsDir: dir })).indexed).toEqual(['limits.md']);
    await new Promise((resolve) => setTimeout(resolve, VERSION_CHECK_MS + 50));
    expect(await paths(here, 'ninety zorblats')).toContain('limits.md');
    expect(await paths(there, 'ninety zorblats')).toContain('limits.md');
  });

  it('searches its own re-index and its own vocabulary decisions at once', async () => {
    // This instance read the version just now: without counting its own changes, it would keep the old index
    // for up to VERSION_CHECK_MS.
    expect(await paths(here, 'zorblats')).toContain('limits.md');
    write('limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create seven frindles.\n');
    expect((await indexDocs({ db: here, docsDir: dir })).indexed).toEqual(['limits.md']);
    expect(await paths(here, 'seven frindles')).toContain('limits.md');

    expect(await paths(here, 'quuxlet')).toEqual([]);
    await setDocsVocabularyStatus({ db: here, word: 'quuxlet', path: 'limits.md', status: 'approved' });
    expect(await paths(here, 'quuxlet')).toEqual(['limits.md']);
  });
});
