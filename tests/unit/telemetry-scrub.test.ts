import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { isTokenLike, scrubAttributes, scrubSpan, scrubText, SECRET_ROUTES } from '@/lib/telemetry/scrub';
import { withoutNextNoise } from '@/lib/telemetry/next-spans';

// What leaves the process in a span (lib/telemetry/scrub.ts): no query string, no secret path segment, wherever a URL
// or path is (names, attributes, events, links, status). Every dynamic route of pages/ is either a secret route or
// listed below with why its parameters are not secrets. And which of Next.js's own spans are exported by default
// (lib/telemetry/next-spans.ts): no trace of its loading of code.

const SHARE_ID = 'q3ZtY0vB8kLr2NwXa5HcJe7UoPs1DfGm'; // 24 random bytes in base64url, as lib/assistant/share.ts makes them
const SIG = 'Zx8v_Qk2Lm9Np4Rs7Tu1Vw3Xy6Za0Bc5De8Fg2Hj4Kl';

/** Dynamic routes whose parameters open nothing by themselves, and why. A new dynamic route goes here or in SECRET_ROUTES. */
const PUBLIC_PARAM_ROUTES: Record<string, string> = {
  '/api/[...path]': 'the API catch-all: it answers 404, its path is whatever was asked (a token-like segment is scrubbed)',
  '/api/docs-answer-markdown/[id]': 'a published maintainers’ answer',
  '/api/docs-markdown/[[...path]]': 'a docs page’s path',
  '/api/maintainers/gaps/[id]/draft': 'a topic id; the caller’s signed link is in the query, which never leaves',
  '/api/maintainers/gaps/drafts/[id]': 'a draft’s number; its download’s signature is in the query, which never leaves',
  '/api/paste-assistant-messages/[tid]': 'a thread id: read only by its owner’s session',
  '/api/paste-assistant-messages/[tid]/[mid]/images': 'a thread and a message id: the images read only by the thread owner’s session',
  '/api/paste-assistant-thread/[tid]': 'a thread id: read only by its owner’s session',
  '/api/paste-assistant-thread/[tid]/handoff': 'a thread id: read only by its owner’s session',
  '/api/paste-assistant-thread/[tid]/run/[rid]': 'thread and run ids: read only by their owner’s session',
  '/api/paste-assistant-thread/[tid]/run/[rid]/cancel': 'thread and run ids: read only by their owner’s session',
  '/api/paste-assistant-thread/[tid]/run/[rid]/events': 'thread and run ids: read only by their owner’s session',
  '/api/paste-assistant-thread/[tid]/runs': 'a thread id: read only by its owner’s session',
  '/api/paste-assistant-thread/[tid]/share': 'a thread id: the share link it makes is in the response, not the path',
  '/api/v1/[...path]': 'the Assistants API’s catch-all: API keys are in the Authorization header',
  '/api/v1/assistants/[aid]': 'an assistant id, with the API key in a header',
  '/api/v1/threads/[tid]': 'a thread id, with the API key in a header',
  '/api/v1/threads/[tid]/messages': 'a thread id, with the API key in a header',
  '/api/v1/threads/[tid]/messages/[mid]': 'ids, with the API key in a header',
  '/api/v1/threads/[tid]/runs': 'a thread id, with the API key in a header',
  '/api/v1/threads/[tid]/runs/[rid]': 'ids, with the API key in a header',
  '/api/v1/threads/[tid]/runs/[rid]/cancel': 'ids, with the API key in a header',
  '/api/v1/threads/[tid]/runs/[rid]/events': 'ids, with the API key in a header',
  '/api/v1/threads/[tid]/runs/[rid]/steps': 'ids, with the API key in a header',
  '/api/v1/threads/[tid]/runs/[rid]/steps/[sid]': 'ids, with the API key in a header',
  '/api/v1/threads/[tid]/runs/[rid]/submit_tool_outputs': 'ids, with the API key in a header',
  '/docs/[[...slug]]': 'a docs page’s path',
  '/docs/answers/[id]': 'a published maintainers’ answer',
  '/docs/source/[...path]': 'a source file’s path in the code index (a hidden one answers as a missing one)',
  '/docs/reference/[spec]': 'an API reference’s name',
  '/docs/reference/[spec]/operation/[id]': 'an API operation’s id',
  '/maintainers/threads/[tid]': 'a thread id; the transcript link’s signature is in the query, which never leaves',
};

const PAGES = path.resolve(import.meta.dirname, '../../pages');

/** Every route pages/ defines, as Next names it: `/shared/[id]`, `/api/v1/threads/[tid]`. */
function pageRoutes(dir = PAGES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return pageRoutes(full);
    if (!/\.(tsx?|jsx?)$/.test(name)) return [];
    const route = `/${path.relative(PAGES, full).replace(/\.(tsx?|jsx?)$/, '')}`.replace(/\/index$/, '');
    return [route === '' ? '/' : route];
  });
}

describe('the scrubber: every URL and path a span holds', () => {
  it('a share link’s id becomes its route’s parameter, wherever the path is', () => {
    expect(scrubText(`/shared/${SHARE_ID}`)).toBe('/shared/[id]');
    expect(scrubText(`GET /shared/${SHARE_ID}`)).toBe('GET /shared/[id]');
    expect(scrubText(`http://127.0.0.1:4100/shared/${SHARE_ID}?utm_source=mail#top`)).toBe('http://127.0.0.1:4100/shared/[id]');
    expect(scrubText(`/_next/data/rDGGuusTQKOWQkcDNZxIh/shared/${SHARE_ID}.json`)).toBe('/_next/data/rDGGuusTQKOWQkcDNZxIh/shared/[id]');
    expect(scrubText(`opened localhost:3000/shared/${SHARE_ID}?x=1 then left`)).toBe('opened localhost:3000/shared/[id] then left');
    expect(scrubText(`{"url":"https://docs.example.com/shared/${SHARE_ID}"}`)).toBe('{"url":"https://docs.example.com/shared/[id]"}');
    // Percent-encoded, as a client may send it: Next routes it all the same.
    expect(scrubText(`/%73hared/${SHARE_ID.slice(0, 4)}%2D${SHARE_ID.slice(4)}`)).toBe('/%73hared/[id]');
    // A short id is a share id too: the route says so, not its look.
    expect(scrubText('/shared/abc')).toBe('/shared/[id]');
  });

  it('every query string goes: signed links, tokens, OpenID Connect’s code, readers’ words', () => {
    expect(scrubText(`/maintainers?exp=1893456000&sig=${SIG}&days=7`)).toBe('/maintainers');
    expect(scrubText(`/maintainers/threads/thread_0123456789abcdef0123456789abcdef?exp=1893456000&sig=${SIG}`)).toBe('/maintainers/threads/thread_0123456789abcdef0123456789abcdef');
    expect(scrubText(`/api/maintainers/report?exp=1&sig=${SIG}`)).toBe('/api/maintainers/report');
    expect(scrubText(`https://docs.example.com/api/maintainers/gaps/drafts/12?exp=1&sig=${SIG}`)).toBe('https://docs.example.com/api/maintainers/gaps/drafts/12');
    expect(scrubText('/api/reader/oidc/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj')).toBe('/api/reader/oidc/callback');
    expect(scrubText('/assistant?token=abc')).toBe('/assistant');
    expect(scrubText('/api/docs-search?q=my+private+words')).toBe('/api/docs-search');
  });

  it('a token-like segment on any route becomes [secret]; readable segments stay', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWFkZXIifQ.Zx8v_Qk2Lm9Np4Rs7Tu1Vw';
    expect(scrubText(`/api/handoff/confirm/${SHARE_ID}`)).toBe('/api/handoff/confirm/[secret]');
    expect(scrubText(`/assistant/open/${jwt}`)).toBe('/assistant/open/[secret]');
    expect(scrubText('/reply/0f3a9c1e5b7d2468ace0f3a9c1e5b7d2468ace0f')).toBe('/reply/[secret]');
    for (const readable of [
      '/docs/guides/seeing-inside',
      '/docs/components/accessibility-guidelines-for-developers',
      '/api/paste-assistant-thread/thread_ad2c948149554c38a1d63916a47d2e2f/run/run_d1c51a32b3cc45c395fc9f9e86c6ac17/events',
      '/docs/reference/[spec]/operation/[id]',
    ]) {
      expect(scrubText(readable)).toBe(readable);
    }
    expect(isTokenLike(SHARE_ID)).toBe(true);
    expect(isTokenLike(SIG)).toBe(true);
    expect(isTokenLike('thread_ad2c948149554c38a1d63916a47d2e2f')).toBe(false);
  });

  it('text that is not a URL is left alone', () => {
    for (const text of ['text/event-stream; charset=utf-8', 'and/or', '1/2 of the answers', 'route GET /api/health', 'chat gpt-4o', 'is a?b/c right?', 'no slash? fine'])
      expect(scrubText(text)).toBe(text);
  });

  it('attributes: every string value and string list; url.query and url.fragment go; an unchanged object is returned as is', () => {
    expect(
      scrubAttributes({
        'http.target': `/shared/${SHARE_ID}?x=1`,
        'http.url': `http://localhost/shared/${SHARE_ID}`,
        'url.query': `sig=${SIG}`,
        'url.fragment': 'top',
        'http.status_code': 200,
        'pa.list': ['/docs', `/shared/${SHARE_ID}`],
      }),
    ).toEqual({ 'http.target': '/shared/[id]', 'http.url': 'http://localhost/shared/[id]', 'http.status_code': 200, 'pa.list': ['/docs', '/shared/[id]'] });
    const clean = { 'http.route': '/docs/[[...slug]]', 'pa.run.id': 'run_d1c51a32b3cc45c395fc9f9e86c6ac17' };
    expect(scrubAttributes(clean)).toBe(clean);
  });

  it('a span: its name, attributes, events, links and status message; a span with nothing to scrub is exported as it is', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('next.js');
    const linked = tracer.startSpan('other');
    linked.end();
    const span = tracer.startSpan(`GET /shared/${SHARE_ID}`, {
      attributes: { 'http.target': `/shared/${SHARE_ID}?sig=${SIG}` },
      links: [{ context: linked.spanContext(), attributes: { from: `/shared/${SHARE_ID}` } }],
    });
    span.addEvent('exception', { 'exception.message': `No page at /shared/${SHARE_ID}?sig=${SIG}` });
    span.setStatus({ code: SpanStatusCode.ERROR, message: `failed: /shared/${SHARE_ID}` });
    span.end();
    const exported = exporter.getFinishedSpans();
    const scrubbed = scrubSpan(exported[1]!);
    const bytes = JSON.stringify({ name: scrubbed.name, attributes: scrubbed.attributes, events: scrubbed.events, links: scrubbed.links.map((link) => link.attributes), status: scrubbed.status });
    expect(bytes).not.toContain(SHARE_ID);
    expect(bytes).not.toContain(SIG);
    expect(scrubbed.name).toBe('GET /shared/[id]');
    expect(scrubbed.attributes['http.target']).toBe('/shared/[id]');
    expect(scrubbed.status.message).toBe('failed: /shared/[id]');
    // The exporter reads the rest from the span itself.
    expect(scrubbed.spanContext()).toEqual(exported[1]!.spanContext());
    expect(scrubbed.instrumentationScope.name).toBe('next.js');
    expect(scrubSpan(exported[0]!)).toBe(exported[0]);
  });

  it('every dynamic route of pages/ is a secret route or listed here as carrying none', () => {
    const dynamic = pageRoutes().filter((route) => route.includes('['));
    expect(dynamic.length).toBeGreaterThan(20);
    const unclassified = dynamic.filter((route) => !SECRET_ROUTES.includes(route) && !(route in PUBLIC_PARAM_ROUTES));
    expect(unclassified, 'a new dynamic route: list it in SECRET_ROUTES (lib/telemetry/scrub.ts) or in PUBLIC_PARAM_ROUTES here').toEqual([]);
    // Nothing listed that no longer exists, and no route in both lists.
    expect(Object.keys(PUBLIC_PARAM_ROUTES).filter((route) => !dynamic.includes(route))).toEqual([]);
    expect(SECRET_ROUTES.filter((route) => !dynamic.includes(route) || route in PUBLIC_PARAM_ROUTES)).toEqual([]);
  });

  it('each secret route’s parameters, whatever their value, are exported as the route names them', () => {
    for (const route of SECRET_ROUTES) {
      for (const value of [SHARE_ID, 'short', 'with.dots', '%E2%9C%93']) {
        const asked = route.replace(/\[[^\]]+\]/g, value);
        expect(scrubText(asked)).toBe(route);
        expect(scrubText(`GET ${asked}?a=b`)).toBe(`GET ${route}`);
      }
    }
  });
});

describe('Next.js’s own spans, by default (OTEL_NEXT_SPANS off)', () => {
  /** A Next span as Next's tracer makes it (next/dist/server/lib/trace/tracer.js): its type in `next.span_type`. */
  function setUp() {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [withoutNextNoise(new SimpleSpanProcessor(exporter))] });
    const next = provider.getTracer('next.js', '16.4.6');
    const ours = provider.getTracer('paste-assistant');
    const start = (tracer: typeof next, name: string, type: string | undefined, parent?: ReturnType<typeof next.startSpan>) =>
      tracer.startSpan(name, { attributes: type ? { 'next.span_type': type } : {} }, parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT);
    const names = () => exporter.getFinishedSpans().map((span: ReadableSpan) => span.name);
    return { next, ours, start, names };
  }

  it('the roots of start-up (a route module loaded, instrumentation) are not exported', () => {
    const { next, start, names } = setUp();
    start(next, 'load route module', 'LoadComponents.loadRouteModule').end();
    start(next, 'load instrumentation module', 'Instrumentation.loadModule').end();
    start(next, 'register instrumentation', 'Instrumentation.register').end();
    start(next, 'some root of Next’s', 'NextNodeServer.startResponse').end();
    expect(names()).toEqual([]);
  });

  it('a request keeps its span, its handler and ours beneath; its loading of code goes', () => {
    const { next, ours, start, names } = setUp();
    const request = start(next, 'GET /api/health', 'BaseServer.handleRequest');
    const resolve = start(next, 'resolve page components', 'NextNodeServer.findPageComponents', request);
    start(next, 'load route module', 'LoadComponents.loadRouteModule', resolve).end();
    resolve.end();
    start(next, 'prepare route module', 'RouteModule.prepare', request).end();
    const handler = start(next, 'executing api route (pages) /api/health', 'Node.runHandler', request);
    start(ours, 'route GET /api/health', undefined, handler).end();
    handler.end();
    request.end();
    expect(names()).toEqual(['route GET /api/health', 'executing api route (pages) /api/health', 'GET /api/health']);
  });

  it('a span left out that has one of ours beneath it is exported after all, with its own parents left out', () => {
    const { next, ours, start, names } = setUp();
    const load = start(next, 'load route module', 'LoadComponents.loadRouteModule');
    const resolve = start(next, 'resolve page components', 'NextNodeServer.findPageComponents', load);
    start(ours, 'job docs answer sync', undefined, resolve).end();
    resolve.end();
    load.end();
    expect(names()).toEqual(['job docs answer sync', 'resolve page components', 'load route module']);
  });
});
