import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMaintainerScope } from '@/lib/maintainers/links';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeOtlp, type TFakeOtlp, type TSpan } from '../helpers/fake-otlp';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';

// No secret a URL carries leaves in a trace (issue 67, hole 1.2). `next start` of the production build exports every
// span to an OTLP receiver on 127.0.0.1, with OTEL_RECORD_CONTENT=on (the scrubber runs whatever it says); then each
// kind of URL that opens something is visited as its holder would: a share link (its page, its data as Next's
// client fetches it, with a query), the maintainers' signed dashboard, transcript and report links, a draft's
// signed download, OpenID Connect's callback with its code and state, a token in a query, and a token in the path
// of a route no one listed (the shape of a link mailed to a reader). No byte of what was exported holds the share
// id, a signature, a code or a token; the spans of those requests were exported, with their routes' patterns.
// JSON (http/json) so that the spans can be read back; the scrubber works on spans before any encoding.
// Next's start-up spans ("load route module" at the root of a trace) are not exported by default.

const SESSION_SECRET = 'production-telemetry-secrets-session-0123456789';
const BUILD_ID = readFileSync(path.resolve(import.meta.dirname, '../../.next/BUILD_ID'), 'utf8').trim();

let otlp: TFakeOtlp;
let server: TNextServer;

beforeAll(async () => {
  otlp = await startFakeOtlp();
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-otel-secrets-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET,
      MODERATION: 'off',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_RECORD_CONTENT: 'on',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await otlp?.close();
});

const token = () => randomBytes(24).toString('base64url');

async function visit(route: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(`${server.url}${route}`, { redirect: 'manual', ...init });
  await response.arrayBuffer();
  return response.status;
}

/** The spans exported so far whose request asked for a path starting with `prefix` (Next's `http.target`, scrubbed). */
const requestSpans = (prefix: string): TSpan[] => otlp.spans().filter((span) => String(span.attributes['http.target'] ?? '').startsWith(prefix));

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not there in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('secrets in URLs stay out of traces (next start, OTLP to 127.0.0.1)', () => {
  it('share ids, signed links, draft tokens, OpenID codes and tokens in a path or query: no exported byte holds one', async () => {
    const secrets: string[] = [];

    // A share link, as its holder opens it: the page (GET and HEAD, with a campaign's query), and the page's data as
    // Next's client fetches it on a client-side navigation.
    const owner = createClient(server.url);
    const thread = await owner.post('/api/paste-assistant-thread');
    const sent = await owner.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'How do I configure Slack?' });
    expect(sent.body.run?.status, JSON.stringify(sent.body)).toBe('completed');
    const shared = await owner.post(`/api/paste-assistant-thread/${thread.body.id}/share`);
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const shareId = new URL(shared.body.url as string).pathname.split('/').pop()!;
    secrets.push(shareId);
    expect(await visit(`/shared/${shareId}`)).toBe(200);
    expect(await visit(`/shared/${shareId}?utm_source=newsletter`)).toBe(200);
    expect(await visit(`/shared/${shareId}`, { method: 'HEAD' })).toBe(200);
    expect(await visit(`/_next/data/${BUILD_ID}/shared/${shareId}.json`)).toBe(200);

    // The maintainers' signed links (the digest's and `npm run report -- --link`'s): the dashboard, a transcript, the
    // report, and a drafted docs fix's download (a draft that does not exist: its URL carries the signature all the same).
    const report = signMaintainerScope({ secret: SESSION_SECRET, scope: { type: 'report' }, ttlSeconds: 3600 });
    const transcript = signMaintainerScope({ secret: SESSION_SECRET, scope: { type: 'transcript', threadId: thread.body.id }, ttlSeconds: 3600 });
    secrets.push(report.sig, transcript.sig);
    expect(await visit(`/maintainers?exp=${report.exp}&sig=${report.sig}&days=7`)).toBe(200);
    expect(await visit(`/maintainers/threads/${thread.body.id}?exp=${transcript.exp}&sig=${transcript.sig}`)).toBe(200);
    expect(await visit(`/api/maintainers/report?exp=${report.exp}&sig=${report.sig}`)).toBe(200);
    expect(await visit(`/api/maintainers/gaps/drafts/987654?exp=${report.exp}&sig=${report.sig}`)).toBe(404);

    // OpenID Connect's callback (not configured here: the URL is what matters), a token in a query, on a page and on
    // the API, and a token in the path of a route nobody listed as a secret's.
    const [code, state, queryToken, apiToken, pathToken] = [token(), token(), token(), token(), token()];
    secrets.push(code, state, queryToken, apiToken, pathToken);
    await visit(`/api/reader/oidc/callback?code=${code}&state=${state}`);
    expect(await visit(`/docs?token=${queryToken}`)).toBe(200);
    await visit(`/api/docs-search?sig=${apiToken}`);
    expect(await visit(`/api/handoff/confirm/${pathToken}`)).toBe(404);

    // Exported: the share page's request, its route's pattern in place of the id (and the data route's).
    await until('the shared page’s spans', () => (requestSpans('/shared/').length >= 3 ? true : undefined));
    await until('the data route’s span', () => (requestSpans('/_next/data/').length > 0 ? true : undefined));
    await until('the last request’s span', () => (requestSpans('/api/handoff/').length > 0 ? true : undefined));
    // Everything batched has gone out (every 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const span of requestSpans('/shared/')) expect(span.attributes['http.target']).toBe('/shared/[id]');
    expect(requestSpans('/_next/data/').map((span) => span.attributes['http.target'])).toContain(`/_next/data/${BUILD_ID}/shared/[id]`);
    expect(otlp.spans().some((span) => span.name === 'GET /shared/[id]')).toBe(true);
    for (const prefix of ['/maintainers', '/api/maintainers/report', '/api/maintainers/gaps/drafts/987654', '/api/reader/oidc/callback', '/docs', '/api/docs-search']) {
      const spans = requestSpans(prefix);
      expect(spans.length, prefix).toBeGreaterThan(0);
      for (const span of spans) expect(String(span.attributes['http.target']), prefix).not.toContain('?');
    }
    expect(requestSpans('/api/handoff/').map((span) => span.attributes['http.target'])).toContain('/api/handoff/confirm/[secret]');

    const bytes = Buffer.concat(otlp.exports().map((item) => item.body)).toString('utf8');
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(bytes, 'an exported byte holds a secret').not.toContain(secret);
    for (const name of ['sig=', 'code=', 'token=', 'utm_source']) expect(bytes).not.toContain(name);
  });

  it('no trace is Next’s start-up by default: no "load route module" root, no instrumentation roots', async () => {
    // The server's warming of its pages (lib/docs/site/warm.ts) is the start-up's last request.
    await until('the start-up’s traces', () => (requestSpans('/docs/reference/').length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const spans = otlp.spans();
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
    const rootNames = new Set(roots.map((span) => span.name));
    for (const noise of ['load route module', 'resolve page components', 'prepare route module', 'load instrumentation module', 'register instrumentation']) {
      expect(rootNames.has(noise), noise).toBe(false);
    }
    expect(spans.some((span) => span.name === 'load route module')).toBe(false);
    // Every root is a request or this server's own work, and every exported span's parent was exported too.
    expect(roots.filter((span) => span.parentSpanId)).toEqual([]);
    // The start-up's self-requests (warming the pages) are one trace: Next's request spans beneath "warm site pages".
    const warm = spans.find((span) => span.name === 'warm site pages');
    expect(warm).toBeDefined();
    expect(spans.filter((span) => span.traceId === warm!.traceId && span.attributes['http.target'] === '/docs').length).toBeGreaterThan(0);
  });
});
