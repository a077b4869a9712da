import { metrics as metricsApi } from '@opentelemetry/api';
import type { ReadableSpan, Sampler, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { createInstruments, type TInstruments } from './metrics';
import { withoutNextNoise } from './next-spans';
import { scrubSpan } from './scrub';
import type { TTelemetryConfig, TTelemetryExport } from './settings';
import { setTelemetryState, type TTelemetryState } from './state';

// Wires OpenTelemetry's SDK, once per process, from the validated settings (./settings.ts): a tracer provider
// with a batch of spans sent over OTLP/HTTP, a meter provider read every OTEL_METRIC_EXPORT_INTERVAL, both with
// the service's name. Started by boot (lib/boot.ts, from instrumentation.ts: the Node runtime only) before the
// app is built. (`next start` is the server everywhere, `npm start` included: scripts/start.mjs only spawns it.)
//
// Contract: with no endpoint nothing is loaded, made or registered (the SDK's packages are imported only here,
// and only then), and the API stays the no-op it is. Every span passes through the scrubber (./scrub.ts) on its
// way out, whatever OTEL_RECORD_CONTENT says; Next.js's noise is kept out first (./next-spans.ts) unless
// OTEL_NEXT_SPANS=on. The exporters get their URLs and headers from the settings, so what the SDK would read from the
// environment by itself agrees with what was validated.

export type TStartTelemetry = { config: TTelemetryConfig; mask: (text: string) => string };

export async function startTelemetry({ config, mask }: TStartTelemetry): Promise<TTelemetryState | undefined> {
  const holder = globalThis as { __pasteTelemetry?: TTelemetryState };
  if (holder.__pasteTelemetry) return holder.__pasteTelemetry;
  const exporting = config.export;
  if (!exporting) return undefined;
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const resource = resourceFromAttributes({ 'service.name': exporting.serviceName });
  const stops: (() => Promise<void>)[] = [];
  let isTracing = false;
  if (exporting.tracesUrl) {
    const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
    const exporter = scrubbingExporter(await traceExporter(exporting));
    const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: exporting.spanDelayMs });
    const provider = new NodeTracerProvider({
      resource,
      sampler: await samplerOf(exporting.sampler),
      spanProcessors: [config.isEveryNextSpanExported ? batch : withoutNextNoise(batch)],
    });
    // The W3C trace context propagator and the AsyncLocalStorage context manager, as the API's globals.
    provider.register();
    stops.push(() => provider.shutdown());
    isTracing = true;
  }
  let instruments: TInstruments | null = null;
  if (exporting.metricsUrl) {
    const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
    const reader = new PeriodicExportingMetricReader({
      exporter: await metricExporter(exporting),
      exportIntervalMillis: exporting.metricIntervalMs,
      exportTimeoutMillis: Math.min(30_000, exporting.metricIntervalMs),
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    metricsApi.setGlobalMeterProvider(provider);
    instruments = createInstruments(provider.getMeter('paste-assistant'), () => state.depths?.() ?? null);
    stops.push(() => provider.shutdown());
  }
  const state: TTelemetryState = {
    isTracing,
    isContentRecorded: config.isContentRecorded,
    mask,
    instruments,
    depths: null,
    async shutdown() {
      await Promise.allSettled(stops.map((stop) => stop()));
    },
  };
  setTelemetryState(state);
  // What is batched goes out when the process runs out of work. No signal handler is added here: a listener
  // would change how `next start` stops (it exits on SIGTERM by itself); spans of its last seconds may be lost then.
  process.once('beforeExit', () => void state.shutdown());
  return state;
}

/** Exports what is buffered and stops (a command-line tool that started telemetry, before it exits). */
export async function stopTelemetry(): Promise<void> {
  const holder = globalThis as { __pasteTelemetry?: TTelemetryState };
  const state = holder.__pasteTelemetry;
  setTelemetryState(undefined);
  await state?.shutdown();
}

async function traceExporter({ tracesUrl, protocol, headers }: TTelemetryExport): Promise<SpanExporter> {
  const options = { url: tracesUrl ?? undefined, headers };
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(options);
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(options);
}

async function metricExporter({ metricsUrl, protocol, headers }: TTelemetryExport) {
  const options = { url: metricsUrl ?? undefined, headers };
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter(options);
  return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(options);
}

async function samplerOf({ name, ratio }: TTelemetryExport['sampler']): Promise<Sampler> {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = await import('@opentelemetry/sdk-trace-node');
  const root = name.endsWith('always_off') ? new AlwaysOffSampler() : name.endsWith('traceidratio') ? new TraceIdRatioBasedSampler(ratio) : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/** Every span leaves through the scrubber (./scrub.ts). */
function scrubbingExporter(exporter: SpanExporter): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done) => exporter.export(spans.map(scrubSpan), done),
    shutdown: () => exporter.shutdown(),
    forceFlush: exporter.forceFlush ? () => exporter.forceFlush!() : undefined,
  };
}
