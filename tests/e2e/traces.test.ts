import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOtlp, type TFakeOtlp, type TSpan } from '../helpers/fake-otlp';
import { ask, openSidePanel, waitForAnswer } from './helpers/assistant';
import { launchBrowser, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// One question is one trace, as a reader's browser asks it (issue 67, friction 3.8): the panel posts the question,
// then follows the run over its event stream (EventSource, its own request). `next start` exports every span to an
// OTLP receiver on 127.0.0.1. The question's trace holds the message route, the run and the stream to the reader;
// the stream's request has its own trace, and each links to the other. The page session exports no trace of Next's
// loading of code (no "load route module" root), by default.

let otlp: TFakeOtlp;
let server: TE2eServer;
let browser: TBrowser;

beforeAll(async () => {
  otlp = await startFakeOtlp();
  server = await startE2eServer({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/v1/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' });
  browser = await launchBrowser({ baseURL: server.url });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await otlp?.close();
});

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not there in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('traces of a reader’s page session (Chromium, next start, OTLP to 127.0.0.1)', () => {
  it('a question asked in the panel is one trace: the message route, the run and the stream to the reader', async () => {
    const page = await browser.newPage();
    await page.goto('/docs');
    const panel = await openSidePanel(page);
    await ask(page, panel, 'How do I configure Slack?');
    await waitForAnswer(panel, 1, 60_000);

    const stream = await until('the stream to the reader', () => otlp.spans().find((span) => span.name === 'stream to reader'));
    const runId = stream.attributes['pa.run.id'];
    expect(runId).toMatch(/^run_/);
    const run = await until('the run', () => otlp.spans().find((span) => span.name === 'run' && span.attributes['pa.run.id'] === runId));
    expect(stream.traceId).toBe(run.traceId);

    const question = () => otlp.spans().filter((span) => span.traceId === run.traceId);
    const route = await until('the message route', () => question().find((span) => span.name === 'route POST /api/paste-assistant-message'));
    const byId = new Map(question().map((span) => [span.spanId, span]));
    const ancestors = (span: TSpan) => {
      const names: string[] = [];
      for (let at = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.push(at.name);
      return names;
    };
    expect(ancestors(stream)).toContain(route.name);
    expect(ancestors(run)).toContain(route.name);
    expect(question().some((span) => span.name === 'docs search')).toBe(true);

    // The stream's own request (the reader's GET …/events) is a trace of its own, and each leads to the other.
    const events = await until('the event stream’s request', () =>
      otlp.spans().find((span) => span.name === 'route GET /api/paste-assistant-thread/{id}/run/{id}/events' && span.links.some((link) => link.traceId === run.traceId)),
    );
    expect(events.traceId).not.toBe(run.traceId);
    expect(stream.links).toContainEqual({ traceId: events.traceId, spanId: events.spanId });
  });

  it('the session exports no trace of Next’s loading of code, and no span whose parent was left out', async () => {
    // Everything batched has gone out (every 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const spans = otlp.spans();
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
    expect(roots.length).toBeGreaterThan(0);
    const names = new Set(roots.map((span) => span.name));
    for (const noise of ['load route module', 'resolve page components', 'prepare route module', 'load instrumentation module', 'register instrumentation']) expect(names.has(noise), noise).toBe(false);
    expect(roots.filter((span) => span.parentSpanId).map((span) => span.name)).toEqual([]);
  });
});
