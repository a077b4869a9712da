import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';

// Which of Next.js's own spans are exported (./start.ts puts this processor before the batch), with
// OTEL_NEXT_SPANS off, the default. A trace is then a request, or a piece of this server's own work:
//   - a span of Next's that starts a trace without being a request is not exported: at start-up Next loads every
//     route's code, one "load route module" root each (75 of the 98 traces one page session exported, issue 67),
//     then "load instrumentation module" and "register instrumentation";
//   - within a request, Next's loading of code ("resolve page components", "load route module", "prepare route
//     module") is not exported either: it is the same every time, and instant once the code is loaded.
// Kept: Next's request span, the root of every request's trace (method, route, status), its middleware,
// getServerSideProps, rendering, and the API route's handler (the parent of this server's `route …` span).
// A span left out never leaves an exported span without its parent: one that has a span of another kind started
// beneath it is exported after all. OTEL_NEXT_SPANS=on exports every span, as Next made it.

/** Next's tracer (next/dist/server/lib/trace/tracer.js: `trace.getTracer('next.js', …)`). */
const NEXT_SCOPE = 'next.js';
/** Next's span of a request: `BaseServer.handleRequest`, or the middleware adapter's root. */
const REQUEST_TYPES = new Set(['BaseServer.handleRequest', 'Next.request']);
/** Next's loading of code (next/dist/server/lib/trace/constants.js). */
const LOADING_TYPES = new Set([
  'LoadComponents.loadRouteModule',
  'NextNodeServer.findPageComponents',
  'RouteModule.prepare',
  'Instrumentation.loadModule',
  'Instrumentation.register',
]);

const typeOf = (span: ReadableSpan) => span.attributes['next.span_type'];

/** A span of Next's that is not exported unless a span of another kind starts beneath it. */
export function isLeftOut(span: ReadableSpan): boolean {
  if (span.instrumentationScope.name !== NEXT_SCOPE) return false;
  const type = typeOf(span);
  if (typeof type === 'string' && REQUEST_TYPES.has(type)) return false;
  return span.parentSpanContext === undefined || (typeof type === 'string' && LOADING_TYPES.has(type));
}

/** `next`, with Next's noise (above) kept from it. */
export function withoutNextNoise(next: SpanProcessor): SpanProcessor {
  // The spans left out that are still open, by id: their parent's id, and whether they must be exported after all.
  const open = new Map<string, { parentId: string | undefined; isNeeded: boolean }>();
  const markNeeded = (id: string | undefined) => {
    for (let entry = id === undefined ? undefined : open.get(id); entry && !entry.isNeeded; entry = entry.parentId === undefined ? undefined : open.get(entry.parentId)) {
      entry.isNeeded = true;
    }
  };
  return {
    onStart(span: Span, parentContext: Context) {
      const parentId = span.parentSpanContext?.spanId;
      if (isLeftOut(span)) open.set(span.spanContext().spanId, { parentId, isNeeded: false });
      else markNeeded(parentId);
      next.onStart(span, parentContext);
    },
    onEnd(span: ReadableSpan) {
      const id = span.spanContext().spanId;
      const entry = open.get(id);
      open.delete(id);
      if (entry && !entry.isNeeded) return;
      next.onEnd(span);
    },
    forceFlush: () => next.forceFlush(),
    shutdown: () => next.shutdown(),
  };
}
