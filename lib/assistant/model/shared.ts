import { TITLE_INSTRUCTIONS } from '../instructions';
import { collectSources, extractCitations } from './citations';
import type { TOpenAIModelConfig } from './client';
import { emptyAnswerError } from './errors';
import type { TInputItem, TModelOutput } from './types';

// What both adapters share: how an answer becomes a message output, and how a title is asked for.

// Title requests are cosmetic: they may not hold a reader's first message up for long.
export const TITLE_TIMEOUT_MS = 15_000;
export const TITLE_MAX_RETRIES = 1;

export type TAdapterOptions = { config: TOpenAIModelConfig; siteUrl: string };

export function toMessageOutput({
  text,
  input,
  siteUrl,
  isTruncated,
}: {
  text: string;
  input: TInputItem[];
  siteUrl: string;
  isTruncated: boolean;
}): TModelOutput {
  const clean = stripThinking(text).trim();
  if (clean === '') throw emptyAnswerError();
  const annotations = extractCitations({ text: clean, sources: collectSources(input), siteUrl });
  return { type: 'message', text: clean, annotations, metadata: isTruncated ? { truncated: true } : {} };
}

/** Some local reasoning models (served by Ollama, llama.cpp…) put their reasoning in <think> before the answer. */
export function stripThinking(text: string): string {
  return text.replace(/^\s*<think>[\s\S]*?<\/think>/, '');
}

export function titleRequest({ prompt, context }: { prompt: string; context?: string }) {
  const message = context ? `${prompt}\n\n${context}` : prompt;
  return { instructions: TITLE_INSTRUCTIONS, message };
}

export function titleRequestOptions(config: TOpenAIModelConfig, signal?: AbortSignal) {
  return {
    timeout: Math.min(config.timeoutMs, TITLE_TIMEOUT_MS),
    maxRetries: Math.min(config.maxRetries, TITLE_MAX_RETRIES),
    ...(signal ? { signal } : {}),
  };
}

export function errorContext(config: TOpenAIModelConfig, overrides: { timeoutMs?: number; maxRetries?: number } = {}) {
  return {
    model: config.model,
    timeoutMs: overrides.timeoutMs ?? config.timeoutMs,
    maxRetries: overrides.maxRetries ?? config.maxRetries,
  };
}
