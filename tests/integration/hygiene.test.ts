import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import type { TDb } from '@/lib/db/types';
import { MAX_MESSAGE_BODY_BYTES } from '@/lib/shared/images';
import { createTestDb } from '../helpers/pglite-template';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { expectError } from '../helpers/instances';

// Request hygiene over real HTTP: what reaches a handler, and what never does.

let app: TApp;
let server: TTestServer;
// Every database call, by function name: "before touching the database" is checked, not assumed.
const calls: string[] = [];

beforeAll(async () => {
  const real = await createTestDb();
  const recording: TDb = {
    transport: real.transport,
    notify: real.notify,
    listen: real.listen,
    isNotifyShared: real.isNotifyShared,
    rpc: (name, args) => {
      calls.push(name);
      return real.rpc(name, args);
    },
    close: () => real.close(),
  };
  app = await createTestApp({ overrides: { db: recording }, env: { SITE_URL: 'https://docs.example.com' } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

const client = () => createClient(server.url);
const WRITES: [string, string][] = [
  ['POST', '/api/paste-assistant-thread'],
  ['PUT', '/api/paste-assistant-thread/thread_abc'],
  ['DELETE', '/api/paste-assistant-thread/thread_abc'],
  ['POST', '/api/paste-assistant-thread/thread_abc/run/run_abc/cancel'],
  ['POST', '/api/paste-assistant-message'],
  ['POST', '/api/paste-assistant-simple-completion'],
  ['POST', '/api/docs-search'],
];

/** Called while a request runs but not for it: the rate limiter's check, the run sweeper's claim and the answer grades' round (lib/maintainers/grades), on their own timers. */
const NOT_THE_REQUESTS = new Set(['take_rate_limits', 'claim_runs_to_sweep', 'grade_settled_answers']);

/** The database functions called while `action` runs, other than the rate limiter's and the sweeper's. */
async function dataCallsDuring(action: () => Promise<unknown>): Promise<string[]> {
  const start = calls.length;
  await action();
  return calls.slice(start).filter((name) => !NOT_THE_REQUESTS.has(name));
}

describe('JSON only on writes (415)', () => {
  it('refuses a form, text or multipart body on every write route, even those that read no body', async () => {
    for (const [method, route] of WRITES) {
      for (const [type, body] of [
        ['application/x-www-form-urlencoded', 'threadId=thread_abc&message=hi'],
        ['text/plain', '{"threadId":"thread_abc","message":"hi"}'],
        ['multipart/form-data; boundary=x', '--x--'],
        ['application/jsonp', '{}'],
      ] as const) {
        const response = await client().request(method, route, { body, headers: { 'content-type': type } });
        expectError(response, 415, 'unsupported_media_type');
      }
    }
  });

  it('refuses a body without a content type, and accepts a bodiless write (curl -X POST)', async () => {
    const response = await fetch(`${server.url}/api/paste-assistant-thread`, { method: 'POST', body: new Uint8Array([123, 125]) });
    expectError({ status: response.status, body: await response.json() }, 415, 'unsupported_media_type');
    expect((await client().post('/api/paste-assistant-thread')).status).toBe(200);
    expect((await client().request('POST', '/api/paste-assistant-thread', { body: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });
});

describe('body size (413)', () => {
  it('refuses a declared length over the limit on any route before reading it, and a streamed one while reading', async () => {
    for (const [method, route] of WRITES) {
      // The message route's own limit is above MAX_BODY_BYTES: it takes screenshots (lib/shared/images.ts).
      const limit = route === '/api/paste-assistant-message' ? MAX_MESSAGE_BODY_BYTES : app.config.limits.maxBodyBytes;
      const big = 'x'.repeat(limit + 8 * 1024);
      expectError(await client().request(method, route, { body: JSON.stringify({ message: big }), headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
    }
    // Chunked: no Content-Length, so the limit applies while streaming.
    const stream = new ReadableStream({
      start(controller) {
        for (let index = 0; index < 40; index += 1) controller.enqueue(new TextEncoder().encode(index === 0 ? '{"prompt":"' : 'x'.repeat(1024)));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/api/docs-search`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expectError({ status: response.status, body: await response.json() }, 413, 'payload_too_large');
  });
});

/** `pending`, or a failure naming `what` once `ms` have passed without an answer. */
function answeredWithin<T>(ms: number, what: string, pending: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}

describe('foreign Origin on state-changing requests (403)', () => {
  it('refuses writes from another site, a null origin or a cross-site fetch, on every write route', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    for (const [method, route] of WRITES) {
      for (const headers of [
        { origin: 'https://evil.example' } as Record<string, string>,
        { origin: 'null' },
        { origin: 'https://docs.example.com.evil.example' },
        { origin: 'http://docs.example.com' },
        { 'sec-fetch-site': 'cross-site' },
      ]) {
        // Bounded, and named: this test has twice used up its 60 s in CI (cause not found); a request that hangs says which.
        const response = await answeredWithin(15_000, `${method} ${route} ${JSON.stringify(headers)}`, reader.request(method, route.replace('thread_abc', id), { json: { metadata: { a: 'b' } }, headers }));
        expect(response.status, `${method} ${route} ${JSON.stringify(headers)}: ${JSON.stringify(response.body)}`).toBe(403);
        expectError(response, 403, 'origin_not_allowed');
        expect(response.headers.get('set-cookie')).toBeNull();
      }
    }
    // Nothing changed: the thread is still there with its metadata.
    expect((await reader.get(`/api/paste-assistant-thread/${id}`)).body.metadata).toEqual({ threadTitle: 'New thread' });
  });

  it('accepts the site itself (SITE_URL or the requested host), no Origin (curl, servers, followed links); refuses another site’s reads too', async () => {
    const reader = client();
    expect((await reader.request('POST', '/api/paste-assistant-thread', { headers: { origin: 'https://docs.example.com' } })).status).toBe(200);
    expect((await reader.request('POST', '/api/paste-assistant-thread', { headers: { origin: server.url } })).status).toBe(200);
    expect((await reader.request('POST', '/api/paste-assistant-thread', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await reader.post('/api/paste-assistant-thread')).status).toBe(200);
    // A link to the API followed from another site (a navigation; sent with node:http, as fetch sets Sec-Fetch-Mode itself).
    const navigated = await new Promise<number>((resolve, reject) => {
      http
        .get(`${server.url}/api/paste-assistant-thread`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(navigated).toBe(200);
    expectError(await reader.get('/api/paste-assistant-thread', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }), 403, 'origin_not_allowed');
    // A foreign page's fetch of a reader's data (issue 22: every request of a page not allowed is refused).
    const read = await reader.get('/api/paste-assistant-thread', { origin: 'https://evil.example' });
    expectError(read, 403, 'origin_not_allowed');
    // No CORS either way: another site's page cannot read the answer.
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('ids, cursors and metadata are checked before the database', () => {
  it('answers 400 for malformed ids in every position without calling a data function', async () => {
    const reader = client();
    await reader.get('/api/health');
    const hostile = ["thread_x'%20or%201=1", 'thread_', 'thread_%00', 'run_ab!c', 'msg_a%20b', '..%2F..%2Fetc', 'thread_' + 'a'.repeat(65), '%E2%80%AE'];
    for (const id of hostile) {
      const requests = [
        () => reader.get(`/api/paste-assistant-thread/${id}`),
        () => reader.put(`/api/paste-assistant-thread/${id}`, { metadata: {} }),
        () => reader.delete(`/api/paste-assistant-thread/${id}`),
        () => reader.get(`/api/paste-assistant-messages/${id}`),
        () => reader.get(`/api/paste-assistant-thread/${id}/runs`),
        () => reader.get(`/api/paste-assistant-thread/thread_abc/run/${id}`),
        () => reader.post(`/api/paste-assistant-thread/thread_abc/run/${id}/cancel`),
        () => reader.post('/api/paste-assistant-message', { threadId: decodeURIComponent(id.replace('%00', '')) + '\u0000', message: 'hi' }),
        () => reader.get(`/api/paste-assistant-thread?after=${id}`),
        () => reader.get(`/api/paste-assistant-messages/thread_abc?after=${id}`),
      ];
      for (const request of requests) {
        let response: any;
        const data = await dataCallsDuring(async () => {
          response = await request();
        });
        expectError(response, 400, 'bad_request');
        expect(data).toEqual([]);
      }
    }
  });

  it('refuses metadata over the limits, with odd keys or non-string values, and NUL or lone surrogates anywhere', async () => {
    const reader = client();
    const { id } = (await reader.post('/api/paste-assistant-thread')).body;
    const bad: unknown[] = [
      Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])),
      { ['k'.repeat(65)]: 'v' },
      { k: 'v'.repeat(513) },
      { k: 1 },
      { k: { nested: 'v' } },
      { k: ['v'] },
      { '': 'v' },
      { k: 'nul\u0000' },
      { 'nul\u0000key': 'v' },
      { k: 'lone \ud800 surrogate' },
      'not an object',
      ['array'],
      null,
    ];
    for (const metadata of bad) {
      expectError(await reader.put(`/api/paste-assistant-thread/${id}`, { metadata }), 400, 'bad_request');
      expectError(await reader.post('/api/paste-assistant-thread', { metadata }), 400, 'bad_request');
    }
    expectError(await reader.post('/api/paste-assistant-message', { threadId: id, message: 'a\u0000b' }), 400, 'bad_request');
    expectError(await reader.post('/api/docs-search', { prompt: '\udc00' }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-simple-completion', { prompt: 'x', context: 'nul\u0000' }), 400, 'bad_request');
    const deep = JSON.stringify({ metadata: { k: 'v' }, x: JSON.parse('['.repeat(40) + ']'.repeat(40)) });
    expectError(await reader.request('PUT', `/api/paste-assistant-thread/${id}`, { body: deep, headers: { 'content-type': 'application/json' } }), 400, 'bad_request');

    // Keys that name a prototype are refused (400), never merged into an object's prototype, never a 500.
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const proto = await reader.request('PUT', `/api/paste-assistant-thread/${id}`, {
        body: `{"metadata":{"${key}":"x"}}`,
        headers: { 'content-type': 'application/json' },
      });
      expectError(proto, 400, 'bad_request');
      expect(proto.body.error.message).toContain('reserved');
    }
    expect((await reader.get(`/api/paste-assistant-thread/${id}`)).body.metadata.threadTitle).toBe('New thread');
  });
});

describe('request ids', () => {
  it('gives every response, success or error, its own X-Request-Id', async () => {
    const reader = client();
    const responses = [
      await reader.get('/api/health'),
      await reader.get('/api/paste-assistant-thread/nope'),
      await reader.request('PATCH', '/api/health'),
      await reader.request('POST', '/api/docs-search', { body: 'x', headers: { 'content-type': 'text/plain' } }),
    ];
    const ids = responses.map((response) => response.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
