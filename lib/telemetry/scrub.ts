import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';

// The last check before a span leaves the process, for the spans this server does not write itself: Next.js's
// own (the request's root span carries the URL it was asked, whose query string may hold a reader's words:
// `?q=…`). With OTEL_RECORD_CONTENT off, URL attributes lose their query string and fragment. The server's own
// spans never carry text in the first place (lib/telemetry/index.ts).

const URL_KEYS = new Set(['http.target', 'http.url', 'url.full', 'url.query', 'url.fragment', 'next.rsc', 'http.request.header.referer']);

function withoutQuery(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const at = value.search(/[?#]/);
  return at < 0 ? value : value.slice(0, at);
}

export function scrubAttributes(attributes: Attributes): Attributes {
  let scrubbed: Attributes | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    if (!URL_KEYS.has(key)) continue;
    scrubbed ??= { ...attributes };
    if (key === 'url.query' || key === 'url.fragment') delete scrubbed[key];
    else scrubbed[key] = withoutQuery(value) as string;
  }
  return scrubbed ?? attributes;
}

/** The span as exported with OTEL_RECORD_CONTENT off: the same span, its URL attributes without their query. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  const attributes = scrubAttributes(span.attributes);
  const name = /[?#]/.test(span.name) ? (withoutQuery(span.name) as string) : span.name;
  if (attributes === span.attributes && name === span.name) return span;
  // The exporter reads fields and calls spanContext(): an object whose prototype is the span keeps both.
  return Object.create(span, { attributes: { value: attributes }, name: { value: name } }) as ReadableSpan;
}
