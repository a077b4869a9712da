import {
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { TTelemetryState } from './state';

// What the rest of the server uses to be seen inside: spans (`withSpan`), the question's words only when asked
// for (`contentAttributes`), the trace carried across a queue or requests (`currentTraceparent`, `traceLinksOf`,
// `continuingTrace`), and the metrics (`metrics`). The SDK is wired by ./start.ts, once per process, only when an OTLP endpoint is set.
//
// Contract: with telemetry off (no endpoint) every function here is a check of one global and a plain call of
// what it wraps: no span object is made, nothing is exported, and no OpenTelemetry provider is registered.
// Private by default: callers pass ids, counts, kinds, durations and codes as attributes, never a reader's words,
// an answer's text, an address, a token or a key; text goes only through `contentAttributes`, which adds nothing
// unless OTEL_RECORD_CONTENT=on, and then masks it as stored text is (lib/privacy/mask.ts). An error is recorded
// by its type and code, never its message (a message may quote input).
//
// The state lives on globalThis: Next bundles instrumentation.ts and each route separately, each with its own
// copy of this module, and they must agree on whether telemetry is on.

const TRACER_NAME = 'paste-assistant';

/** A span that records nothing, handed to callbacks while telemetry is off. */
const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export function telemetryState(): TTelemetryState | undefined {
  return (globalThis as { __pasteTelemetry?: TTelemetryState }).__pasteTelemetry;
}

/** Whether spans are being recorded in this process (an endpoint for traces is set). */
export function isTracing(): boolean {
  return telemetryState()?.isTracing === true;
}

export type TSpanOptions = {
  kind?: 'internal' | 'server' | 'client' | 'consumer' | 'producer';
  /** Spans of other traces this one follows from (a question queued by one request, executed by another). */
  links?: Link[];
  /** The parent, instead of the active span (a queued delivery's own trace). */
  parent?: Context;
  /** Starts a new trace, with no parent (a background job's round), unless `parent` is given. */
  isRoot?: boolean;
};

const KINDS = { internal: SpanKind.INTERNAL, server: SpanKind.SERVER, client: SpanKind.CLIENT, consumer: SpanKind.CONSUMER, producer: SpanKind.PRODUCER };

/**
 * Runs `fn` inside a span named `name`, active for what `fn` calls (so their spans and log lines join it), ended
 * when `fn` settles; a throw marks it failed with the error's type and code. Telemetry off: `fn` is called as is.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T, options: TSpanOptions = {}): Promise<T> {
  const state = telemetryState();
  if (!state?.isTracing) {
    // Called at once, as without the span: what `fn` starts synchronously still does.
    try {
      return Promise.resolve(fn(NOOP_SPAN));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = options.parent ?? (options.isRoot ? ROOT_CONTEXT : contextApi.active());
  const span = tracer.startSpan(name, { attributes: cleanAttributes(attributes), kind: KINDS[options.kind ?? 'internal'], links: options.links }, parent);
  return contextApi.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records `error` on `span` by its type and code (never its message) and marks the span failed. */
export function markFailed(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const code = errorCode(error);
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) return code;
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'error';
}

/** Attributes without the undefined values (optional fields passed as they are). */
function cleanAttributes(attributes: Attributes): Attributes {
  const clean: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) clean[key] = value;
  return clean;
}

/** Sets attributes on the active span, if one is recording. */
export function setSpanAttributes(attributes: Attributes): void {
  if (!isTracing()) return;
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.setAttributes(cleanAttributes(attributes));
}

/** An event on the active span (a rate limit waited out, a retry), if one is recording. */
export function addSpanEvent(name: string, attributes: Attributes = {}): void {
  if (!isTracing()) return;
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.addEvent(name, cleanAttributes(attributes));
}

/**
 * `text` under `key`, masked as stored text is, only with OTEL_RECORD_CONTENT=on; otherwise no attribute at all.
 * The one way a reader's words or an answer's text reach a span.
 */
export function contentAttributes(key: string, text: string | undefined): Attributes {
  const state = telemetryState();
  if (!state?.isContentRecorded || text === undefined) return {};
  return { [key]: state.mask(text) };
}

/** The active span's trace as a W3C traceparent, to store with work another process or request picks up; undefined when not tracing. */
export function currentTraceparent(): string | undefined {
  if (!isTracing()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(contextApi.active(), carrier);
  return carrier.traceparent;
}

/** A context whose parent is the stored `traceparent` (the trace continues there); undefined when there is none. */
export function contextOfTraceparent(traceparent: unknown): Context | undefined {
  if (!isTracing() || typeof traceparent !== 'string') return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, { traceparent });
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/** A link to the stored `traceparent`'s span (work picked up apart from the request that queued it). */
export function traceLinksOf(traceparent: unknown): Link[] | undefined {
  const parent = contextOfTraceparent(traceparent);
  const spanContext = parent && trace.getSpanContext(parent);
  return spanContext ? [{ context: spanContext }] : undefined;
}

/** Links the active span to the stored `traceparent`'s span, unless it is of the same trace already. */
export function linkActiveSpan(traceparent: unknown): void {
  const links = traceLinksOf(traceparent);
  const span = trace.getActiveSpan();
  if (!links || !span?.isRecording() || links[0]!.context.traceId === span.spanContext().traceId) return;
  span.addLink(links[0]!);
}

/**
 * The options of a span that belongs to the trace of the stored `traceparent` though this request does it (the reader's
 * event stream of a run belongs to the question's trace, which the run recorded): its parent is the stored span, and
 * it links to the active span (this request's), which links to the stored one. So a trace UI shows the question's
 * trace whole, the stream in it, and each request's trace leads to the other. Empty (the active span is the parent,
 * as usual) without a stored traceparent, when it is of this trace already, or while not tracing.
 */
export function continuingTrace(traceparent: unknown): TSpanOptions {
  const parent = contextOfTraceparent(traceparent);
  const stored = parent && trace.getSpanContext(parent);
  const active = trace.getActiveSpan();
  if (!stored) return {};
  if (!active?.isRecording()) return { parent };
  if (active.spanContext().traceId === stored.traceId) return {};
  active.addLink({ context: stored });
  return { parent, links: [{ context: active.spanContext() }] };
}

/** The active span's ids, for log lines (lib/log.ts); undefined when no span is recording. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  if (!isTracing()) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || spanContext.traceId === INVALID_SPAN_CONTEXT.traceId) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

export { metrics, recordHandoff, recordHandoffRefused, observeDepths, type TDepths } from './metrics';
export type { Span } from '@opentelemetry/api';
