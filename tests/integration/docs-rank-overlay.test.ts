import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb } from '@/lib/db/pglite';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import { getDocsSectionIdDigest, listDocsSectionIds } from '@/lib/db/docs-rank-index';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { sectionIdDigest } from '@/lib/docs/search/ranking/overlay';
import { RANK_INDEX_FILE } from '@/lib/docs/search/ranking/persist';
import { getRankIndex, keepRankIndexOnDisk, namesMissingFromDocs, rankDocsSections, setRankOverlayPolicy, type TOverlayPolicy } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { writeDocsFile, writeSmallDocsFolder } from '../helpers/rank-docs-folder';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Changes laid over the ranking index held in memory (lib/docs/search/ranking/overlay.ts, store.ts), with the overlay
// turned on for a small corpus (setRankOverlayPolicy): each change reads only the sections stored since the index's
// base and the stored ids' digest (every id only when a page went with no successor), every search ranks as one on a
// fresh build of the stored docs, and once the docs are quiet the overlay is merged into the index a full build gives,
// written to disk for a restart to load.

let db: TDb;
let docsDir: string;
let indexDir: string;
let policyBefore: TOverlayPolicy;

const write = (relativePath: string, source: string) => writeDocsFile(docsDir, relativePath, source);

const QUERIES = ['primary button', 'destructive action', 'webhook invoices', 'destr', 'invoces', 'colour token for a label', 'spinning', 'wombatgram', 'legacy throbber'];

async function rankings(handle: TDb): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const query of QUERIES) out.push(await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query, limit: 5 }));
  out.push(await namesMissingFromDocs({ access: MAINTAINER_ACCESS, db: handle, query: 'Does it work with Microsoft Teams?' }));
  return out;
}

/** What a server that builds the index from the database now ranks (a new handle: nothing held). */
const freshRankings = () => rankings({ ...db });

beforeAll(async () => {
  policyBefore = setRankOverlayPolicy({ minBaseSections: 0, maxShare: 10, mergeQuietMs: 60_000 });
  docsDir = makeTempDir('rank-overlay-docs-');
  indexDir = path.join(makeTempDir('rank-overlay-index-'), 'search');
  writeSmallDocsFolder(docsDir);
  db = await createPgliteDb({ dataDir: 'memory://' });
  await indexDocs({ db, docsDir });
});

afterAll(async () => {
  setRankOverlayPolicy(policyBefore);
  await db.close();
  rmSync(docsDir, { recursive: true, force: true });
});

describe('changes laid over the ranking index', () => {
  it('keeps the stored ids’ digest in step with every insert and delete', async () => {
    const ids = await listDocsSectionIds({ db });
    expect(ids.length).toBeGreaterThan(3);
    const digest = await getDocsSectionIdDigest({ db });
    expect({ count: Number(digest!.count), sum: Number(digest!.sum), hash: Number(digest!.hash) }).toEqual(sectionIdDigest(ids));
  });

  it('reads only what changed, ranks as a fresh build after each change, and merges into a full build once quiet', async () => {
    const calls: string[] = [];
    const handle: TDb = {
      ...db,
      rpc: async (name, args = {}) => {
        calls.push(name);
        return (await db.rpc(name, args)) as never;
      },
    };
    keepRankIndexOnDisk({ db: handle, dir: indexDir });
    const first = await getRankIndex(handle);
    await first.written;
    const base = first.index;
    const changes: [string, () => void][] = [
      ['an edit', () => write('billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed weekly; a wombatgram confirms each.\n')],
      ['a new page', () => write('spinner-old.md', '---\ntitle: Old spinner\n---\n\n## Legacy\n\nThe legacy throbber, kept for reference.\n')],
      ['a page removed', () => rmSync(path.join(docsDir, 'webhooks.md'))],
      ['the new page edited', () => write('spinner-old.md', '---\ntitle: Old spinner\n---\n\n## Legacy\n\nThe legacy throbber and its spinning circle.\n')],
    ];
    for (const [what, change] of changes) {
      change();
      await indexDocs({ db: handle, docsDir });
      calls.length = 0;
      const entry = await getRankIndex(handle);
      expect([what, entry.buildKind]).toEqual([what, 'overlay']);
      expect(entry.index.overlay?.base).toBe(base);
      // Every id is read only when a page went with no successor (the digest differs from what the overlay expects).
      expect([what, calls.includes('list_docs_section_ids')]).toEqual([what, what === 'a page removed']);
      expect(calls).not.toContain('get_docs_rank_fingerprint');
      expect([what, await rankings(handle)]).toEqual([what, await freshRankings()]);
    }
    expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'wombatgram', limit: 3 }))[0]?.path).toBe('billing.md');
    expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'delivered endpoint', limit: 5 })).not.toContainEqual(expect.objectContaining({ path: 'webhooks.md' }));

    // Quiet: merged into one compact index, the very one a full build gives, and written for a restart to load.
    setRankOverlayPolicy({ mergeQuietMs: 10 });
    const overlaid = await getRankIndex(handle);
    expect(overlaid.buildKind).toBe('overlay');
    // The merge timer was set when the entry was made: a newer entry (this change) sets its own, short one.
    write('theming.md', '---\ntitle: Theming\n---\n\n## Colors\n\nThe primary color is teal now.\n');
    await indexDocs({ db: handle, docsDir });
    const last = await getRankIndex(handle);
    expect(last.buildKind).toBe('overlay');
    await last.written;
    expect(last.writeError).toBeUndefined();
    const merged = await getRankIndex(handle);
    expect(merged.buildKind).toBe('delta');
    expect(merged.index.overlay).toBeUndefined();
    expect(rankIndexShape(merged.index)).toEqual(rankIndexShape(buildRankIndex(await listDocsSectionsForRanking({ db }))));
    expect(await rankings(handle)).toEqual(await freshRankings());
    expect(existsSync(path.join(indexDir, RANK_INDEX_FILE))).toBe(true);
    const restarted: TDb = { ...db };
    keepRankIndexOnDisk({ db: restarted, dir: indexDir });
    expect((await getRankIndex(restarted)).origin).toBe('disk');
    expect(await rankings(restarted)).toEqual(await freshRankings());
    // The digest followed every insert and delete of the changes.
    const digest = await getDocsSectionIdDigest({ db });
    expect({ count: Number(digest!.count), sum: Number(digest!.sum), hash: Number(digest!.hash) }).toEqual(sectionIdDigest(await listDocsSectionIds({ db })));
  });
});
