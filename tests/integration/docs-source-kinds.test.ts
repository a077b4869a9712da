import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { runToolCall } from '@/lib/assistant/tools';
import { searchDocsSectionsByEmbedding, setDocsSectionEmbeddings, upsertDocsPagesByPath, type TPageInput } from '@/lib/db/docs-index';
import { recordDocsSourceSync } from '@/lib/db/docs-sources';
import { searchDocs } from '@/lib/docs/search/search';
import { getHealth } from '@/lib/health';
import { createLogger } from '@/lib/log';
import { createDocsMcpServer } from '@/lib/mcp/server';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Sources, one model (issue 37): a page of another kind (a GitHub thread, as the GitHub source will index it,
// with its number and state in `meta`) is indexed through upsertDocsPagesByPath beside the fixture docs, and every
// door's search carries each result's kind (and a thread's number and state) and takes a `sources` filter that
// the ranker applies before it chooses: the first N are all of the asked kinds.

let app: TApp;
let server: TTestServer;

/** A thread about destructive buttons: the fixture docs' guides/buttons.mdx has a section on them too. */
const thread = (number: number, state: string, title: string, body: string): TPageInput => ({
  path: `github/acme/widgets/issues/${number}`,
  kind: 'github',
  slug: `https://github.example/acme/widgets/issues/${number}`,
  title,
  description: '',
  checksum: `thread-${number}-${state}`,
  warnings: [],
  meta: { number, state: state as 'open', updatedAt: '2026-11-20T10:00:00Z' },
  sections: [{ heading: '', heading_path: [], anchor: '', content: body }],
});

const THREADS = [
  thread(1234, 'closed', 'Destructive button loses its focus ring', 'The destructive button variant has no focus ring in dark mode. Fixed in 20.1.0: the destructive variant now uses the focus token.'),
  thread(1240, 'open', 'Destructive button confirm dialog', 'Should a destructive button always ask to confirm before it deletes data?'),
  thread(1251, 'merged', 'Fix destructive button hover colour', 'This pull request fixes the hover colour of the destructive button.'),
  thread(1260, 'closed', 'Destructive button in a modal footer', 'A destructive button in a modal footer is misaligned.'),
  thread(1275, 'open', 'Destructive button loading state', 'The destructive button has no loading state while the action runs.'),
  thread(1290, 'closed', 'Destructive button text wraps', 'Long labels on a destructive button wrap onto two lines.'),
];

beforeAll(async () => {
  app = await createTestApp();
  await upsertDocsPagesByPath({ db: app.db, pages: THREADS });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

const site = (prompt: string, sources?: ('docs' | 'page' | 'thread' | 'answer')[], limit = 5) =>
  searchDocs({ access: PUBLIC_ACCESS, deps: app, prompt, limit, source: 'site', sources });

describe('pages of any kind, one index', () => {
  it('stores a page’s meta as given, {} when absent, and refuses a meta that is not an object', async () => {
    const { rows } = await querySql<{ path: string; source_kind: string; meta: Record<string, unknown> }>(
      app.db,
      "select path, source_kind, meta from docs_page where path in ('github/acme/widgets/issues/1234', 'guides/buttons.mdx') order by path",
    );
    expect(rows).toEqual([
      { path: 'github/acme/widgets/issues/1234', source_kind: 'github', meta: { number: 1234, state: 'closed', updatedAt: '2026-11-20T10:00:00Z' } },
      { path: 'guides/buttons.mdx', source_kind: 'folder', meta: {} },
    ]);
    const bad = { ...THREADS[0]!, path: 'github/acme/widgets/issues/1', meta: ['not', 'an', 'object'] as never };
    await expect(upsertDocsPagesByPath({ db: app.db, pages: [bad] })).rejects.toThrow(/meta is an object/);
  });

  it('ranks across kinds: each result carries its kind, a thread its number and state, and its own URL', async () => {
    const results = await site('destructive button', undefined, 8);
    const kinds = new Set(results.map((result) => result.kind));
    expect(kinds).toEqual(new Set(['docs', 'thread']));
    const docs = results.find((result) => result.kind === 'docs')!;
    expect(docs).toMatchObject({ path: 'guides/buttons.mdx', url: '/docs/guides/buttons#destructive-button' });
    expect(docs).not.toHaveProperty('number');
    expect(docs).not.toHaveProperty('state');
    const focus = results.find((result) => result.path === 'github/acme/widgets/issues/1234');
    expect(focus).toMatchObject({ kind: 'thread', number: 1234, state: 'closed', url: 'https://github.example/acme/widgets/issues/1234', title: 'Destructive button loses its focus ring' });
  });

  it('places the page a result names as answering it (meta.related) right after it, in other words than the question', async () => {
    const issue = { ...thread(1300, 'closed', 'Tooltip flickers over an iframe', 'Hovering a tooltip above an embedded iframe makes it flicker.'), checksum: 'thread-1300-related' };
    issue.meta = { ...issue.meta, related: ['github/acme/widgets/issues/1301'] };
    const fix = thread(1301, 'merged', 'Pointer events pass through the overlay layer', 'The overlay layer now captures pointer events.');
    await upsertDocsPagesByPath({ db: app.db, pages: [issue, fix] });
    try {
      const paths = (await site('tooltip flickers over an iframe', ['thread'])).map((result) => result.path);
      expect(paths.slice(0, 2)).toEqual(['github/acme/widgets/issues/1300', 'github/acme/widgets/issues/1301']);
      // Without the name, the fix shares no word with the question and is not found.
      await upsertDocsPagesByPath({ db: app.db, pages: [{ ...issue, checksum: 'thread-1300-plain', meta: { ...issue.meta, related: [] } }] });
      expect((await site('tooltip flickers over an iframe', ['thread'])).map((result) => result.path)).not.toContain('github/acme/widgets/issues/1301');
    } finally {
      await querySql(app.db, "delete from docs_page where path in ('github/acme/widgets/issues/1300', 'github/acme/widgets/issues/1301')");
    }
  });

  it('filters in the ranker: the first N are all of the asked kinds, as many as asked for', async () => {
    const unfiltered = await site('destructive button');
    // Without the filter the docs take places among the first five: a filter applied after would leave fewer threads.
    expect(unfiltered.some((result) => result.kind === 'docs')).toBe(true);
    const threads = await site('destructive button', ['thread']);
    expect(threads).toHaveLength(5);
    expect(threads.every((result) => result.kind === 'thread')).toBe(true);
    const docs = await site('destructive button', ['docs']);
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every((result) => result.kind === 'docs')).toBe(true);
    expect(await site('destructive button', ['page'])).toEqual([]);
    expect((await site('destructive button', ['docs', 'thread'], 8)).map((result) => result.url)).toEqual((await site('destructive button', undefined, 8)).map((result) => result.url));
  });

  it('a re-synced thread shows its new state; a state that is not one of open, closed, merged is left out', async () => {
    await upsertDocsPagesByPath({ db: app.db, pages: [{ ...THREADS[1]!, checksum: 'closed-now', meta: { number: 1240, state: 'closed' } }] });
    const closed = await site('confirm dialog', ['thread']);
    expect(closed[0]).toMatchObject({ number: 1240, state: 'closed' });
    await upsertDocsPagesByPath({ db: app.db, pages: [{ ...THREADS[1]!, checksum: 'odd', meta: { number: 1240, state: '<b>pwned</b>' as never } }] });
    const odd = await site('confirm dialog', ['thread']);
    expect(odd[0]).toMatchObject({ kind: 'thread', number: 1240 });
    expect(odd[0]).not.toHaveProperty('state');
    await upsertDocsPagesByPath({ db: app.db, pages: [THREADS[1]!] });
  });

  it('the nearest sections by embedding are of the asked kinds only', async () => {
    const { rows: sections } = await querySql<{ id: number; kind: string }>(app.db, 'select s.id, p.source_kind as kind from docs_section s join docs_page p on p.id = s.page_id order by s.id');
    await setDocsSectionEmbeddings({ db: app.db, model: 'test-model', embeddings: sections.map((section) => ({ id: Number(section.id), embedding: [1, 0, 0] })) });
    const nearest = async (kinds?: string[]) => {
      const ids = new Set((await searchDocsSectionsByEmbedding({ db: app.db, embedding: [1, 0, 0], model: 'test-model', limit: 200, kinds })).map((hit) => hit.id));
      return new Set(sections.filter((section) => ids.has(Number(section.id))).map((section) => section.kind));
    };
    expect(await nearest()).toEqual(new Set(['folder', 'github']));
    expect(await nearest(['github'])).toEqual(new Set(['github']));
    expect(await nearest(['folder'])).toEqual(new Set(['folder']));
  });
});

describe('the doors', () => {
  it('/api/docs-search: kind on every result, `sources` filters, an unknown kind is a 400 naming the known ones', async () => {
    const client = createClient(server.url);
    const all = await client.post('/api/docs-search', { prompt: 'destructive button', limit: 8 });
    expect(all.status).toBe(200);
    expect(all.body.data.every((result: { kind: string }) => ['docs', 'thread'].includes(result.kind))).toBe(true);
    const threads = await client.post('/api/docs-search', { prompt: 'destructive button', limit: 3, sources: ['thread'] });
    expect(threads.body.data).toHaveLength(3);
    expect(threads.body.data[0]).toMatchObject({ kind: 'thread', number: expect.any(Number), state: expect.stringMatching(/^(open|closed|merged)$/) });
    const unknown = await client.post('/api/docs-search', { prompt: 'destructive button', sources: ['docs', 'slack'] });
    expectError(unknown, 400, 'bad_request');
    expect(unknown.body.error.message).toBe('sources: unknown source kind "slack"; the kinds are docs, page, thread, answer, api, code');
    expectError(await client.post('/api/docs-search', { prompt: 'destructive button', sources: [] }), 400, 'bad_request');
    expectError(await client.post('/api/docs-search', { prompt: 'destructive button', sources: 'thread' }), 400, 'bad_request');
  });

  it('MCP search_docs: kind, number and state in the structured output and the text; an unknown kind is a tool error naming the known ones', async () => {
    const mcp = createDocsMcpServer({ deps: app, caller: { owner: 'test-owner', client: { id: 'test', ip: '127.0.0.1' } as never, access: PUBLIC_ACCESS }, log: createLogger({ level: 'silent' }) });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test', version: '1.0.0' });
    await mcp.connect(serverSide);
    await client.connect(clientSide);
    try {
      const found = await client.callTool({ name: 'search_docs', arguments: { query: 'destructive button focus ring', sources: ['thread'], limit: 3 } });
      expect(found.isError).toBeFalsy();
      const results = (found.structuredContent as { results: Record<string, unknown>[] }).results;
      expect(results).toHaveLength(3);
      expect(results[0]).toMatchObject({ kind: 'thread', number: 1234, state: 'closed', url: 'https://github.example/acme/widgets/issues/1234' });
      expect((found.content as { text: string }[])[0]!.text).toContain('Destructive button loses its focus ring (thread #1234, closed)');
      const docs = await client.callTool({ name: 'search_docs', arguments: { query: 'destructive button', sources: ['docs'] } });
      const docsResults = (docs.structuredContent as { results: Record<string, unknown>[] }).results;
      expect(docsResults.length).toBeGreaterThan(0);
      expect(docsResults.every((result) => result.kind === 'docs' && !('number' in result))).toBe(true);
      // A docs page's line reads as it always did: "1. Title › Heading", then its URL.
      expect((docs.content as { text: string }[])[0]!.text).toMatch(/^1\. Buttons › [^\n(]+\n {3}http/);
      const refused = await client.callTool({ name: 'search_docs', arguments: { query: 'destructive button', sources: ['issues'] } });
      expect(refused.isError).toBe(true);
      expect((refused.content as { text: string }[])[0]!.text).toBe('Cannot search: unknown source kind "issues"; the kinds are docs, page, thread, answer, api, code.');
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it('get_relevant_docs: kind on every result, a thread’s number and state; `sources` filters; an unknown kind is its error output', async () => {
    const tool = async (args: Record<string, unknown>) =>
      JSON.parse(
        await runToolCall({ access: PUBLIC_ACCESS,
          deps: { db: app.db, log: createLogger({ level: 'silent' }), embedder: null },
          call: { id: 'call_1', type: 'function', function: { name: 'get_relevant_docs', arguments: JSON.stringify(args) } },
        }),
      ) as { error?: string; results: { kind: string; number?: number; state?: string; url: string }[] };
    const all = await tool({ prompt: 'destructive button focus ring', sources: null });
    expect(all.results.every((result) => result.kind === 'docs' || result.kind === 'thread')).toBe(true);
    expect(all.results.find((result) => result.number === 1234)).toMatchObject({ kind: 'thread', state: 'closed', url: 'https://github.example/acme/widgets/issues/1234' });
    const docsOnly = await tool({ prompt: 'destructive button', sources: ['docs'] });
    expect(docsOnly.results.length).toBeGreaterThan(0);
    expect(docsOnly.results.every((result) => result.kind === 'docs' && result.number === undefined)).toBe(true);
    const threadsOnly = await tool({ prompt: 'destructive button', sources: ['thread'] });
    expect(threadsOnly.results).toHaveLength(5);
    expect(threadsOnly.results.every((result) => result.kind === 'thread')).toBe(true);
    expect(await tool({ prompt: 'destructive button', sources: ['wiki'] })).toEqual({ error: 'unknown source kind "wiki"; the kinds are docs, page, thread, answer, api, code' });
  });
});

describe('/api/health: every configured source', () => {
  it('shows each configured kind with its counts, last and next sync and last error, and a kind indexed but not configured', async () => {
    await recordDocsSourceSync({ db: app.db, kind: 'crawl', report: { error: 'the crawl did not finish' } });
    const crawl = { urls: ['https://docs.example.test/'], intervalMinutes: 60, contentSelector: null, maxPages: 10, concurrency: 1, timeoutMs: 1000, maxPageBytes: 100_000 };
    const health = await getHealth({ ...app, config: { ...app.config, docsSources: { ...app.config.docsSources, crawl } }, docsSources: undefined });
    expect(health.docs.sources).toEqual([
      { kind: 'folder', resultKind: 'docs', isConfigured: true, pages: 4, sections: expect.any(Number), failed: 0, lastRun: expect.any(String), nextRun: null, lastError: null },
      { kind: 'crawl', resultKind: 'page', isConfigured: true, pages: 0, sections: 0, failed: 0, lastRun: expect.any(String), nextRun: null, lastError: 'the crawl did not finish' },
      { kind: 'answer', resultKind: 'answer', isConfigured: true, pages: 0, sections: 0, failed: 0, lastRun: expect.toBeOneOf([null, expect.any(String)]), nextRun: expect.toBeOneOf([null, expect.any(String)]), lastError: null },
      { kind: 'github', resultKind: 'thread', isConfigured: false, pages: THREADS.length, sections: THREADS.length, failed: 0, lastRun: null, nextRun: null, lastError: null },
    ]);
    expect(health.docs.sources[0]!.sections).toBeGreaterThanOrEqual(7);
  });
});
