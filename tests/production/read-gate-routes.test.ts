import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createSeededDataDir } from '../helpers/pglite-template';
import { READER_TOKEN_SECRET, signReaderToken } from '../helpers/reader-tokens';

// Issue 68, item 2: a new surface cannot forget. Every page and API route the build has — read from Next's own
// manifests (.next/server/pages-manifest.json and the rewrites of .next/routes-manifest.json), not from a hand list —
// is requested on `next start` by readers who may not read a canary of each kind (a docs folder page, an API
// reference spec and its operation, a maintainers' answer, all private to `staff` by DOCS_AUDIENCES): signed out, signed
// in with another audience, and with an API key that has none. None may answer with a canary's text, title or URL,
// and a route addressed at a canary answers as it does at a missing one of the same shape (status, content type,
// caching, the names of the headers, the body's length within a few characters). A staff reader, the control,
// meets every canary, so the test would see one that leaked. A route added later is requested without anyone
// editing this file; a route that reads no docs at all is listed in NO_DOCS with why (it is still requested and read).

const ROOT = path.resolve(import.meta.dirname, '../..');
const SESSION_SECRET = 'production-read-gate-session-secret-0123456789';
const MAINTAINER_TOKEN = 'read-gate-maintainer-token-0123';
const API_KEY = 'pa-sk-read-gate-key-without-audiences-0123';

/**
 * The canaries. The folder page is one of this site's own docs (the build's docs are the ones `next start` serves):
 * the tracing guide, which no other page links to and whose words below no other page has. The spec and the answer
 * are the test's own.
 */
const FOLDER = { slug: 'guides/seeing-inside', missing: 'guides/seeing-insidf', file: 'guides/seeing-inside.mdx' };
const SPEC = { name: 'frobnitz_api', missing: 'frobnitz_apz', operation: 'FetchFrobnitzWidget', missingOperation: 'FetchFrobnitzWidgez' };
/** Words that only the canaries have (their titles, URLs and texts). A response holding one, beyond what its request sent, leaked it. */
const CANARY_WORDS = ['seeing inside', 'seeing-inside', 'langfuse', 'otlphttp', 'frobnitz', 'snorkelbloom', 'jabberwhistle'];
/** What readers ask: the canaries' subjects in other words than the words checked. */
const QUESTIONS = ['How do I export traces and spans to an OTLP collector?', 'How do I reset the widget, and which tracing vendor can I use?'];

/**
 * Routes that read nothing of the docs, with why: requested and read all the same (a leak there fails too), but
 * nothing of theirs addresses a docs page.
 */
const NO_DOCS: Record<string, string> = {
  '/api/health': 'modes and counts of the index, never a page',
  '/api/embed/widget': "the embed's script",
  '/api/embed/session': "the embed's session token",
  '/api/reader/session': 'exchanges a reader token for a session',
  '/api/reader/status': "the session's sign-in state",
  '/api/reader/oidc/login': 'starts OpenID Connect sign-in',
  '/api/reader/oidc/callback': 'ends OpenID Connect sign-in',
  '/api/slack/events': "Slack's signed callbacks",
  '/api/slack/interactivity': "Slack's signed clicks",
  '/api/discord/interactions': "Discord's signed interactions",
  '/api/github/webhook': "GitHub's signed deliveries",
  '/api/docs/reindex': 'a token-guarded re-index',
  '/api/paste-assistant-simple-completion': 'a completion for a title, no docs',
  '/api/mcp-server-card': "MCP's discovery card",
  '/api/mcp-catalog': "MCP's discovery catalog",
  '/maintainers': "the maintainers' dashboard: a maintainer's token first",
  '/maintainers/threads/[tid]': "a transcript: a maintainer's signed link first",
};

type TReply = { status: number; headers: Headers; text: string };

function client(base: string) {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    async request(route: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<TReply> {
      const response = await fetch(`${base}${route}`, {
        method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
        headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...init.headers },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
        redirect: 'manual',
        signal: AbortSignal.timeout(60_000),
      });
      const set = response.headers.get('set-cookie');
      if (set && /^pa_session=/.test(set)) cookie = set.split(';')[0] ?? cookie;
      // An event stream is read for a moment only: what it says first is what a leak would show.
      const text = response.headers.get('content-type')?.startsWith('text/event-stream') ? await firstChunk(response) : await response.text();
      return { status: response.status, headers: response.headers, text };
    },
  };
}

async function firstChunk(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const timer = setTimeout(() => void reader.cancel(), 2000);
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      if (text.length > 20_000) break;
    }
  } catch {
    // Cancelled: what came is what is read.
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return text;
}

type TClientOf = ReturnType<typeof client>;

/** The manifest's routes: every page and API route of the build, and the rewrites' sources in front of them. */
function buildRoutes(): string[] {
  const pages = Object.keys(JSON.parse(readFileSync(path.join(ROOT, '.next/server/pages-manifest.json'), 'utf8')) as Record<string, string>);
  const manifest = JSON.parse(readFileSync(path.join(ROOT, '.next/routes-manifest.json'), 'utf8')) as {
    rewrites: { source: string }[] | { beforeFiles: { source: string }[]; afterFiles: { source: string }[]; fallback: { source: string }[] };
  };
  const rewrites = Array.isArray(manifest.rewrites) ? manifest.rewrites : [...manifest.rewrites.beforeFiles, ...manifest.rewrites.afterFiles, ...manifest.rewrites.fallback];
  return [...pages.filter((page) => !['/_app', '/_document', '/_error'].includes(page)), ...rewrites.map((rewrite) => rewrite.source)];
}

/**
 * A route's path with its parameters filled, as aimed at a canary and as aimed at a missing item of the same shape.
 * A parameter that addresses no docs item gets one value on both sides.
 */
function fill(route: string, answerId: number): { canary: string; missing: string } {
  const isOperation = /operation\/\[id\]$/.test(route);
  const isReference = route.includes('/reference/');
  const value = (name: string, side: 'canary' | 'missing'): string => {
    const isCanary = side === 'canary';
    if (name === 'slug' || name === 'path' || name === 'path+' || name === 'path*') return isCanary ? FOLDER.slug : FOLDER.missing;
    if (name === 'spec') return isCanary ? SPEC.name : SPEC.missing;
    if (name === 'id' && isOperation) return isCanary ? SPEC.operation : SPEC.missingOperation;
    if (name === 'id' && !isReference && (route.includes('answer') || route.startsWith('/docs/'))) return String(isCanary ? answerId : answerId + 1000);
    return { tid: 'thread_0123456789abcdef0123456789abcdef', rid: 'run_0123456789abcdef0123456789abcdef', mid: 'msg_0123456789abcdef0123456789abcdef', sid: 'step_0123456789abcdef', aid: 'asst_0123456789abcdef', id: 'AbCdEfGhIjKlMnOp' }[name] ?? 'x';
  };
  const render = (side: 'canary' | 'missing') =>
    route
      .replace(/\[\[?(?:\.\.\.)?([^\]]+)\]\]?/g, (_, name: string) => value(name, side))
      .replace(/:([A-Za-z]+)([+*]?)/g, (_, name: string, mark: string) => value(`${name}${mark}`, side));
  return { canary: render('canary'), missing: render('missing') };
}

/** A body for every POST: the fields the routes read, each aimed at a canary in readers' words. */
function canaryBody(): Record<string, unknown> {
  return {
    prompt: QUESTIONS[0],
    message: QUESTIONS[0],
    query: QUESTIONS[1],
    question: QUESTIONS[1],
    path: `/docs/${FOLDER.slug}`,
    page: `/docs/${FOLDER.slug}`,
    sources: [`/docs/${FOLDER.slug}`, `/docs/reference/${SPEC.name}/operation/${SPEC.operation}`],
    limit: 20,
  };
}

/**
 * The canary words a response holds that its request did not send: a 404 may echo the path it was asked, an error
 * the field it refused, an answer the question it searched for; only a word the request never said is a leak.
 */
function leakedWords(reply: TReply, sent: string[]): string[] {
  const request = sent.join('\n').toLowerCase();
  const lower = reply.text.toLowerCase();
  return CANARY_WORDS.filter((word) => lower.includes(word) && !request.includes(word) && !decodeURIComponent(request).includes(word));
}

/** What of a reply tells it apart from another: status, type, caching, header names and the body's length. */
function shape(reply: TReply) {
  const ignored = new Set(['date', 'etag', 'content-length', 'x-request-id', 'set-cookie', 'last-modified', 'keep-alive', 'connection', 'transfer-encoding', 'traceparent']);
  return {
    status: reply.status,
    type: reply.headers.get('content-type'),
    cache: reply.headers.get('cache-control'),
    headers: [...reply.headers.keys()].filter((name) => !ignored.has(name)).sort(),
  };
}

let server: TNextServer;
let answerId = 0;

beforeAll(async () => {
  // The build's own docs (one of them the folder canary), a spec of the canary's and a public one.
  const specDir = makeTempDir('pa-read-gate-specs-');
  writeFileSync(
    path.join(specDir, `${SPEC.name}.yaml`),
    [
      'openapi: 3.0.3',
      'info: { title: Frobnitz API, version: 1.0.0, description: The frobnitz widgets. }',
      'paths:',
      '  /widgets/{id}:',
      '    get:',
      `      operationId: ${SPEC.operation}`,
      '      summary: Fetch the frobnitz widget and its sprocket gears',
      '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
      "      responses: { '200': { description: The frobnitz widget. } }",
    ].join('\n'),
  );
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-read-gate-'),
    env: {
      NODE_ENV: 'production',
      DOCS_DIR: '',
      DOCS_OPENAPI: [path.join(ROOT, 'tests/fixtures/openapi/petstore-v3.yaml'), path.join(specDir, `${SPEC.name}.yaml`)].join(','),
      DOCS_AUDIENCES: `staff=${FOLDER.file}|openapi/${SPEC.name}|openapi/${SPEC.name}/**|answer:*`,
      READER_TOKEN_SECRET,
      API_KEYS: API_KEY,
      MAINTAINER_TOKEN,
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET,
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_BURST: '1000000',
      RATE_LIMIT_IP_BURST: '1000000',
      RATE_LIMIT_MESSAGES_PER_HOUR: '1000000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '1000000',
      CHALLENGE: 'off',
    },
  });
  // A maintainers' answer, approved: its page is `answer:<id>`, private to staff by the rules.
  const written = await client(server.url).request('/api/maintainers/answers', {
    json: { question: 'How do I reset the snorkelbloom?', answer: 'Press the jabberwhistle twice.', status: 'approved' },
    headers: { authorization: `Bearer ${MAINTAINER_TOKEN}` },
  });
  expect(written.status, written.text).toBe(201);
  answerId = (JSON.parse(written.text) as { id: number }).id;
  // Its page is there at once for the audience (the index takes it on the answers' kind's next sync).
  const staff = await signedIn(['staff']);
  expect((await staff.request(`/docs/answers/${answerId}`)).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

async function signedIn(audiences: string[]): Promise<TClientOf> {
  const who = client(server.url);
  const response = await who.request('/api/reader/session', { json: { token: await signReaderToken({ audiences }) } });
  expect(response.status, response.text).toBe(200);
  return who;
}

/** The readers who may not read the canaries: each makes its requests as it would. */
async function outsiders(): Promise<{ label: string; who: TClientOf; headers: Record<string, string> }[]> {
  return [
    { label: 'signed out', who: client(server.url), headers: {} },
    { label: 'another audience', who: await signedIn(['partners']), headers: {} },
    { label: 'an API key without audiences', who: client(server.url), headers: { authorization: `Bearer ${API_KEY}` } },
  ];
}

describe('every route of the build, with a private canary of each kind (issue 68, item 2)', () => {
  it('reads its routes from the build: the pages, the API routes and the rewrites, and names each route without docs', () => {
    const routes = buildRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/', '/404', '/docs/[[...slug]]', '/docs/answers/[id]', '/api/docs-search', '/llms.txt', '/docs/:path+.md']));
    for (const route of Object.keys(NO_DOCS)) expect(routes, `NO_DOCS names ${route}, which the build does not have`).toContain(route);
  });

  it('the control: a staff reader meets each canary, so a leak would be seen', async () => {
    const staff = await signedIn(['staff']);
    const page = await staff.request(`/docs/${FOLDER.slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Seeing inside');
    expect((await staff.request(`/docs/reference/${SPEC.name}/operation/${SPEC.operation}`)).text.toLowerCase()).toContain('frobnitz');
    expect((await staff.request(`/docs/answers/${answerId}.md`)).text).toContain('jabberwhistle');
    const search = await staff.request('/api/docs-search', { json: { prompt: QUESTIONS[0], limit: 20 } });
    expect(leakedWords(search, [QUESTIONS[0]!])).toContain('seeing-inside');
  });

  it('no route answers an outsider with a canary, nor tells a canary from a missing item', { timeout: 900_000 }, async () => {
    const routes = buildRoutes();
    const failures: string[] = [];
    for (const { label, who, headers } of await outsiders()) {
      for (const route of routes) {
        const { canary, missing } = fill(route, answerId);
        const isApi = canary.startsWith('/api/') || canary.startsWith('/mcp') || canary.startsWith('/v1');
        for (const method of isApi ? ['GET', 'POST'] : ['GET']) {
          const json = method === 'POST' ? canaryBody() : undefined;
          const sent = [canary, ...(json ? Object.values(json).flat().map(String) : [])];
          const [atCanary, atMissing] = [await who.request(canary, { method, json, headers }), await who.request(missing, { method, json, headers })];
          const leaked = leakedWords(atCanary, sent);
          if (leaked.length > 0) failures.push(`${label}: ${method} ${canary} answered with ${leaked.join(', ')} (${atCanary.status})`);
          if (canary !== missing) {
            const [a, b] = [shape(atCanary), shape(atMissing)];
            if (JSON.stringify(a) !== JSON.stringify(b)) failures.push(`${label}: ${method} ${canary} answers unlike ${missing}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
            const lengths = [atCanary.text.replaceAll(canary, '').length, atMissing.text.replaceAll(missing, '').length];
            if (Math.abs(lengths[0]! - lengths[1]!) > 16) failures.push(`${label}: ${method} ${canary} is ${lengths[0]} characters long, ${missing} ${lengths[1]}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("no outsider's conversation, agent call or key's run is drawn from a canary", { timeout: 300_000 }, async () => {
    for (const { label, who, headers } of await outsiders()) {
      const texts: string[] = [];
      // The site's assistant (its answers only: the question is the reader's own).
      const thread = JSON.parse((await who.request('/api/paste-assistant-thread', { json: {}, headers })).text) as { id: string };
      for (const question of QUESTIONS) {
        const sent = await who.request('/api/paste-assistant-message', { json: { threadId: thread.id, message: question }, headers });
        expect(sent.status, `${label}: ${sent.text}`).toBe(200);
      }
      const messages = JSON.parse((await who.request(`/api/paste-assistant-messages/${thread.id}`, { headers })).text) as { data: { role: string }[] };
      texts.push(JSON.stringify(messages.data.filter((message) => message.role === 'assistant')));
      // MCP: search, a page, the resources and an answer.
      const mcp = (method: string, params: Record<string, unknown>) =>
        who.request('/mcp', { json: { jsonrpc: '2.0', id: 1, method, params }, headers: { ...headers, accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' } });
      texts.push((await mcp('tools/call', { name: 'search_docs', arguments: { query: QUESTIONS[0], limit: 20 } })).text);
      texts.push((await mcp('tools/call', { name: 'get_page', arguments: { path: FOLDER.slug } })).text.split(FOLDER.slug).join(' '));
      texts.push((await mcp('resources/list', {})).text);
      texts.push((await mcp('tools/call', { name: 'ask_docs', arguments: { question: QUESTIONS[1] } })).text);
      for (const text of texts) expect(leakedWords({ status: 200, headers: new Headers(), text }, QUESTIONS), `${label}: ${text.slice(0, 300)}`).toEqual([]);
    }
  });
});
