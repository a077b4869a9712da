import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getDocsSearchVersion,
  listDocsSectionsForRanking,
  markDocsPageFailedByPath,
  recordDocsQuery,
  setDocsSectionEmbeddings,
  upsertDocsPagesByPath,
} from '@/lib/db/docs-index';
import { setDocsVocabularyStatus } from '@/lib/db/docs-vocabulary';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createStoreDb, STORES } from '../helpers/stores';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The docs search's version (get_docs_search_version, supabase/schemas/41_docs_search.sql): a counter in one row that
// triggers on docs_section and docs_vocabulary move, so that reading it costs the same whatever the size of the docs.
// What holds, on both stores: it moves on a re-index, a removal, an approval and its revocation; it stays on a search
// and on writes the ranker does not read; concurrent writers each move it; and reading it reads no section.

/** Runs `run` in a transaction on one connection of `db` and rolls it back, whatever the store. */
async function inRolledBackTransaction<T>(db: TDb, run: (query: (sql: string) => Promise<unknown[]>) => Promise<T>): Promise<T> {
  const raw = db as unknown as { pg?: PGlite; pool?: pg.Pool };
  if (raw.pool) {
    const client = await raw.pool.connect();
    try {
      await client.query('begin');
      return await run(async (sql) => (await client.query(sql)).rows);
    } finally {
      await client.query('rollback');
      client.release();
    }
  }
  if (!raw.pg) throw new Error(`a ${db.transport} database without a raw connection`);
  let result: T | undefined;
  await raw.pg.transaction(async (tx) => {
    result = await run(async (sql) => (await tx.query(sql)).rows);
    await tx.rollback();
  });
  return result as T;
}

describe.each(STORES)('the docs search version on %s', (store) => {
  let db: TDb;
  let docsDir: string;
  const version = () => getDocsSearchVersion({ db });
  const write = (relativePath: string, source: string) => {
    mkdirSync(path.dirname(path.join(docsDir, relativePath)), { recursive: true });
    writeFileSync(path.join(docsDir, relativePath), source);
  };

  beforeAll(async () => {
    db = await createStoreDb(store);
    docsDir = makeTempDir('docs-search-version-');
    write('index.md', '# Home\n\nWelcome to the widget docs.\n');
    write('limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create fifty widgets.\n\n## Rates\n\nTen calls a second.\n');
    write('webhooks.md', '---\ntitle: Webhooks\n---\n\n## Signing\n\nVerify the signature header.\n');
    await indexDocs({ db, docsDir });
  });

  afterAll(async () => {
    await db.close();
    rmSync(docsDir, { recursive: true, force: true });
  });

  it('moves when a page is re-indexed, added or removed, and not when nothing changed', async () => {
    const indexed = await version();
    expect(indexed).toMatch(/^\d+$/);
    expect(await indexDocs({ db, docsDir })).toMatchObject({ indexed: [], removed: [] });
    expect(await version()).toBe(indexed);

    write('limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create ninety gadgets.\n');
    expect((await indexDocs({ db, docsDir })).indexed).toEqual(['limits.md']);
    const reindexed = await version();
    expect(reindexed).not.toBe(indexed);

    write('guides/new.md', '# New\n\nA page that was not there.\n');
    expect((await indexDocs({ db, docsDir })).indexed).toEqual(['guides/new.md']);
    const added = await version();
    expect(added).not.toBe(reindexed);

    rmSync(path.join(docsDir, 'guides/new.md'));
    expect((await indexDocs({ db, docsDir })).removed).toEqual(['guides/new.md']);
    expect(await version()).not.toBe(added);
  });

  it('moves on an approval, its revocation and forgetting an approved word; not on a rejection or forgetting one', async () => {
    const before = await version();
    await setDocsVocabularyStatus({ db, word: 'quota', path: 'limits.md', status: 'approved' });
    const approved = await version();
    expect(approved).not.toBe(before);

    await setDocsVocabularyStatus({ db, word: 'quota', path: 'limits.md', status: 'rejected' });
    const revoked = await version();
    expect(revoked).not.toBe(approved);

    await setDocsVocabularyStatus({ db, word: 'hmac', path: 'webhooks.md', status: 'rejected' });
    await setDocsVocabularyStatus({ db, word: 'hmac', path: 'webhooks.md', status: null });
    await setDocsVocabularyStatus({ db, word: 'quota', path: 'limits.md', status: null });
    expect(await version()).toBe(revoked);

    await setDocsVocabularyStatus({ db, word: 'throttle', path: 'limits.md', status: 'approved' });
    const again = await version();
    expect(again).not.toBe(revoked);
    await setDocsVocabularyStatus({ db, word: 'throttle', path: 'limits.md', status: null });
    expect(await version()).not.toBe(again);
  });

  it('stays on a search and on writes the ranker does not read (embeddings, a failed parse, the query log)', async () => {
    const before = await version();
    expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'ninety gadgets', limit: 3 })).map((hit) => hit.path)).toContain('limits.md');
    await recordDocsQuery({ db, query: 'ninety gadgets', resultCount: 1, source: 'site' });
    const [section] = await listDocsSectionsForRanking({ db });
    expect(await setDocsSectionEmbeddings({ db, model: 'test-model', embeddings: [{ id: Number(section?.id), embedding: [0.6, 0.8] }] })).toBe(1);
    await markDocsPageFailedByPath({ db, path: 'webhooks.md', error: 'line 1:1: a test failure' });
    // A page stored again with no sections, as it had none: no section changed.
    await upsertDocsPagesByPath({ db, pages: [{ path: 'empty.md', slug: 'empty', title: 'Empty', description: '', checksum: 'a', warnings: [], sections: [] }] });
    const emptyStored = await version();
    await upsertDocsPagesByPath({ db, pages: [{ path: 'empty.md', slug: 'empty', title: 'Empty', description: '', checksum: 'b', warnings: [], sections: [] }] });
    expect(await version()).toBe(emptyStored);
    expect(emptyStored).toBe(before);
  });

  it('is one row read: it answers with the sections and the vocabulary out of reach', async () => {
    const stored = await version();
    // The counting function read both tables; with them renamed away it failed ("relation … does not exist").
    const inside = await inRolledBackTransaction(db, async (query) => {
      await query('alter table docs_section rename to docs_section_hidden');
      await query('alter table docs_vocabulary rename to docs_vocabulary_hidden');
      return query('select get_docs_search_version() as version');
    });
    expect(inside).toEqual([{ version: stored }]);
    expect(await version()).toBe(stored);
  });

  it('counts every one of concurrent writers, and nothing of a change rolled back', async () => {
    const stored = await version();
    expect(stored).toMatch(/^\d+$/);
    const before = Number(stored);
    const words = Array.from({ length: 12 }, (_, at) => `word${at}`);
    await Promise.all(words.map((word) => setDocsVocabularyStatus({ db, word, path: 'index.md', status: 'approved' })));
    expect(Number(await version())).toBe(before + words.length);

    await inRolledBackTransaction(db, (query) => query('delete from docs_section'));
    expect(Number(await version())).toBe(before + words.length);
  });
});
