import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb } from '@/lib/db/pglite';
import { getDocsSearchVersion, listDocsSectionsForRanking } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { RANK_INDEX_FILE, RANK_INDEX_FORMAT, serializeRankIndex } from '@/lib/docs/search/ranking/persist';
import { keptPostingsOf } from '@/lib/docs/search/ranking/saturation';
import { getRankIndex, keepRankIndexOnDisk, namesMissingFromDocs, rankDocsSections } from '@/lib/docs/search/ranking/store';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { writeDocsFile, writeSmallDocsFolder } from '../helpers/rank-docs-folder';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The ranking index kept on disk (lib/docs/search/ranking/persist.ts, store.ts). A restarted server is modelled by
// a new handle on the same database (a separate object: none of the first one's in-memory state) keeping its index
// in the same folder. What holds: the kept index is loaded, and ranks exactly as one built from the database; a
// file of other docs (a page changed since), a corrupted, truncated or older-format file is never trusted: the
// index is built from the database again, and written anew.

let db: TDb;
let docsDir: string;
let indexDir: string;

const write = (relativePath: string, source: string) => writeDocsFile(docsDir, relativePath, source);

const QUERIES = ['primary button', 'destructive action', 'webhook invoices', 'destr', 'invoces', 'colour token for a label', 'spinning'];

/** A server started on the database: a new handle keeping its index in `dir`. */
function restart(dir = indexDir): TDb {
  const handle: TDb = { ...db };
  keepRankIndexOnDisk({ db: handle, dir });
  return handle;
}

async function rankings(handle: TDb): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const query of QUERIES) out.push(await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query, limit: 5 }));
  out.push(await namesMissingFromDocs({ access: MAINTAINER_ACCESS, db: handle, query: 'Does it work with Microsoft Teams?' }));
  return out;
}

/** The index a server builds from the database now, with nothing kept on disk. */
async function freshRankings(): Promise<unknown[]> {
  return rankings({ ...db });
}

const file = () => path.join(indexDir, RANK_INDEX_FILE);

beforeAll(async () => {
  docsDir = makeTempDir('rank-persisted-docs-');
  indexDir = path.join(makeTempDir('rank-persisted-index-'), 'search');
  writeSmallDocsFolder(docsDir);
  db = await createPgliteDb({ dataDir: 'memory://' });
  await indexDocs({ db, docsDir });
});

afterAll(async () => {
  await db.close();
});

describe('the ranking index kept on disk', () => {
  it('is written by the first build, and loaded after a restart with the same rankings as a fresh build', async () => {
    const first = restart();
    const built = await getRankIndex(first);
    expect(built.origin).toBe('built');
    expect(built.reason).toBe('no file');
    await built.written;
    expect(built.writeError).toBeUndefined();
    expect(existsSync(file())).toBe(true);

    const second = restart();
    const loaded = await getRankIndex(second);
    expect(loaded.origin).toBe('disk');
    // The whole index, not only a few rankings: written again, the loaded index is byte for byte the built one.
    expect(serializeRankIndex(loaded.index, 'k').equals(serializeRankIndex(built.index, 'k'))).toBe(true);
    const expected = await freshRankings();
    expect((expected[0] as unknown[]).length).toBeGreaterThan(0);
    expect(await rankings(second)).toEqual(expected);
    // Built or loaded, the index's saturations for the default weights are worked out ahead, every posting of it.
    for (const entry of [built, loaded]) {
      await entry.warmed;
      expect(keptPostingsOf(entry.index, DEFAULT_RANK_WEIGHTS)).toBe(entry.index.compact.sections.length);
    }
  });

  it('is the same as an index built from the sections in another process (the flat arrays, serialized)', async () => {
    const loaded = await getRankIndex(restart());
    expect(loaded.origin).toBe('disk');
    const rebuilt = buildRankIndex(await listDocsSectionsForRanking({ db }));
    expect(serializeRankIndex(loaded.index, 'k').equals(serializeRankIndex(rebuilt, 'k'))).toBe(true);
  });

  it('is rebuilt, not trusted, once a page changed since it was written (only that page is indexed again)', async () => {
    await getRankIndex(restart());
    write('billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed monthly, and refunds land within a fortnight.\n');
    const report = await indexDocs({ db, docsDir });
    expect(report.indexed).toEqual(['billing.md']);
    expect(report.unchanged).toBe(4);

    const after = restart();
    const entry = await getRankIndex(after);
    expect(entry.origin).toBe('built');
    expect(entry.reason).toMatch(/stale/);
    expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db: after, query: 'fortnight refunds', limit: 3 }))[0]?.path).toBe('billing.md');
    expect(await rankings(after)).toEqual(await freshRankings());
    await entry.written;
    // Written anew for the docs as they are: the next restart loads it.
    expect((await getRankIndex(restart())).origin).toBe('disk');
  });

  it('is rebuilt, not trusted, when the file is corrupted, truncated, of another format or of other docs', async () => {
    await (await getRankIndex(restart())).written;
    const good = readFileSync(file());
    const damaged = (bytes: Buffer, reason: RegExp) => ({ bytes, reason });
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    const otherFormat = Buffer.from(good);
    otherFormat.writeUInt32LE(RANK_INDEX_FORMAT + 1, 8);
    const cases = [
      damaged(flipped, /checksum/),
      damaged(good.subarray(0, good.length - 100), /checksum/),
      damaged(good.subarray(0, 20), /not a ranking index/),
      damaged(Buffer.from('{"not":"an index"}'), /not a ranking index/),
      damaged(otherFormat, /format/),
    ];
    const expected = await freshRankings();
    for (const { bytes, reason } of cases) {
      writeFileSync(file(), bytes);
      const handle = restart();
      const entry = await getRankIndex(handle);
      expect(entry.origin).toBe('built');
      expect(entry.reason).toMatch(reason);
      expect(await rankings(handle)).toEqual(expected);
      await entry.written;
      expect(readFileSync(file()).equals(good)).toBe(true);
    }
  });

  // Two databases indexed and a restart or two: a limit with room for CI's loaded cores (66 s seen), not a speed check.
  it('is not trusted for another database whose stored version is the same (the fingerprint tells them apart)', { timeout: 180_000 }, async () => {
    // Two new databases: one of these docs, one of the same pages with other words, as many sections each, so the
    // same section ids and the same stored version.
    const otherDocs = makeTempDir('rank-persisted-other-');
    const dir = path.join(makeTempDir('rank-persisted-index-'), 'search');
    const mine = await createPgliteDb({ dataDir: 'memory://' });
    const other = await createPgliteDb({ dataDir: 'memory://' });
    try {
      await indexDocs({ db: mine, docsDir });
      const stored = await listDocsSectionsForRanking({ db: mine });
      for (const page of new Set(stored.map((section) => section.path))) {
        const count = stored.filter((section) => section.path === page).length;
        const body = Array.from({ length: count }, (_, at) => `## Part ${at + 1}\n\nOther words entirely, number ${at}.\n`).join('\n');
        writeDocsFile(otherDocs, page, `---\ntitle: Other ${page}\n---\n\n${body}`);
      }
      await indexDocs({ db: other, docsDir: otherDocs });
      expect(await getDocsSearchVersion({ db: other })).toBe(await getDocsSearchVersion({ db: mine }));
      keepRankIndexOnDisk({ db: mine, dir });
      await (await getRankIndex(mine)).written;

      keepRankIndexOnDisk({ db: other, dir });
      const entry = await getRankIndex(other);
      expect(entry.origin).toBe('built');
      expect(entry.reason).toMatch(/stale/);
      expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: other, query: 'delivered endpoint', limit: 3 })).toEqual([]);
      expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db: other, query: 'other words entirely', limit: 3 })).length).toBeGreaterThan(0);
    } finally {
      await Promise.all([mine.close(), other.close()]);
      rmSync(otherDocs, { recursive: true, force: true });
    }
  });

  it('catches up on a changed or removed page by reading only what changed, and ranks as a fresh build does', async () => {
    const calls: { name: string; args: Record<string, unknown>; result: unknown }[] = [];
    const handle: TDb = {
      ...db,
      rpc: async (name, args = {}) => {
        const result = await db.rpc(name, args);
        calls.push({ name, args, result });
        return result as never;
      },
    };
    const pageReads = () => calls.filter((call) => call.name === 'list_docs_sections_for_ranking_page');
    await getRankIndex(handle);
    expect(pageReads().map((call) => call.args.p_after_id)).toContain(0);

    calls.length = 0;
    write('theming.md', '---\ntitle: Theming\n---\n\n## Colors\n\nThe primary color is teal now.\n\n## Fonts\n\nHeadings use a serif typeface.\n');
    rmSync(path.join(docsDir, 'webhooks.md'));
    const report = await indexDocs({ db: handle, docsDir });
    expect(report.indexed).toEqual(['theming.md']);
    expect(report.removed).toEqual(['webhooks.md']);
    const entry = await getRankIndex(handle);
    // Only the sections added since the held index's largest id are read, never every section from the start.
    expect(pageReads().length).toBeGreaterThan(0);
    expect(pageReads().filter((call) => call.args.p_after_id === 0)).toEqual([]);
    const since = pageReads().flatMap((call) => call.result as { path: string }[]);
    expect(since.map((section) => section.path)).toEqual(['theming.md', 'theming.md']);
    expect(entry.index.sections.some((section) => section.path === 'webhooks.md')).toBe(false);
    expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'serif typeface', limit: 3 }))[0]?.path).toBe('theming.md');
    expect(await rankings(handle)).toEqual(await freshRankings());
    // Applied to the held index in place (delta.ts), and the same index as a full build of the sections stored now.
    expect(entry.buildKind).toBe('delta');
    const rebuilt = buildRankIndex(await listDocsSectionsForRanking({ db }));
    expect(rankIndexShape(entry.index)).toEqual(rankIndexShape(rebuilt));
  });

  it('after a change applied in place, a restart loads the file written for it, and never the one written before it', { timeout: 180_000 }, async () => {
    const handle = restart();
    const first = await getRankIndex(handle);
    await first.written;
    const before = readFileSync(file());
    write('billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed monthly; a wombatgram confirms each.\n');
    write('spinner-old.md', '---\ntitle: Old spinner\n---\n\n## Legacy\n\nThe legacy throbber, kept for reference.\n');
    await indexDocs({ db: handle, docsDir });
    const changed = await getRankIndex(handle);
    expect(changed.buildKind).toBe('delta');
    expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'wombatgram', limit: 3 }))[0]?.path).toBe('billing.md');

    // A restart before the new file is on disk finds the old one stale (its key names the older docs) and builds.
    await changed.written;
    const after = readFileSync(file());
    writeFileSync(file(), before);
    const early = await getRankIndex(restart());
    expect(early.origin).toBe('built');
    expect(early.reason).toMatch(/stale/);
    expect(await rankings(restart())).toEqual(await freshRankings());

    // With the file written for the change, a restart loads it: the new words found, the old ones gone.
    writeFileSync(file(), after);
    const loaded = restart();
    expect((await getRankIndex(loaded)).origin).toBe('disk');
    expect(await rankings(loaded)).toEqual(await freshRankings());
    expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db: loaded, query: 'wombatgram', limit: 3 }))[0]?.path).toBe('billing.md');
    expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: loaded, query: 'fortnight refunds', limit: 3 })).not.toContainEqual(expect.objectContaining({ content: expect.stringContaining('fortnight') }));

    // A page removed: its sections never come back, in memory or after a restart.
    rmSync(path.join(docsDir, 'spinner-old.md'));
    await indexDocs({ db: handle, docsDir });
    const removed = await getRankIndex(handle);
    expect(removed.buildKind).toBe('delta');
    await removed.written;
    for (const current of [handle, restart()]) {
      expect((await getRankIndex(current)).index.sections.some((section) => section.path === 'spinner-old.md')).toBe(false);
      expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: current, query: 'legacy throbber', limit: 5 })).not.toContainEqual(expect.objectContaining({ path: 'spinner-old.md' }));
    }
  });

  it('still searches when the folder cannot be written (the next start builds again)', async () => {
    const blocked = path.join(makeTempDir('rank-persisted-blocked-'), 'file');
    writeFileSync(blocked, 'a file where the folder would be');
    const handle = restart(path.join(blocked, 'search'));
    const entry = await getRankIndex(handle);
    expect(entry.origin).toBe('built');
    await entry.written;
    expect(entry.writeError).toBeDefined();
    expect(await rankings(handle)).toEqual(await freshRankings());
  });
});
