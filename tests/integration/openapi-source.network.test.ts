import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TOpenapiConfig } from '@/lib/config';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind, listDocsSourcesStatus } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { loadOperationPage, loadReferencePage } from '@/lib/docs/site/reference';
import { createSourceSyncJob } from '@/lib/docs/sources';
import { createOpenapiSource, type TOpenapiReport } from '@/lib/docs/sources/single-kinds';
import { createDocsReindexer } from '@/lib/docs/sources/reindex';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { FIXTURE_DOCS_DIR } from '../helpers/app';
import { createTestDb } from '../helpers/pglite-template';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The OpenAPI source against a real database and a spec server on 127.0.0.1: specs by path and by URL are indexed
// as pages of the kind 'openapi'; bad input — a spec that does not parse, a $ref loop, one over the size cap, a URL
// that fails — is named in the sync's report (what /api/health shows as the source's lastError) while the rest of
// the index is kept, a spec that breaks keeps its operations; a re-index on request reads a changed spec at once;
// and the reference page is built from the index with an anchor per operation.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/openapi');
const log = createLogger({ level: 'silent' });
let db: TDb;
let server: Server;
let origin = '';
/** What the spec server answers, by path: a body and its content type, or a status. */
const served = new Map<string, { status?: number; type?: string; body?: string }>();
const dir = makeTempDir('pa-openapi-source-');

beforeAll(async () => {
  db = await createTestDb();
  server = createServer((request, response) => {
    const answer = served.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (!answer) return response.writeHead(404).end();
    response.writeHead(answer.status ?? 200, { 'content-type': answer.type ?? 'application/yaml' }).end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db?.close();
});

const deps = () => ({ db, log, embedder: null });
const config = (specs: string[], overrides: Partial<TOpenapiConfig> = {}): TOpenapiConfig => ({ specs, baseUrl: null, intervalMinutes: 60, maxBytes: 20_000, timeoutMs: 5000, ...overrides });

describe('the OpenAPI source', () => {
  it('indexes specs by path and by URL; names each bad one with why, and indexes the rest', async () => {
    served.set('/specs/petstore.yaml', { body: readFileSync(path.join(FIXTURES, 'petstore-v3.yaml'), 'utf8') });
    served.set('/specs/huge.json', { type: 'application/json', body: JSON.stringify({ openapi: '3.0.0', padding: 'x'.repeat(30_000) }) });
    served.set('/specs/down.json', { status: 500 });
    copyFileSync(path.join(FIXTURES, 'petstore-v2.json'), path.join(dir, 'photos.json'));
    const specs = [
      `${origin}/specs/petstore.yaml`,
      path.join(dir, 'photos.json'),
      path.join(FIXTURES, 'broken.yaml'),
      path.join(FIXTURES, 'ref-loop.json'),
      `${origin}/specs/huge.json`,
      `${origin}/specs/down.json?token=never-shown`,
    ];
    const source = createOpenapiSource(config(specs));
    const report = await source.load(deps());
    expect(report.indexed).toEqual(['openapi/petstore', 'openapi/photos']);
    expect(report.operations).toBe(4);
    expect(report.failed.map((failure) => failure.spec)).toEqual(['broken', 'ref-loop', 'huge', 'down']);
    const summary = source.summarise({ result: report });
    expect(summary.error).toContain('broken.yaml is neither JSON nor YAML');
    expect(summary.error).toContain('$ref loop: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A never reaches a schema');
    expect(summary.error).toContain(`${origin}/specs/huge.json is over the 20000-byte cap`);
    expect(summary.error).toContain(`${origin}/specs/down.json answered 500`);
    // No path of the server's folders, and no query string where a token could ride.
    expect(summary.error).not.toContain(FIXTURES);
    expect(summary.error).not.toContain('never-shown');
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'openapi' })).sort();
    expect(paths).toEqual(['openapi/petstore', 'openapi/petstore/001-pets', 'openapi/photos', 'openapi/photos/001-photos']);
    const sections = await listDocsSectionsByPath({ db, path: 'openapi/petstore/001-pets' });
    expect(sections.map((section) => section.anchor)).toEqual(['operation/listPets', 'operation/createPet', 'operation/delete_pets_petId']);
  });

  it('a spec that breaks keeps its operations; its sync records why (lastError) and marks the spec failed', async () => {
    served.set('/specs/petstore.yaml', { body: 'openapi: 3.0.0\ninfo: [' });
    const source = createOpenapiSource(config([`${origin}/specs/petstore.yaml`, path.join(dir, 'photos.json')]));
    const job = createSourceSyncJob({ source, deps: deps(), workerId: 'test-worker' });
    const report = (await job.runOnce({ isForced: true })) as TOpenapiReport;
    expect(report.failed).toEqual([{ spec: 'petstore', reason: expect.stringContaining(`${origin}/specs/petstore.yaml is neither JSON nor YAML`) }]);
    expect(report.unchanged).toBe(1);
    const status = (await listDocsSourcesStatus({ db })).find((row) => row.kind === 'openapi');
    expect(status).toMatchObject({ failed: 1, lastError: expect.stringContaining('petstore.yaml is neither JSON nor YAML') });
    expect(await listDocsSectionsByPath({ db, path: 'openapi/petstore/001-pets' })).toHaveLength(3);
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: deps(), prompt: 'create a pet', limit: 3, source: 'site' });
    expect(results[0]).toMatchObject({ url: '/docs/reference/petstore/operation/createPet', kind: 'api' });
  });

  it('the reference is built from the index: an index page listing the operations under their tag, a page per operation, a note while its spec fails', async () => {
    const deps = { db, config: { docsDir: FIXTURE_DOCS_DIR, docsSources: {} } };
    const page = await loadReferencePage({ access: PUBLIC_ACCESS, deps, spec: 'petstore' });
    expect(page).toMatchObject({ href: '/docs/reference/petstore', title: 'Petstore', description: 'A small pet store API for tests.', isAnchorIndex: true });
    expect(page!.lastError).toContain('neither JSON nor YAML');
    const headings = page!.blocks.filter((block) => block.type === 'heading').map((block) => block.type === 'heading' && [block.depth, block.id, block.text]);
    expect(headings).toEqual([
      [2, 'operations', 'Operations'],
      [3, 'tag/Pets', 'Pets'],
    ]);
    // Each operation is a link to its own page, and no operation's text is on the index page.
    const links = JSON.stringify(page!.blocks);
    expect(links).toContain('"href":"/docs/reference/petstore/operation/createPet"');
    expect(links).not.toContain('curl');
    const operation = await loadOperationPage({ access: PUBLIC_ACCESS, deps, spec: 'petstore', operationId: 'createPet' });
    expect(operation).toMatchObject({ href: '/docs/reference/petstore/operation/createPet', title: 'Create a pet', description: 'Petstore › Pets', up: { href: '/docs/reference/petstore#tag/Pets', title: 'Petstore' } });
    expect(operation!.lastError).toContain('neither JSON nor YAML');
    const text = JSON.stringify(operation!.blocks);
    expect(text).toContain('curl -X POST');
    expect(text).toContain('"href":"/docs/reference/petstore/operation/listPets"');
    expect(await loadOperationPage({ access: PUBLIC_ACCESS, deps, spec: 'petstore', operationId: 'noSuchOperation' })).toBeNull();
    expect(await loadOperationPage({ access: PUBLIC_ACCESS, deps, spec: 'photos', operationId: 'createPet' })).toBeNull();
    expect(await loadOperationPage({ access: PUBLIC_ACCESS, deps, spec: 'petstore', operationId: '../x' })).toBeNull();
    // A spec's links are kept only with safe schemes: a javascript: link is its text.
    const html = JSON.stringify([...page!.blocks, ...operation!.blocks]);
    expect(html).toContain('"href":"https://petstore.test/guide"');
    expect(html).not.toContain('javascript:');
    expect(page!.nav.at(-1)).toEqual({ label: 'API reference', pages: [{ href: '/docs/reference/petstore', title: 'Petstore' }, { href: '/docs/reference/photos', title: 'Petstore v2' }] });
    expect(await loadReferencePage({ access: PUBLIC_ACCESS, deps: { db, config: { docsDir: FIXTURE_DOCS_DIR, docsSources: {} } }, spec: 'nothing' })).toBeNull();
    expect(await loadReferencePage({ access: PUBLIC_ACCESS, deps: { db, config: { docsDir: FIXTURE_DOCS_DIR, docsSources: {} } }, spec: '../etc' })).toBeNull();
  });

  it('a re-index on request reads a changed spec at once, even though its sync is not due, and clears the failure', async () => {
    const changed = readFileSync(path.join(FIXTURES, 'petstore-v3.yaml'), 'utf8').replace('summary: Delete a pet', 'summary: Adopt out a retired greyhound');
    served.set('/specs/petstore.yaml', { body: changed });
    const source = createOpenapiSource(config([`${origin}/specs/petstore.yaml`, path.join(dir, 'photos.json')]));
    const reindexer = createDocsReindexer({ sources: [source], deps: deps(), retryMs: 20 });
    // Two requests while one runs are folded into one more after it.
    expect(reindexer.start()).toEqual(['openapi']);
    expect(reindexer.start()).toEqual(['openapi']);
    await reindexer.idle();
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: deps(), prompt: 'retired greyhound', limit: 3, source: 'site' });
    expect(results[0]).toMatchObject({ url: '/docs/reference/petstore/operation/delete_pets_petId', heading: 'Adopt out a retired greyhound' });
    const status = (await listDocsSourcesStatus({ db })).find((row) => row.kind === 'openapi');
    expect(status).toMatchObject({ failed: 0, lastError: null });
  });

  it('a re-index waits for a sync another worker holds, then runs its own', async () => {
    writeFileSync(path.join(dir, 'photos.json'), readFileSync(path.join(FIXTURES, 'petstore-v2.json'), 'utf8').replace('Upload a photo of a pet', 'Upload a portrait of a hedgehog'));
    const source = createOpenapiSource(config([path.join(dir, 'photos.json')]));
    const other = createSourceSyncJob({ source, deps: deps(), workerId: 'other-instance' });
    // The other instance's sync holds the lease while the re-index asks for it.
    const held = other.runOnce({ isForced: true });
    const reindexer = createDocsReindexer({ sources: [source], deps: deps(), retryMs: 20 });
    reindexer.start();
    await held;
    await reindexer.idle();
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: deps(), prompt: 'hedgehog portrait', limit: 3, source: 'site' });
    expect(results[0]).toMatchObject({ url: '/docs/reference/photos/operation/uploadPhoto' });
  });
});
