import http from 'node:http';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectError } from '../helpers/contract';
import { PRODUCTION_SITE_URL } from './helpers/global-setup';
import { answeredThread, mainClient, newThread, unknownId, type TClient } from './helpers/tier';

// What lib/http/index.ts promises every route, checked against `next start`: 405 with Allow, 403 for a write from a
// foreign Origin, 415 for a write that is not JSON, 413 for a body over MAX_BODY_BYTES (declared or streamed)
// and a message over MAX_MESSAGE_CHARS, 400 for bad JSON and for what zod refuses; every error is
// {error: {code, message}} with no stack trace, and every response carries X-Request-Id.

const T = 'thread_0123456789abcdef0123456789abcdef';
const R = 'run_0123456789abcdef0123456789abcdef';

let reader: TClient;
let threadId: string;

beforeAll(async () => {
  reader = mainClient();
  threadId = await newThread(reader);
});

describe('405 with Allow', () => {
  it('on every route, for a method it does not take', async () => {
    const cases: [string, string, string][] = [
      ['PATCH', '/api/paste-assistant-thread', 'GET, HEAD, POST, DELETE'],
      ['PATCH', `/api/paste-assistant-thread/${T}`, 'GET, HEAD, PUT, DELETE'],
      ['DELETE', `/api/paste-assistant-thread/${T}/runs`, 'GET, HEAD, POST'],
      ['POST', `/api/paste-assistant-thread/${T}/run/${R}`, 'GET, HEAD'],
      ['POST', `/api/paste-assistant-thread/${T}/run/${R}/events`, 'GET, HEAD'],
      ['GET', `/api/paste-assistant-thread/${T}/run/${R}/cancel`, 'POST'],
      ['PUT', `/api/paste-assistant-messages/${T}`, 'GET, HEAD'],
      ['GET', '/api/paste-assistant-message', 'POST'],
      ['DELETE', '/api/paste-assistant-message-vote', 'POST, GET, HEAD'],
      ['GET', '/api/paste-assistant-simple-completion', 'POST'],
      ['GET', '/api/docs-search', 'POST'],
      ['POST', '/api/health', 'GET, HEAD'],
      ['POST', '/api/maintainers/report', 'GET, HEAD'],
    ];
    for (const [method, route, allow] of cases) {
      const response = await reader.request(method, route);
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow'), `${method} ${route}`).toBe(allow);
    }
  });
});

describe('403 for a write from another site', () => {
  it('on every write route, whether the foreign origin is in Origin or only in Sec-Fetch-Site', async () => {
    const writes: [string, string, unknown][] = [
      ['POST', '/api/paste-assistant-thread', undefined],
      ['PUT', `/api/paste-assistant-thread/${threadId}`, { metadata: { topic: 'x' } }],
      ['DELETE', `/api/paste-assistant-thread/${threadId}`, undefined],
      ['POST', `/api/paste-assistant-thread/${threadId}/run/${R}/cancel`, undefined],
      ['POST', `/api/paste-assistant-thread/${threadId}/runs`, { messageId: unknownId('msg') }],
      ['POST', '/api/paste-assistant-message', { threadId, message: 'From elsewhere' }],
      ['POST', '/api/paste-assistant-message-vote', { threadId, messageId: unknownId('msg'), vote: 'up' }],
      ['POST', '/api/paste-assistant-simple-completion', { prompt: 'From elsewhere' }],
      ['POST', '/api/docs-search', { prompt: 'slack' }],
    ];
    for (const [method, route, json] of writes) {
      const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
      for (const headers of foreign) {
        const response = await reader.request(method, route, { headers, ...(json === undefined ? {} : { json }) });
        expectError(response, 403, 'origin_not_allowed');
      }
    }
    // Nothing was written: the thread is still there, with no messages and its first title.
    expect((await reader.get(`/api/paste-assistant-thread/${threadId}`)).body.metadata).toEqual({ threadTitle: 'New thread' });
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data).toEqual([]);
  });

  it('accepts a write whose Origin is the site (SITE_URL) or the host it was sent to', async () => {
    const own = await reader.request('POST', '/api/paste-assistant-thread', { headers: { origin: inject('mainUrl') } });
    expect(own.status).toBe(200);
    const site = await reader.request('POST', '/api/paste-assistant-thread', { headers: { origin: PRODUCTION_SITE_URL, 'sec-fetch-site': 'same-origin' } });
    expect(site.status).toBe(200);
  });
});

describe('bodies', () => {
  it('415 for a write whose body is not JSON', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expectError(await reader.request('POST', '/api/paste-assistant-message', { body: `threadId=${threadId}&message=hi`, headers: form }), 415, 'unsupported_media_type');
    expectError(await reader.request('POST', '/api/paste-assistant-thread', { body: 'metadata=1', headers: form }), 415, 'unsupported_media_type');
    expectError(
      await reader.request('PUT', `/api/paste-assistant-thread/${threadId}`, { body: '{"metadata":{}}', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
    expectError(await reader.request('POST', '/api/docs-search', { body: '{"prompt":"slack"}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  });

  it('413 for a body over MAX_BODY_BYTES, declared or streamed, and for a message over MAX_MESSAGE_CHARS', async () => {
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'x'.repeat(40 * 1024) }), 413, 'payload_too_large');
    expectError(await reader.post('/api/docs-search', { prompt: 'x'.repeat(40 * 1024) }), 413, 'payload_too_large');
    const chunked = await postChunked(`${inject('mainUrl')}/api/paste-assistant-message`, reader.cookie, [
      `{"threadId":"${threadId}","message":"`,
      'y'.repeat(20 * 1024),
      'y'.repeat(20 * 1024),
      '"}',
    ]);
    expectError(chunked, 413, 'payload_too_large');
    const long = await reader.post('/api/paste-assistant-message', { threadId, message: 'z'.repeat(8001) });
    expectError(long, 413, 'payload_too_large');
    expect(long.body.error.message).toMatch(/8000 characters/);
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data).toEqual([]);
  });

  it('400 for bad JSON, an empty body, unstorable text and what zod refuses, naming the field', async () => {
    const json = { 'content-type': 'application/json' };
    expectError(await reader.request('POST', '/api/paste-assistant-message', { body: '{"threadId":', headers: json }), 400, 'bad_request');
    expectError(await reader.request('POST', '/api/paste-assistant-message', { body: '', headers: json }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'nul \u0000 here' }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: '   ' }), 400, 'bad_request');
    const badId = await reader.post('/api/paste-assistant-message', { threadId: 'thread_bad-id', message: 'hi' });
    expectError(badId, 400, 'bad_request');
    expect(badId.body.error.message).toMatch(/^threadId: /);
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'hi', wait: 'yes' }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-thread', { metadata: { topic: 1 } }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-thread', { unexpected: true }), 400, 'bad_request');
    expectError(await reader.post('/api/docs-search', { prompt: '' }), 400, 'bad_request');
    expectError(await reader.post('/api/docs-search', { prompt: 'x'.repeat(4001) }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-simple-completion', { prompt: '' }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: unknownId('msg'), vote: 'sideways' }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: 'msg_x', vote: 'up', extra: 1 }), 400, 'bad_request');
    expectError(await reader.get('/api/paste-assistant-message-vote'), 400, 'bad_request');
  });

  it('400 for malformed ids and queries, before the database is asked', async () => {
    expectError(await reader.get('/api/paste-assistant-thread/not-a-thread'), 400, 'bad_request');
    expectError(await reader.get("/api/paste-assistant-messages/thread_x'%20or%201=1"), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-thread/${threadId}/run/nope`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-thread/${threadId}/run/nope/events`), 400, 'bad_request');
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/run/nope/cancel`), 400, 'bad_request');
    expectError(await reader.get('/api/paste-assistant-thread?limit=0'), 400, 'bad_request');
    expectError(await reader.get('/api/paste-assistant-thread?limit=101'), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-messages/${threadId}?order=sideways`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-messages/${threadId}?after=not-an-id`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-thread/${threadId}/run/${R}/events?cursor=garbage`), 400, 'bad_request');
  });

  it('400 for an `after` cursor that is not in the list', async () => {
    const mine = await answeredThread(reader, 'How do I list messages?');
    const other = await answeredThread(mainClient(), 'How do I list threads?');
    // A message of another thread, one that does not exist, and a thread id in a message list.
    expectError(await reader.get(`/api/paste-assistant-messages/${mine.threadId}?after=${other.userMessageId}`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-messages/${mine.threadId}?after=${unknownId('msg')}`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-messages/${mine.threadId}?after=${mine.threadId}`), 400, 'bad_request');
    // Another session's thread, and one that does not exist, in the caller's thread list.
    expectError(await reader.get(`/api/paste-assistant-thread?after=${other.threadId}`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-thread?after=${unknownId('thread')}`), 400, 'bad_request');
  });
});

describe('every response', () => {
  it('carries X-Request-Id and no internals, success or error', async () => {
    for (const response of [await reader.get('/api/health'), await reader.get(`/api/paste-assistant-thread/${unknownId('thread')}`)]) {
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(response.body)).not.toMatch(/node_modules|\.next\/server|at \w+ \(/);
    }
  });
});

/** A POST whose body is sent in chunks with no Content-Length, as a streaming client does. */
function postChunked(url: string, cookie: string | undefined, pieces: string[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...(cookie ? { cookie } : {}) },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: response.statusCode ?? 0, body: text });
        }
      });
    });
    // The server may answer 413 and close before the last chunk is written.
    request.on('error', (error) => (request.writableEnded ? undefined : reject(error)));
    for (const piece of pieces) request.write(piece);
    request.end();
  });
}
