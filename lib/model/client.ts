import OpenAI from 'openai';
import type { TModelConfig } from './settings';

export type TOpenAIModelConfig = Extract<TModelConfig, { mode: 'openai' }>;

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

// Servers such as Ollama or llama.cpp take no key, but the SDK refuses to start without one.
const PLACEHOLDER_API_KEY = 'no-key';

// Waiting longer than this between attempts helps nobody who is waiting for an answer in a chat.
const MAX_SERVER_RETRY_AFTER_MS = 20_000;
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/**
 * The SDK client, configured only from our validated config: every option the SDK would otherwise read from
 * process.env (base URL, key, organisation, project, log level) is passed explicitly.
 */
export function createOpenAIClient(config: TOpenAIModelConfig): OpenAI {
  return new OpenAI({
    apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: config.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    logLevel: 'off',
    fetch: withRetryDelays(config.retryBaseMs),
  });
}

/**
 * The SDK does the retrying (bounded by maxRetries) and honours a `retry-after-ms` response header. This fetch
 * sets that header from our own schedule — retryBaseMs doubled per retry, with jitter — when the server gave no
 * delay, so that the backoff is configurable (tests use a few ms). A server that asks us to wait longer than
 * MAX_SERVER_RETRY_AFTER_MS, or says the account is out of quota, gets no retry: the run fails at once with the
 * rate-limit error instead of hanging.
 */
export function withRetryDelays(retryBaseMs: number): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    // Looked up per call, so that interceptors installed after the client was built (msw in tests) apply.
    const response = await globalThis.fetch(input, init);
    if (response.ok || !(RETRYABLE_STATUSES.has(response.status) || response.status >= 500)) return response;
    const headers = new Headers(response.headers);
    // Error bodies are small; reading it here rather than re-wrapping the stream keeps cancellation simple.
    const body = await response.arrayBuffer();
    const serverDelayMs = readServerDelayMs(headers);
    if (isQuotaExhausted(body) || (serverDelayMs !== undefined && serverDelayMs > MAX_SERVER_RETRY_AFTER_MS)) {
      headers.set('x-should-retry', 'false');
    } else if (serverDelayMs === undefined) {
      const retryCount = Number(new Headers(init?.headers).get('x-stainless-retry-count') ?? '0') || 0;
      const delay = Math.min(retryBaseMs * 2 ** retryCount, retryBaseMs * 16) * (1 - Math.random() * 0.25);
      headers.set('retry-after-ms', String(Math.round(delay)));
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** OpenAI answers 429 `insufficient_quota` when the account has no credit left: waiting won't fix that. */
function isQuotaExhausted(body: ArrayBuffer): boolean {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { error?: { code?: unknown } };
    return parsed.error?.code === 'insufficient_quota';
  } catch {
    return false;
  }
}

function readServerDelayMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
