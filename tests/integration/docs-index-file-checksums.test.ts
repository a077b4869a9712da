import { appendFileSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import type { TDb } from '@/lib/db/types';
import { RACY_MS } from '@/lib/docs/index/file-checksums';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// Re-indexing reads and hashes only the files whose stat changed since this process read them
// (lib/docs/index/file-checksums.ts), on a real database (PGlite): a changed file is always found, a file written
// just before it was read is read again, and what was read for one database is not taken for another's.

let db: TDb;
let dir: string;
const FILES = ['index.md', 'guides/webhooks.md', 'guides/limits.md'];
const write = (relativePath: string, source: string) => {
  mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
  writeFileSync(path.join(dir, relativePath), source);
};
/** Sets a file's access and modification times `offsetMs` from now. */
const touch = (relativePath: string, offsetMs: number) => {
  const at = new Date(Date.now() + offsetMs);
  utimesSync(path.join(dir, relativePath), at, at);
};
/** A minute back: long enough before any read that the file's stat can be trusted. */
const settle = (relativePath: string) => touch(relativePath, -60_000);
/** An hour ahead: every read in this file is within RACY_MS of it (racy), however slow the machine. */
const ahead = (relativePath: string) => touch(relativePath, 3_600_000);

beforeAll(async () => {
  db = await createTestDb();
  dir = makeTempDir('docs-file-checksums-');
  write('index.md', '# Home\n\nWelcome to the widget docs.\n');
  write('guides/webhooks.md', '---\ntitle: Webhooks\n---\n\n## Signing secret\n\nVerify the signature header of every webhook.\n');
  write('guides/limits.md', '---\ntitle: Limits\n---\n\n## Quotas\n\nEach account may create fifty widgets.\n');
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('re-indexing a folder', () => {
  it('reads again only the files changed since they were read', async () => {
    for (const file of FILES) settle(file);
    const first = await indexDocs({ db, docsDir: dir });
    expect(first).toMatchObject({ pages: 3, read: 3 });
    expect(first.indexed.sort()).toEqual([...FILES].sort());

    const again = await indexDocs({ db, docsDir: dir });
    expect(again).toMatchObject({ pages: 3, read: 0, unchanged: 3, indexed: [] });

    appendFileSync(path.join(dir, 'guides/limits.md'), '\nA quokkafrobnicator counts as two widgets.\n');
    settle('guides/limits.md');
    const changed = await indexDocs({ db, docsDir: dir });
    expect(changed).toMatchObject({ read: 1, unchanged: 2, indexed: ['guides/limits.md'] });
  });

  it('finds a change of the same size, and reads again a file written just before it was read', async () => {
    // Same length, other text, the old modification time put back: the inode's change time still differs.
    const before = statSync(path.join(dir, 'index.md'));
    write('index.md', '# Home\n\nWelcome to the gadget docs.\n');
    utimesSync(path.join(dir, 'index.md'), before.atime, before.mtime);
    expect(statSync(path.join(dir, 'index.md')).mtimeMs).toBe(before.mtimeMs);
    const sameSize = await indexDocs({ db, docsDir: dir });
    expect(sameSize).toMatchObject({ read: 1, indexed: ['index.md'] });

    // Modified within RACY_MS of the read, its stat might not show a second write in the same tick. The modification
    // time is put an hour ahead, so that it stays within the window however slowly a loaded machine gets to the reads.
    write('guides/webhooks.md', '---\ntitle: Webhooks\n---\n\n## Signing secret\n\nVerify the signature header of each webhook.\n');
    ahead('guides/webhooks.md');
    const fresh = await indexDocs({ db, docsDir: dir });
    expect(fresh).toMatchObject({ read: 1, indexed: ['guides/webhooks.md'] });
    const still = await indexDocs({ db, docsDir: dir });
    expect(still).toMatchObject({ read: 1, indexed: [] });
    expect(RACY_MS).toBeGreaterThan(0);
  });

  it('reads every file for another database, which has not indexed them', async () => {
    const other = await createTestDb();
    try {
      const report = await indexDocs({ db: other, docsDir: dir });
      expect(report).toMatchObject({ pages: 3, read: 3 });
      expect(report.indexed.sort()).toEqual([...FILES].sort());
      expect(await indexDocs({ db: other, docsDir: dir })).toMatchObject({ read: 1, indexed: [] });
    } finally {
      await other.close();
    }
  });
});
