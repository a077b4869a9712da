import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { getRankIndex, leadSectionsOf, rankDocsSections, setMaxCachedContentChars } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createStoreDb, STORES } from '../helpers/stores';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The ranking index holds no section's text (lib/docs/search/ranking/build.ts): a search reads the text of the
// sections it returns from the database, in one read. What holds: every hit carries the text stored for its section,
// also after a change applied to the index in place (delta.ts); a section re-indexed away between the ranking and
// that read is left out of the hits, and the search does not fail. The texts read are kept for the index's version,
// within a bound: the next searches read only the sections they have not read yet, until the version moves. On both
// stores: the SQL is the same.

describe.each(STORES)('the text of a search’s hits on %s', (store) => {
  let db: TDb;
  let docsDir: string;

  const write = (relativePath: string, source: string) => {
    mkdirSync(path.dirname(path.join(docsDir, relativePath)), { recursive: true });
    writeFileSync(path.join(docsDir, relativePath), source);
  };

  /** `db` with every call to `name` counted (and its arguments kept), and `before` run ahead of each (once, when it is given). */
  function watched(name: string, before?: () => Promise<void>): TDb & { calls: () => number; args: Record<string, unknown>[] } {
    let calls = 0;
    let pending = before;
    const args: Record<string, unknown>[] = [];
    return {
      ...db,
      args,
      rpc: async (called, given = {}) => {
        if (called === name) {
          calls += 1;
          args.push(given);
          const run = pending;
          pending = undefined;
          await run?.();
        }
        return db.rpc(called, given) as never;
      },
      calls: () => calls,
    };
  }

  /** Each hit's text is the text stored now for the section of its page and anchor. */
  async function expectStoredContents(hits: { path: string; anchor: string; content: string }[]) {
    const stored = await listDocsSectionsForRanking({ db });
    for (const hit of hits) {
      const row = stored.find((section) => section.path === hit.path && section.anchor === hit.anchor);
      expect(row, `${hit.path}#${hit.anchor} is stored`).toBeDefined();
      expect(hit.content).toBe(row!.content);
    }
  }

  beforeAll(async () => {
    docsDir = makeTempDir('rank-contents-docs-');
    write('webhooks.md', '---\ntitle: Webhooks\n---\n\n## Overview\n\nEvents are delivered as HTTP POST requests to your endpoint.\n\n## Retries\n\nA failed delivery is retried with backoff.\n');
    write('billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed monthly. A webhook can also notify you of new invoices.\n');
    write('theming.md', '---\ntitle: Theming\n---\n\n## Colors\n\nThe primary color is blue; a webhook badge uses it too.\n');
    db = await createStoreDb(store);
    await indexDocs({ db, docsDir });
  });

  afterAll(async () => {
    await db.close();
    rmSync(docsDir, { recursive: true, force: true });
  });

  it('is read in one call per search, and is the stored text of each hit', async () => {
    const handle = watched('list_docs_section_contents');
    const hits = await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 5 });
    expect(hits.length).toBeGreaterThan(1);
    expect(handle.calls()).toBe(1);
    await expectStoredContents(hits);
    expect(hits.every((hit) => hit.content.length > 0)).toBe(true);
  });

  it('is kept for the next searches of the same version: they read only the sections not read before', async () => {
    const handle = watched('list_docs_section_contents');
    const first = await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 2 });
    expect(handle.calls()).toBe(1);
    expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 2 })).toEqual(first);
    expect(handle.calls()).toBe(1);
    const more = await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 5 });
    expect(more.length).toBeGreaterThan(first.length);
    expect(handle.calls()).toBe(2);
    // Only the texts not kept yet were asked for.
    expect((handle.args[1]!.p_ids as number[]).length).toBe(more.length - first.length);
    await expectStoredContents(more);
  });

  it('is kept within a bound on its characters: past it, texts are read again', async () => {
    const before = setMaxCachedContentChars(0);
    try {
      const handle = watched('list_docs_section_contents');
      const first = await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 3 });
      expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 3 })).toEqual(first);
      expect(handle.calls()).toBe(2);
      // Room for exactly these texts: kept.
      setMaxCachedContentChars(first.reduce((sum, hit) => sum + hit.content.length, 0));
      await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 3 });
      expect(await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 3 })).toEqual(first);
      expect(handle.calls()).toBe(3);
    } finally {
      setMaxCachedContentChars(before);
    }
  });

  it('is read again once the version moves, also for the sections that did not change', async () => {
    const handle = watched('list_docs_section_contents');
    await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'retried backoff', limit: 1 });
    await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'retried backoff', limit: 1 });
    expect(handle.calls()).toBe(1);
    write('changelog.md', '---\ntitle: Changelog\n---\n\n## Today\n\nNothing changed.\n');
    // Through the handle: its searches read the new version at once (ranking/store.ts, VERSION_CHECK_MS).
    await indexDocs({ db: handle, docsDir });
    const [hit] = await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'retried backoff', limit: 1 });
    expect(hit?.content).toBe('A failed delivery is retried with backoff.');
    expect(handle.calls()).toBe(2);
  });

  it('is the new text after a page is changed and the change applied to the index in place', async () => {
    await getRankIndex(db);
    write('billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed weekly; a wombatgram webhook confirms each.\n\n## Refunds\n\nRefunds land within a fortnight.\n');
    await indexDocs({ db, docsDir });
    const entry = await getRankIndex(db);
    expect(entry.buildKind).toBe('delta');
    const hits = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'wombatgram webhook', limit: 5 });
    expect(hits[0]?.path).toBe('billing.md');
    expect(hits[0]?.content).toContain('wombatgram');
    expect(hits.some((hit) => hit.content.includes('emailed monthly'))).toBe(false);
    await expectStoredContents(hits);
    const refunds = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'refunds fortnight', limit: 1 });
    expect(refunds[0]?.content).toBe('Refunds land within a fortnight.');
  });

  it('leaves out a section re-indexed away between the ranking and the read, and keeps the others', async () => {
    const everything = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'webhook', limit: 10 });
    expect(everything.some((hit) => hit.path === 'theming.md')).toBe(true);
    // A handle of its own: its index is built when it ranks, before the page goes.
    const handle = watched('list_docs_section_contents', async () => {
      rmSync(path.join(docsDir, 'theming.md'));
      await indexDocs({ db, docsDir });
    });
    const hits = await rankDocsSections({ access: MAINTAINER_ACCESS, db: handle, query: 'webhook', limit: 10 });
    expect(handle.calls()).toBe(1);
    expect(hits.some((hit) => hit.path === 'theming.md')).toBe(false);
    expect(hits.map((hit) => hit.path)).toEqual(everything.map((hit) => hit.path).filter((hitPath) => hitPath !== 'theming.md'));
    await expectStoredContents(hits);
  });

  it('of a page’s lead section is read from the database too, and a page re-indexed away gives none', async () => {
    const [lead] = await leadSectionsOf({ access: MAINTAINER_ACCESS, db, paths: ['webhooks.md'] });
    expect(lead?.content).toBe('Events are delivered as HTTP POST requests to your endpoint.');
    const handle = watched('list_docs_section_contents', async () => {
      rmSync(path.join(docsDir, 'webhooks.md'));
      await indexDocs({ db, docsDir });
    });
    expect(await leadSectionsOf({ access: MAINTAINER_ACCESS, db: handle, paths: ['webhooks.md', 'billing.md'] })).toEqual([expect.objectContaining({ path: 'billing.md' })]);
  });
});
