import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '@/lib/model';
import { parseConfig } from '@/lib/config';
import type { TDb } from '@/lib/db/types';
import { applyOrder, parseRerankReply, RERANK_INSTRUCTIONS, searchDocsWithModel } from '@/lib/docs/search/model-rerank';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { indexIntoMemory } from '../../scripts/lib/search-eval';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The search with a model (lib/docs/search/model-rerank.ts) against a Chat Completions server on 127.0.0.1 that answers
// as the test says: the model's order is applied, a weak query's rewrite is searched, and every failure (prose,
// ids out of range, an error status, a hang past the time limit) leaves the lexical order as it was.

type TReply = { status: number; content?: string; hangMs?: number };

let db: TDb;
let server: http.Server;
let url: string;
let reply: (request: any) => TReply = () => ({ status: 500 });
const requests: any[] = [];
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  ({ db } = await indexIntoMemory(path.resolve(import.meta.dirname, '../fixtures/docs')));
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body);
      requests.push(request);
      const { status, content, hangMs } = reply(request);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          status === 200
            ? JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] })
            : JSON.stringify({ error: { message: 'down', type: 'server_error' } }),
        );
      }, hangMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await db?.close();
});

function search(prompt: string, timeoutMs = 2000) {
  const config = parseConfig({ OPENAI_BASE_URL: url, OPENAI_API_STYLE: 'chat', OPENAI_MODEL: 'm', OPENAI_MAX_RETRIES: '0' });
  const rerank = { model: createModelClient(config), timeoutMs, log };
  return searchDocsWithModel({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, rerank, prompt, limit: 8, source: 'site' });
}

const lexicalUrls = async (prompt: string) => (await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt, limit: 20, source: 'site' })).results.map((hit) => hit.url);

describe('search with a model', () => {
  it('sends the query and numbered candidates as data, and applies the order the model gives', async () => {
    const lexical = await lexicalUrls('slack token');
    expect(lexical.length).toBeGreaterThan(2);
    reply = () => ({ status: 200, content: `{"order": [${lexical.length}], "rewrite": null}` });
    const outcome = await search('slack token');
    expect(outcome.isReranked).toBe(true);
    // The model's pick leads; the rest follow (in the lexical order, up to ties: see below).
    expect(outcome.results[0]?.url).toBe(lexical.at(-1));
    expect(outcome.results.map((hit) => hit.url).sort()).toEqual([...lexical].slice(0, 8).sort());
    const sent = requests.at(-1);
    expect(sent.messages[0]).toEqual({ role: 'system', content: RERANK_INSTRUCTIONS });
    const payload = JSON.parse(sent.messages[1].content);
    expect(payload.query).toBe('slack token');
    expect(payload.candidates.map((candidate: { id: number }) => candidate.id)).toEqual(lexical.map((_, index) => index + 1));
  });

  it('keeps the lexical order when the reply is prose, names ids that do not exist, fails, or comes too late', async () => {
    for (const failure of [
      { status: 200, content: 'The best section is the second one.' },
      { status: 200, content: '{"order": [99]}' },
      { status: 500 },
      { status: 200, content: '{"order": [2, 1]}', hangMs: 1500 },
    ] satisfies TReply[]) {
      reply = () => failure;
      const lexical = (await lexicalUrls('slack token')).slice(0, 8);
      const outcome = await search('slack token', 300);
      expect(outcome.isReranked, JSON.stringify(failure)).toBe(false);
      // Sections the ranking scores equal may swap between two runs of it (Postgres's cached plans): compared as
      // the lexical best first, then the same sections.
      const urls = outcome.results.map((hit) => hit.url);
      expect(urls[0], JSON.stringify(failure)).toBe(lexical[0]);
      expect([...urls].sort(), JSON.stringify(failure)).toEqual([...lexical].sort());
    }
  });

  it('searches the model\'s rewrite of a weak query, and keeps the weak result when the rewrite finds nothing better', async () => {
    reply = () => ({ status: 200, content: '```json\n{"order": [], "rewrite": "slack bot token"}\n```' });
    const rewritten = await search('the chat thing from the other company');
    expect(rewritten.rewrite).toBe('slack bot token');
    expect(rewritten.isWeak).toBe(false);
    expect(rewritten.results[0]?.path).toMatch(/slack/);

    reply = () => ({ status: 200, content: '{"order": [], "rewrite": "zzqx nothing"}' });
    const kept = await search('the chat thing from the other company');
    expect(kept.rewrite).toBeUndefined();
    expect(kept.isWeak).toBe(true);
  });

  it('parses JSON in a fenced block or bare, and refuses what the schema does not allow', () => {
    expect(parseRerankReply('```json\n{"order":[3,1]}\n```')).toEqual({ order: [3, 1] });
    expect(parseRerankReply('{"order":[0]}')).toBeNull();
    expect(parseRerankReply('{"order":"1,2"}')).toBeNull();
    expect(parseRerankReply('no json')).toBeNull();
    expect(applyOrder(['a', 'b', 'c'], [3, 3, 9])).toEqual(['c', 'a', 'b']);
  });
});
