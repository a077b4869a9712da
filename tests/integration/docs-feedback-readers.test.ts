import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsFeedback, recordDocsFeedback } from '@/lib/db/docs-vocabulary';
import { recordDocsPageRead } from '@/lib/db/docs-page-reads';
import type { TDb } from '@/lib/db/types';
import { createStoreDb, execSql, querySql, STORES } from '../helpers/stores';

// The SQL of readers' evidence and page reads on both stores (supabase/schemas/43_docs_vocabulary.sql,
// 45_docs_page_reads.sql): an opened result keeps the keyed hash that stands for its reader and the evidence names
// it (a row stored before readers were kept is a reader of its own); a page whose slug is another site's URL (a
// GitHub thread) is never a read of this site's /docs, even asked for by that URL.

describe.each(STORES)('docs feedback readers and page reads on %s', (store) => {
  let db: TDb;
  beforeAll(async () => {
    db = await createStoreDb(store);
    await execSql(
      db,
      `insert into docs_page (path, slug, title, checksum) values
         ('guides/buttons.mdx', 'guides/buttons', 'Buttons', 'c1'),
         ('github:acme/widgets#1', 'https://github.com/acme/widgets/issues/1', 'A thread', 'c2')
       on conflict (path) do nothing`,
    );
  });
  afterAll(() => db.close());

  it('records the reader of an opened result, and lists it with the evidence', async () => {
    expect(await recordDocsFeedback({ db, query: 'ejector button', path: 'guides/buttons.mdx', reader: 'reader-hash-a' })).toBe(true);
    expect(await recordDocsFeedback({ db, query: 'ejector', path: 'nowhere.mdx', reader: 'reader-hash-a' })).toBe(false);
    await execSql(db, `insert into docs_feedback (query, path, source) values ('old evidence', 'guides/buttons.mdx', 'open')`);
    const evidence = await listDocsFeedback({ db, limit: 10 });
    expect(evidence).toContainEqual({ query: 'ejector button', path: 'guides/buttons.mdx', source: 'open', reader: 'reader-hash-a' });
    const old = evidence.find((item) => item.query === 'old evidence');
    expect(old?.reader).toMatch(/^row:\d+$/);
  });

  it("counts reads of this site's pages only: a thread's URL under /docs is not one", async () => {
    expect(await recordDocsPageRead({ db, path: '/docs/guides/buttons' })).toBe(true);
    expect(await recordDocsPageRead({ db, path: '/docs/https://github.com/acme/widgets/issues/1' })).toBe(false);
    const rows = (await querySql<{ path: string }>(db, 'select path from docs_page_read')).rows.map((row) => row.path);
    expect(rows).toEqual(['/docs/guides/buttons']);
  });
});
