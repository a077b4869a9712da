import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PRODUCTION_API_KEYS, PRODUCTION_MAINTAINER_TOKEN } from './helpers/global-setup';
import { answeredThread, mainClient, newThread } from './helpers/tier';

// The outside probe's list (issue 54), re-run as a test over every API route under `next start`. The routes are read
// from pages/api when the test runs, so that a new route is probed without being listed here. Each gets the payload
// classes the probe sent: an object, an array or a number where a string belongs (in every field name the routes
// take), ids written loosely (hex, exponent, a space, a sign, a fraction) and a `%ff` path segment, loose numbers in
// the query, and methods it does not answer. Whatever comes in: never a 5xx, and every error is the JSON error body
// `{error: {code, message}}` (/v1: OpenAI's, which has both), never HTML nor a stack trace. A route that needs a
// credential it did not get answers 401/403/404: still the error body. tests/integration/bad-input.network.test.ts
// sends each route's own fields NULs, lone surrogates and extreme dates; this is the probe's view, from outside.

const PAGES_API = path.resolve(import.meta.dirname, '../../pages/api');
const base = () => inject('mainUrl');

/** Every field name the routes read from a JSON body, with their /v1 and Slack/Discord siblings. */
const FIELDS = [
  'threadId', 'messageId', 'message', 'prompt', 'context', 'page', 'query', 'path', 'sources', 'limit', 'vote', 'reason',
  'metadata', 'wait', 'challenge', 'pageUrl', 'token', 'origin', 'id', 'status', 'question', 'answer', 'word', 'target',
  'days', 'model', 'name', 'description', 'instructions', 'role', 'content', 'messages', 'assistant_id', 'thread',
  'tools', 'tool_outputs', 'stream', 'type', 'event', 'data', 'jsonrpc', 'method', 'params',
];
/** What a probe puts where a string belongs. */
const NOT_STRINGS: unknown[] = [{ toString: 'x' }, ['x', 'y'], 42, { value: { toString: 'x' } }];
/** Bodies that are no object at all. */
const RAW_BODIES = ['[]', '42', '"text"', 'null', 'true', '{"a":'];
/** Ids and numbers written so that a loose parser reads some number: 0x10 as 16, 1e3 as 1000, " 1" as 1. */
const LOOSE_NUMBERS = ['0x10', '1e3', '%201', '1%20', '-1', '1.5', '+1', '01'];
const UNANSWERED_METHODS = ['PATCH', 'PROPFIND', 'TRACE'];
/** How many of one route's bodies are sent at once (a route's answers do not depend on each other's order). */
const PROBES_IN_FLIGHT = 4;

type TRoute = { file: string; segments: string[] };
type TReply = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** The route files under pages/api, now, as path templates: `[tid]` a param, `[...path]` and `[[...path]]` catch-alls. */
function routeFiles(): TRoute[] {
  const walk = (dir: string, prefix: string[]): TRoute[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (entry.isDirectory()) return walk(path.join(dir, entry.name), [...prefix, entry.name]);
      if (!/\.(ts|tsx|js)$/.test(entry.name)) return [];
      const name = entry.name.replace(/\.(ts|tsx|js)$/, '');
      return [{ file: [...prefix, entry.name].join('/'), segments: name === 'index' ? prefix : [...prefix, name] }];
    });
  return walk(PAGES_API, []);
}

const paramOf = (segment: string) => /^\[\[?(?:\.\.\.)?([^\]]+)\]\]?$/.exec(segment)?.[1];

/** A request with the path as written (no normalising of `%`), any method; the body read whole unless it streams. */
function send(method: string, target: string, { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {}): Promise<TReply> {
  return new Promise((resolve, reject) => {
    const sized = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    // One connection per request, as a probe's curl: what one answer leaves unread never reaches the next request.
    const request = http.request(`${base()}${target}`, { method, agent: false, headers: { ...headers, ...sized } }, (response) => {
      if ((response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        // An event stream that opened is not what this test is about.
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: '' });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${target}: no answer in 30 s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** The contract every answer keeps, whatever it was sent. */
function expectContract(reply: TReply, what: string, method: string) {
  const said = `${what}: ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, said).toBeLessThan(500);
  // A stack frame (`at fn (file.js:1:2)`), wherever it would be.
  expect(reply.text, said).not.toMatch(/\bat [\w.<>$]+ \([^)\n]*:\d+:\d+\)|\.(?:ts|js|mjs):\d+:\d+/);
  if (reply.status < 400 || method === 'HEAD') return;
  expect(reply.text, said).not.toMatch(/<!DOCTYPE|<html|sqlstate|PGlite/i);
  expect(String(reply.headers['content-type']), said).toMatch(/^application\/json/);
  const error = (JSON.parse(reply.text) as { error?: Record<string, unknown> }).error;
  expect(typeof error?.message, said).toBe('string');
  expect(error && 'code' in error, said).toBe(true);
  if (reply.status === 405) expect(reply.headers.allow, said).toBeTruthy();
}

let values: Record<string, string> = {};
let cookie = '';

/** The credential each door takes: the maintainers' token, a /v1 key, or the probe's session. */
function credentials(url: string): Record<string, string> {
  if (url.startsWith('/api/maintainers/')) return { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
  if (url.startsWith('/api/v1/')) return { authorization: `Bearer ${PRODUCTION_API_KEYS[0]}` };
  return { cookie };
}

/** The route's path with each param given its sample value, or `override` for every param. */
function urlOf(route: TRoute, override?: string): string {
  const parts = route.segments.map((segment) => {
    const param = paramOf(segment);
    if (!param) return segment;
    return override ?? values[param] ?? '1';
  });
  return `/api/${parts.join('/')}`.replace(/\/$/, '');
}

beforeAll(async () => {
  // Real objects, so that the probe's requests reach past the lookups: the probe's own answered thread, and /v1's.
  const client = mainClient();
  const { threadId, runId, answerId } = await answeredThread(client, 'How do I configure Slack for the route probe?');
  cookie = client.cookie ?? '';
  const v1 = async (route: string, body: unknown) => {
    const reply = await send('POST', route, { headers: credentials(route), body: JSON.stringify(body) });
    expect(reply.status, reply.text).toBe(200);
    return JSON.parse(reply.text) as { id: string };
  };
  const assistant = await v1('/api/v1/assistants', { model: 'offline' });
  const apiThread = await v1('/api/v1/threads', { messages: [{ role: 'user', content: 'Hello' }] });
  values = { tid: threadId, rid: runId, mid: answerId, aid: assistant.id, sid: 'step_0', id: '1', path: 'getting-started' };
  // The /v1 routes name /v1's thread; the site's routes the site's.
  values.v1tid = apiThread.id;
});

/** The sample values for this route: /v1's thread under /api/v1. */
function withDoor(route: TRoute, run: () => Promise<void>) {
  const saved = values.tid;
  if (route.file.startsWith('v1/')) values.tid = values.v1tid as string;
  return run().finally(() => {
    values.tid = saved as string;
  });
}

describe('every API route, probed (next start)', () => {
  const routes = routeFiles();

  it('reads the routes from pages/api', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map((route) => route.file)).toContain('paste-assistant-messages/[tid].ts');
  });

  it('answers methods it does not take with 405, Allow and the error body', { timeout: 120_000 }, async () => {
    for (const route of routes) {
      await withDoor(route, async () => {
        const url = urlOf(route);
        for (const method of UNANSWERED_METHODS) {
          const reply = await send(method, url, { headers: credentials(url) });
          expectContract(reply, `${method} ${url}`, method);
        }
      });
    }
  });

  it('answers a %ff path segment, and loosely written ids, with the error body, never HTML', { timeout: 180_000 }, async () => {
    for (const route of routes) {
      await withDoor(route, async () => {
        const url = urlOf(route);
        const isDynamic = route.segments.some((segment) => paramOf(segment) !== undefined);
        for (const method of ['GET', 'POST', 'HEAD']) {
          // Next cannot decode %ff: before the route is chosen, so every route answers the same 400.
          for (const target of [`${url}/%ff`, `${url}%ff`, ...(isDynamic ? [urlOf(route, '%ff'), urlOf(route, 'x%ffy')] : [])]) {
            const reply = await send(method, target, { headers: credentials(target), ...(method === 'POST' ? { body: '{}' } : {}) });
            expectContract(reply, `${method} ${target}`, method);
            expect(reply.status, `${method} ${target}`).toBe(400);
          }
          if (!isDynamic) continue;
          for (const loose of LOOSE_NUMBERS) {
            const target = urlOf(route, loose);
            const reply = await send(method, target, { headers: credentials(target), ...(method === 'POST' ? { body: '{}' } : {}) });
            expectContract(reply, `${method} ${target}`, method);
          }
        }
      });
    }
  });

  it('answers loose numbers and repeated parameters in the query with the error body', { timeout: 180_000 }, async () => {
    const queries = [
      ...LOOSE_NUMBERS.flatMap((loose) => [`limit=${loose}`, `days=${loose}`]),
      'limit=1&limit=2',
      'days=7&days=30',
      'limit[]=1',
      'after=msg_x&after=msg_y',
      'order[a]=asc',
      'format=%ff',
    ];
    for (const route of routes) {
      await withDoor(route, async () => {
        const url = urlOf(route);
        for (const query of queries) {
          const reply = await send('GET', `${url}?${query}`, { headers: credentials(url) });
          expectContract(reply, `GET ${url}?${query}`, 'GET');
        }
      });
    }
  });

  // About 7,000 requests: 30 s on a quiet machine, several minutes beside CI's other lanes, so the bodies to one
  // route go a few at a time (each on its own connection) and the limit is generous: it catches a hang, not slowness.
  it('answers objects, arrays and numbers where strings belong, and bodies that are no object, with the error body', { timeout: 900_000 }, async () => {
    let sent = 0;
    // Deletes last: the probe's DELETE of all its threads would leave the other routes nothing to reach.
    const writes = ['POST', 'PUT', 'DELETE'];
    for (const method of writes) {
      for (const route of routes) {
        await withDoor(route, async () => {
          const url = urlOf(route);
          const allowed = await send('PROPFIND', url, { headers: credentials(url) });
          const allow = String(allowed.headers.allow ?? '');
          if (allow !== '' && !allow.split(/,\s*/).includes(method)) return;
          const bodies = [
            ...RAW_BODIES,
            ...NOT_STRINGS.map((value) => JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, value])))),
            ...FIELDS.flatMap((field) => NOT_STRINGS.slice(0, 3).map((value) => JSON.stringify({ [field]: value }))),
          ];
          for (let at = 0; at < bodies.length; at += PROBES_IN_FLIGHT) {
            await Promise.all(
              bodies.slice(at, at + PROBES_IN_FLIGHT).map(async (body) => {
                const reply = await send(method, url, { headers: credentials(url), body });
                expectContract(reply, `${method} ${url} ${body.slice(0, 120)}`, method);
                sent += 1;
              }),
            );
          }
        });
      }
    }
    process.stdout.write(`route probe: ${sent} bodies to ${routes.length} route files\n`);
    expect(sent).toBeGreaterThan(1000);
  });
});

describe('what the probe found (next start)', () => {
  it('reads ids and numbers in the URL strictly: 0x10, 1e3 and " 1" are a 400, not draft 16, 1000 or 1', async () => {
    const maintainer = { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
    for (const loose of ['0x10', '1e3', '%201', '1%20', '+1', '01', '1.0']) {
      const reply = await send('GET', `/api/maintainers/gaps/drafts/${loose}`, { headers: maintainer });
      expect(reply.status, `${loose}: ${reply.text}`).toBe(400);
      expect(JSON.parse(reply.text).error.code).toBe('bad_request');
    }
    // Written plainly, the same id is looked up: no such draft.
    expect((await send('GET', '/api/maintainers/gaps/drafts/16', { headers: maintainer })).status).toBe(404);
    // A thread of its own: the probe above deleted its reader's threads.
    const reader = mainClient();
    const threadId = await newThread(reader);
    const session = { cookie: reader.cookie ?? '' };
    for (const query of ['limit=0x10', 'limit=1e1', 'limit=%205', 'limit=5.0']) {
      const reply = await send('GET', `/api/paste-assistant-messages/${threadId}?${query}`, { headers: session });
      expect(reply.status, `${query}: ${reply.text}`).toBe(400);
      expect(JSON.parse(reply.text).error.message).toContain('limit');
    }
    expect((await send('GET', `/api/paste-assistant-messages/${threadId}?limit=5`, { headers: session })).status).toBe(200);
    for (const query of ['days=0x10', 'days=1e1', 'days=%207']) {
      expect((await send('GET', `/api/maintainers/deflection?${query}`, { headers: maintainer })).status, query).toBe(400);
      expect((await send('GET', `/api/maintainers/gaps?${query}`, { headers: maintainer })).status, query).toBe(400);
    }
    const v1 = await send('GET', `/api/v1/assistants?limit=0x10`, { headers: credentials('/api/v1/') });
    expect(v1.status, v1.text).toBe(400);
  });

  it('answers %ff in an API path with the JSON error body, on the site’s routes and /v1', async () => {
    const site = await send('GET', `/api/paste-assistant-messages/%ff`, { headers: { cookie } });
    expect([site.status, site.headers['content-type']]).toEqual([400, 'application/json; charset=utf-8']);
    expect(JSON.parse(site.text)).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    const v1 = await send('GET', '/v1/threads/%ff', { headers: credentials('/api/v1/') });
    expect([v1.status, v1.headers['content-type']]).toEqual([400, 'application/json; charset=utf-8']);
    expect(JSON.parse(v1.text).error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    // A path under /api that is no route: the error body's 404, not Next's page.
    for (const target of ['/api/no-such-route', '/api/assistant-intro/x', '/api/paste-assistant-thread/thread_x/nothing']) {
      const unknown = await send('GET', target, { headers: { cookie } });
      expect([unknown.status, unknown.headers['content-type']], target).toEqual([404, 'application/json; charset=utf-8']);
      expect(JSON.parse(unknown.text).error.code, target).toBe('not_found');
    }
    // A path that decodes is the route's to judge, as before.
    const spaced = await send('GET', `/api/paste-assistant-messages/thread%20x`, { headers: { cookie } });
    expect(spaced.status).toBe(400);
    expect(JSON.parse(spaced.text).error.message).toMatch(/tid/);
  });
});
