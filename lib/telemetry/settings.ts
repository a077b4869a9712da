import { z } from 'zod';
import { ConfigError, defineSettings, intInRange, onOff, optionalString, optionalUrl } from '../settings';

// OpenTelemetry's standard variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/),
// the subset this server honours. Off unless an OTLP endpoint is set (the generic one or a signal's own): then
// traces and metrics are exported over OTLP/HTTP, protobuf or JSON. Nothing here reads a variable the SDK would
// read behind our back: lib/telemetry/start.ts hands the exporters every value explicitly.

export type TOtlpProtocol = 'http/protobuf' | 'http/json';

export type TTelemetryExport = {
  /** Full URLs of the OTLP/HTTP endpoints; null: that signal is not exported. */
  tracesUrl: string | null;
  metricsUrl: string | null;
  protocol: TOtlpProtocol;
  /** Sent with every export (an API key for the collector or vendor: never logged). */
  headers: Record<string, string>;
  serviceName: string;
  sampler: { name: TSamplerName; ratio: number };
  /** How often metrics are sent (OTEL_METRIC_EXPORT_INTERVAL) and spans batched (OTEL_BSP_SCHEDULE_DELAY), in ms. */
  metricIntervalMs: number;
  spanDelayMs: number;
};

export type TTelemetryConfig = {
  /** null: nothing is exported, no provider is registered (the API's no-op tracer and meter). */
  export: TTelemetryExport | null;
  /** OTEL_RECORD_CONTENT=on: spans carry readers' questions and answers, masked as stored text is. Off by default. */
  isContentRecorded: boolean;
  /** OTEL_NEXT_SPANS=on: every span Next.js makes is exported, its loading of code included (./next-spans.ts). Off by default. */
  isEveryNextSpanExported: boolean;
};

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TSamplerName = (typeof SAMPLERS)[number];

export const DEFAULT_SERVICE_NAME = 'paste-assistant';

export const telemetrySettings = defineSettings(
  {
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT'),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'),
    OTEL_EXPORTER_OTLP_PROTOCOL: z
      .enum(['http/protobuf', 'http/json'], { message: 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (grpc is not supported)' })
      .default('http/protobuf')
      .or(z.literal('').transform(() => 'http/protobuf' as const)),
    OTEL_EXPORTER_OTLP_HEADERS: optionalString,
    OTEL_SERVICE_NAME: optionalString,
    OTEL_TRACES_SAMPLER: z
      .enum(SAMPLERS, { message: `OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}` })
      .default('parentbased_always_on')
      .or(z.literal('').transform(() => 'parentbased_always_on' as const)),
    OTEL_TRACES_SAMPLER_ARG: optionalString,
    OTEL_METRIC_EXPORT_INTERVAL: intInRange(60_000, 100, 3_600_000),
    OTEL_BSP_SCHEDULE_DELAY: intInRange(5000, 10, 600_000),
    OTEL_RECORD_CONTENT: onOff('off'),
    OTEL_NEXT_SPANS: onOff('off'),
  },
  (env): { telemetry: TTelemetryConfig } => {
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
    // The generic endpoint is a base to which each signal's path is added; a signal's own endpoint is used as is.
    const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : null);
    const metricsUrl = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? (base ? `${base}/v1/metrics` : null);
    const isContentRecorded = env.OTEL_RECORD_CONTENT === 'on';
    const isEveryNextSpanExported = env.OTEL_NEXT_SPANS === 'on';
    if (tracesUrl === null && metricsUrl === null) return { telemetry: { export: null, isContentRecorded, isEveryNextSpanExported } };
    return {
      telemetry: {
        isContentRecorded,
        isEveryNextSpanExported,
        export: {
          tracesUrl,
          metricsUrl,
          protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
          headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
          serviceName: env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
          sampler: { name: env.OTEL_TRACES_SAMPLER, ratio: parseRatio(env.OTEL_TRACES_SAMPLER_ARG) },
          metricIntervalMs: env.OTEL_METRIC_EXPORT_INTERVAL,
          spanDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
        },
      },
    };
  },
);

/** `key1=value1,key2=value2`, values URL-encoded (the specification's W3C Baggage form). */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const name = at > 0 ? pair.slice(0, at).trim() : '';
    if (name === '' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // The value may be a secret: the message names the variable and the shape, never the text.
      throw new ConfigError('OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs separated by commas');
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError(`OTEL_EXPORTER_OTLP_HEADERS: the value of ${name} is not valid URL encoding`);
    }
    headers[name] = decoded;
  }
  return headers;
}

function parseRatio(value: string | undefined): number {
  if (value === undefined) return 1;
  const ratio = Number(value);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) throw new ConfigError('OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1');
  return ratio;
}
