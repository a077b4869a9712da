import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/pglite-template';
import { parseConfig } from '@/lib/config';
import { getDocsIndexStats, listDocsSectionsByPath } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { createEmbedder, getEmbedder } from '@/lib/docs/index/embeddings';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { docsSearchMode, searchDocs } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Embeddings (OpenAI's /v1/embeddings, mocked at the network edge) and their fusion with full-text search.
// The fake model maps a text to a 4-dimensional vector by topic, so that similarity is predictable.

const TOPICS = [/slack|bot|channel/i, /deploy|server|vercel/i, /button|variant/i, /secret|cookie|session/i];
const vectorOf = (text: string) => TOPICS.map((topic) => (topic.test(text) ? 1 : 0.05));

const requests: { model: string; input: string[]; host: string; authorization: string | null }[] = [];
let isFailing = false;
/** An OpenAI-compatible /embeddings endpoint: OpenAI's, or a local server's (Ollama, vLLM, llama.cpp). */
const embeddingsEndpoint = (url: string) =>
  http.post(url, async ({ request }) => {
    if (isFailing) return HttpResponse.json({ error: { message: 'upstream down', type: 'server_error' } }, { status: 500 });
    const body = (await request.json()) as { model: string; input: string[] };
    requests.push({ ...body, host: new URL(request.url).host, authorization: request.headers.get('authorization') });
    return HttpResponse.json({
      object: 'list',
      model: body.model,
      data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  });
const server = setupServer(embeddingsEndpoint('https://api.openai.com/v1/embeddings'), embeddingsEndpoint('http://embeddings.local:11434/v1/embeddings'));

const config = parseConfig({ NODE_ENV: 'test', OPENAI_API_KEY: 'sk-test-key', DATA_DIR: os.tmpdir() });
const log = createLogger({ level: 'silent' });
let db: TDb;
let dir: string;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  dir = makeTempDir('docs-embed-');
  writeFileSync(path.join(dir, 'slack.md'), '# Slack\n\n## Bot token\n\nCreate an app and copy its bot token.\n\n## Channel\n\nInvite the bot to the channel.\n');
  writeFileSync(path.join(dir, 'deploy.md'), '# Deploy\n\n## Node server\n\nRun npm start behind a proxy.\n');
  db = await createTestDb();
});
afterEach(() => {
  isFailing = false;
});
afterAll(async () => {
  server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('embeddings', () => {
  it('are on only with OPENAI_API_KEY, with text-embedding-3-small by default', () => {
    expect(createEmbedder(parseConfig({ NODE_ENV: 'test' }))).toBeNull();
    expect(createEmbedder(parseConfig({ NODE_ENV: 'test', OPENAI_BASE_URL: 'http://localhost:11434/v1' }))).toBeNull();
    expect(getEmbedder(config)?.model).toBe('text-embedding-3-small');
    expect(docsSearchMode(getEmbedder(config))).toBe('hybrid');
    expect(docsSearchMode(getEmbedder(parseConfig({ NODE_ENV: 'test' })))).toBe('fulltext');
  });

  it('embeds every section when indexing, and only changed sections on a re-index', async () => {
    const report = await indexDocs({ db, docsDir: dir, embedder: getEmbedder(config) });
    expect(report.embeddingError).toBeNull();
    expect(report.embedded).toBe(3);
    expect(requests.at(-1)?.model).toBe('text-embedding-3-small');
    expect(await getDocsIndexStats({ db })).toMatchObject({ sections: 3, embedded: 3 });

    requests.length = 0;
    writeFileSync(path.join(dir, 'slack.md'), '# Slack\n\n## Bot token\n\nCreate an app and copy its bot token.\n\n## Channel\n\nInvite the bot to the right channel.\n');
    const again = await indexDocs({ db, docsDir: dir, embedder: getEmbedder(config) });
    expect(again.indexed).toEqual(['slack.md']);
    expect(again.embedded).toBe(1);
    expect(requests.flatMap((request) => request.input)).toEqual([expect.stringContaining('Invite the bot to the right channel.')]);
    expect((await listDocsSectionsByPath({ db, path: 'slack.md' })).every((section) => section.has_embedding)).toBe(true);
  });

  it('fuses the embedding ranking with full-text: a question in other words still finds the section', async () => {
    // No word of this question occurs in the docs; its embedding is close to the deployment section's.
    const results = await searchDocs({ access: PUBLIC_ACCESS, deps: { db, log, embedder: getEmbedder(config) }, prompt: 'hosting on vercel', source: 'assistant' });
    expect(results[0]).toMatchObject({ path: 'deploy.md', url: '/docs/deploy#node-server' });
    expect(results[0]?.similarity).toBeGreaterThan(0.9);
    expect(requests.at(-1)?.input).toEqual(['hosting on vercel']);
  });

  it('falls back to full-text search when the embeddings API fails, and reports it when indexing', async () => {
    isFailing = true;
    const results = await searchDocs({ access: PUBLIC_ACCESS, deps: { db, log, embedder: getEmbedder(config) }, prompt: 'bot token please', source: 'site' });
    expect(results[0]).toMatchObject({ path: 'slack.md', url: '/docs/slack#bot-token' });

    writeFileSync(path.join(dir, 'deploy.md'), '# Deploy\n\n## Node server\n\nRun npm start behind a reverse proxy.\n');
    const report = await indexDocs({ db, docsDir: dir, embedder: getEmbedder(config) });
    expect(report.indexed).toEqual(['deploy.md']);
    expect(report.embeddingError).toMatch(/500|upstream/);
    expect(await getDocsIndexStats({ db })).toMatchObject({ sections: 3, embedded: 2 });

    isFailing = false;
    const retried = await indexDocs({ db, docsDir: dir, embedder: getEmbedder(config) });
    expect(retried.embedded).toBe(1);
    expect(await getDocsIndexStats({ db })).toMatchObject({ embedded: 3 });
  });
});

describe('embeddings from their own server (EMBEDDINGS_BASE_URL)', () => {
  const local = parseConfig({ NODE_ENV: 'test', DATA_DIR: os.tmpdir(), EMBEDDINGS_BASE_URL: 'http://embeddings.local:11434/v1', EMBEDDINGS_MODEL: 'nomic-embed-text' });

  it('work with the offline assistant and no key, and the model name is EMBEDDINGS_MODEL', () => {
    expect(local.model.mode).toBe('offline');
    expect(getEmbedder(local)?.model).toBe('nomic-embed-text');
    expect(docsSearchMode(getEmbedder(local))).toBe('hybrid');
    // Beside a chat model on another server, embeddings still go where EMBEDDINGS_BASE_URL says.
    const both = parseConfig({ NODE_ENV: 'test', OPENAI_BASE_URL: 'http://chat.local/v1', EMBEDDINGS_BASE_URL: 'http://embeddings.local:11434/v1' });
    expect(both.embeddings).toMatchObject({ baseURL: 'http://embeddings.local:11434/v1', model: 'text-embedding-3-small' });
    expect(() => parseConfig({ NODE_ENV: 'test', EMBEDDINGS_BASE_URL: 'not a url' })).toThrow(/EMBEDDINGS_BASE_URL/);
  });

  it('embed the sections under that model, re-embed those of another model, and rank a query by them', async () => {
    requests.length = 0;
    const report = await indexDocs({ db, docsDir: dir, embedder: getEmbedder(local) });
    expect(report.embeddingError).toBeNull();
    // Every section had an embedding of text-embedding-3-small: none counts for nomic-embed-text.
    expect(report.embedded).toBe(3);
    expect(new Set(requests.map((request) => `${request.host} ${request.model}`))).toEqual(new Set(['embeddings.local:11434 nomic-embed-text']));
    // No key configured: a placeholder, never another service's key.
    expect(requests[0]?.authorization).toBe('Bearer no-key');

    const results = await searchDocs({ access: PUBLIC_ACCESS, deps: { db, log, embedder: getEmbedder(local) }, prompt: 'hosting on vercel', source: 'assistant' });
    expect(results[0]).toMatchObject({ path: 'deploy.md' });
    expect(results[0]?.similarity).toBeGreaterThan(0.9);
    expect(requests.at(-1)).toMatchObject({ host: 'embeddings.local:11434', model: 'nomic-embed-text', input: ['hosting on vercel'] });
  });
});
