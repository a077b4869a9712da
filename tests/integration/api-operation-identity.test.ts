import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { listDocsAnchorsBySlugs } from '@/lib/db/docs-index';
import { listDocsFeedback } from '@/lib/db/docs-vocabulary';
import { listMessagesByThread } from '@/lib/db/messages';
import { setMessageVoteById } from '@/lib/db/votes';
import { suggestFollowUps, ZFollowUpsRequest } from '@/lib/docs/search/follow-ups';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { recordPageRead } from '@/lib/docs/site/page-reads';
import { createOpenapiSource } from '@/lib/docs/sources/single-kinds';
import { getDeflectionForMaintainers, ZDeflectionQuery } from '@/lib/maintainers/deflection';
import { createLogger } from '@/lib/log';
import { createTestApp } from '../helpers/app';
import { querySql } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// An API operation is a citable unit of its own (issue 54, friction 11): its URL is its own page,
// /docs/reference/<spec>/operation/<id>, not its spec's page with an anchor. On the real SQL (PGlite), with a spec
// indexed: search and answers cite that URL; the links in answers are checked against it; a read of it is counted
// for it; the maintainers' sources count each operation apart, and a spec's reads are one row, not one per tag page;
// follow-ups are suggested from it (and from the anchor links answers had before).

const OWNER = 'owner_apiop_aaaaaaaaaaaa';
const SPEC = path.resolve(import.meta.dirname, '../fixtures/openapi/petstore-v3.yaml');
const CREATE = '/docs/reference/petstore-v3/operation/createPet';
const LIST = '/docs/reference/petstore-v3/operation/listPets';

let app: TApp | undefined;
afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

async function withSpec(baseUrl: string | null = null): Promise<TApp> {
  app = await createTestApp();
  const source = createOpenapiSource({ specs: [SPEC], baseUrl, intervalMinutes: 60, maxBytes: 1_000_000, timeoutMs: 5_000 });
  const report = await source.load({ db: app.db, log: createLogger({ level: 'silent' }), embedder: null });
  expect(report.failed).toEqual([]);
  return app;
}

describe('an API operation as a page of its own', () => {
  it('search cites it at its own URL, and answers link to it as an indexed page', async () => {
    const current = await withSpec();
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: current, prompt: 'create a pet', limit: 3, source: 'site' });
    expect(results[0]).toMatchObject({ url: CREATE, kind: 'api' });
    const anchors = await listDocsAnchorsBySlugs({ db: current.db, slugs: ['reference/petstore-v3/operation/createPet', 'reference/petstore-v3/operation/noSuch', 'reference/petstore-v3'] });
    expect(anchors['reference/petstore-v3/operation/createPet']).toEqual(['']);
    expect(anchors).not.toHaveProperty(['reference/petstore-v3/operation/noSuch']);
    // The spec's page keeps its operations' anchors: a link written before still resolves.
    expect(anchors['reference/petstore-v3']).toContain('operation/createPet');
  });

  it('counts reads and citations per operation, and the spec page once', async () => {
    const current = await withSpec();
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
    const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: thread.id, text: 'How do I create a pet with the API?' });
    expect(run.status).toBe('completed');
    const answer = (await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' })).data.find((message) => message.role === 'assistant')!;
    const cited = answer.content[0]!.text.annotations.map((annotation) => annotation.url);
    expect(cited).toContain(CREATE);
    // An operation is cited at its own URL, never as an anchor of its spec's page (which may be cited as itself: the
    // offline answer quotes a close section of another page, and the spec's overview is one).
    expect(cited.filter((url) => url.startsWith('/docs/reference/petstore-v3')).every((url) => /^\/docs\/reference\/petstore-v3(?:\/operation\/[A-Za-z_]+)?$/.test(url))).toBe(true);

    expect(await recordPageRead({ deps: current, path: CREATE, clientIp: '192.0.2.1' })).toEqual({ recorded: true });
    expect(await recordPageRead({ deps: current, path: '/docs/reference/petstore-v3', clientIp: '192.0.2.1' })).toEqual({ recorded: true });
    expect(await recordPageRead({ deps: current, path: '/docs/reference/petstore-v3/operation/noSuch', clientIp: '192.0.2.1' })).toEqual({ recorded: false });
    expect((await querySql<{ path: string }>(current.db, 'select path from docs_page_read order by path')).rows.map((row) => row.path)).toEqual(['/docs/reference/petstore-v3', CREATE]);

    const view = await getDeflectionForMaintainers({ db: current.db, query: ZDeflectionQuery.parse({ days: 7 }) });
    // Each operation cited is a source of its own, cited once, indexed, named by its tag and heading, with its reads.
    const create = view.sources.filter((source) => source.url === CREATE);
    expect(create).toEqual([{ url: CREATE, title: 'Pets › Create a pet', kind: 'api', citations: 1, reads: 1, isIndexed: true }]);
    expect(new Set(view.sources.map((source) => source.url)).size).toBe(view.sources.length);
    // The spec's page is one row of the reads, not one per page of the index that carries its URL.
    expect(view.reads.pages.filter((page) => page.url === '/docs/reference/petstore-v3')).toEqual([expect.objectContaining({ reads: 1 })]);
    // Never cited: the operations not cited, each by its own URL; no URL twice.
    const never = view.neverCited.pages.map((page) => page.url);
    // (The offline answer quotes the operations nearly as strong beside the one that answers: here all three, so none
    // is left never cited; an operation cited is never listed so.)
    const neverOperations = never.filter((url) => url.startsWith('/docs/reference/petstore-v3/operation/'));
    expect(neverOperations.filter((url) => cited.includes(url))).toEqual([]);
    expect(never).not.toContain(CREATE);
    expect(new Set(never).size).toBe(never.length);

    // A thumbs-up is evidence for the index's page that holds each operation cited (the vocabulary's), once.
    await setMessageVoteById({ db: current.db, owner: OWNER, threadId: thread.id, messageId: answer.id, vote: 'up' });
    const votes = (await listDocsFeedback({ db: current.db, limit: 100 })).filter((entry) => entry.source === 'vote');
    expect(votes.filter((entry) => entry.path === 'openapi/petstore-v3/001-pets')).toEqual([expect.objectContaining({ query: 'How do I create a pet with the API?' })]);
    // Each page cited is evidence once (the spec's overview, when the answer quotes it too, is its own page).
    expect(new Set(votes.map((entry) => entry.path)).size).toBe(votes.length);
  });

  it('published elsewhere (DOCS_OPENAPI_BASE_URL), an operation is cited at its anchor there, and counted apart', async () => {
    const current = await withSpec('https://api-docs.example.com/{spec}');
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
    await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: thread.id, text: 'How do I create a pet with the API?' });
    const view = await getDeflectionForMaintainers({ db: current.db, query: ZDeflectionQuery.parse({ days: 7 }) });
    const external = 'https://api-docs.example.com/petstore-v3#operation/createPet';
    expect(view.sources.filter((source) => source.url === external)).toEqual([expect.objectContaining({ title: 'Pets › Create a pet', citations: 1, isIndexed: true })]);
    expect(view.neverCited.pages.map((page) => page.url)).not.toContain(external);
  });

  it('suggests follow-ups from an operation, cited at its URL or at its old anchor', async () => {
    const current = await withSpec();
    for (const source of [CREATE, '/docs/reference/petstore-v3#operation/createPet']) {
      expect(ZFollowUpsRequest.safeParse({ sources: [source] }).success).toBe(true);
      const suggestions = await suggestFollowUps({ access: PUBLIC_ACCESS, deps: current, sources: [source] });
      expect(suggestions.length).toBeGreaterThan(0);
      expect(suggestions.map((suggestion) => suggestion.url)).toContain(LIST);
      expect(suggestions.map((suggestion) => suggestion.url)).not.toContain(CREATE);
    }
  });
});
