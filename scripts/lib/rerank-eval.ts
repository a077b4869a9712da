import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createModelClient } from '@/lib/model';
import { parseConfig } from '@/lib/config';
import type { TDb } from '@/lib/db/types';
import { DEFAULT_RERANK_TIMEOUT_MS, searchDocsWithModel } from '@/lib/docs/search/model-rerank';
import { createLogger } from '@/lib/log';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The model path of the search (lib/docs/search/model-rerank.ts) measured without a real model: a fake Chat Completions
// server on 127.0.0.1 answers each rerank request. Its reranking is a simple signal independent of our ranking —
// candidates whose page title (the component or page name) shares a word with the query move up, ties keep the
// lexical order — and it never rewrites. So the figure shows the plumbing working end to end (prompt out, JSON
// back, validated, applied, fallback on failure), not what a real model would score: a deployment with a model
// gets the model's judgement in place of this signal.

const words = (text: string) => new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length > 2));

/** The fake's ranking: ids of the candidates whose title shares a word with the query, first, in their order. */
export function titleOverlapOrder(query: string, candidates: { id: number; title: string }[]): number[] {
  const asked = words(query);
  const matches = (title: string) => [...words(title)].some((word) => asked.has(word) || asked.has(`${word}s`) || asked.has(word.replace(/s$/, '')));
  return [...candidates.filter((candidate) => matches(candidate.title)), ...candidates.filter((candidate) => !matches(candidate.title))].map((candidate) => candidate.id);
}

export async function startFakeReranker(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests += 1;
      const request = JSON.parse(body) as { messages: { role: string; content: string }[] };
      const user = JSON.parse(request.messages.find((message) => message.role === 'user')?.content ?? '{}') as {
        query: string;
        candidates: { id: number; title: string }[];
      };
      const content = JSON.stringify({ order: titleOverlapOrder(user.query, user.candidates ?? []), rewrite: null });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl_${requests}`,
          object: 'chat.completion',
          created: 0,
          model: 'fake-reranker',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          usage: { prompt_tokens: 400, completion_tokens: 40, total_tokens: 440 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The search as a deployment with a model runs it, against the fake at `url`; returns page paths, best first. */
export function modelRerankedSearch(db: TDb, url: string, limit = 10) {
  const config = parseConfig({ OPENAI_BASE_URL: url, OPENAI_API_STYLE: 'chat', OPENAI_MODEL: 'fake-reranker', OPENAI_MAX_RETRIES: '0' });
  const log = createLogger({ level: 'silent' });
  const rerank = { model: createModelClient(config), timeoutMs: DEFAULT_RERANK_TIMEOUT_MS, log };
  return async (query: string) =>
    (await searchDocsWithModel({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, rerank, prompt: query, limit, source: 'site' })).results.map((hit) => hit.path);
}
