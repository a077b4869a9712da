import OpenAI from 'openai';
import type { TEmbeddingsConfig } from '../../model/settings';
import { listDocsSectionsMissingEmbedding, setDocsSectionEmbeddings } from '../../db/docs-index';
import type { TDb } from '../../db/types';

// Section and query embeddings (text-embedding-3-small by default), when config.embeddings says where from:
// EMBEDDINGS_BASE_URL (any OpenAI-compatible /embeddings: Ollama, vLLM, llama.cpp, OpenAI), or else the model's
// OPENAI_API_KEY (and OPENAI_BASE_URL when set). Otherwise the docs search is full-text only; a failing embeddings
// API degrades it to full-text, never fails a search or an index run.

/** What the embedder is built from: the configuration's embeddings (EMBEDDINGS_*; lib/model/settings.ts). */
export type TEmbedderConfig = { embeddings: TEmbeddingsConfig };

export type TEmbedder = { model: string; embed(texts: string[], options?: { retries?: number }): Promise<number[][]> };

export const EMBEDDING_BATCH_SIZE = 96;
const QUERY_CACHE_SIZE = 200;

const embedders = new WeakMap<TEmbedderConfig, TEmbedder | null>();

export function getEmbedder(config: TEmbedderConfig): TEmbedder | null {
  if (!embedders.has(config)) embedders.set(config, createEmbedder(config));
  return embedders.get(config) ?? null;
}

export function createEmbedder(config: TEmbedderConfig): TEmbedder | null {
  const source = config.embeddings;
  if (!source) return null;
  // Retries are ours, not the SDK's: a search must not wait for one (it falls back to full text), indexing may.
  const client = new OpenAI({ apiKey: source.apiKey, baseURL: source.baseURL, maxRetries: 0, timeout: 20_000 });
  const model = source.model;
  return {
    model,
    async embed(texts, { retries = 0 } = {}) {
      if (texts.length === 0) return [];
      let response;
      for (let attempt = 0; ; attempt += 1) {
        try {
          response = await client.embeddings.create({ model, input: texts, encoding_format: 'float' });
          break;
        } catch (error) {
          const status = (error as { status?: number }).status;
          const isRetryable = status === undefined || status === 429 || status >= 500;
          if (attempt >= retries || !isRetryable) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
        }
      }
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
      if (vectors.length !== texts.length) throw new Error(`expected ${texts.length} embeddings, got ${vectors.length}`);
      return vectors;
    },
  };
}

const queryCaches = new WeakMap<TEmbedder, Map<string, number[]>>();

/** A query's embedding, remembered for the last few hundred queries (the assistant often repeats itself). */
export async function embedQuery(embedder: TEmbedder, query: string): Promise<number[]> {
  let cache = queryCaches.get(embedder);
  if (!cache) {
    cache = new Map();
    queryCaches.set(embedder, cache);
  }
  const key = query.trim().toLowerCase();
  const cached = cache.get(key);
  if (cached) return cached;
  const [vector] = await embedder.embed([query]);
  if (!vector) throw new Error('no embedding returned');
  cache.set(key, vector);
  if (cache.size > QUERY_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return vector;
}

/**
 * Embeds every section that has no embedding of the embedder's model yet; returns how many it embedded. The write
 * pipeline (./pipeline.ts) calls it after a run; start-up calls it in the background, after the folder's load.
 */
export async function embedMissingSections({ db, embedder }: { db: TDb; embedder: TEmbedder }): Promise<number> {
  let embedded = 0;
  for (;;) {
    const batch = await listDocsSectionsMissingEmbedding({ db, model: embedder.model, limit: EMBEDDING_BATCH_SIZE });
    if (batch.length === 0) return embedded;
    const vectors = await embedder.embed(batch.map((section) => section.text), { retries: 1 });
    embedded += await setDocsSectionEmbeddings({
      db,
      model: embedder.model,
      embeddings: batch.map((section, index) => ({ id: section.id, embedding: vectors[index] ?? [] })),
    });
  }
}
