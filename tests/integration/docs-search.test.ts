import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import type { TApp } from '@/lib/app';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { runToolCall } from '@/lib/assistant/tools';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';

// Ranking on a small fixture (the in-memory ranker over sections stored in real Postgres), and the route's validation.

let db: TDb;
let dir: string;

beforeAll(async () => {
  dir = makeTempDir('docs-search-');
  const page = (name: string, source: string) => writeFileSync(path.join(dir, name), source);
  page('webhooks.md', '---\ntitle: Webhooks\n---\n\n## Overview\n\nEvents are delivered as HTTP POST requests to your endpoint.\n');
  page('billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed monthly. A webhook can also notify you of new invoices.\n');
  page('buttons.md', '---\ntitle: Buttons\n---\n\n## Destructive button\n\nUse the destructive variant for actions that delete data.\n\n## Primary button\n\nThe main action of a page.\n');
  page('theming.md', '---\ntitle: Theming\n---\n\n## Colors\n\nThe primary color is blue; a button uses it for its border and a separate token for its label.\n');
  db = await createTestDb();
  await indexDocs({ db, docsDir: dir });
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const search = async (query: string) => (await rankDocsSections({ access: MAINTAINER_ACCESS, db, query, limit: 5 })).map((hit) => `${hit.path}#${hit.anchor}`);

describe('docs search ranking', () => {
  it('ranks a title match above a body match', async () => {
    expect((await search('webhook'))[0]).toBe('webhooks.md#overview');
    expect(await search('webhook')).toContain('billing.md#invoices');
  });

  it('ranks the section whose heading matches above one that only mentions the words', async () => {
    expect((await search('primary button'))[0]).toBe('buttons.md#primary-button');
  });

  it('still finds a word with a typo, through the vocabulary of the docs (one edit away)', async () => {
    expect((await search('destrucive buton'))[0]).toBe('buttons.md#destructive-button');
    expect((await search('invoces'))[0]).toBe('billing.md#invoices');
  });

  it('matches the last word as a prefix while it is being typed, not once it is complete', async () => {
    expect((await search('destr'))[0]).toBe('buttons.md#destructive-button');
    expect(await search('destr ')).toEqual([]);
  });

  it('returns nothing for stop words or unknown words', async () => {
    expect(await search('the of and')).toEqual([]);
    expect(await search('zzzqqq')).toEqual([]);
  });

  it('respects the limit and returns the result shape', async () => {
    const hits = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: 'button', limit: 1 });
    expect(hits).toEqual([
      { path: 'buttons.md', slug: 'buttons', title: 'Buttons', heading: expect.any(String), anchor: expect.any(String), content: expect.any(String), similarity: expect.any(Number), evidence: expect.any(Number), query_coverage: expect.any(Number), kind: 'folder', meta: {} },
    ]);
  });
});

describe('the assistant\'s docs tool', () => {
  const tool = async (prompt: string) =>
    JSON.parse(
      await runToolCall({ access: PUBLIC_ACCESS,
        deps: { db, log: createLogger({ level: 'silent' }), embedder: null },
        call: { id: 'call_1', type: 'function', function: { name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) } },
      }),
    ) as { evidence: string; note?: string; not_in_docs?: string[]; results: { url: string }[] };

  it('names what the question asks about that the docs never mention, and tells the model not to present the results as the answer', async () => {
    const nearMiss = await tool('Can a webhook deliver events to Microsoft Teams?');
    expect(nearMiss.not_in_docs).toEqual(['Microsoft Teams']);
    expect(nearMiss.note).toMatch(/^The docs never mention Microsoft Teams\./);
    expect(nearMiss.results[0]?.url).toBe('/docs/webhooks#overview');
    const answered = await tool('Can a webhook deliver events to my endpoint?');
    expect(answered).not.toHaveProperty('not_in_docs');
    expect(answered).not.toHaveProperty('note');
  });
});

describe('POST /api/docs-search', () => {
  let app: TApp;
  let server: TTestServer;
  beforeAll(async () => {
    app = await createTestApp();
    server = await startTestServer(app);
  });
  afterAll(async () => {
    await server.close();
    await app.db.close();
  });

  it('takes a bug report pasted whole, searched by what distinguishes it', async () => {
    const client = createClient(server.url);
    const report = [
      'Conversations stopped reaching the Slack review channel',
      '### Description',
      'After we deployed the assistant, no conversation shows up in our channel any more. '.repeat(4),
      '### Steps to reproduce',
      '1. Ask a question in the panel\n2. Wait a minute\n3. Look at the channel',
      'Error: An API error occurred: not_in_channel',
      '### Environment',
      'We run it on a small server with the default settings and nothing else changed that we know of. '.repeat(6),
    ].join('\n');
    expect(report.length).toBeGreaterThan(1000);
    const response = await client.post('/api/docs-search', { prompt: report });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const paths = (response.body.data as { path: string }[]).slice(0, 3).map((result) => result.path);
    expect(paths).toContain('guides/slack.mdx');
  });

  it('validates the request', async () => {
    const client = createClient(server.url);
    expectError(await client.post('/api/docs-search', { prompt: '   ' }), 400, 'bad_request');
    expectError(await client.post('/api/docs-search', { prompt: 'x'.repeat(4001) }), 400, 'bad_request');
    expectError(await client.post('/api/docs-search', {}), 400, 'bad_request');
    expectError(await client.post('/api/docs-search', { prompt: 42 }), 400, 'bad_request');
    expectError(await client.post('/api/docs-search', { prompt: 'slack', limit: 0 }), 400, 'bad_request');
    expectError(await client.post('/api/docs-search', { prompt: 'slack', limit: 21 }), 400, 'bad_request');
    expectError(await client.request('POST', '/api/docs-search', { body: 'prompt=slack', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    expectError(await client.request('POST', '/api/docs-search', { body: '{"prompt":', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
  });

  it('answers with sections linked to their heading, honours limit, and records each query with its source', async () => {
    const client = createClient(server.url);
    const response = await client.post('/api/docs-search', { prompt: 'slack bot token', limit: 2 });
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(2);
    expect(response.body.data[0]).toMatchObject({ path: 'guides/slack.mdx', url: '/docs/guides/slack#creating-a-bot-token', heading: 'Creating a bot token' });

    const pg = (app.db as unknown as { pg: PGlite }).pg;
    const rows = await pg.query<{ query: string; result_count: number; source: string }>(
      'select query, result_count, source from docs_query order by id desc limit 1',
    );
    expect(rows.rows[0]).toEqual({ query: 'slack bot token', result_count: 2, source: 'site' });
  });
});
