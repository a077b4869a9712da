import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { encodeEmbedToken, newReaderId } from '@/lib/embed/token';
import { createTestApp, TEST_SESSION_SECRET } from '../helpers/app';
import { expectError } from '../helpers/instances';
import { startTestServer, type TTestServer } from '../helpers/server';

// The embed's door over real HTTP: the /embed frame's token is a reader of its own, with ownership and limits
// as the cookie's; a forged token is 401, a token used from the wrong site or for a site no longer allowed 403.

const SITE = 'https://assistant.example.org';
const HOST = 'https://docs.example.com';

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp({ env: { SITE_URL: SITE, EMBED_ALLOWED_ORIGINS: `${HOST}, http://localhost:4321` } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

type TCall = { status: number; headers: Headers; body: any };

async function call(method: string, route: string, { token, origin, json }: { token?: string; origin?: string; json?: unknown } = {}): Promise<TCall> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['x-embed-token'] = token;
  if (origin !== undefined) headers.origin = origin;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${route}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

async function session(origin = HOST, previous?: string): Promise<string> {
  const response = await call('POST', '/api/embed/session', { origin: SITE, json: previous ? { origin, token: previous } : { origin } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.headers.get('set-cookie')).toBeNull();
  return response.body.token as string;
}

describe('POST /api/embed/session', () => {
  it('gives the frame a token for an allowed site, and renews it for the same reader', async () => {
    const token = await session();
    const { body: thread } = await call('POST', '/api/paste-assistant-thread', { token, origin: SITE });
    const renewed = await session(HOST, token);
    const { body: list } = await call('GET', '/api/paste-assistant-thread', { token: renewed });
    expect(list.data.map((item: { id: string }) => item.id)).toEqual([thread.id]);
  });

  it('403 origin_not_allowed for a site not on the list, and for a call from another site’s page', async () => {
    expectError(await call('POST', '/api/embed/session', { origin: SITE, json: { origin: 'https://evil.example' } }), 403, 'origin_not_allowed');
    expectError(await call('POST', '/api/embed/session', { origin: 'https://evil.example', json: { origin: HOST } }), 403, 'origin_not_allowed');
  });
});

describe('requests with an embed token', () => {
  it('belong to the token’s reader alone: another reader, or the site’s cookie, sees none of it', async () => {
    const alice = await session();
    const bob = await session();
    const created = await call('POST', '/api/paste-assistant-thread', { token: alice, origin: SITE });
    expect(created.status).toBe(200);
    expect(created.headers.get('set-cookie')).toBeNull();
    expect((await call('GET', `/api/paste-assistant-thread/${created.body.id}`, { token: alice })).status).toBe(200);
    expectError(await call('GET', `/api/paste-assistant-thread/${created.body.id}`, { token: bob }), 404, 'not_found');
    expectError(await call('GET', `/api/paste-assistant-thread/${created.body.id}`), 404, 'not_found');
    expect((await call('GET', '/api/paste-assistant-thread', { token: bob })).body.data).toEqual([]);
  });

  it('ask and get an answer, as the site’s reader would', async () => {
    const token = await session();
    const { body: thread } = await call('POST', '/api/paste-assistant-thread', { token, origin: SITE });
    const sent = await call('POST', '/api/paste-assistant-message', { token, origin: SITE, json: { threadId: thread.id, message: 'How do I install it?' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.run.status).toBe('completed');
  });

  it('401 for a malformed, forged or expired token, before anything is read', async () => {
    const forged = encodeEmbedToken('not-the-secret-0123456789abcdef0123456789', { readerId: newReaderId(), origin: HOST, expiresAt: 4_000_000_000 });
    const expired = encodeEmbedToken(TEST_SESSION_SECRET, { readerId: newReaderId(), origin: HOST, expiresAt: 1_000 });
    for (const token of ['garbage', forged, expired]) {
      expectError(await call('GET', '/api/paste-assistant-thread', { token }), 401, 'unauthorized');
      expectError(await call('POST', '/api/paste-assistant-thread', { token, origin: SITE }), 401, 'unauthorized');
    }
  });

  it('403 origin_not_allowed when replayed from another site, or for a site no longer allowed', async () => {
    const token = await session();
    expectError(await call('GET', '/api/paste-assistant-thread', { token, origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    expectError(await call('POST', '/api/paste-assistant-thread', { token, origin: 'http://localhost:4321' }), 403, 'origin_not_allowed');
    const removed = encodeEmbedToken(TEST_SESSION_SECRET, { readerId: newReaderId(), origin: 'https://removed.example', expiresAt: 4_000_000_000 });
    expectError(await call('GET', '/api/paste-assistant-thread', { token: removed }), 403, 'origin_not_allowed');
  });
});

describe('a foreign page without a token', () => {
  it('is refused reads of reader data as well as writes (403 origin_not_allowed); public documents stay readable', async () => {
    expectError(await call('GET', '/api/paste-assistant-thread', { origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    expectError(await call('POST', '/api/paste-assistant-thread', { origin: HOST }), 403, 'origin_not_allowed');
    expect((await call('GET', '/api/paste-assistant-thread', { origin: SITE })).status).toBe(200);
    expect((await call('GET', '/api/llms-txt', { origin: 'https://evil.example' })).status).toBe(200);
  });
});
