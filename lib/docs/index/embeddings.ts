import OpenAI from 'openai';
import type { TConfig } from '../../config';

// Section and query embeddings (text-embedding-3-small by default), when config.embeddings says where from:
// EMBEDDINGS_BASE_URL (any OpenAI-compatible /embeddings: Ollama, vLLM, llama.cpp, OpenAI), or else the model's
// OPENAI_API_KEY (and OPENAI_BASE_URL when set). Otherwise the docs search is full-text only; a failing embeddings
// API degrades it to full-text, never fails a search or an index run.

export type TEmbedder = { model: string; embed(texts: string[], options?: { retries?: number }): Promise<number[][]> };

export const EMBEDDING_BATCH_SIZE = 96;
const QUERY_CACHE_SIZE = 200;

const embedders = new WeakMap<TConfig, TEmbedder | null>();

export function getEmbedder(config: TConfig): TEmbedder | null {
  if (!embedders.has(config)) embedders.set(config, createEmbedder(config));
  return embedders.get(config) ?? null;
}

export function createEmbedder(config: TConfig): TEmbedder | null {
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
