import { z } from 'zod';
import { ConfigError, defineSettings, intInRange, optionalString, optionalUrl } from '../settings';

// The model's settings: which model answers (OpenAI's Responses API, any Chat Completions server, or the offline
// model), where embeddings come from, the moderation endpoint, and the testing knobs of the offline model.

// A current small model (March 2026) that is good at tool use; OPENAI_MODEL overrides it.
export const DEFAULT_MODEL = 'gpt-5.4-mini';
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
export const DEFAULT_MODERATION_MODEL = 'omni-moderation-latest';
// Moderation is OpenAI's endpoint even when OPENAI_BASE_URL points the model at another server (Ollama, vLLM…).
export const DEFAULT_MODERATION_BASE_URL = 'https://api.openai.com/v1';

export type TModelConfig =
  | { mode: 'offline' }
  | {
      mode: 'openai';
      style: 'responses' | 'chat';
      apiKey?: string;
      baseURL?: string;
      model: string;
      timeoutMs: number;
      maxRetries: number;
      retryBaseMs: number;
      contextTokens: number;
      /** The model takes image inputs: a question's screenshots go to it as images too (MODEL_VISION). */
      isVision: boolean;
    };

/** Where section and query embeddings come from; null: the docs search is full-text only. */
export type TEmbeddingsConfig = null | { baseURL?: string; apiKey: string; model: string };

export type TModerationConfig = { mode: 'off' } | { mode: 'openai'; apiKey: string; baseURL: string; model: string; timeoutMs: number };

export type TModelSettings = {
  model: TModelConfig;
  embeddings: TEmbeddingsConfig;
  moderation: TModerationConfig;
  modelTimeoutMs: number;
  /** Knobs for tests and demos; all off by default. */
  testing: { offlineModelDelayMs: number; offlineModelPieceMs: number };
};

export const modelSettings = defineSettings(
  {
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl('OPENAI_BASE_URL'),
    OPENAI_API_STYLE: z
      .enum(['responses', 'chat'])
      .optional()
      .or(z.literal('').transform(() => undefined)),
    OPENAI_MODEL: optionalString,
    OPENAI_EMBEDDING_MODEL: optionalString,
    // Embeddings from their own OpenAI-compatible server (Ollama, vLLM, llama.cpp, OpenAI), whatever answers the
    // questions — the offline assistant included. EMBEDDINGS_MODEL wins over OPENAI_EMBEDDING_MODEL.
    EMBEDDINGS_BASE_URL: optionalUrl('EMBEDDINGS_BASE_URL'),
    EMBEDDINGS_MODEL: optionalString,
    EMBEDDINGS_API_KEY: optionalString,
    // Per attempt; the SDK retries timeouts too, so a call can take (OPENAI_MAX_RETRIES + 1) times this.
    OPENAI_TIMEOUT_MS: intInRange(60_000, 10, 600_000),
    OPENAI_MAX_RETRIES: intInRange(2, 0, 10),
    // First retry delay; each retry doubles it (with jitter), up to 16 times this.
    OPENAI_RETRY_BASE_MS: intInRange(500, 0, 60_000),
    // Estimated tokens of conversation sent per model call; the oldest turns are dropped first.
    OPENAI_CONTEXT_TOKENS: intInRange(12_000, 1_000, 1_000_000),
    // The model takes images (gpt-5.4-mini, llava, qwen2.5-vl…): a question's screenshots go to it as image inputs,
    // besides the text read in them. Off by default: many local models refuse a request with an image in it.
    MODEL_VISION: z.enum(['true', 'false']).default('false').or(z.literal('').transform(() => 'false' as const)),
    // Testing and demos only: the offline model waits this long before each response, so that a run stays
    // pending long enough to watch it (reload mid-run, Stop). 0 (the default) answers at once.
    OFFLINE_MODEL_DELAY_MS: intInRange(0, 0, 120_000),
    // Testing and demos only: the offline model waits this long between the words of its answer, so that the
    // answer is seen being written. 0 (the default) streams it at once.
    OFFLINE_MODEL_PIECE_MS: intInRange(0, 0, 10_000),
    // The whole model call of one run step, whatever the adapter (its own timeouts and retries included).
    MODEL_TIMEOUT_SECONDS: intInRange(180, 1, 1800),
    MODERATION: z.enum(['auto', 'off']).default('auto').or(z.literal('').transform(() => 'auto' as const)),
    OPENAI_MODERATION_MODEL: optionalString,
    OPENAI_MODERATION_BASE_URL: optionalUrl('OPENAI_MODERATION_BASE_URL'),
  },
  (env): TModelSettings => {
    if (env.OPENAI_API_STYLE !== undefined && env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined) {
      throw new ConfigError('OPENAI_API_STYLE is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is');
    }
    if (env.OPENAI_MODEL !== undefined && env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined) {
      throw new ConfigError('OPENAI_MODEL is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is');
    }
    const model: TModelConfig =
      env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined
        ? { mode: 'offline' }
        : {
            mode: 'openai',
            // A custom base URL is most often a Chat Completions server (Ollama, vLLM, llama.cpp, LM Studio).
            style: env.OPENAI_API_STYLE ?? (env.OPENAI_BASE_URL ? 'chat' : 'responses'),
            apiKey: env.OPENAI_API_KEY,
            baseURL: env.OPENAI_BASE_URL,
            model: env.OPENAI_MODEL ?? DEFAULT_MODEL,
            timeoutMs: env.OPENAI_TIMEOUT_MS,
            maxRetries: env.OPENAI_MAX_RETRIES,
            retryBaseMs: env.OPENAI_RETRY_BASE_MS,
            contextTokens: env.OPENAI_CONTEXT_TOKENS,
            isVision: env.MODEL_VISION === 'true',
          };
    const embeddingModel = env.EMBEDDINGS_MODEL ?? env.OPENAI_EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL;
    const embeddings: TEmbeddingsConfig =
      env.EMBEDDINGS_BASE_URL !== undefined
        ? // A local embeddings server usually wants no key; the SDK needs one to send, so a placeholder goes.
          { baseURL: env.EMBEDDINGS_BASE_URL, apiKey: env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY ?? 'no-key', model: embeddingModel }
        : env.OPENAI_API_KEY !== undefined
          ? { baseURL: env.OPENAI_BASE_URL, apiKey: env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY, model: embeddingModel }
          : null;
    return {
      model,
      embeddings,
      moderation:
        env.MODERATION === 'off' || env.OPENAI_API_KEY === undefined
          ? { mode: 'off' }
          : {
              mode: 'openai',
              apiKey: env.OPENAI_API_KEY,
              baseURL: env.OPENAI_MODERATION_BASE_URL ?? DEFAULT_MODERATION_BASE_URL,
              model: env.OPENAI_MODERATION_MODEL ?? DEFAULT_MODERATION_MODEL,
              timeoutMs: 10_000,
            },
      modelTimeoutMs: env.MODEL_TIMEOUT_SECONDS * 1000,
      testing: { offlineModelDelayMs: env.OFFLINE_MODEL_DELAY_MS, offlineModelPieceMs: env.OFFLINE_MODEL_PIECE_MS },
    };
  },
);
