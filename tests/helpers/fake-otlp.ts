import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

// An OTLP/HTTP receiver on 127.0.0.1 (an OpenTelemetry collector as far as the exporter can tell): it takes
// POST /v1/traces and /v1/metrics, answers 200 with an empty partial success, and keeps every body as received
// (gunzipped when sent compressed), so that a test can read the spans and metrics sent over http/json and look for
// words in the raw bytes of everything, whatever the protocol. `bench-telemetry` uses it as the bench's collector.

export type TOtlpExport = { path: string; contentType: string; body: Buffer };
export type TOtlpAttribute = { key: string; value: { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: TOtlpAttribute['value'][] } } };
export type TOtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: TOtlpAttribute[]; links?: { traceId: string; spanId: string }[] };
export type TSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
  /** The spans it links to (of other traces, usually). */
  links: { traceId: string; spanId: string }[];
};

export type TFakeOtlp = {
  url: string;
  exports(): TOtlpExport[];
  /** Every span received over http/json, its attributes as plain values. */
  spans(): TSpan[];
  /** The names of every metric received over http/json. */
  metricNames(): string[];
  close(): Promise<void>;
};

export async function startFakeOtlp(): Promise<TFakeOtlp> {
  const received: TOtlpExport[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.method !== 'POST' || !['/v1/traces', '/v1/metrics', '/v1/logs'].includes(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body });
      const isJson = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': isJson ? 'application/json' : 'application/x-protobuf' }).end(isJson ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const jsonOf = (path: string) => received.filter((item) => item.path === path && item.contentType.includes('json')).map((item) => JSON.parse(item.body.toString('utf8')) as any);
  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => [...received],
    spans: () =>
      jsonOf('/v1/traces').flatMap((body) =>
        (body.resourceSpans ?? []).flatMap((resource: any) => {
          const service = valueOf(resource.resource?.attributes?.find((attribute: TOtlpAttribute) => attribute.key === 'service.name')?.value);
          return (resource.scopeSpans ?? []).flatMap((scope: any) =>
            (scope.spans ?? []).map((span: TOtlpSpan) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              service: String(service),
              attributes: Object.fromEntries((span.attributes ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)])),
              links: (span.links ?? []).map((link) => ({ traceId: link.traceId, spanId: link.spanId })),
            })),
          );
        }),
      ),
    metricNames: () =>
      jsonOf('/v1/metrics').flatMap((body) =>
        (body.resourceMetrics ?? []).flatMap((resource: any) => (resource.scopeMetrics ?? []).flatMap((scope: any) => (scope.metrics ?? []).map((metric: { name: string }) => metric.name))),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function valueOf(value: TOtlpAttribute['value'] | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}
