import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createLogger } from '@/lib/log';
import { withSpan, contentAttributes, currentTraceparent } from '@/lib/telemetry';
import { parseOtlpHeaders } from '@/lib/telemetry/settings';

// The OTEL_* variables as lib/config.ts reads them (lib/telemetry/settings.ts), the helpers while telemetry is off (no provider: plain calls), and LOG_FORMAT=text.

const config = (env: Record<string, string>) => parseConfig(env).telemetry;
const failure = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('parsed');
};

describe('OTEL_* settings', () => {
  it('off without an endpoint; content off by default', () => {
    expect(config({})).toEqual({ export: null, isContentRecorded: false, isEveryNextSpanExported: false });
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).export).toBeNull();
  });

  it("the generic endpoint gets each signal's path; a signal's own endpoint is used as is", () => {
    const on = config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_RECORD_CONTENT: 'on' });
    expect(on.export).toMatchObject({ tracesUrl: 'http://collector:4318/v1/traces', metricsUrl: 'http://collector:4318/v1/metrics', protocol: 'http/json', serviceName: 'paste-assistant' });
    expect(on.isContentRecorded).toBe(true);
    expect(on.isEveryNextSpanExported).toBe(false);
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_NEXT_SPANS: 'on' }).isEveryNextSpanExported).toBe(true);
    const tracesOnly = config({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://cloud.langfuse.com/api/public/otel/v1/traces' });
    expect(tracesOnly.export).toMatchObject({ tracesUrl: 'https://cloud.langfuse.com/api/public/otel/v1/traces', metricsUrl: null, protocol: 'http/protobuf' });
  });

  it('headers, sampler and intervals', () => {
    expect(parseOtlpHeaders('Authorization=Basic%20abc%3D, x-team = docs')).toEqual({ Authorization: 'Basic abc=', 'x-team': 'docs' });
    const on = config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_METRIC_EXPORT_INTERVAL: '1000' });
    expect(on.export).toMatchObject({ sampler: { name: 'parentbased_traceidratio', ratio: 0.25 }, metricIntervalMs: 1000, spanDelayMs: 5000 });
  });

  it('a bad value is one line naming the variable, never a header value', () => {
    expect(failure({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(failure({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toContain('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(failure({ OTEL_TRACES_SAMPLER_ARG: '2', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toContain('OTEL_TRACES_SAMPLER_ARG');
    const message = failure({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'sk-secret-value-no-name' });
    expect(message).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    expect(message).not.toContain('sk-secret');
    expect(failure({ OTEL_RECORD_CONTENT: 'yes' })).toContain('OTEL_RECORD_CONTENT');
    expect(failure({ OTEL_NEXT_SPANS: 'all' })).toContain('OTEL_NEXT_SPANS');
  });
});

describe('telemetry off', () => {
  it('withSpan calls its function at once, and nothing carries content or a trace', async () => {
    let isCalled = false;
    const result = withSpan('x', { a: 1 }, () => {
      isCalled = true;
      return 42;
    });
    expect(isCalled).toBe(true);
    expect(await result).toBe(42);
    await expect(withSpan('x', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(contentAttributes('pa.question', 'my words')).toEqual({});
    expect(currentTraceparent()).toBeUndefined();
  });
});

describe('LOG_FORMAT', () => {
  it('text: readable lines, redacted as the JSON is', () => {
    let written = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const log = createLogger({ level: 'info', format: 'text', destination });
    log.info({ status: 200, prompt: 'my words', path: '/api/x' }, 'request');
    expect(written).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO request status=200 prompt=\[redacted\] path=\/api\/x\n$/);
    expect(parseConfig({ LOG_FORMAT: 'text' }).logFormat).toBe('text');
    expect(parseConfig({}).logFormat).toBe('json');
  });
});
