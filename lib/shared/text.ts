// Text that Postgres can store. `text` and `jsonb` reject U+0000 and unpaired UTF-16 surrogates, so anything a
// model (or any other outside source) writes passes through toStorableText before it is saved.

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNPAIRED_SURROGATES = new RegExp(UNPAIRED_SURROGATE.source, 'g');

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

/**
 * Replaces each unpaired surrogate with U+FFFD (what a UTF-8 decoder shows), then drops NUL characters.
 * Pairing is judged on the text as written, before NULs go, so the result is the same whether the text is
 * cleaned whole or piece by piece (a high surrogate held back until its next piece, lib/assistant/draft.ts).
 */
export function toStorableText(text: string): string {
  if (isStorableText(text)) return text;
  return text.replace(UNPAIRED_SURROGATES, '\uFFFD').replaceAll('\u0000', '');
}

/** Every string inside a JSON value made storable (model output: tool call arguments, annotations, metadata). */
export function toStorableJson<T>(value: T): T {
  if (typeof value === 'string') return toStorableText(value) as T;
  if (Array.isArray(value)) return value.map((item) => toStorableJson(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [toStorableText(key), toStorableJson(item)])) as T;
  }
  return value;
}

/**
 * A signed delivery's JSON (Slack's events and interactions, Discord's interactions, GitHub's webhook), every string
 * and key made storable (toStorableText: NULs dropped, unpaired surrogates as U+FFFD). A signature says who sent the
 * bytes, not that Postgres can store them; what a person wrote there (a question, a maintainer's comment) reaches
 * its conversation without the characters no one can see, rather than being refused or lost. Ids are cleaned the
 * same way, which grants nothing: a sender who can sign `U0\u0000` can sign `U0` as well. Throws as JSON.parse does.
 */
export function parseSignedJson(text: string): unknown {
  return toStorableJson(JSON.parse(text) as unknown);
}

/** `text` as a regular expression that matches it literally: words from readers, docs or deliveries are never a pattern. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
